import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OpenAIChat } from './models.js';
import { encodingFor } from './count.js';

describe('OpenAI token counts (gpt-tokenizer)', () => {
  test('exact for text: each message framed with 3 tokens, 3 more for the reply', async () => {
    const model = new OpenAIChat({ modelId: 'gpt-4o-mini' });
    // "Hello, world!" is 4 tokens in o200k_base; "You are terse." is 4.
    assert.deepEqual(await model.countTokens('Hello, world!'), { tokens: 3 + 3 + 4, exact: true, method: 'tokenizer o200k_base (gpt-tokenizer)' });
    assert.deepEqual(await model.countTokens('Hello, world!', { system: 'You are terse.' }), {
      tokens: 3 + 3 + 4 + 3 + 4,
      exact: true,
      method: 'tokenizer o200k_base (gpt-tokenizer)',
    });
  });

  test('fragments are counted as part of the prompt', async () => {
    const model = new OpenAIChat({ modelId: 'gpt-4.1' });
    const plain = await model.countTokens('Hello, world!');
    const withFragment = await model.countTokens('Hello, world!', { fragments: ['A fragment of text'] });
    assert.ok(withFragment.tokens > plain.tokens);
  });

  test('the encoding follows the model', () => {
    assert.equal(encodingFor('gpt-4'), 'cl100k_base');
    assert.equal(encodingFor('gpt-3.5-turbo'), 'cl100k_base');
    assert.equal(encodingFor('gpt-4-turbo-2024-04-09'), 'cl100k_base');
    assert.equal(encodingFor('gpt-4o'), 'o200k_base');
    assert.equal(encodingFor('gpt-4.1-mini'), 'o200k_base');
    assert.equal(encodingFor('o3'), 'o200k_base');
  });

  test('an OpenAI-compatible endpoint is estimated, and says so', async () => {
    const model = new OpenAIChat({ modelId: 'local', apiBase: 'http://127.0.0.1:1/v1' });
    assert.deepEqual(await model.countTokens('x'.repeat(40)), { tokens: 10, exact: false, method: 'estimate: about 4 characters a token' });
  });
});
