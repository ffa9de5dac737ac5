import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, afterEach, before, describe, test } from 'node:test';
import { type FakeServer, startFakeServer } from '../testing/provider-server.js';
import { RateLimitError, ResponseTooLargeError, TimeoutError } from '../errors.js';
import { type RetryWait, providerFetch, retryPolicy } from './http.js';
import { applyTimeout, limits, parseTimeout } from './limits.js';
import { SseDecoder, sseEvents } from './sse.js';
import { httpRequest } from './transport.js';

const savedLimits = { ...limits, timeouts: { ...limits.timeouts } };
const savedPolicy = { ...retryPolicy };
const MB = 1024 * 1024;

describe('limits on what a server can make the client do', () => {
  let server: FakeServer | undefined;
  before(() => {
    retryPolicy.baseDelayMs = 1;
  });
  after(() => Object.assign(retryPolicy, savedPolicy));
  afterEach(async () => {
    Object.assign(limits, savedLimits, { timeouts: { ...savedLimits.timeouts } });
    await server?.close();
    server = undefined;
  });

  test('a gzip bomb is refused once decoded past the body limit, naming the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * MB));
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    limits.maxBodyBytes = 1 * MB;
    const response = await httpRequest(server.url);
    const error = await response.text().catch((e: unknown) => e);
    assert.ok(ResponseTooLargeError.is(error), String(error));
    assert.match((error as Error).message, /^The response from http:\/\/127\.0\.0\.1:\d+ is larger than the 1 MB limit \(raise it with LLM_MAX_RESPONSE_MB\)$/);
  });

  test('a body within the limit reads whole', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync(Buffer.from('x'.repeat(1000))));
    });
    limits.maxBodyBytes = 1000;
    assert.equal((await (await httpRequest(server.url)).text()).length, 1000);
  });

  test('one streamed event past the event limit is refused; a long stream of small events is not', async () => {
    const decoder = new SseDecoder(1000);
    for (let i = 0; i < 100; i++) assert.equal(decoder.push(new TextEncoder().encode(`data: ${'a'.repeat(500)}\n\n`)).length, 1);
    assert.throws(() => decoder.push(new TextEncoder().encode('data: ' + 'b'.repeat(2000))), /streamed event is larger than the 1000 bytes limit/);
    const lines = new SseDecoder(1000);
    assert.throws(() => {
      for (let i = 0; i < 10; i++) lines.push(new TextEncoder().encode(`data: ${'c'.repeat(200)}\n`));
    }, ResponseTooLargeError);
  });

  test('a gzipped event stream that inflates to one endless line stops at the event limit', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * MB, 'a'));
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    limits.maxEventBytes = 1 * MB;
    const response = await httpRequest(server.url);
    const error = await (async () => {
      for await (const _event of sseEvents(response.body)) {
        // nothing arrives
      }
    })().catch((e: unknown) => e);
    assert.ok(ResponseTooLargeError.is(error), String(error));
  });

  test('a server that sends headers then nothing ends with the idle timeout', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"a":1}\n\n');
    });
    const response = await httpRequest(server.url, { timeouts: { connect: 5, idle: 1, total: 60 } });
    const events: string[] = [];
    const error = await (async () => {
      for await (const event of sseEvents(response.body)) events.push(event.data);
    })().catch((e: unknown) => e);
    assert.deepEqual(events, ['{"a":1}']);
    assert.ok(TimeoutError.is(error), String(error));
    assert.equal((error as TimeoutError).limit, 'idle');
    assert.match(
      (error as Error).message,
      /^Timed out: http:\/\/127\.0\.0\.1:\d+ sent nothing for 1 s \(the idle timeout; change it with --timeout, LLM_TIMEOUT or a model's timeout setting\)$/,
    );
  });

  test('a server that never answers ends with the idle timeout, and the request is not sent again', async () => {
    server = await startFakeServer(() => undefined);
    limits.timeouts = { connect: 5, idle: 0.3, total: 60 };
    const error = await providerFetch(server.url, { method: 'POST', body: '{}' }, { provider: 'OpenAI' }).catch((e: unknown) => e);
    assert.ok(TimeoutError.is(error), String(error));
    assert.equal(server.requests.length, 1);
  });

  test('a server that trickles a byte at a time ends with the overall timeout', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => {
        if (res.destroyed) clearInterval(timer);
        else res.write(':');
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    const response = await httpRequest(server.url, { timeouts: { connect: 5, idle: 5, total: 0.4 } });
    const error = await (async () => {
      for await (const _event of sseEvents(response.body)) {
        // comments only
      }
    })().catch((e: unknown) => e);
    assert.ok(TimeoutError.is(error), String(error));
    assert.equal((error as TimeoutError).limit, 'total');
  });

  test('a slow reader is not a slow server: the idle timeout counts only while a read waits', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('one');
      setTimeout(() => res.end('two'), 50);
    });
    const response = await httpRequest(server.url, { timeouts: { connect: 5, idle: 1, total: 60 } });
    const reader = response.body.getReader();
    const first = await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const rest: string[] = [Buffer.from(first.value!).toString()];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest.push(Buffer.from(value).toString());
    }
    assert.equal(rest.join(''), 'onetwo');
  });

  test('a retry-after longer than the cap is not waited for: the error says how long was asked', async () => {
    server = await startFakeServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' });
      res.end('{"error":{"message":"Rate limit reached"}}');
    });
    const waits: RetryWait[] = [];
    retryPolicy.onWait = (wait) => void waits.push(wait);
    const error = await providerFetch(server.url, { method: 'POST', body: '{}' }, { provider: 'OpenAI' }).catch((e: unknown) => e);
    assert.ok(RateLimitError.is(error));
    assert.equal(
      (error as Error).message,
      'OpenAI API error 429: Rate limit reached (it asked to retry after 3600 s, longer than the 60 s llm waits: try again later)',
    );
    assert.equal(server.requests.length, 1);
    assert.deepEqual(waits, []);
  });

  test('each wait before a retry is reported before it starts', async () => {
    let calls = 0;
    server = await startFakeServer((_req, res) => {
      if (++calls < 3) {
        res.writeHead(503, { 'retry-after-ms': '20' });
        res.end('busy');
      } else res.end('ok');
    });
    const waits: RetryWait[] = [];
    let ended = 0;
    retryPolicy.onWait = (wait) => {
      waits.push(wait);
      return () => void ended++;
    };
    retryPolicy.maxAttempts = 5;
    const response = await providerFetch(server.url, { method: 'POST', body: '{}' }, { provider: 'OpenAI' });
    assert.equal(await response.text(), 'ok');
    assert.deepEqual(waits, [
      { provider: 'OpenAI', status: 503, attempt: 1, maxAttempts: 5, waitMs: 20 },
      { provider: 'OpenAI', status: 503, attempt: 2, maxAttempts: 5, waitMs: 20 },
    ]);
    assert.equal(ended, 2);
  });
});

describe('timeout settings', () => {
  test('a number is the idle timeout; the connect timeout is never longer', () => {
    assert.deepEqual(applyTimeout({ connect: 30, idle: 300, total: 1800 }, 5), { connect: 5, idle: 5, total: 1800 });
    assert.deepEqual(applyTimeout({ connect: 30, idle: 300, total: 1800 }, { total: 60 }), { connect: 30, idle: 300, total: 60 });
  });

  test('parseTimeout reads seconds or a mapping and says what is wrong', () => {
    assert.equal(parseTimeout('2.5'), 2.5);
    assert.deepEqual(parseTimeout({ idle: 10 }), { idle: 10 });
    assert.equal(parseTimeout('soon'), 'timeout must be a positive number of seconds, or a mapping of connect, idle and total');
    assert.equal(parseTimeout({ read: 1 }), 'unknown timeout "read" (use connect, idle or total)');
  });
});
