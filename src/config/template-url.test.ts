// Templates fetched by URL: bounded in size and time, one clear error for each failure.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeServer, type FakeServer } from '../testing/provider-server.js';
import { fetchTemplateText, isTemplateUrl } from './template-url.js';

let server: FakeServer;
before(async () => {
  server = await startFakeServer(async (req, res) => {
    if (req.path === '/ok.yaml') res.end('prompt: hi\n');
    else if (req.path === '/big.yaml') res.end('x'.repeat(2000));
    else if (req.path === '/stream.yaml') {
      // No content-length: the limit is found while reading.
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 5; i++) res.write('y'.repeat(500));
      res.end();
    } else if (req.path === '/slow.yaml') {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      res.end('late');
    } else {
      res.writeHead(503);
      res.end();
    }
  });
});
after(() => server.close());

test('the text at the URL', async () => {
  assert.equal(await fetchTemplateText(`${server.url}/ok.yaml`), 'prompt: hi\n');
  assert.equal(isTemplateUrl('https://example.com/t.yaml'), true);
  assert.equal(isTemplateUrl('t.yaml'), false);
});

test('too large (declared or streamed), too slow, a 5xx, nothing listening: one line each', async () => {
  const url = (path: string) => `${server.url}${path}`;
  await assert.rejects(fetchTemplateText(url('/big.yaml'), { maxBytes: 1000 }), {
    message: `Could not load template ${url('/big.yaml')}: larger than 1000 bytes`,
  });
  await assert.rejects(fetchTemplateText(url('/stream.yaml'), { maxBytes: 1000 }), {
    message: `Could not load template ${url('/stream.yaml')}: larger than 1000 bytes`,
  });
  await assert.rejects(fetchTemplateText(url('/slow.yaml'), { timeoutMs: 200 }), {
    message: `Could not load template ${url('/slow.yaml')}: no answer within 0.2 s`,
  });
  await assert.rejects(fetchTemplateText(url('/down.yaml')), {
    message: `Could not load template ${url('/down.yaml')}: Server error '503 Service Unavailable' for url '${url('/down.yaml')}'`,
  });
  const closed = await startFakeServer(() => {});
  await closed.close();
  await assert.rejects(fetchTemplateText(`${closed.url}/none.yaml`, { timeoutMs: 2000 }), {
    message: `Could not load template ${closed.url}/none.yaml: ECONNREFUSED`,
  });
});
