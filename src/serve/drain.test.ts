// Stopping the server: requests in flight finish (up to the cap), then it stops.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeServer, type FakeServer } from '../testing/provider-server.js';
import { serveForTest } from '../../test/helpers/serve-fixture.js';

let upstream: FakeServer;
/** Pieces the fake upstream streams, one every 150 ms; `forever` never ends. */
let plan: { pieces: number; forever: boolean };

before(async () => {
  upstream = await startFakeServer(async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < plan.pieces || plan.forever; i++) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: `p${i} ` } }] })}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    res.end('data: [DONE]\n\n');
  });
  process.env.OPENAI_BASE_URL = upstream.url;
  process.env.OPENAI_API_KEY = 'sk-x';
});
after(async () => {
  await upstream.close();
  delete process.env.OPENAI_BASE_URL;
  delete process.env.OPENAI_API_KEY;
});

async function startStream(url: string): Promise<{ firstPiece: Promise<void>; text: Promise<string> }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  const reader = response.body!.getReader();
  let seen: () => void;
  const firstPiece = new Promise<void>((resolve) => (seen = resolve));
  const text = (async () => {
    let all = '';
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return all;
      all += Buffer.from(value!).toString('utf8');
      if (all.includes('p0')) seen();
    }
  })();
  return { firstPiece, text };
}

describe('stopping llm serve', () => {
  test('a stream in flight finishes and is logged; new requests are not taken', async () => {
    plan = { pieces: 5, forever: false };
    const served = await serveForTest();
    try {
      const stream = await startStream(served.url);
      await stream.firstPiece;
      const closing = served.server.close(5000);
      await assert.rejects(fetch(`${served.url}/v1/models`));
      const text = await stream.text;
      assert.match(text, /p4 /);
      assert.match(text, /\[DONE\]/);
      await closing;
      const [row] = served.logged();
      assert.equal(row!.response, 'p0 p1 p2 p3 p4 ');
    } finally {
      await served.close();
    }
  });

  test('a stream that outlasts the cap is cut off, logged with what arrived', async () => {
    plan = { pieces: 0, forever: true };
    const served = await serveForTest();
    try {
      const stream = await startStream(served.url);
      await stream.firstPiece;
      await served.server.close(400);
      await stream.text;
      const [row] = served.logged();
      assert.match(row!.response!, /^p0 /);
      assert.ok(JSON.stringify(row!.response_json).includes('incomplete'), JSON.stringify(row!.response_json));
    } finally {
      await served.close();
    }
  });
});
