// Markdown answers in a real terminal (tmux), and the same answers piped: byte for byte
// what the model sent, whatever the Markdown settings say.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeChatCompletion, writeChatStream } from '../helpers/openai-replies.js';
import { hasTmux, startTerminal } from '../helpers/tmux.js';
import { loopbackCli } from './loopback.js';
import { BIN } from './run.js';

const ANSWER = [
  '# Pelicans',
  '',
  'Pelicans are **large** water birds with a `pouch`.',
  '',
  '| Species | Wingspan |',
  '|---|---:|',
  '| Brown | 2.3 m |',
  '| 中文名 | 3 m |',
  '',
  '- first',
  '  - nested',
  '',
  '```python',
  'def fly(bird):',
  '    return bird.wings',
  '```',
].join('\n');

/** The answer in pieces of 4 characters, as a model streams it. */
const PIECES = ANSWER.match(/[\s\S]{1,4}/g)!;

let release: (() => void) | undefined;
let secondHalf: string[] = [];

const cli = loopbackCli(async (req, res) => {
  const json = req.json as { messages: { content: string }[]; stream?: boolean };
  if (!json.stream) return writeChatCompletion(res, ANSWER);
  if (json.messages.at(-1)!.content === 'wait') {
    // Half now, the rest once the test says (after resizing the terminal).
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (text: string) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
    res.write(chunk('First paragraph.\n\n'));
    await new Promise<void>((resolve) => (release = resolve));
    for (const text of secondHalf) res.write(chunk(text));
    res.end('data: [DONE]\n\n');
    return;
  }
  writeChatStream(res, PIECES);
});

