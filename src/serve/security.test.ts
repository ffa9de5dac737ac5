// Each of the server's rules, over real HTTP.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { afterEach, describe, test } from 'node:test';
import { serveForTest, type Served } from '../../test/helpers/serve-fixture.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

const chatBody = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] });

function post(url: string, headers: Record<string, string> = {}, body = chatBody): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** A raw request, for headers fetch will not let us set (Host). */
function raw(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('llm serve security', () => {
  test('binds 127.0.0.1 by default, with no token needed there', async () => {
    served = await serveForTest();
    assert.equal(served.server.host, '127.0.0.1');
    assert.equal(served.server.token, undefined);
    assert.equal((await post(served.url)).status, 200);
  });

  test('a bind beyond loopback without a token gets one generated, and requests without it are refused', async () => {
    served = await serveForTest({ host: '0.0.0.0' });
    const token = served.server.token!;
    assert.ok(served.server.tokenGenerated);
    assert.ok(token.length >= 32);
    const url = `http://127.0.0.1:${served.server.port}`;
    const refused = await post(url);
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, 'invalid_api_key');
    assert.equal((await post(url, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await fetch(`${url}/v1/models`)).status, 401);
    assert.equal((await fetch(`${url}/api/conversations`)).status, 401);
    assert.equal((await post(url, { authorization: `Bearer ${token}` })).status, 200);
    assert.equal((await fetch(`${url}/`)).status, 200, 'the page itself holds no data');
  });

  test('--token is required when given, on loopback too', async () => {
    served = await serveForTest({ token: 's3cret-token' });
    assert.equal(served.server.tokenGenerated, false);
    assert.equal((await post(served.url)).status, 401);
    assert.equal((await post(served.url, { authorization: 'Bearer s3cret-token' })).status, 200);
  });

  test('a cross-site POST is refused (CSRF); CORS is off unless --cors names the origin', async () => {
    served = await serveForTest();
    const evil = await post(served.url, { origin: 'http://evil.example' });
    assert.equal(evil.status, 403);
    assert.equal((await evil.json()).error.code, 'cross_site_request');
    assert.equal((await post(served.url, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await post(served.url, { origin: served.url })).status, 200, 'the page itself may post');
    const read = await fetch(`${served.url}/v1/models`, { headers: { origin: 'http://evil.example' } });
    assert.equal(read.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${served.url}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 403);
    assert.equal(served.logged().length, 1);
  });

  test('--cors ORIGIN lets that origin (and only it) call', async () => {
    served = await serveForTest({ cors: 'http://localhost:3000' });
    const preflight = await fetch(`${served.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    const allowed = await post(served.url, { origin: 'http://localhost:3000' });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.equal((await post(served.url, { origin: 'http://localhost:4000' })).status, 403);
  });

  test('a body that is not JSON is refused (415), as is invalid JSON (400)', async () => {
    served = await serveForTest();
    const form = await post(served.url, { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1');
    assert.equal(form.status, 415);
    const bad = await post(served.url, {}, '{not json');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: { message: 'The request body is not valid JSON', type: 'invalid_request_error', param: null, code: null } });
  });

  test('an oversize body is a 413, declared or streamed', async () => {
    served = await serveForTest({ maxBodyBytes: 1000 });
    const big = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    const declared = await post(served.url, {}, big);
    assert.equal(declared.status, 413);
    assert.equal((await declared.json()).error.code, 'request_too_large');
    const streamed = await fetch(`${served.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal((await post(served.url)).status, 200, 'a small one still passes');
  });

  test('a host name other than localhost is refused on a loopback bind (DNS rebinding)', async () => {
    served = await serveForTest();
    const rebound = await raw(served.url, '/v1/models', { host: 'attacker.example' });
    assert.equal(rebound.status, 403);
    assert.equal(JSON.parse(rebound.body).error.code, 'bad_host');
    assert.equal((await raw(served.url, '/v1/models', { host: `localhost:${served.server.port}` })).status, 200);
  });

  test('the page has a strict CSP; errors are JSON with no stack; no key is ever returned', async () => {
    served = await serveForTest();
    const page = await fetch(`${served.url}/`);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const missing = await fetch(`${served.url}/nothing/here`);
    assert.equal(missing.status, 404);
    const text = await missing.text();
    assert.deepEqual(Object.keys(JSON.parse(text)), ['error']);
    assert.ok(!/at .*\.(ts|js):\d+/.test(text));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${served.dir}/keys.json`, JSON.stringify({ openai: 'sk-stored-key-987654321' }));
    for (const path of ['/v1/models', '/api/info', '/api/conversations']) {
      assert.ok(!(await (await fetch(`${served.url}${path}`)).text()).includes('sk-stored-key'), path);
    }
  });

  test('a request past its time limit is cut off: 504 before any answer, else what arrived is logged as incomplete', async () => {
    served = await serveForTest({ timeoutMs: 2000 });
    const { startFakeServer } = await import('../testing/provider-server.js');
    const slow = await startFakeServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // "silent" never answers; otherwise one piece, then nothing.
      if (!req.json.messages[0].content.includes('silent')) {
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'partial' } }] })}\n\n`);
      }
    });
    process.env.OPENAI_BASE_URL = slow.url;
    process.env.OPENAI_API_KEY = 'sk-x';
    try {
      const silent = await post(served.url, {}, JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'silent' }] }));
      assert.equal(silent.status, 504);
      assert.deepEqual((await silent.json()).error.type, 'timeout_error');
      const response = await post(served.url, {}, JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
      const body = await response.text();
      assert.match(body, /partial/);
      assert.match(body, /"error"/);
      const [row] = served.logged();
      assert.equal(row!.response, 'partial');
      assert.ok(JSON.stringify(row!.response_json).includes('incomplete'));
    } finally {
      delete process.env.OPENAI_BASE_URL;
      delete process.env.OPENAI_API_KEY;
      await slow.close();
    }
  });
});
