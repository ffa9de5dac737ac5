// Token counts for Gemini models, against a loopback server speaking the Gemini API.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type FakeServer, startFakeServer } from '../../../src/testing/provider-server.js';
import { tempUserDir } from '../../../test/helpers/user-dir.js';
import { GeminiPro } from './index.js';

let server: FakeServer;
let user: ReturnType<typeof tempUserDir>;
const KEY = 'AIzaTEST-count-key-0123456789';

before(async () => {
  server = await startFakeServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ totalTokens: 31, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }] }));
  });
  process.env.GEMINI_BASE_URL = server.url;
});
after(async () => {
  delete process.env.GEMINI_BASE_URL;
  await server.close();
  user?.cleanup();
});
beforeEach(() => {
  user?.cleanup();
  user = tempUserDir();
  server.requests.length = 0;
});

describe('Gemini token counts', () => {
  test('countTokens asks models/…:countTokens with the whole request: exact', async () => {
    const model = new GeminiPro('gemini-2.5-pro');
    const count = await model.countTokens('Count me', { system: 'Be brief', key: KEY });
    assert.deepEqual(count, { tokens: 31, exact: true, method: 'Gemini countTokens endpoint' });
    const request = server.requests[0]!;
    assert.equal(request.path, '/v1beta/models/gemini-2.5-pro:countTokens');
    assert.equal(request.headers['x-goog-api-key'], KEY);
    const inner = request.json.generateContentRequest;
    assert.equal(inner.model, 'models/gemini-2.5-pro');
    assert.deepEqual(inner.contents, [{ role: 'user', parts: [{ text: 'Count me' }] }]);
    assert.deepEqual(inner.systemInstruction, { parts: [{ text: 'Be brief' }] });
  });

  test('the model declares how the price list knows it (Google, by its API id)', () => {
    assert.deepEqual(new GeminiPro('gemini-2.5-pro').pricing, { provider: 'google', model: 'gemini-2.5-pro' });
  });
});
