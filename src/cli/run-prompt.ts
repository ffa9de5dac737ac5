import { once } from 'node:events';
// The default command: runs one prompt. Loaded by commands/prompt.ts when it runs.
import { getModel, getAsyncModel } from '../plugins/registry.js';
import { UsageError, AbortedError, LlmError, isLlmError } from '../errors.js';
import type { Model } from '../models/model.js';
import type { Response } from '../models/response.js';
import type { Conversation } from '../models/conversation.js';
import type { PromptInput } from '../models/prompt.js';
import { evaluateTemplate, loadTemplate, saveTemplate, type Template } from '../config/templates.js';
import { LogsDatabase, extractFencedCodeBlock, listLogs, logsDbPath, logsEnabled, renderJson } from '../logs/index.js';
import type { PromptFlags } from './commands/prompt.js';
import {
  mergedOptions,
  modelIdFromQueries,
  pairsToObject,
  resolveAttachments,
  resolveFragments,
  schemaFromFlags,
} from './setup.js';
import { modelDetails, tokenUsageString } from './format.js';
import { BOLD, DIM, YELLOW, readPipedStdin, style } from './util.js';
import { getModelsWithAliases } from '../plugins/registry.js';
import { collectGarbage } from '../util/gc.js';

/** Characters of answer above which the garbage is collected before logging (see collectGarbage). */
const LARGE_ANSWER = 8 * 1024 * 1024;

