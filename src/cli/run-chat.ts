// `llm chat`: an interactive loop over one conversation. Loaded when the command runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readline } from '../util/builtins.js';
import { chatInput } from './chat-input.js';
import { runEditor } from './editor.js';
import { evaluateTemplate, loadTemplate, type Template } from '../config/templates.js';
import { AbortedError, UsageError } from '../errors.js';
import { LogsDatabase, logsDbPath, logsEnabled } from '../logs/index.js';
import type { Attachment } from '../models/attachment.js';
import type { Conversation } from '../models/conversation.js';
import type { Model } from '../models/model.js';
import type { JsonSchema } from '../models/schema.js';
import type { Response } from '../models/response.js';
import type { Fragment } from '../models/prompt.js';
import { getModel } from '../plugins/registry.js';
import type { ChatFlags } from './commands/chat.js';
import { streamOut } from './run-prompt.js';
import { explainKeyError } from './key-hints.js';
import { appendChatHistory, CHAT_HISTORY_SIZE, readChatHistory } from '../config/chat-history.js';
import { markdownToStdout, markdownWanted } from './render/index.js';
import { applyRequestFlags } from './request-limits.js';
import { mergedOptions, pairsToObject, resolveFragments } from './setup.js';

/**
 * A chat with a model made by the caller, nothing logged and no logs.db opened: `llm openai
 * endpoint --chat`. Its options are used as given; its attachments and schema go with the
 * first turn.
 */
export interface UnloggedChat {
  model: Model;
  /** Shown after "Chatting with ". */
  label: string;
  options: Record<string, unknown>;
  attachments?: Attachment[];
  schema?: JsonSchema;
}

