// Whether an answer is rendered as Markdown: a flag, else LLM_MARKDOWN, else the setting
// in the user directory, else on; and only ever on a terminal unless --md asks for it.
import { readMarkdownSetting } from '../../config/markdown.js';

export interface MarkdownFlags {
  /** --md (true) or --no-md (false). */
  md?: boolean;
  /** --raw: the same as --no-md. */
  raw?: boolean;
}

const OFF = new Set(['0', 'false', 'no', 'off']);
const ON = new Set(['1', 'true', 'yes', 'on']);

export function markdownWanted(flags: MarkdownFlags, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flags.raw || flags.md === false) return false;
  if (flags.md === true) return true;
  if (!stream.isTTY || process.env.TERM === 'dumb') return false;
  const env = process.env.LLM_MARKDOWN?.trim().toLowerCase();
  if (env && OFF.has(env)) return false;
  if (env && ON.has(env)) return true;
  return readMarkdownSetting() ?? true;
}
