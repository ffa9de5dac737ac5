import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
// The default command: runs one prompt. Loaded by commands/prompt.ts when it runs.
import { getModel, getAsyncModel } from '../plugins/registry.js';
import { UsageError, AbortedError, LlmError, UnknownModelError, isLlmError } from '../errors.js';
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
import { costsOf } from '../pricing/cost-cache.js';
import { registryPricing } from '../pricing/registry-pricing.js';
import { markdownToStdout, markdownWanted, preload, renderWhole, type MarkdownStream } from './render/index.js';
import { colourOn } from './util.js';
import { explainKeyError } from './key-hints.js';
import { applyRequestFlags } from './request-limits.js';

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
    // Markdown is rendered for a person at a terminal: never for -x/--xl, --json or a schema.
    const markdown = !extract && !extractLast && !flags.json && !schema && markdownWanted(flags);

    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', onSigint);

    const input: PromptInput = {
      timeout: applyRequestFlags(flags),
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
    // A template's tools come first, as Python's _merge_template_tools puts them.
    const givenTools = [...(template?.tools ?? []), ...(flags.tool ?? [])];
    const serverSide = model.supportedServerSideTools;
    const toolNames = givenTools.length ? givenTools : loaded ? openDb().conversationTools(loaded.id, serverSide.map((cls) => cls.className)) : [];
    const templateFunctions = template?.functions && template.functionsTrusted ? [template.functions] : [];
    const maxCost = parseMaxCost(flags.maxCost);
    await checkBudgetBeforeSending(() => openDb(), !!flags.force);
    if (toolNames.length || flags.functions?.length || templateFunctions.length) {
      const { runToolChain } = await import('./run-tool-chain.js');
      const { askOnStdin, toolChainSettings } = await import('./run-tools.js');
      const shouldLog = (logsEnabled() || Boolean(flags.log)) && !flags.noLog;
      let responses: Response[];
      let run: Awaited<ReturnType<typeof toolChainSettings>> | undefined;
      try {
        run = await toolChainSettings(toolNames, flags, askOnStdin, templateFunctions, serverSide);
        // Ctrl-C stops the toolboxes' servers too, which ends a tool call still running.
        const stop = run.close;
        controller.signal.addEventListener('abort', () => void stop(), { once: true });
        responses = await runToolChain(conversation, text ?? '', input, { ...run.settings!, maxCost }, () => (shouldLog ? openDb() : undefined), {
          extract,
          extractLast,
          json: flags.json,
          markdown,
        });
      } finally {
        process.off('SIGINT', onSigint);
        await run?.close();
      }
      // -u: one line per response of the chain, as Python prints them, with its cost.
      if (flags.usage) for (const response of responses) await writeUsageLine(response);
      // One row per response of the chain, as `llm logs --json` prints them.
      if (flags.json) process.stdout.write(jsonForResponses(responses, shouldLog ? openDb() : undefined) + '\n');
      return;
    }

    const response = conversation.prompt(text ?? '', input);
    if (maxCost !== undefined) await (await import('../pricing/max-cost.js')).checkMaxCost(response, [], maxCost);

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
      if (stream) await streamOut(response, !flags.hideReasoning, markdown ? markdownToStdout() : undefined);
      else {
        const full = await response.text();
        if (flags.json) {
          // Printed after logging, below.
        } else {
          if (!flags.hideReasoning && response.reasoning) process.stderr.write(style(response.reasoning, process.stderr, DIM) + '\n');
          let shown = full;
          if (extract || extractLast) shown = extractFencedCodeBlock(full, extractLast) ?? full;
          if (markdown) {
            await preload(shown);
            const width = (process.stdout.isTTY && process.stdout.columns) || Number(process.env.COLUMNS) || 80;
            process.stdout.write(renderWhole(shown, { width, colour: colourOn(process.stdout) }) || '\n');
          } else process.stdout.write(shown + '\n');
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
      const modelChosen = Boolean(flags.model || flags.query?.length || template?.model || loaded);
      throw explainKeyError(failure, model, { explicitKey: flags.key, modelChosen });
    }

    if (flags.usage) await writeUsageLine(response);
    if (dbError !== undefined) throw dbError;
    if (shouldLog) {
      if (response.textSoFar.length > LARGE_ANSWER) collectGarbage();
      openDb().logResponse(response);
    }
    if (flags.json) process.stdout.write(jsonForResponses([response], shouldLog ? openDb() : undefined) + '\n');
  } finally {
    db?.close();
  }
}

/**
 * The JSON `llm logs --json` prints for these responses (in order), read back from
 * logs.db, or from an in-memory database when they were not logged.
 */
function jsonForResponses(responses: Response[], logged: LogsDatabase | undefined): string {
  if (!responses.length) return '[]';
  const store = logged ?? LogsDatabase.open(':memory:');
  try {
    if (!logged) for (const response of responses) store.logResponse(response);
    const ids = new Set(responses.map((r) => r.id));
    const rows = listLogs(store, { idGte: responses[0]!.id, conversationId: responses[0]!.conversation?.id }).filter((row) => ids.has(row.id));
    // The cost field, as `llm logs --json` gives it.
    const costs = costsOf(store.db, rows.map((row) => row.id), registryPricing);
    for (const row of rows) row.cost = costs.get(row.id) ?? null;
    return renderJson(rows);
  } finally {
    if (!logged) store.close();
  }
}

