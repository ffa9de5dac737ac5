// Rendered Markdown: a corpus of answers laid out at 60 columns, with and without colour,
// compared with snapshots (UPDATE_SNAPSHOTS=1 rewrites them); the same answers streamed in
// small pieces through a terminal emulator end on the same screen.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VirtualTerminal } from '../../../test/helpers/virtual-terminal.js';
import { MarkdownStream, preload, type Screen } from './stream.js';
import { stringWidth } from './width.js';

const CORPUS = fileURLToPath(new URL('../../../test/fixtures/markdown/', import.meta.url));
const SNAPSHOTS = join(CORPUS, 'snapshots');
const answers = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => ({ name: name.slice(0, -3), text: readFileSync(join(CORPUS, name), 'utf8') }));

function screen(terminal: { write(text: string): boolean }, columns: number, rows = 500): Screen {
  return { write: (text) => terminal.write(text), columns: () => columns, rows: () => rows };
}

/** Everything written when `text` arrives in pieces of `size` characters. */
async function streamed(text: string, options: { columns: number; colour: boolean; size: number; live?: boolean; rows?: number }) {
  let written = '';
  const terminal = new VirtualTerminal(options.columns);
  const output = { write: (t: string) => ((written += t), terminal.write(t)) };
  const stream = new MarkdownStream(screen(output, options.columns, options.rows), { colour: options.colour }, options.live ?? true);
  for (let i = 0; i < text.length; i += options.size) {
    stream.write(text.slice(i, i + options.size));
    stream.flush();
    stream.flush();
  }
  await stream.end();
  return { written, screen: terminal.text() };
}

const visible = (text: string) => text.replace(/\x1b/g, '␛');

function checkSnapshot(file: string, actual: string): void {
  const path = join(SNAPSHOTS, file);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(path)) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(path, actual);
    if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`${file}: no snapshot; one was written, check it and run again`);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs from its snapshot`);
}

test('the corpus holds 30+ answers, code in 10+ languages', () => {
  assert.ok(answers.length >= 30);
  const languages = new Set(answers.flatMap((a) => [...a.text.matchAll(/^\s*```(\w+)/gm)].map((m) => m[1])));
  assert.ok(languages.size >= 10, [...languages].join(' '));
});

for (const answer of answers) {
  test(`${answer.name}: rendered as in its snapshots; streamed in pieces, the same screen`, async () => {
    await preload(answer.text);
    const colour = await streamed(answer.text, { columns: 60, colour: true, size: answer.text.length, live: false });
    const plain = await streamed(answer.text, { columns: 60, colour: false, size: answer.text.length, live: false });
    checkSnapshot(`${answer.name}.txt`, plain.written);
    checkSnapshot(`${answer.name}.ansi.txt`, visible(colour.written));
    assert.doesNotMatch(plain.written, /\x1b/, 'no escape sequence without colour');
    for (const size of [1, 7, 64]) {
      const pieces = await streamed(answer.text, { columns: 60, colour: true, size });
      assert.equal(pieces.screen, colour.screen, `pieces of ${size}`);
    }
    // Piped (not live): the same rendered text in pieces.
    const piped = await streamed(answer.text, { columns: 60, colour: true, size: 5, live: false });
    assert.equal(piped.written, colour.written);
  });
}

test('no rendered line is wider than the terminal, except code (never wrapped, so it copies whole)', async () => {
  for (const columns of [24, 40, 80]) {
    for (const answer of answers) {
      await preload(answer.text);
      const { written } = await streamed(answer.text, { columns, colour: true, size: answer.text.length, live: false });
      let inCode = false;
      for (const line of written.split('\n')) {
        if (/^(␛|\x1b\[90m)?\s*(```|~~~)/.test(line)) inCode = !inCode;
        if (!inCode) assert.ok(stringWidth(line) <= columns, `${answer.name} at ${columns}: ${JSON.stringify(line)}`);
      }
    }
  }
});

test('the line being written shows plain; a block is rendered once complete', async () => {
  await preload('');
  const terminal = new VirtualTerminal(40);
  const stream = new MarkdownStream(screen(terminal, 40), { colour: false });
  stream.write('Some **bold');
  stream.flush();
  assert.equal(terminal.text(), 'Some **bold');
  stream.write('** text\n');
  stream.flush();
  assert.equal(terminal.text(), 'Some **bold** text', 'a paragraph is not complete before a blank line');
  stream.write('\n| a | b |\n|---|---|\n| 1 | 2 |');
  stream.flush();
  assert.equal(terminal.text(), 'Some bold text\n\n| a | b |\n|---|---|\n| 1 | 2 |');
  await stream.end();
  assert.equal(terminal.text(), 'Some bold text\n\n┌─────┬─────┐\n│ a   │ b   │\n├─────┼─────┤\n│ 1   │ 2   │\n└─────┴─────┘');
});

test('code shows line by line as it arrives, highlighted', async () => {
  await preload('```python\n```');
  let written = '';
  const terminal = new VirtualTerminal(40);
  const stream = new MarkdownStream(screen({ write: (t) => ((written += t), terminal.write(t)) }, 40), { colour: true });
  stream.write('```python\ndef f():\n    return 1\n    ret');
  stream.flush();
  assert.match(written, /\x1b\[35mdef\x1b\[0m/, 'a complete line is highlighted at once');
  assert.equal(terminal.text(), '```python\ndef f():\n    return 1\n    ret');
  stream.write('urn 2\n```\n');
  stream.flush();
  await stream.end();
  assert.equal(terminal.text(), '```python\ndef f():\n    return 1\n    return 2\n```');
});

test('a block taller than the screen is left plain (it could not be erased), and what follows renders', async () => {
  await preload('');
  const terminal = new VirtualTerminal(20);
  const stream = new MarkdownStream(screen(terminal, 20, 6), { colour: false });
  const tall = Array.from({ length: 10 }, (_, i) => `line **${i}**`).join('\n');
  for (const char of tall + '\n\n# After\n') {
    stream.write(char);
    stream.flush();
  }
  await stream.end();
  const lines = terminal.text().split('\n');
  assert.deepEqual(lines.slice(0, 10), Array.from({ length: 10 }, (_, i) => `line **${i}**`));
  assert.ok(lines.includes('# After'), terminal.text());
  assert.equal(lines.filter((l) => l.startsWith('line')).length, 10, 'nothing is written twice');
});

test('a resized terminal: blocks not yet printed take the new width', async () => {
  await preload('');
  let columns = 70;
  const terminal = new VirtualTerminal(70);
  const stream = new MarkdownStream({ write: (t) => terminal.write(t), columns: () => columns, rows: () => 50 }, { colour: false });
  const words = 'one two three four five six seven eight nine ten eleven twelve';
  stream.write(`${words}\n\n`);
  stream.flush();
  columns = 30;
  terminal.columns = 30;
  stream.write(`${words}\n\n`);
  stream.flush();
  await stream.end();
  assert.deepEqual(terminal.text().split('\n').slice(0, 5), [
    words,
    '',
    'one two three four five six',
    'seven eight nine ten eleven',
    'twelve',
  ]);
});

test('wide characters are measured as two columns, joiners and combining marks as none', () => {
  assert.equal(stringWidth('abc'), 3);
  assert.equal(stringWidth('中文'), 4);
  assert.equal(stringWidth('😀'), 2);
  assert.equal(stringWidth('e\u0301'), 1);
  assert.equal(stringWidth('\x1b[1mbold\x1b[0m'), 4);
  assert.equal(stringWidth('\x1b]8;;https://x.y\x1b\\link\x1b]8;;\x1b\\'), 4);
});
