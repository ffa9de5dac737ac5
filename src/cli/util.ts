/**
 * Small helpers shared by the command files. This module is imported eagerly by
 * main.ts and every command file, so it may import node built-ins only.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Command } from 'commander';

/** Flags that take two values in the Python tool (`-o KEY VALUE`), rewritten to one. */
const PAIR_FLAGS = new Set(['-o', '--option', '-p', '--param', '--at', '--attachment-type', '-H', '--header']);

/**
 * Rewrites click-style pairs (`-o KEY VALUE`) into the single value commander expects
 * (`-o KEY=VALUE`), stopping at `--`. `--at PATH TYPE` becomes `--at PATH=TYPE`.
 */
export function rewritePairs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (PAIR_FLAGS.has(arg) && i + 2 < args.length && args[i + 1] !== '--' && args[i + 2] !== '--') {
      out.push(arg, `${args[i + 1]}=${args[i + 2]}`);
      i += 2;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Splits `KEY=VALUE` at the first `=`. */
export function splitPair(value: string, flag: string): [string, string] {
  const index = value.indexOf('=');
  // click's words for a two-value option given one (`-o/--option` names it by its first form).
  if (index <= 0) throw new ClickUsageError(`Option '${flag.split('/')[0]}' requires 2 arguments.`);
  return [value.slice(0, index), value.slice(index + 1)];
}

const MIME_TAIL = /^[A-Za-z0-9][\w.+-]*\/[\w.+-]+(\s*;.*)?$/;

/** Splits `--at` `PATH=TYPE`: the split is at the `=` after which a MIME type follows. */
export function splitAttachmentType(value: string): [string, string] {
  for (let i = value.indexOf('='); i !== -1; i = value.indexOf('=', i + 1)) {
    const type = value.slice(i + 1);
    if (i > 0 && MIME_TAIL.test(type)) return [value.slice(0, i), type];
  }
  throw new ClickUsageError("Option '--at' requires 2 arguments.");
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A usage error raised by CLI code before the library is loaded (so it cannot be a
 * library LlmError class). main.ts prints it like any LlmError.
 */
/** The tool options `llm prompt` and `llm chat` share: -T, --td, --ta, --cl. */
export interface ToolFlags {
  tool?: string[];
  /** --functions: files or inline code defining tools. */
  functions?: string[];
  toolsDebug?: boolean;
  toolsApprove?: boolean;
  chainLimit?: string;
}

export function addToolOptions(command: Command): Command {
  return command
    .option('-T, --tool <name>', 'Name of a tool to make available to the model', collect)
    .option('--functions <code_or_path>', 'JavaScript/TypeScript file (.js, .mjs, .ts) or code block defining functions to register as tools', collect)
    .addOption(command.createOption('--td, --tools-debug', 'Show full details of tool executions').env('LLM_TOOLS_DEBUG'))
    .option('--ta, --tools-approve', 'Manually approve every tool execution')
    .option('--cl, --chain-limit <n>', 'How many chained tool responses to allow, default 5, set 0 for unlimited');
}

export class CliUsage extends Error {
  readonly cliUsage = true;
}

/**
 * What click raises as a UsageError or BadParameter: printed after the command's usage
 * line and a `Try ... -h` hint, exit code 2 (main.ts).
 */
export class ClickUsageError extends Error {
  readonly clickUsage = true;
}

export function isClickUsage(value: unknown): value is ClickUsageError {
  return typeof value === 'object' && value !== null && (value as { clickUsage?: unknown }).clickUsage === true;
}

export function isCliUsage(value: unknown): value is CliUsage {
  return typeof value === 'object' && value !== null && (value as { cliUsage?: unknown }).cliUsage === true;
}

type Stream = NodeJS.WriteStream;

/** True when colour may be written to this stream: a TTY, and NO_COLOR not set. */
export function colourOn(stream: Stream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}

export function style(text: string, stream: Stream, ...codes: number[]): string {
  if (!colourOn(stream) || codes.length === 0) return text;
  return `\x1b[${codes.join(';')}m${text}\x1b[0m`;
}

export const DIM = 2;
export const BOLD = 1;
export const YELLOW = 33;
export const RED = 31;

/** Writes text to stdout and waits until it is flushed (so exit codes follow output). */
export function out(text: string): void {
  process.stdout.write(text);
}

export function err(text: string): void {
  process.stderr.write(text);
}

/** Reads all of stdin as bytes. */
export async function readStdinBytes(): Promise<Buffer> {
  const whole = readStdinFile();
  if (whole !== undefined) return whole;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Stdin read in one call when it is a file (`llm < notes.txt`) or a device that is not a
 * terminal (/dev/null): no stream to set up, which costs a few ms at every start.
 * Undefined for pipes, sockets and terminals.
 */
function readStdinFile(): Buffer | undefined {
  try {
    const stat = fstatSync(0);
    if (stat.isFile() || (stat.isCharacterDevice() && !isatty(0))) return readFileSync(0);
  } catch {
    // No stdin at all, or one that cannot be read this way: the stream decides.
  }
  return undefined;
}

/** Reads stdin as text when it is piped (not a TTY); otherwise undefined. */
export async function readPipedStdin(): Promise<string | undefined> {
  const whole = readStdinFile();
  if (whole !== undefined) return whole.toString('utf8');
  if (process.stdin.isTTY) return undefined;
  return (await readStdinBytes()).toString('utf8');
}