/** A daily or monthly budget (budget.json): warn past 80 %, refuse at 100 % unless --force. */
async function checkBudgetBeforeSending(db: () => LogsDatabase, force: boolean): Promise<void> {
  const { budgetPath } = await import('../pricing/budget.js');
  if (!existsSync(budgetPath())) return;
  const { checkBudget } = await import('../pricing/budget.js');
  const { registryPricing } = await import('../pricing/registry-pricing.js');
  for (const warning of checkBudget(db().db, registryPricing, force)) process.stderr.write(style(warning, process.stderr, YELLOW) + '\n');
}

/** `--max-cost 0.50`: a number of USD, or a one-line error. */
function parseMaxCost(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const usd = Number(value.replace(/^\$/, ''));
  if (value.trim() === '' || !Number.isFinite(usd) || usd < 0) throw new UsageError(`Invalid value for '--max-cost': '${value}' is not a number of USD`);
  return usd;
}

/** `-u`: `Token usage: 5 input, 2 output, cost: $0.000002` on stderr. */
async function writeUsageLine(response: Response): Promise<void> {
  const usage = await response.usage();
  const cost = await costLine(response);
  process.stderr.write(style(`Token usage: ${tokenUsageString(usage)}, ${cost}`, process.stderr, YELLOW, BOLD) + '\n');
}

/** `cost: $0.000123` (or `cost: unknown`) for the -u line; a broken price list never loses the turn. */
export async function costLine(response: { cost(): Promise<import('../pricing/types.js').Cost | null> }): Promise<string> {
  const { formatCost } = await import('../pricing/cost.js');
  try {
    return `cost: ${formatCost(await response.cost())}`;
  } catch (error) {
    return `cost: unknown (${messageOf(error)})`;
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
export async function streamOut(response: Response, showReasoning: boolean, markdown?: MarkdownStream): Promise<void> {
  let index = 0;
  let inReasoning = false;
  const texts: string[] = [];
  /** Writes what arrived since the last call; false when stdout asks us to wait for 'drain'. */
  const flush = (): boolean => {
    let ready = true;
    // The text of one network read goes to the renderer in one piece.
    texts.length = 0;
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
        if (markdown) texts.push(event.text);
        else ready = process.stdout.write(event.text) && ready;
      }
    }
    if (markdown) {
      if (texts.length) markdown.write(texts.length === 1 ? texts[0]! : texts.join(''));
      markdown.flush();
    }
    return ready;
  };
  try {
    // Backpressure: when stdout (a pipe to a slower reader) is full, wait for it to
    // drain, so a long answer is not queued up in memory.
    for await (const _chunk of response) if (!flush()) await once(process.stdout, 'drain');
  } catch (error) {
    flush();
    markdown?.abandon();
    throw error;
  }
  flush();
  if (inReasoning) process.stderr.write('\n');
  if (markdown) await markdown.end();
  else process.stdout.write('\n');
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
  // Python's keys, in Python's order (the file is written unsorted).
  const data: Record<string, unknown> = {};
  if (flags.model) {
    try {
      data.model = getModel(flags.model).modelId;
    } catch (error) {
      if (UnknownModelError.is(error)) throw new UsageError(`'${flags.model}' is not a known model`);
      throw error;
    }
  }
  if (prompt) data.prompt = prompt;
  if (flags.system) data.system = flags.system;
  if (Object.keys(params).length) data.defaults = params;
  if (flags.extract) data.extract = true;
  if (flags.extractLast) data.extract_last = true;
  const schema = await schemaFromFlags(flags, dbPath);
  if (schema) data.schema_object = schema;
  if (flags.fragment?.length) data.fragments = flags.fragment;
  if (flags.systemFragment?.length) data.system_fragments = flags.systemFragment;
  if (flags.tool?.length) data.tools = flags.tool;
  // Attachments with a path (made absolute) or a URL; stdin ones cannot be saved.
  const where = (value: string) => (value === '-' ? undefined : value.includes('://') ? value : resolvePath(value));
  const attachments = (flags.attachment ?? []).map(where).filter((v): v is string => v !== undefined);
  if (attachments.length) data.attachments = attachments;
  if (flags.attachmentType?.length) {
    const { splitAttachmentType } = await import('./util.js');
    const typed = flags.attachmentType
      .map((pair) => splitAttachmentType(pair))
      .map(([value, type]) => ({ type, value: where(value) }))
      .filter((item) => item.value !== undefined);
    if (typed.length) data.attachment_types = typed;
  }
  if (Object.keys(cliOptions).length) {
    const model = getModel(flags.model);
    data.options = model.validate(cliOptions);
  }
  await saveTemplate(flags.save!, data);
}
