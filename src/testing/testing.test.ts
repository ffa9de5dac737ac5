import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sseEvents, ndjsonLines } from '../streaming/sse.js';
import {
  errorReply,
  jsonReply,
  loadCassette,
  MockEmbeddingModel,
  MockModel,
  ndjsonReply,
  replayReply,
  sseEvent,
  sseReply,
  startFakeServer,
  startProviderServer,
} from './index.js';

describe('MockModel', () => {
  it('answers with queued replies and records what it was sent', async () => {
    const model = new MockModel();
    model.enqueue(['Hello', ' world']).enqueue('second reply here');
    const first = model.prompt('say hi', { system: 'be brief', max_tokens: '5' });
    const chunks: string[] = [];
    for await (const chunk of first) chunks.push(chunk);
    assert.deepEqual(chunks, ['Hello', ' world']);
    assert.deepEqual(await first.usage(), { input: 4, output: 2, details: null });
    const conversation = model.conversation();
    await conversation.prompt('one').text();
    assert.equal(model.history.length, 2);
    assert.equal(model.history[0]!.prompt, 'say hi');
    assert.equal(model.history[0]!.system, 'be brief');
    assert.deepEqual(model.history[0]!.options, { max_tokens: 5 });
    assert.deepEqual(
      model.history[0]!.messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(model.pending, 0);
  });

  it('passes scripted events through and keeps their usage', async () => {
    const model = new MockModel({ modelId: 'scripted' });
    model.enqueue([{ type: 'reasoning', text: 'hmm' }, 'ok', { type: 'usage', input: 10, output: 20 }]);
    const response = model.prompt('x');
    assert.equal(await response.text(), 'ok');
    assert.equal(response.reasoning, 'hmm');
    assert.deepEqual(await response.usage(), { input: 10, output: 20, details: null });
  });

  it('fails clearly with nothing queued, and validates options like a real model', async () => {
    const model = new MockModel();
    await assert.rejects(model.prompt('x').text(), /^LlmError: MockModel mock has no reply queued: call enqueue\(\[\.\.\.\]\) before prompting$/);
    assert.throws(() => model.prompt('x', { nope: 1 }), /Unknown option nope for model mock; valid options: max_tokens, temperature/);
  });
});

describe('MockEmbeddingModel', () => {
  it('embeds deterministically and records batches', async () => {
    const model = new MockEmbeddingModel({ dimensions: 4, batchSize: 2 });
    assert.deepEqual(await model.embed('one three'), [3, 5, 0, 0]);
    const vectors = await model.embedMulti(['a', 'bb', 'ccc']);
    assert.deepEqual(vectors, [[1, 0, 0, 0], [2, 0, 0, 0], [3, 0, 0, 0]]);
    assert.deepEqual(model.batches, [['one three'], ['a', 'bb'], ['ccc']]);
  });
});

describe('startProviderServer', () => {
  it('serves scripted SSE, NDJSON, JSON and error replies in order and records requests', async () => {
    await using server = await startProviderServer([
      sseReply([{ delta: 'a' }, sseEvent('stop', { reason: 'done' })], { done: true }),
      ndjsonReply([{ n: 1 }, { n: 2 }]),
      jsonReply({ ok: true }),
      errorReply(429, 'slow down', { 'retry-after': '1' }),
    ]);
    const sse = await fetch(`${server.url}/v1/chat`, { method: 'POST', body: JSON.stringify({ q: 1 }) });
    assert.equal(sse.headers.get('content-type'), 'text/event-stream');
    const events = [];
    for await (const event of sseEvents(sse.body!)) events.push(event);
    assert.deepEqual(
      events.map((e) => [e.event, e.data]),
      [
        ['message', '{"delta":"a"}'],
        ['stop', '{"reason":"done"}'],
        ['message', '[DONE]'],
      ],
    );
    const nd = await fetch(`${server.url}/api/chat`);
    const lines = [];
    for await (const line of ndjsonLines(nd.body!)) lines.push(line);
    assert.deepEqual(lines, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(await (await fetch(server.url)).json(), { ok: true });
    const limited = await fetch(server.url);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    const none = await fetch(server.url);
    assert.equal(none.status, 500);
    assert.equal(server.requests.length, 5);
    assert.equal(server.requests[0]!.path, '/v1/chat');
    assert.deepEqual(server.requests[0]!.json, { q: 1 });
  });

  it('replays a recorded stream and reads VCR cassettes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-ts-cassette-'));
    try {
      const cassette = join(dir, 'c.yaml');
      writeFileSync(
        cassette,
        [
          'interactions:',
          '- request:',
          "    body: '{}'",
          '    method: POST',
          '    uri: https://api.example.com/v1/chat/completions',
          '  response:',
          '    body:',
          "      string: 'data: {\"x\":1}",
          '',
          '',
          "        data: [DONE]",
          '',
          '',
          "        '",
          '    headers:',
          '      Content-Type:',
          '      - text/event-stream',
          '    status:',
          '      code: 200',
          '      message: OK',
          'version: 1',
        ].join('\n'),
      );
      const replies = await loadCassette(cassette);
      assert.equal(replies.length, 1);
      await using server = await startProviderServer([...replies, replayReply('{"a":1}')]);
      const text = await (await fetch(server.url)).text();
      assert.equal(text, 'data: {"x":1}\n\ndata: [DONE]\n\n');
      const json = await fetch(server.url);
      assert.equal(json.headers.get('content-type'), 'application/json');
      assert.equal(await json.text(), '{"a":1}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can cut a stream mid-way', async () => {
    await using server = await startProviderServer(() => ({ ...sseReply(['a', 'b', 'c']), cutAfter: 1 }));
    const response = await fetch(server.url);
    await assert.rejects(response.text());
  });
});

describe('startFakeServer', () => {
  it('records each request and lets the handler write the answer; a handler that throws gives a 500 with its error', async () => {
    await using server = await startFakeServer((request, res) => {
      if (request.path === '/boom') throw new Error('no such thing');
      res.writeHead(201, { 'x-seen': String(request.json?.n) });
      res.end('made');
    });
    const made = await fetch(`${server.url}/make?x=1`, { method: 'POST', body: '{"n": 7}' });
    assert.equal(made.status, 201);
    assert.equal(made.headers.get('x-seen'), '7');
    assert.equal(await made.text(), 'made');
    const boom = await fetch(`${server.url}/boom`);
    assert.equal(boom.status, 500);
    assert.equal(await boom.text(), 'Error: no such thing');
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.path, r.body, r.json]),
      [
        ['POST', '/make?x=1', '{"n": 7}', { n: 7 }],
        ['GET', '/boom', '', undefined],
      ],
    );
  });
});
