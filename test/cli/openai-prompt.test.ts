import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeChatCompletion, writeChatStream } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';
import { runLlm } from './run.js';

const KEY = 'sk-test-secret-key-123456';

const cli = loopbackCli((req, res) => (req.json?.stream === false ? writeChatCompletion(res, 'Hello world') : writeChatStream(res, ['Hello', ' world'])), { apiKey: KEY });

const llm = cli.llm;

async function logs(): Promise<any[]> {
  const r = await runLlm(cli.user.dir, ['logs', '-n', '0', '--json']);
  return JSON.parse(r.stdout);
}

describe('llm prompt against an OpenAI-compatible loopback server', () => {
  test('streams the reply, sends the key and logs the turn with usage', async () => {
    const r = await llm(['-m', 'gpt-4o-mini', 'Say hello']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Hello world\n');
    assert.equal(r.stderr, '');
    const request = cli.server.requests[0]!;
    assert.equal(request.path, '/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.json.model, 'gpt-4o-mini');
    assert.equal(request.json.stream, true);
    const rows = await logs();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].prompt, 'Say hello');
    assert.equal(rows[0].response, 'Hello world');
    assert.equal(rows[0].input_tokens, 5);
    assert.equal(rows[0].output_tokens, 2);
  });

  test('the default model is gpt-4o-mini; -u prints usage', async () => {
    const r = await llm(['-u', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests[0]!.json.model, 'gpt-4o-mini');
    assert.equal(r.stderr, 'Token usage: 5 input, 2 output, cost: $0.000002\n');
  });

  test('--no-stream sends stream false and prints the whole text', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: 'Whole reply' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
        }),
      );
    };
    const r = await llm(['--no-stream', 'hi']);
    assert.equal(r.stdout, 'Whole reply\n');
    assert.equal(cli.server.requests[0]!.json.stream, false);
  });

  test('-o options are validated and sent; -c sends the history', async () => {
    const first = await llm(['-o', 'temperature', '0.5', 'first']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(cli.server.requests[0]!.json.temperature, 0.5);
    const second = await llm(['-c', 'second']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(cli.server.requests[1]!.json.messages, [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'Hello world' },
      { role: 'user', content: 'second' },
    ]);
    const bad = await llm(['-o', 'temperature', '9', 'x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error: Invalid value for option temperature: .*\n$/);
    assert.equal(cli.server.requests.length, 2, 'an invalid option sends nothing');
  });

  test('a key from keys.json is used, and --key overrides it; no key reaches logs or --json', async () => {
    writeFileSync(join(cli.user.dir, 'keys.json'), JSON.stringify({ openai: 'sk-stored-key-abcdef', other: 'sk-other-key-ghijkl' }));
    const r = await llm(['--json', 'hi'], { env: { OPENAI_API_KEY: undefined } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests[0]!.headers.authorization, 'Bearer sk-stored-key-abcdef');
    assert.equal(JSON.parse(r.stdout)[0].response, 'Hello world');
    const named = await llm(['--key', 'other', 'hi'], { env: { OPENAI_API_KEY: undefined } });
    assert.equal(named.code, 0, named.stderr);
    assert.equal(cli.server.requests[1]!.headers.authorization, 'Bearer sk-other-key-ghijkl');
    const db = readFileSync(join(cli.user.dir, 'logs.db'));
    for (const secret of ['sk-stored-key-abcdef', 'sk-other-key-ghijkl', KEY]) {
      assert.equal(db.includes(secret), false);
      assert.equal(r.stdout.includes(secret), false);
    }
  });

  test('an HTTP error is one line, nothing is logged, and the key is not shown', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } }));
    };
    const r = await llm(['hi']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Error: .+\n$/);
    assert.equal(r.stderr.includes(KEY), false);
    assert.deepEqual(await logs(), []);
  });

  test('a stream cut mid-way prints what arrived, logs it as incomplete and exits 1', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'Partial ' }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'answer' }, finish_reason: null }] })}\n\n`);
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const r = await llm(['hi']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'Partial answer\n');
    assert.match(r.stderr, /^Error: .+\n$/);
    const rows = await logs();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].response, 'Partial answer');
  });

  test('a reader that goes away (llm ... | head -1) does not stop the response being read and logged', async () => {
    let readerGone!: () => void;
    const gone = new Promise<void>((resolve) => (readerGone = resolve));
    cli.handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      const delta = (content: string) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      res.write(delta('First line\n'));
      await gone;
      for (let i = 0; i < 200; i++) res.write(delta(`line ${i}\n`));
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    const r = await llm(['hi'], {
      onSpawn(child) {
        child.stdout!.once('data', () => {
          child.stdout!.destroy();
          readerGone();
        });
      },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const rows = await logs();
    assert.equal(rows.length, 1);
    assert.match(rows[0].response, /^First line\nline 0\n[\s\S]*line 199\n$/);
  });

  test('Ctrl-C (SIGINT) aborts the request, keeps and logs what arrived', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'Before interrupt' }, finish_reason: null }] })}\n\n`);
      // Never finishes: the client must abort.
    };
    const r = await llm(['hi'], {
      onSpawn(child) {
        child.stdout!.once('data', () => child.kill('SIGINT'));
      },
    });
    assert.equal(r.code, 130);
    assert.equal(r.stdout, 'Before interrupt\n');
    assert.match(r.stderr, /^Error: Interrupted.*\n$/);
    const rows = await logs();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].response, 'Before interrupt');
  });
});
