// The AI SDK (`ai` with @ai-sdk/openai pointed at the server's baseURL) as a client of
// `llm serve`: Chat Completions and Responses, streaming, a tools round trip, embeddings.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { embedMany, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { writeChatCompletion } from '../../test/helpers/openai-replies.js';
import { embedDemoPlugin } from '../../test/helpers/embed-demo.js';
import { registerPlugin } from '../plugins/registry.js';
import { serveOverUpstream } from '../../test/helpers/serve-fixture.js';

const fx = serveOverUpstream('sk-upstream-key');
let provider: ReturnType<typeof createOpenAI>;

before(() => registerPlugin(embedDemoPlugin()));
beforeEach(() => {
  provider = createOpenAI({ baseURL: `${fx.served.url}/v1`, apiKey: 'unused' });
});

describe('the AI SDK as a client', () => {
  test('generateText and streamText over Chat Completions (echo)', async () => {
    const { text } = await generateText({ model: provider.chat('echo'), system: 'Terse', prompt: 'Hi from the AI SDK', maxRetries: 0 });
    assert.equal(JSON.parse(text).prompt, 'Hi from the AI SDK');
    assert.equal(JSON.parse(text).system, 'Terse');
    const result = streamText({ model: provider.chat('echo'), prompt: 'Streamed', maxRetries: 0 });
    let streamed = '';
    for await (const piece of result.textStream) streamed += piece;
    assert.equal(JSON.parse(streamed).prompt, 'Streamed');
    assert.equal((await result.usage).inputTokens, 1);
    const rows = fx.served.logged();
    assert.deepEqual(rows.map((r) => r.prompt), ['Hi from the AI SDK', 'Streamed']);
  });

  test('generateText and streamText over the Responses API (echo)', async () => {
    const { text } = await generateText({ model: provider.responses('echo'), prompt: 'Via responses', maxRetries: 0 });
    assert.equal(JSON.parse(text).prompt, 'Via responses');
    const result = streamText({ model: provider.responses('echo'), prompt: 'Streamed responses', maxRetries: 0 });
    let streamed = '';
    for await (const piece of result.textStream) streamed += piece;
    assert.equal(JSON.parse(streamed).prompt, 'Streamed responses');
    assert.equal(fx.served.logged().length, 2);
  });

  test('a tools round trip: the SDK runs the tool, the server logs both turns', async () => {
    fx.handler = (req, res) => {
      const last = req.json.messages.at(-1);
      if (last.role === 'tool') return writeChatCompletion(res, `The answer is ${last.content}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
        choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_add', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } }] } }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      }));
    };
    const calls: unknown[] = [];
    const { text } = await generateText({
      model: provider.chat('gpt-4o-mini'),
      prompt: 'What is 2 + 3?',
      maxRetries: 0,
      stopWhen: stepCountIs(3),
      tools: {
        add: tool({
          description: 'Add two numbers',
          inputSchema: jsonSchema<{ a: number; b: number }>({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] }),
          execute: async ({ a, b }) => {
            calls.push({ a, b });
            return a + b;
          },
        }),
      },
    });
    assert.deepEqual(calls, [{ a: 2, b: 3 }]);
    assert.equal(text, 'The answer is 5');
    const rows = fx.served.logged();
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.tool_calls[0]!.name, 'add');
    assert.equal(rows[1]!.tool_results[0]!.output, '5');
    assert.equal(rows[1]!.conversation_id, rows[0]!.conversation_id);
  });

  test('embedMany', async () => {
    const { embeddings } = await embedMany({ model: provider.embedding('embed-demo'), values: ['one two', 'three'], maxRetries: 0 });
    assert.deepEqual(embeddings[0]!.slice(0, 3), [3, 3, 0]);
    assert.deepEqual(embeddings[1]!.slice(0, 2), [5, 0]);
  });
});
