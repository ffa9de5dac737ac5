// response.cost(), chain.cost() and conversation.cost() through the library, against a
// loopback server speaking OpenAI's Chat Completions and Responses wire formats.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeServer, type FakeServer, type Handler } from '../testing/provider-server.js';
import { writeChatStream } from '../../test/helpers/openai-replies.js';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { Tool } from '../models/tools.js';
import { OpenAIChat, OpenAIResponses } from '../providers/openai/models.js';

let server: FakeServer;
let handler: Handler;
let user: ReturnType<typeof tempUserDir>;
const close = (actual: number | undefined, expected: number): void => assert.ok(Math.abs((actual ?? NaN) - expected) < 1e-9, `${actual} != ${expected}`);

/** A recorded-shape Responses API stream: text, then response.completed with cached and reasoning tokens. */
function writeResponsesStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const usage = { input_tokens: 10_000, input_tokens_details: { cached_tokens: 4_000 }, output_tokens: 3_000, output_tokens_details: { reasoning_tokens: 2_500 }, total_tokens: 13_000 };
  res.write(`event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'pong' })}\n\n`);
  res.write(`event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { id: 'resp_1', model: 'o4-mini-2025-04-16', status: 'completed', output: [], usage } })}\n\n`);
  res.end();
}

before(async () => {
  server = await startFakeServer((req, res) => handler(req, res));
  process.env.OPENAI_BASE_URL = server.url;
  process.env.OPENAI_API_KEY = 'sk-test';
});
after(async () => {
  delete process.env.OPENAI_BASE_URL;
  delete process.env.OPENAI_API_KEY;
  await server.close();
  user?.cleanup();
});
beforeEach(() => {
  user?.cleanup();
  user = tempUserDir();
  server.requests.length = 0;
  handler = (_req, res) => writeChatStream(res, ['Hi'], { prompt_tokens: 2000, completion_tokens: 100, total_tokens: 2100, prompt_tokens_details: { cached_tokens: 1024 } } as never, 'gpt-4.1-2025-04-14');
});

describe('await response.cost()', () => {
  test('Chat Completions with cached input: { input, output, total, currency, source }', async () => {
    const response = new OpenAIChat({ modelId: 'gpt-4.1' }).prompt('hi');
    const cost = (await response.cost())!;
    close(cost.input, (976 * 2 + 1024 * 0.5) / 1e6);
    close(cost.output, 800 / 1e6);
    close(cost.total, 0.003264);
    assert.equal(cost.currency, 'USD');
    assert.match(cost.source, /^@pydantic\/genai-prices 0\.1\.8 of 2026-09-23 \(openai gpt-4\.1\)$/);
  });

  test('Responses API with cached input and reasoning output', async () => {
    handler = (_req, res) => writeResponsesStream(res);
    const response = new OpenAIResponses({ modelId: 'o4-mini' }).prompt('ping');
    assert.equal(await response.text(), 'pong');
    const cost = (await response.cost())!;
    close(cost.input, (6_000 * 1.1 + 4_000 * 0.275) / 1e6);
    close(cost.output, (3_000 * 4.4) / 1e6);
  });

  test('an OpenAI-compatible endpoint with no stated prices: null', async () => {
    const response = new OpenAIChat({ modelId: 'local', modelName: 'gpt-4.1', apiBase: server.url }).prompt('hi');
    assert.equal(await response.cost(), null);
  });

  test('a conversation and a chain sum their responses', async () => {
    const model = new OpenAIChat({ modelId: 'gpt-4.1', supportsTools: true });
    const conversation = model.conversation();
    await conversation.prompt('one').text();
    await conversation.prompt('two').text();
    close((await conversation.cost())!.total, 2 * 0.003264);

    let calls = 0;
    handler = (_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1' };
        res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'two', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000 } })}\n\n`);
        res.end('data: [DONE]\n\n');
      } else writeChatStream(res, ['2'], { prompt_tokens: 0, completion_tokens: 1_000_000, total_tokens: 1_000_000 }, 'gpt-4.1');
    };
    const two = new Tool({ name: 'two', description: 'Returns 2', inputSchema: {}, implementation: () => '2' });
    const chain = model.chain('What is two?', { tools: [two] });
    close((await chain.cost())!.total, 2 + 8);
    assert.equal(chain.responsesSoFar.length, 2);
  });

  test('a chain stops before passing maxCost', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1' };
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: `call_${server.requests.length}`, type: 'function', function: { name: 'two', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 100_000, completion_tokens: 0, total_tokens: 100_000 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    const two = new Tool({ name: 'two', description: 'Returns 2', inputSchema: {}, implementation: () => '2' });
    const chain = new OpenAIChat({ modelId: 'gpt-4.1', supportsTools: true }).chain('loop', { tools: [two], chainLimit: 0, maxCost: 0.5 });
    await assert.rejects(chain.text(), { name: 'CostLimitError', message: /^Stopped after 2 responses: cost so far \$0\.4000; the next request/ });
    assert.equal(server.requests.length, 2);
  });
});