export async function runChat(flags: ChatFlags, unlogged?: UnloggedChat): Promise<void> {
  const dbPath = flags.database ?? logsDbPath();
  const params = pairsToObject(flags.param, '-p/--param');
  const cliOptions = pairsToObject(flags.option, '-o/--option');
  const db = unlogged ? undefined : LogsDatabase.open(dbPath);
  let toolRun: Awaited<ReturnType<typeof import('./run-tools.js').toolChainSettings>> | undefined;
  try {
    let loaded: ReturnType<LogsDatabase['loadConversation']>;
    if (db && (flags.conversation || flags.continue)) {
      loaded = db.loadConversation(flags.conversation);
      if (flags.conversation && !loaded) throw new UsageError(`No conversation found with id=${flags.conversation}`);
    }
    let template: Template | undefined;
    if (flags.template) template = await loadTemplate(flags.template);
    const modelId = flags.model || template?.model || loaded?.model || undefined;
    const model = unlogged?.model ?? getModel(modelId);
    const conversation: Conversation = loaded
      ? model.conversation({ id: loaded.id, name: loaded.name ?? undefined, messages: loaded.messages })
      : model.conversation();
    const options = unlogged?.options ?? mergedOptions(model.modelId, template?.options, cliOptions);
    const timeout = applyRequestFlags(flags);
    // Options and tools are checked now, before the first prompt.
    model.validate(options);
    // A continued conversation keeps its plugin tools unless -T names others.
    // A template's tools come first, as Python's _merge_template_tools puts them (`llm openai
    // endpoint --chat` has merged them already).
    const givenTools = unlogged ? [...(flags.tool ?? [])] : [...(template?.tools ?? []), ...(flags.tool ?? [])];
    const serverSide = model.supportedServerSideTools;
    const toolNames = givenTools.length ? givenTools : loaded && db ? db.conversationTools(loaded.id, serverSide.map((cls) => cls.className)) : [];
    const templateFunctions = template?.functions && template.functionsTrusted ? [template.functions] : [];
    const tools = toolNames.length || flags.functions?.length || templateFunctions.length ? await import('./run-tools.js') : undefined;
    // --ta's answer is the next line the chat reads.
    toolRun = await tools?.toolChainSettings(toolNames, flags, (question) => nextAnswer(question), templateFunctions, serverSide);
    const settings = toolRun?.settings;
    let fragments = await resolveFragments([...(template?.fragments ?? []), ...(flags.fragment ?? [])], dbPath);
    const systemFragments = await resolveFragments(
      [...(template?.system_fragments ?? []), ...(flags.systemFragment ?? [])],
      dbPath,
    );
    let system: string | undefined = flags.system;
    let firstTurn = true;

    const out = process.stdout;
    const markdown = markdownWanted(flags);
    const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    // On a terminal, up-arrow recalls earlier prompts, this session's and earlier ones'.
    const history = terminal ? readChatHistory() : [];
    // On a terminal, a pasted block of lines is one prompt (bracketed paste).
    const keys = terminal ? chatInput() : undefined;
    const rl = readline().createInterface({
      input: (keys as unknown as NodeJS.ReadableStream | undefined) ?? process.stdin,
      output: process.stdout,
      terminal,
      history,
      historySize: CHAT_HISTORY_SIZE,
    });
    keys?.attach(rl);
    let current: AbortController | undefined;
    let inMulti = false;
    // Set by Ctrl-C only. The end of stdin closes readline too, but lines it has already
    // read stay queued in the iterator and are still answered, one turn each.
    let interrupted = false;
    // Node 24 throws on prompt(), pause() and resume() once readline has closed, which the
    // end of piped stdin does while lines it read are still queued; Node 20 and 22 did not.
    let closed = false;
    rl.once('close', () => (closed = true));
    rl.on('SIGINT', () => {
      // A terminal in raw mode: Ctrl-C cuts the current reply short (the chat goes on), clears
      // what was typed or pasted at the prompt, or at an empty prompt leaves the chat.
      if (current) current.abort();
      else if (rl.line || keys?.holding) {
        keys?.drop();
        rl.write(null, { ctrl: true, name: 'e' });
        out.write('^C\n');
        rl.setPrompt(inMulti ? '' : '> ');
        rl.write(null, { ctrl: true, name: 'u' });
      } else {
        out.write('\n');
        interrupted = true;
        rl.close();
      }
    });
    // Not a terminal (`llm chat < file`, `... | llm chat`): Ctrl-C reaches the process as a
    // signal. It cuts the current reply short (kept, logged as incomplete) and ends the chat
    // with exit code 130; a second Ctrl-C exits at once.
    const onSignal = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      process.exitCode = 130;
      if (current) current.abort();
      rl.close();
    };
    if (!terminal) process.on('SIGINT', onSignal);
    // The banner comes after the handlers, so a Ctrl-C from then on is handled.
    out.write(`Chatting with ${unlogged?.label ?? model.modelId}\n`);
    out.write("Type 'exit' or 'quit' to exit\n");
    out.write("Type '!multi' to enter multiple lines, then '!end' to finish\n");
    out.write("Type '!edit' to open your default editor and modify the prompt\n");
    out.write("Type '!fragment <my_fragment> [<another_fragment> ...]' to insert one or more fragments\n");

    const lines = rl[Symbol.asyncIterator]();
    const nextAnswer = async (question: string): Promise<string> => {
      process.stderr.write(question);
      const next = await lines.next();
      return next.done ? '' : next.value;
    };
    let endToken = '!end';
    let accumulated: string[] = [];
    // What `!fragment` lines inside `!multi` resolved to, sent with the block.
    let accumulatedFragments: Fragment[] = [];
    let accumulatedAttachments: Attachment[] = [];
    try {
      for (;;) {
        rl.setPrompt(inMulti ? '' : '> ');
        if (closed) out.write(rl.getPrompt());
        else rl.prompt();
        const next = await lines.next();
        if (interrupted) break;
        if (next.done) {
          // Ctrl-D, or the end of piped input: the shell's prompt starts on a line of its own.
          out.write('\n');
          break;
        }
        let line: string = keys ? keys.complete(next.value) : next.value;
        const trimmed = line.trim();
        if (terminal && !inMulti) {
          try {
            appendChatHistory(line);
          } catch {
            // A history that cannot be written does not stop the chat.
          }
        }
        if (!inMulti && trimmed.startsWith('!multi')) {
          inMulti = true;
          const bits = trimmed.split(/\s+/).slice(1);
          endToken = bits.length ? `!end ${bits.join(' ')}` : '!end';
          accumulated = [];
          accumulatedFragments = [];
          accumulatedAttachments = [];
          continue;
        }
        // `!fragment a b` resolves its fragments and leaves no text: on its own it is sent at
        // once as a prompt of those fragments; inside `!multi` they join the block (Python's
        // process_fragments_in_chat).
        let lineFragments: Fragment[] = [];
        const lineAttachments: Attachment[] = [];
        const isFragmentLine = trimmed.startsWith('!fragment ');
        if (isFragmentLine) {
          const names = trimmed.slice('!fragment '.length).split(/\s+/).filter(Boolean);
          try {
            lineFragments = await resolveFragments(names, dbPath, lineAttachments);
          } catch (error) {
            process.stderr.write(`Error: ${(error as Error).message}\n`);
            continue;
          }
          line = '';
        }
        let turnAttachments: Attachment[] = lineAttachments;
        if (inMulti) {
          if (trimmed === endToken) {
            line = accumulated.join('\n');
            lineFragments = accumulatedFragments;
            turnAttachments = accumulatedAttachments;
            inMulti = false;
            accumulated = [];
            accumulatedFragments = [];
            accumulatedAttachments = [];
          } else {
            if (!isFragmentLine) accumulated.push(line);
            accumulatedFragments.push(...lineFragments);
            accumulatedAttachments.push(...lineAttachments);
            continue;
          }
        } else if (isFragmentLine) {
          // Sent now, below.
        } else if (trimmed === '!edit') {
          if (!closed) rl.pause();
          const edited = editText('');
          if (!closed) rl.resume();
          keys?.pasteOn();
          if (edited === undefined || !edited.trim()) continue;
          line = edited.replace(/\n$/, '');
          out.write(`${line}\n`);
        } else if (trimmed === 'exit' || trimmed === 'quit') {
          break;
        }
        let text: string | undefined = line;
        let turnSystem = firstTurn ? system : undefined;
        if (template) {
          const evaluated = evaluateTemplate(template, line, params);
          text = evaluated.prompt;
          if (firstTurn && flags.system === undefined) turnSystem = evaluated.system;
        }
        const turnFragments = [...fragments, ...lineFragments];
        fragments = [];
        current = new AbortController();
        const input = {
          timeout,
          system: turnSystem,
          fragments: turnFragments,
          systemFragments: firstTurn ? systemFragments : [],
          attachments: [...((firstTurn && unlogged?.attachments) || []), ...turnAttachments],
          schema: unlogged?.schema,
          options,
          key: flags.key,
          stream: flags.stream !== false,
          signal: current.signal,
          hideReasoning: flags.hideReasoning,
        };
        // With tools, each turn is a chain: the model's calls run and their results go back
        // until it answers. Every response of it is logged.
        const chain = settings ? conversation.chain(text ?? '', { ...input, ...settings }) : undefined;
        const response = chain ? undefined : conversation.prompt(text ?? '', input);
        firstTurn = false;
        system = undefined;
        const logged = new Set<Response>();
        const log = (done: Response) => {
          logged.add(done);
          if (db && logsEnabled()) db.logResponse(done);
        };
        try {
          if (chain) await tools!.writeChain(chain, input.stream, log, markdown ? markdownToStdout : undefined);
          else {
            await streamOut(response!, !flags.hideReasoning, markdown ? markdownToStdout() : undefined);
            log(response!);
          }
        } catch (error) {
          const made = chain ? chain.responsesSoFar : [response!];
          const arrived = made.some((r) => r.textSoFar.length > 0);
          if (arrived) out.write('\n');
          const last = made[made.length - 1];
          if (db && last && !logged.has(last) && last.textSoFar.length > 0 && logsEnabled()) {
            db.logResponse(last, { incomplete: true, error: (error as Error).message });
          }
          if (AbortedError.is(error)) {
            // What arrived stays in the conversation, as it is in the logs: the next prompt
            // goes with it (as a chat in a browser keeps a reply that was stopped).
            if (last && last.textSoFar.length > 0 && !conversation.responses.includes(last)) conversation.responses.push(last);
            const kept = arrived ? ' and what arrived was kept' : '';
            process.stderr.write(`Error: Interrupted: the response was cut short${kept}\n`);
          } else {
            const told = explainKeyError(error, model, { explicitKey: flags.key, modelChosen: Boolean(modelId) });
            process.stderr.write(`Error: ${(told as Error).message.split('\n')[0]}\n`);
          }
        } finally {
          current = undefined;
        }
        if (interrupted) break;
      }
    } finally {
      process.off('SIGINT', onSignal);
      rl.close();
      keys?.close();
    }
  } finally {
    await toolRun?.close();
    db?.close();
  }
}

/** Opens the user's editor on a temporary file; returns what was saved. */
function editText(initial: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'llm-chat-'));
  const file = join(dir, 'prompt.txt');
  try {
    writeFileSync(file, initial);
    const failure = runEditor(file);
    if (failure !== undefined) {
      process.stderr.write(`Error: ${failure}\n`);
      return undefined;
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
