import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { startFakeServer, type FakeServer, type Handler } from '../../src/testing/provider-server.js';
import { writeChatStream } from '../helpers/openai-replies.js';
import { hasTmux, startTerminal } from '../helpers/tmux.js';
import { BIN, makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => {
  user = makeUserDir();
});
afterEach(() => user.cleanup());

const BANNER = [
  'Chatting with echo',
  "Type 'exit' or 'quit' to exit",
  "Type '!multi' to enter multiple lines, then '!end' to finish",
  "Type '!edit' to open your default editor and modify the prompt",
  "Type '!fragment <my_fragment> [<another_fragment> ...]' to insert one or more fragments",
].join('\n');

/** The echo replies in chat output: each JSON object after a `> ` prompt. */
function replies(stdout: string): any[] {
  return stdout
    .split(/^> /m)
    .slice(1)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.startsWith('{'))
    .map((chunk) => JSON.parse(chunk));
}

describe('llm chat with piped stdin', () => {
  test('banner, turns with history, !multi, system and options; logged', async () => {
    const r = await runLlm(user.dir, ['chat', '-m', 'echo', '-s', 'be nice', '-o', 'example_int', '2'], {
      input: 'Hi\n!multi\nline a\nline b\n!end\nquit\n',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(BANNER + '\n> '));
    const [first, second] = replies(r.stdout);
    assert.equal(first.prompt, 'Hi');
    assert.equal(first.system, 'be nice');
    assert.deepEqual(first.options, { example_int: 2 });
    assert.equal(second.prompt, 'line a\nline b');
    assert.equal(second.system, '', 'the system prompt is sent with the first turn only');
    assert.deepEqual(second.previous, [{ prompt: 'Hi' }], 'as llm-echo: earlier prompts, no system prompt');
    const logs = JSON.parse((await runLlm(user.dir, ['logs', '-n', '0', '--json'])).stdout);
    assert.deepEqual(
      logs.map((row: { prompt: string }) => row.prompt),
      ['Hi', 'line a\nline b'],
    );
    assert.equal(logs[0].conversation_id, logs[1].conversation_id);
  });

  test('!multi with a custom end token; exit ends the chat', async () => {
    const r = await runLlm(user.dir, ['chat', '-m', 'echo'], { input: '!multi abc\n!end\nstill\n!end abc\nexit\nnever\n' });
    assert.equal(r.code, 0, r.stderr);
    const all = replies(r.stdout);
    assert.equal(all.length, 1);
    assert.equal(all[0].prompt, '!end\nstill');
  });

  test('respects logs off', async () => {
    await runLlm(user.dir, ['logs', 'off']);
    const r = await runLlm(user.dir, ['chat', '-m', 'echo'], { input: 'Hi\n' });
    assert.equal(r.code, 0, r.stderr);
    await runLlm(user.dir, ['logs', 'on']);
    assert.deepEqual(JSON.parse((await runLlm(user.dir, ['logs', '--json'])).stdout), []);
  });

  test('-c continues the last conversation; templates apply to every turn', async () => {
    await runLlm(user.dir, ['-m', 'echo', 'earlier']);
    const templates = join(user.dir, 'templates');
    execFileSync('mkdir', ['-p', templates]);
    writeFileSync(join(templates, 'wrap.yaml'), 'prompt: "Q: $input"\nsystem: tsys\n');
    const r = await runLlm(user.dir, ['chat', '-c', '-t', 'wrap'], { input: 'one\ntwo\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith('Chatting with echo\n'));
    const [first, second] = replies(r.stdout);
    assert.equal(first.prompt, 'Q: one');
    assert.equal(first.system, 'tsys');
    assert.equal(first.previous[0].prompt, 'earlier');
    assert.equal(second.prompt, 'Q: two');
  });

  test('errors: unknown model, bad option', async () => {
    const model = await runLlm(user.dir, ['chat', '-m', 'nope'], { input: '' });
    assert.equal(model.code, 1);
    assert.equal(model.stderr, 'Error: Unknown model: nope\n');
    const option = await runLlm(user.dir, ['chat', '-m', 'echo', '-o', 'example_int', 'x'], { input: '' });
    assert.equal(option.code, 1);
    assert.equal(option.stderr, 'Error: Invalid value for option example_int: expected an integer, got "x"\n');
  });
});

describe('llm chat with piped stdin and a network model', () => {
  let server: FakeServer;
  let handler: Handler;
  before(async () => {
    server = await startFakeServer((req, res) => handler(req, res));
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    handler = (req, res) => writeChatStream(res, ['Re: ', String(req.json.messages.at(-1).content)]);
  });
  const chat = (input: string, options: Parameters<typeof runLlm>[2] = {}) =>
    runLlm(user.dir, ['chat', '-m', 'gpt-4o-mini'], {
      input,
      ...options,
      env: { OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: 'sk-x' },
    });
  const logs = async (): Promise<any[]> => JSON.parse((await runLlm(user.dir, ['logs', '-n', '0', '--json'])).stdout);

  test('every piped line is a turn of one conversation, then exit 0 at end of input', async () => {
    const r = await chat('alpha\nbeta\ngamma\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    // Only the banner and the answers, as Python's chat prints them: no usage or cost line by default.
    assert.equal(r.stdout, `${BANNER.replace('Chatting with echo', 'Chatting with gpt-4o-mini')}\n> Re: alpha\n> Re: beta\n> Re: gamma\n> \n`);
    assert.deepEqual(
      server.requests.map((request) => request.json.messages.map((m: { content: string }) => m.content)),
      [
        ['alpha'],
        ['alpha', 'Re: alpha', 'beta'],
        ['alpha', 'Re: alpha', 'beta', 'Re: beta', 'gamma'],
      ],
    );
    const rows = await logs();
    assert.deepEqual(rows.map((row) => [row.prompt, row.response]), [
      ['alpha', 'Re: alpha'],
      ['beta', 'Re: beta'],
      ['gamma', 'Re: gamma'],
    ]);
    assert.equal(new Set(rows.map((row) => row.conversation_id)).size, 1);
  });

  test('Ctrl-C (SIGINT) during a reply keeps and logs what arrived, one error line, exit 130', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      const delta = { index: 0, delta: { content: 'Before interrupt' }, finish_reason: null };
      res.write(`data: ${JSON.stringify({ ...base, choices: [delta] })}\n\n`);
      // Never finishes: the client must abort.
    };
    const r = await chat('first\nsecond\n', {
      onSpawn(child) {
        let seen = '';
        const onData = (data: Buffer) => {
          seen += data.toString('utf8');
          if (!seen.includes('Before interrupt')) return;
          child.stdout!.off('data', onData);
          child.kill('SIGINT');
        };
        child.stdout!.on('data', onData);
      },
    });
    assert.equal(r.signal, null, 'the process handles SIGINT instead of being killed by it');
    assert.equal(r.code, 130);
    assert.ok(r.stdout.endsWith('fragments\n> Before interrupt\n'), r.stdout);
    assert.equal(r.stderr, 'Error: Interrupted: the response was cut short and what arrived was kept\n');
    assert.equal(server.requests.length, 1, 'the chat ends: the buffered second line is not sent');
    const rows = await logs();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].prompt, 'first');
    assert.equal(rows[0].response, 'Before interrupt');
    assert.ok(rows[0].response_json?.llm_ts_incomplete, 'logged as incomplete');
  });
});

describe('llm chat in a real terminal (tmux)', { skip: !hasTmux && 'tmux is not installed' }, () => {
  test('prompts with "> ", answers, supports !edit and quits', async () => {
    const editor = join(user.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "from the editor" > "$1"\n', { mode: 0o755 });
    const terminal = startTerminal(
      'llm-chat-test',
      `env LLM_USER_PATH='${user.dir}' NO_COLOR=1 EDITOR='${editor}' '${process.execPath}' '${BIN}' chat -m echo`,
    );
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('hello terminal', 'Enter');
      await terminal.waitFor(/"prompt": "hello terminal"[\s\S]*\n> ?$/m);
      terminal.type('!edit', 'Enter');
      await terminal.waitFor(/"prompt": "from the editor"[\s\S]*\n> ?$/m);
      terminal.type('quit', 'Enter');
      assert.ok(await terminal.exited(), 'chat exited after quit');
      const logs = JSON.parse((await runLlm(user.dir, ['logs', '-n', '0', '--json'])).stdout);
      assert.deepEqual(
        logs.map((row: { prompt: string }) => row.prompt),
        ['hello terminal', 'from the editor'],
      );
    } finally {
      terminal.kill();
    }
  });
});
