// Token counts and costs for Claude models, against a loopback server speaking the Messages API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providerFixture } from '../../../test/helpers/provider-fixture.ts';
import { ClaudeMessages } from './models.ts';

const KEY = 'sk-ant-test-count-key-1234';
const fixture = providerFixture('ANTHROPIC_BASE_URL', (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ input_tokens: 42 }));
}, { perTest: true });

describe('Claude token counts and prices', () => {
  test('countTokens asks the count_tokens endpoint: exact, with the system prompt and no max_tokens', async () => {
    const model = new ClaudeMessages('claude-sonnet-4-5');
    const count = await model.countTokens('Count me', { system: 'Be brief', key: KEY });
    assert.deepEqual(count, { tokens: 42, exact: true, method: 'Anthropic count_tokens endpoint' });
    const request = fixture.server.requests[0]!;
    assert.equal(request.path, '/v1/messages/count_tokens');
    assert.equal(request.headers['x-api-key'], KEY);
    assert.equal(request.json.model, 'claude-sonnet-4-5');
    assert.equal(request.json.system, 'Be brief');
    assert.deepEqual(request.json.messages, [{ role: 'user', content: [{ type: 'text', text: 'Count me' }] }]);
    assert.equal(request.json.max_tokens, undefined);
  });

  test('without a key: an estimate, marked as one, and nothing sent', async () => {
    const previous = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    const count = await new ClaudeMessages('claude-sonnet-4-5').countTokens('x'.repeat(40));
    if (previous !== undefined) process.env.ANTHROPIC_API_KEY = previous;
    assert.deepEqual(count, { tokens: 10, exact: false, method: 'estimate: no Anthropic key to count with' });
    assert.equal(fixture.server.requests.length, 0);
  });

  test('the model declares how the price list knows it', () => {
    assert.deepEqual(new ClaudeMessages('claude-sonnet-4-5').pricing, { provider: 'anthropic', model: 'claude-sonnet-4-5' });
  });
});
