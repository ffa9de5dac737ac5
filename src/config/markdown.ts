import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userFile } from './user-dir.js';

/**
 * `<user dir>/markdown.txt`: `on` or `off`, whether answers shown on a terminal are
 * rendered as Markdown when neither a flag nor LLM_MARKDOWN says. Absent means on.
 */
export function readMarkdownSetting(): boolean | undefined {
  const path = userFile('markdown.txt');
  if (!existsSync(path)) return undefined;
  const value = readFileSync(path, 'utf8').trim().toLowerCase();
  if (value === 'on') return true;
  if (value === 'off') return false;
  return undefined;
}

export function writeMarkdownSetting(on: boolean | undefined): void {
  const path = userFile('markdown.txt');
  if (on === undefined) rmSync(path, { force: true });
  else writeFileSync(path, on ? 'on\n' : 'off\n');
}
