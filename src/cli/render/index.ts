// The room for terminal rendering: Markdown answers (stream.ts), laid out by markdown.ts.
export { markdownWanted, type MarkdownFlags } from './settings.js';
export { MarkdownStream, preload, renderWhole, type Screen } from './stream.js';
import { MarkdownStream, type Screen } from './stream.js';
import { colourOn } from '../util.js';

/** A Screen over a stream: its size when it is a terminal, else COLUMNS or 80. */
export function screenOf(stream: NodeJS.WriteStream): Screen {
  // Read once: process.env is slow to read, and asked for each piece of text.
  const fallback = Number(process.env.COLUMNS) || 80;
  return {
    write: (text) => stream.write(text),
    columns: () => (stream.isTTY && stream.columns) || fallback,
    rows: () => (stream.isTTY && stream.rows) || 24,
  };
}

/** A Markdown renderer writing to stdout: live (plain text first) on a terminal. */
export function markdownToStdout(): MarkdownStream {
  return new MarkdownStream(screenOf(process.stdout), { colour: colourOn(process.stdout) }, Boolean(process.stdout.isTTY));
}
