// A whole Markdown document for a person at a terminal (`llm logs`): rendered, and shown
// through a pager when it is longer than the screen.
import { childProcess } from '../../util/builtins.js';
import { colourOn } from '../util.js';
import { markdownWanted, type MarkdownFlags } from './settings.js';
import { preload, renderWhole } from './stream.js';

export interface DocumentFlags extends MarkdownFlags {
  /** --no-pager (false): never page. */
  pager?: boolean;
}

/** Writes `text` (Markdown) to stdout: rendered on a terminal, paged when longer than it. */
export async function showMarkdownDocument(text: string, flags: DocumentFlags): Promise<void> {
  const plain = text.endsWith('\n') ? text : text + '\n';
  if (!markdownWanted(flags)) {
    process.stdout.write(plain);
    return;
  }
  await preload(text);
  const columns = (process.stdout.isTTY && process.stdout.columns) || Number(process.env.COLUMNS) || 80;
  const rendered = renderWhole(text, { width: columns, colour: colourOn(process.stdout) });
  const lines = rendered.split('\n').length - 1;
  const rows = process.stdout.rows || 24;
  if (flags.pager === false || !process.stdout.isTTY || lines < rows) {
    process.stdout.write(rendered);
    return;
  }
  if (!(await page(rendered))) process.stdout.write(rendered);
}

/** Shows `text` in $PAGER (else `less -R`); false when no pager could be started. */
export function page(text: string): Promise<boolean> {
  const command = process.env.PAGER?.trim() || 'less -R';
  return new Promise((resolve) => {
    const child = childProcess().spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: { LESS: 'FRX', ...process.env } });
    let started = false;
    child.on('spawn', () => (started = true));
    child.on('error', () => resolve(false));
    child.stdin.on('error', () => {});
    child.on('close', (code) => resolve(started && code !== 127));
    child.stdin.end(text);
  });
}
