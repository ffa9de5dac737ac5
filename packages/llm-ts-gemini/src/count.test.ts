// Token counts for Gemini models, against a loopback server speaking the Gemini API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providerFixture } from '../../../test/helpers/provider-fixture.js';
import { GeminiPro } from './index.js';

const KEY = 'AIzaTEST-count-key-0123456789';
const fixture = providerFixture('GEMINI_BASE_URL', (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ totalTokens: 31, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }] }));
}, { perTest: true });

describe('Gemini token counts', () => {
  test('countTokens asks models/…:countTokens with the whole request: exact', async () => {
    const model = new GeminiPro('gemini-2.5-pro');
    const count = await model.countTokens('Count me', { system: 'Be brief', key: KEY });
    assert.deepEqual(count, { tokens: 31, exact: true, method: 'Gemini countTokens endpoint' });
    const request = fixture.server.requests[0]!;
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