describe('piped output is the answer as sent, whatever the Markdown settings', () => {
  for (const [label, extra] of [
    ['default', {}],
    ['LLM_MARKDOWN=1', { LLM_MARKDOWN: '1' }],
    ['colour allowed', { NO_COLOR: undefined, FORCE_COLOR: '1' }],
  ] as const) {
    test(`llm, llm --no-stream, llm chat, llm logs: ${label}`, async () => {
      writeFileSync(join(cli.user.dir, 'markdown.txt'), 'on\n');
      const options = { env: extra };
      const streamed = await cli.llm(['-m', 'gpt-4o-mini', 'hi'], options);
      assert.equal(streamed.stdout, ANSWER + '\n');
      const whole = await cli.llm(['-m', 'gpt-4o-mini', '--no-stream', 'hi'], options);
      assert.equal(whole.stdout, ANSWER + '\n', whole.stderr);
      const chat = await cli.llm(['chat', '-m', 'gpt-4o-mini'], { ...options, input: 'hi\n' });
      assert.ok(chat.stdout.includes('> ' + ANSWER + '\n'), chat.stdout);
      const response = await cli.llm(['logs', '-n', '1', '-r'], options);
      assert.equal(response.stdout, ANSWER + '\n');
      const logs = await cli.llm(['logs', '-n', '1'], options);
      assert.ok(logs.stdout.includes('\n## Response\n\n' + ANSWER + '\n'), logs.stdout);
      assert.match(logs.stdout, /^# \d{4}-/);
    });
  }

  test('--md renders even when piped (for a pager); -x still extracts the code, raw', async () => {
    const rendered = await cli.llm(['-m', 'gpt-4o-mini', '--md', 'hi']);
    assert.match(rendered.stdout, /^# Pelicans\n\nPelicans are large water birds with a `pouch`\./, 'NO_COLOR: the layout, with markers');
    assert.match(rendered.stdout, /│ 中文名  │      3 m │/);
    const extracted = await cli.llm(['-m', 'gpt-4o-mini', '--md', '-x', 'hi']);
    const plainExtracted = await cli.llm(['-m', 'gpt-4o-mini', '-x', 'hi']);
    assert.equal(extracted.stdout, plainExtracted.stdout);
    assert.match(extracted.stdout, /^def fly\(bird\):\n    return bird.wings\n/);
    const json = await cli.llm(['-m', 'gpt-4o-mini', '--md', '--json', 'hi']);
    assert.equal(JSON.parse(json.stdout)[0].response, ANSWER);
  });
});

describe('Markdown in a real terminal (tmux)', { skip: !hasTmux && 'tmux is not installed' }, () => {
  const command = (args: string, extra = '') =>
    `env -u NO_COLOR TERM=xterm-256color LLM_USER_PATH='${cli.user.dir}' OPENAI_BASE_URL='${cli.server.url}' OPENAI_API_KEY=sk-test ${extra} '${process.execPath}' '${BIN}' ${args}; echo "[exit $?]"; sleep 30`;

  test('llm renders the streamed answer: heading, table, nested list, code', async () => {
    const terminal = startTerminal('llm-md-test', command("-m gpt-4o-mini 'hi'"));
    try {
      const screen = await terminal.waitFor(/\[exit 0\]/);
      const lines = screen.split('\n');
      assert.equal(lines[0], 'Pelicans', screen);
      assert.ok(lines.includes('Pelicans are large water birds with a pouch.'), screen);
      assert.ok(lines.includes('│ 中文名  │      3 m │'), screen);
      assert.ok(lines.includes('• first'), screen);
      assert.ok(lines.includes('  ◦ nested'), screen);
      assert.ok(lines.includes('```python') && lines.includes('def fly(bird):'), screen);
      assert.doesNotMatch(screen, /\*\*|\|---/);
    } finally {
      terminal.kill();
    }
  });

  test('--no-md, --raw and LLM_MARKDOWN=0 show the answer as it is', async () => {
    for (const [args, extra] of [["-m gpt-4o-mini --no-md 'hi'", ''], ["-m gpt-4o-mini --raw 'hi'", ''], ["-m gpt-4o-mini 'hi'", 'LLM_MARKDOWN=0']]) {
      const terminal = startTerminal('llm-md-raw', command(args!, extra));
      try {
        const screen = await terminal.waitFor(/\[exit 0\]/);
        assert.ok(screen.startsWith(ANSWER + '\n'), screen);
      } finally {
        terminal.kill();
      }
    }
  });

  test('the markdown.txt setting (off) is obeyed; a flag wins over it', async () => {
    writeFileSync(join(cli.user.dir, 'markdown.txt'), 'off\n');
    let terminal = startTerminal('llm-md-off', command("-m gpt-4o-mini 'hi'"));
    try {
      assert.ok((await terminal.waitFor(/\[exit 0\]/)).startsWith('# Pelicans\n'));
    } finally {
      terminal.kill();
    }
    terminal = startTerminal('llm-md-on', command("-m gpt-4o-mini --md 'hi'"));
    try {
      assert.ok((await terminal.waitFor(/\[exit 0\]/)).startsWith('Pelicans\n'));
    } finally {
      terminal.kill();
    }
  });

  test('llm logs: rendered; through $PAGER when longer than the screen; --no-pager writes it', async () => {
    await cli.llm(['-m', 'gpt-4o-mini', 'hi']);
    let terminal = startTerminal('llm-md-logs', command('logs -n 1'));
    try {
      const screen = await terminal.waitFor(/\[exit 0\]/);
      assert.match(screen, /^\d{4}-\d\d-\d\dT/, 'the heading, rendered');
      assert.ok(screen.includes('\nResponse\n') && screen.includes('│ 中文名  │      3 m │'), screen);
    } finally {
      terminal.kill();
    }
    const paged = join(cli.user.dir, 'paged.txt');
    const pager = `PAGER='cat > ${paged}'`;
    terminal = startTerminal('llm-md-pager', command('logs -n 1', pager).replace(/^/, 'sleep 1; '));
    try {
      terminal.resize(80, 12);
      await terminal.waitFor(/\[exit 0\]/);
      const text = readFileSync(paged, 'utf8').replace(/\x1b\[[\d;]*m/g, '');
      assert.match(text, /│ 中文名  │      3 m │/);
      assert.doesNotMatch(text, /## Response/);
    } finally {
      terminal.kill();
    }
    rmSync(paged);
    terminal = startTerminal('llm-md-nopager', command('logs -n 1 --no-pager', pager).replace(/^/, 'sleep 1; '));
    try {
      terminal.resize(80, 12);
      await terminal.waitFor(/\[exit 0\]/);
      assert.equal(existsSync(paged), false, 'no pager with --no-pager');
    } finally {
      terminal.kill();
    }
  });

  test('after a resize, blocks not yet printed wrap to the new width', async () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    secondHalf = [words.slice(0, 50), words.slice(50), '\n\nEnd.'];
    const terminal = startTerminal('llm-md-resize', command("-m gpt-4o-mini 'wait'"));
    try {
      await terminal.waitFor(/First paragraph\./);
      terminal.resize(40, 50);
      await new Promise((resolve) => setTimeout(resolve, 300));
      release!();
      const screen = await terminal.waitFor(/\[exit 0\]/);
      const lines = screen.split('\n');
      const body = lines.slice(lines.indexOf('First paragraph.') + 2, lines.indexOf('End.') - 1);
      assert.ok(body.length >= 5, screen);
      for (const line of body) assert.ok(line.length <= 40, JSON.stringify(line));
      assert.equal(body.join(' '), words);
    } finally {
      terminal.kill();
    }
  });
});
