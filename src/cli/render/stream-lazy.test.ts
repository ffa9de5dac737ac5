// marked is loaded only when a block needs it. A process of its own (this file) starts with
// nothing loaded: a block the quick lexer leaves to marked still ends rendered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarkdownStream } from './stream.js';

async function rendered(text: string, live: boolean): Promise<string> {
  let written = '';
  const stream = new MarkdownStream({ write: (t) => ((written += t), true), columns: () => 60, rows: () => 50 }, { colour: true }, live);
  for (let i = 0; i < text.length; i += 5) {
    stream.write(text.slice(i, i + 5));
    stream.flush();
  }
  await stream.end();
  return written;
}

test('a block only marked reads (an e-mail address) is rendered, marked loaded on the way', async () => {
  const piped = await rendered('Write to **me** at pelican@example.com today.\n\nThanks.\n', false);
  assert.match(piped, /\x1b\]8;;mailto:pelican@example\.com\x1b\\/, 'the address is a link');
  assert.match(piped, /\x1b\[1mme\x1b\[0m/);
  assert.match(piped, /Thanks\./);
  const live = await rendered('A quote:\n\n> see pelican@example.com\n', true);
  assert.match(live, /mailto:pelican@example\.com/);
});