export async function runPrompt(promptArg: string | undefined, flags: PromptFlags): Promise<void> {
  if (flags.log && flags.noLog) throw new UsageError('--log and --no-log are mutually exclusive');
  const dbPath = flags.database ?? logsDbPath();
  const params = pairsToObject(flags.param, '-p/--param');
  const cliOptions = pairsToObject(flags.option, '-o/--option');

  // Attachments read stdin first when given as `-`, as click resolves them while parsing.
  const attachments = await resolveAttachments(flags.attachment, flags.attachmentType);
  let stdinRead = false;
  const readPrompt = async (): Promise<string | undefined> => {
    if (stdinRead) return promptArg;
    stdinRead = true;
    const usesStdin = [...(flags.attachment ?? []), ...(flags.fragment ?? []), ...(flags.systemFragment ?? [])].includes('-')
      || (flags.attachmentType ?? []).some((v) => v.startsWith('-='));
    if (usesStdin) return promptArg;
    const piped = await readPipedStdin();
    if (piped) return promptArg ? `${piped} ${promptArg}` : piped;
    if (
      promptArg === undefined &&
      process.stdin.isTTY &&
      !flags.save &&
      !attachments.length &&
      !flags.schema &&
      !flags.schemaMulti &&
      !flags.fragment?.length &&
      !flags.options
    ) {
      // Nothing to send: wait for a prompt typed on the terminal, ended with Ctrl-D.
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return promptArg;
  };

  if (flags.save) {
    await savePromptAsTemplate(flags, await readPrompt(), params, cliOptions, dbPath);
    return;
  }

  let template: Template | undefined;
  let text: string | undefined;
  let system = flags.system;
  let extract = flags.extract ?? false;
  let extractLast = flags.extractLast ?? false;
  if (flags.template) {
    template = await loadTemplate(flags.template);
    const evaluated = evaluateTemplate(template, await readPrompt(), params);
    text = evaluated.prompt;
    if (system === undefined) system = evaluated.system;
    extract ||= template.extract ?? false;
    extractLast ||= template.extract_last ?? false;
  } else {
    text = await readPrompt();
  }

  // The database is opened before the request only when the prompt needs it (-c/--cid);
  // otherwise the request is sent first and the database opened while it is answered.
  let db: LogsDatabase | undefined;
  const openDb = (): LogsDatabase => (db ??= LogsDatabase.open(dbPath));
  try {
    let loaded: ReturnType<LogsDatabase['loadConversation']>;
    if (flags.conversation || flags.continue) {
      loaded = openDb().loadConversation(flags.conversation);
      if (flags.conversation && !loaded) throw new UsageError(`No conversation found with id=${flags.conversation}`);
    }

    let modelId = flags.model;
    if (!modelId && flags.query?.length) modelId = modelIdFromQueries(flags.query);
    if (!modelId && template?.model) modelId = template.model;
    if (!modelId && loaded?.model) modelId = loaded.model;
    const model: Model = flags.async ? getAsyncModel(modelId) : getModel(modelId);

    if (flags.options) {
      const entry = getModelsWithAliases().find((e) => e.model.modelId === model.modelId);
      process.stdout.write(modelDetails(entry ?? { model, asyncModel: null, aliases: [] }, new Set()) + '\n');
      return;
    }

    const conversation: Conversation = loaded
      ? model.conversation({ id: loaded.id, name: loaded.name ?? undefined, messages: loaded.messages })
      : model.conversation();

    const schema = await schemaFromFlags(flags, dbPath, template);
    // A plugin fragment loader may return attachments too: they join the -a ones.
    const fragments = await resolveFragments([...(template?.fragments ?? []), ...(flags.fragment ?? [])], dbPath, attachments);
    const systemFragments = await resolveFragments([...(template?.system_fragments ?? []), ...(flags.systemFragment ?? [])], dbPath);
    const options = mergedOptions(model.modelId, template?.options, cliOptions);
    const stream = flags.stream !== false && !extract && !extractLast && !flags.json;

    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', onSigint);

    const input: PromptInput = {
      system,
      fragments,
      systemFragments,
      attachments,
      schema,
      options,
      key: flags.key,
      stream,
      signal: controller.signal,
      hideReasoning: flags.hideReasoning,
    };
    // A continued conversation keeps its plugin tools unless -T names others.
    const toolNames = [...(template?.tools ?? []), ...(flags.tool?.length ? flags.tool : loaded ? openDb().conversationTools(loaded.id) : [])];
    const templateFunctions = template?.functions && template.functionsTrusted ? [template.functions] : [];
    if (toolNames.length || flags.functions?.length || templateFunctions.length) {
      const { runToolChain } = await import('./run-tool-chain.js');
      const { askOnStdin, toolChainSettings } = await import('./run-tools.js');
      let run: Awaited<ReturnType<typeof toolChainSettings>> | undefined;
      try {
        run = await toolChainSettings(toolNames, flags, askOnStdin, templateFunctions);
        // Ctrl-C stops the toolboxes' servers too, which ends a tool call still running.
        const stop = run.close;
        controller.signal.addEventListener('abort', () => void stop(), { once: true });
        await runToolChain(conversation, text ?? '', input, run.settings!, () =>
          (logsEnabled() || Boolean(flags.log)) && !flags.noLog ? openDb() : undefined,
        );
      } finally {
        process.off('SIGINT', onSigint);
        await run?.close();
      }
      return;
    }

    const response = conversation.prompt(text ?? '', input);

    response.start();
    const shouldLog = (logsEnabled() || Boolean(flags.log)) && !flags.noLog;
    // Opened while the request is answered; not at all when nothing is to be logged. A
    // database that cannot be used is reported after the answer is shown, so the answer
    // (already paid for) is not lost.
    let dbError: unknown;
    if (shouldLog) {
      try {
        openDb();
      } catch (error) {
        dbError = error;
      }
    }
    let failure: unknown;
    try {
      if (stream) await streamOut(response, !flags.hideReasoning);
      else {
        const full = await response.text();
        if (flags.json) {
          // Printed after logging, below.
        } else {
          if (!flags.hideReasoning && response.reasoning) process.stderr.write(style(response.reasoning, process.stderr, DIM) + '\n');
          let shown = full;
          if (extract || extractLast) shown = extractFencedCodeBlock(full, extractLast) ?? full;
          process.stdout.write(shown + '\n');
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      process.off('SIGINT', onSigint);
    }

    if (failure !== undefined) {
      const arrived = response.textSoFar.length > 0;
      if (stream && arrived) process.stdout.write('\n');
      if (!stream && arrived && !flags.json) process.stdout.write(response.textSoFar + '\n');
      if (arrived && shouldLog && dbError === undefined) {
        openDb().logResponse(response, { incomplete: true, error: messageOf(failure) });
      }
      if (AbortedError.is(failure)) {
        process.exitCode = 130;
        throw new LlmError('Interrupted: the response was cut short' + (arrived ? ' and what arrived was kept' : ''));
      }
      throw failure;
    }

    if (flags.usage) {
      const usage = await response.usage();
      process.stderr.write(style(`Token usage: ${tokenUsageString(usage)}`, process.stderr, YELLOW, BOLD) + '\n');
    }
    if (dbError !== undefined) throw dbError;
    if (shouldLog) {
      if (response.textSoFar.length > LARGE_ANSWER) collectGarbage();
      openDb().logResponse(response);
    }
    if (flags.json) process.stdout.write(jsonForResponse(response, shouldLog ? openDb() : undefined) + '\n');
  } finally {
    db?.close();
  }
}

/**
 * The JSON `llm logs --json` prints for this turn, read back from logs.db (or from an
 * in-memory database when the turn was not logged).
 */
function jsonForResponse(response: Response, logged: LogsDatabase | undefined): string {
  const store = logged ?? LogsDatabase.open(':memory:');
  try {
    if (!logged) store.logResponse(response);
    const rows = listLogs(store, { idGte: response.id, conversationId: response.conversation?.id }).filter(
      (row) => row.id === response.id,
    );
    return renderJson(rows);
  } finally {
    if (!logged) store.close();
  }
}

function messageOf(error: unknown): string {
  if (isLlmError(error) || error instanceof Error) return (error as Error).message;
  return String(error);
}

/**
 * Writes events as they arrive: text to stdout, reasoning to stderr (dim on a TTY),
 * with a newline on stderr where reasoning gives way to text.
 */
export async function streamOut(response: Response, showReasoning: boolean): Promise<void> {
  let index = 0;
  let inReasoning = false;
  /** Writes what arrived since the last call; false when stdout asks us to wait for 'drain'. */
  const flush = (): boolean => {
    let ready = true;
    for (const count = response.streamEventCount; index < count; index++) {
      const event = response.streamEventAt(index);
      if (event.type === 'reasoning' && showReasoning && !event.redacted) {
        process.stderr.write(style(event.text, process.stderr, DIM));
        inReasoning = true;
      } else if (event.type === 'text') {
        if (inReasoning) {
          process.stderr.write('\n');
          inReasoning = false;
        }
        ready = process.stdout.write(event.text) && ready;
      }
    }
    return ready;
  };
  try {
    // Backpressure: when stdout (a pipe to a slower reader) is full, wait for it to
    // drain, so a long answer is not queued up in memory.
    for await (const _chunk of response) if (!flush()) await once(process.stdout, 'drain');
  } finally {
    flush();
  }
  if (inReasoning) process.stderr.write('\n');
  process.stdout.write('\n');
}

async function savePromptAsTemplate(
  flags: PromptFlags,
  prompt: string | undefined,
  params: Record<string, string>,
  cliOptions: Record<string, string>,
  dbPath: string,
): Promise<void> {
  const disallowed = [
    ['--template', flags.template],
    ['--continue', flags.continue],
    ['--cid', flags.conversation],
  ]
    .filter(([, v]) => v)
    .map(([name]) => name);
  if (disallowed.length) throw new UsageError(`--save cannot be used with ${disallowed.join(', ')}`);
  const data: Record<string, unknown> = {};
  if (flags.model) data.model = getModel(flags.model).modelId;
  if (prompt) data.prompt = prompt;
  if (flags.system) data.system = flags.system;
  if (flags.fragment?.length) data.fragments = flags.fragment;
  if (flags.systemFragment?.length) data.system_fragments = flags.systemFragment;
  if (Object.keys(params).length) data.defaults = params;
  if (flags.extract) data.extract = true;
  if (flags.extractLast) data.extract_last = true;
  if (Object.keys(cliOptions).length) {
    const model = getModel(flags.model);
    data.options = model.validate(cliOptions);
  }
  const schema = await schemaFromFlags(flags, dbPath);
  if (schema) data.schema_object = schema;
  if (flags.attachment?.length) data.attachments = flags.attachment;
  if (flags.attachmentType?.length) {
    const { splitAttachmentType } = await import('./util.js');
    data.attachment_types = flags.attachmentType.map((pair) => {
      const [value, type] = splitAttachmentType(pair);
      return { type, value };
    });
  }
  await saveTemplate(flags.save!, data);
}
