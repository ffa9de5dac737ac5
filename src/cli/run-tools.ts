// The tool options of `llm prompt` and `llm chat`: -T, --td, --ta, --cl.
import { UsageError } from '../errors.js';
import type { ChainResponse } from '../models/chain.js';
import { pythonRepr } from '../models/schema.js';
import type { AfterCall, BeforeCall } from '../models/tool-execution.js';
import { CancelToolCall, type ToolCall, type ToolDef, type ToolResult } from '../models/tools.js';
import type { ServerSideToolClass } from '../tools/server-side/server-side-tool.js';
import { type ResolvedTool, gatherTools, prepareResolved } from '../tools/index.js';
import { BOLD, RED, YELLOW, style, type ToolFlags } from './util.js';
import type { MarkdownStream } from './render/stream.js';

const GREEN = 32;


/** Python's `repr()` of JSON-like data: `{'a': 1, 'b': [True, None]}`. */
export function pythonValueRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return pythonRepr(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonValueRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonValueRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function callLine(call: ToolCall): string {
  return `Tool call: ${call.name}(${pythonValueRepr(call.arguments)})`;
}

/** --td: each call and its result on stderr, the output pretty-printed when it is JSON. */
const debugToolCall: AfterCall = (_tool, call: ToolCall, result: ToolResult) => {
  const err = process.stderr;
  err.write(style(`\n${callLine(call)}`, err, YELLOW, BOLD) + '\n');
  let output: string;
  try {
    output = JSON.stringify(JSON.parse(result.output), null, 2);
  } catch {
    output = result.output;
  }
  const indented = output.replace(/^(?=.)/gm, '  ');
  err.write(style(indented + (result.exception ? '' : '\n'), err, GREEN, BOLD) + '\n');
  if (result.exception) {
    const shown = result.exception.name === 'KeyError' ? pythonRepr(result.exception.message) : result.exception.message;
    err.write(style(`  Exception: ${shown}`, err, RED, BOLD) + '\n');
  }
};

/** Asks a question and resolves with the answer typed (empty when there is none). */
export type Ask = (question: string) => Promise<string>;

/** --ta: shows each call and asks; anything but y/yes cancels it. */
function approver(ask: Ask): BeforeCall {
  return async (_tool, call) => {
    const err = process.stderr;
    err.write(style(callLine(call), err, YELLOW, BOLD) + '\n');
    const answer = await ask('Approve tool call? [y/N]: ');
    if (!/^y(es)?$/i.test(answer.trim())) throw new CancelToolCall('User cancelled tool call');
  };
}

/** Reads the answer from stdin, on a readline of its own (`llm prompt`). */
export async function askOnStdin(question: string): Promise<string> {
  // A prompt piped on stdin has used it up: there is no answer to read, so the call is declined.
  if (process.stdin.readableEnded || process.stdin.destroyed) {
    process.stderr.write(question + '\n');
    return '';
  }
  const { readline } = await import('../util/builtins.js');
  const rl = readline().createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
  } finally {
    rl.close();
  }
}

/** What `conversation.chain()` takes for the tools named (with -T, or the continued conversation's). */
export interface ToolChainSettings {
  /** Tools to run, and server-side tools (sent to the provider, run there). */
  tools: ToolDef[];
  chainLimit: number;
  beforeCall?: BeforeCall;
  afterCall?: AfterCall;
  /** --max-cost: the chain stops before a request that would pass it (see src/pricing). */
  maxCost?: number;
}

/** The toolboxes a run configured: closed (their servers stopped) when the run ends. */
export interface ToolRun {
  settings: ToolChainSettings | undefined;
  close(): Promise<void>;
}

/**
 * The chain settings for these tool specs and flags (undefined settings with no tools).
 * Specs are checked and toolboxes prepared (an MCP server started) before anything is sent;
 * `close()` releases them, and runs even if preparing one failed.
 */
export async function toolChainSettings(
  specs: readonly string[],
  flags: ToolFlags,
  ask: Ask,
  templateFunctions: readonly string[] = [],
  serverSide: readonly ServerSideToolClass[] = [],
): Promise<ToolRun> {
  const functions = [...templateFunctions, ...(flags.functions ?? [])];
  if (!specs.length && !functions.length) return { settings: undefined, close: async () => {} };
  const chainLimit = chainLimitFrom(flags.chainLimit);
  const resolved: ResolvedTool[] = await gatherTools(specs, functions, serverSide);
  const prepared = await prepareResolved(resolved);
  return {
    settings: {
      tools: prepared.offered,
      chainLimit,
      beforeCall: flags.toolsApprove ? approver(ask) : undefined,
      afterCall: flags.toolsDebug ? debugToolCall : undefined,
    },
    close: prepared.close,
  };
}

/** --cl: a whole number, 0 for no limit. */
function chainLimitFrom(value: string | undefined): number {
  if (value === undefined) return 5;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--chain-limit must be a whole number (0 for no limit), not '${value}'`);
  return Number(value);
}

/**
 * Streams a chain to stdout (a space between responses that would run together, one
 * newline at the end), handing each response to `onResponse` (to log it) once it is done.
 * With `markdown` (a terminal), the text of each response is rendered on its own, as a
 * plain prompt's answer is, and finished before its tool calls run (and --td shows them).
 */
export async function writeChain(
  chain: ChainResponse,
  stream: boolean,
  onResponse: (response: ChainResponse['responsesSoFar'][number]) => void,
  markdown?: () => MarkdownStream,
): Promise<void> {
  let lastChar = '';
  let rendered = false;
  for await (const response of chain.responses()) {
    const text = stream ? undefined : await response.text();
    let first = true;
    let shown: MarkdownStream | undefined;
    const pieces = stream ? response : [text ?? ''];
    try {
      for await (const chunk of pieces) {
        if (!chunk) continue;
        if (markdown) {
          shown ??= markdown();
          // Not streamed: the text is all here, rendered at once (not plain, then redrawn).
          if (!stream) await shown.load(chunk);
          shown.write(chunk);
          shown.flush();
          continue;
        }
        if (first && lastChar && !/\s/.test(lastChar) && !/\s/.test(chunk[0]!)) process.stdout.write(' ');
        first = false;
        process.stdout.write(chunk);
        lastChar = chunk[chunk.length - 1]!;
      }
    } catch (error) {
      shown?.abandon();
      throw error;
    }
    if (shown) {
      await shown.end();
      rendered = true;
    }
    onResponse(response);
  }
  if (!rendered) process.stdout.write('\n');
}
