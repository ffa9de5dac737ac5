import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { type FakeServer, startFakeServer } from '../testing/provider-server.js';
import { AbortedError, ApiError, AuthenticationError, ConnectionError, LlmError, RateLimitError } from '../errors.js';
import { backoffMs, providerFetch, redact, retryAfterMs, retryPolicy } from './http.js';

const KEY = 'sk-test-secret-key-123456';
const saved = { ...retryPolicy };

function post(url: string, signal?: AbortSignal) {
  return providerFetch(url, { method: 'POST', body: '{}' }, { provider: 'OpenAI', secrets: [KEY], signal });
}

describe('providerFetch', () => {
  let server: FakeServer | undefined;
  before(() => {
    retryPolicy.baseDelayMs = 1;
    retryPolicy.maxAttempts = 4;
  });
  after(() => Object.assign(retryPolicy, saved));
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('429 with retry-after-ms is retried, then succeeds', async () => {
    let calls = 0;
    server = await startFakeServer((_req, res) => {
      if (++calls === 1) {
        res.writeHead(429, { 'retry-after-ms': '5', 'content-type': 'application/json' });
        res.end('{"error":{"message":"Rate limit reached"}}');
      } else res.end('ok');
    });
    const response = await post(`${server.url}/v1/chat`);
    assert.equal(await response.text(), 'ok');
    assert.equal(server.requests.length, 2);
  });

  test('500 then success', async () => {
    let calls = 0;
    server = await startFakeServer((_req, res) => {
      res.statusCode = ++calls === 1 ? 500 : 200;
      res.end(calls === 1 ? 'boom' : 'fine');
    });
    assert.equal(await (await post(server.url)).text(), 'fine');
    assert.equal(server.requests.length, 2);
  });

  test('400 is not retried; the error carries status and the provider message, without the key', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Invalid value for temperature; key ${KEY} was used` } }));
    });
    const error = await post(server.url).catch((e: unknown) => e);
    assert.equal(server.requests.length, 1);
    assert.ok(ApiError.is(error) && error instanceof ApiError && LlmError.is(error));
    assert.equal(error.status, 400);
    assert.equal(error.providerMessage, 'Invalid value for temperature; key [REDACTED] was used');
    assert.equal(error.message, 'OpenAI API error 400: Invalid value for temperature; key [REDACTED] was used');
    assert.ok(!JSON.stringify(error.body).includes(KEY));
  });

  test('401 and 404 are not retried either; 401 is an AuthenticationError', async () => {
    server = await startFakeServer((req, res) => {
      res.statusCode = req.path === '/auth' ? 401 : 404;
      res.end(JSON.stringify({ error: { message: 'nope' } }));
    });
    const auth = await post(`${server.url}/auth`).catch((e: unknown) => e);
    assert.ok(AuthenticationError.is(auth));
    const missing = await post(`${server.url}/missing`).catch((e: unknown) => e);
    assert.ok(ApiError.is(missing) && missing.status === 404 && !AuthenticationError.is(missing));
    assert.equal(server.requests.length, 2);
  });

  test('always 503: gives up after maxAttempts with the last error', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(503, { 'retry-after': '0' });
      res.end('{"error":"overloaded"}');
    });
    const error = await post(server.url).catch((e: unknown) => e);
    assert.equal(server.requests.length, 4);
    assert.ok(ApiError.is(error));
    assert.equal(error.message, 'OpenAI API error 503: overloaded');
  });

  test('always 429: a RateLimitError after maxAttempts', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(429, { 'retry-after-ms': '1' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const error = await post(server.url).catch((e: unknown) => e);
    assert.ok(RateLimitError.is(error) && error.status === 429);
    assert.equal(server.requests.length, 4);
  });

  test('connection refused: retried, then a ConnectionError naming the host', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await post(`http://127.0.0.1:${port}/v1`).catch((e: unknown) => e);
    assert.ok(ConnectionError.is(error));
    assert.equal(error.message, `Could not connect to OpenAI at http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  test('a connection dropped before any answer is retried', async () => {
    let calls = 0;
    server = await startFakeServer((_req, res) => {
      if (++calls === 1) res.socket?.destroy();
      else res.end('second time lucky');
    });
    assert.equal(await (await post(server.url)).text(), 'second time lucky');
    assert.equal(server.requests.length, 2);
  });

  test('abort during the backoff wait rejects with AbortedError and sends nothing more', async () => {
    retryPolicy.baseDelayMs = 60_000;
    try {
      server = await startFakeServer((_req, res) => {
        res.statusCode = 500;
        res.end('x');
      });
      const controller = new AbortController();
      const pending = post(server.url, controller.signal);
      while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      await assert.rejects(pending, (e: unknown) => AbortedError.is(e) && (e as Error).message === 'The request was aborted');
      assert.equal(server.requests.length, 1);
    } finally {
      retryPolicy.baseDelayMs = 1;
    }
  });

  test('an already-aborted signal sends nothing', async () => {
    server = await startFakeServer((_req, res) => res.end('x'));
    await assert.rejects(post(server.url, AbortSignal.abort()), (e: unknown) => AbortedError.is(e));
    assert.equal(server.requests.length, 0);
  });
});

describe('retry timing rules', () => {
  test('retry-after-ms wins over retry-after; seconds and HTTP dates are understood', () => {
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
    assert.equal(retryAfterMs(new Headers({})), undefined);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' })), undefined);
    const date = new Date(Date.now() - 1000).toUTCString();
    assert.equal(retryAfterMs(new Headers({ 'retry-after': date })), 0);
  });

  test('waits are capped at maxDelayMs (60 s) whatever the server asks', () => {
    assert.equal(retryPolicy.maxDelayMs, 60_000);
    assert.equal(backoffMs(1, new Headers({ 'retry-after': '3600' })), 60_000);
    assert.equal(backoffMs(1, new Headers({ 'retry-after-ms': '10' })), 10);
    assert.ok(backoffMs(40, undefined) <= 60_000);
  });

  test('redact replaces every occurrence of each secret', () => {
    assert.equal(redact(`a ${KEY} b ${KEY}`, [KEY, undefined]), 'a [REDACTED] b [REDACTED]');
  });
});
