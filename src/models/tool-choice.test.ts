// toolChoice through the library: checked against the tools given (one-line errors), refused
// by a model that cannot take it, and sent in OpenAI's two wire shapes (Chat Completions
// and Responses) to a loopback server; a chain's follow-up requests leave it out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeServer, type FakeServer } from '../testing/provider-server.js';
import { writeChatCompletion } from '../../test/helpers/openai-replies.js';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { Echo } from '../providers/echo/echo-model.js';
import { OpenAIChat, OpenAIResponses } from '../providers/openai/models.js';
import type { ToolChoice } from './prompt.js';
import { Tool } from './tools.js';

const weather = new Tool({ name: 'weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } }, implementation: () => 'sunny' });

let server: FakeServer;
let user: ReturnType<typeof tempUserDir>;
before(async () => {
  user = tempUserDir();
  server = await startFakeServer((req, res) => {
    if (req.path.endsWith('/responses')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-5',
        output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }],
        usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 },
      }));
      return;
    }
    const calls = req.json.tool_choice === 'required' && req.json.messages.at(-1).role === 'user';
    if (!calls) return writeChatCompletion(res, 'ok');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: 'c', object: 'chat.completion', model: 'gpt-4o-mini',
      choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] } }],
    }));
  });
});
after(async () => {
  await server.close();
  user.cleanup();
});

const chat = () => new OpenAIChat({ modelId: 'gpt-4o-mini', apiBase: `${server.url}/v1`, supportsTools: true } as never);

describe('toolChoice', () => {
  test('Chat Completions: tool_choice as a string, or the named function', async () => {
    server.requests.length = 0;
    const choices: ToolChoice[] = ['auto', 'none', 'required', { name: 'weather' }];
    for (const toolChoice of choices) await chat().prompt('Weather?', { tools: [weather], toolChoice, stream: false, key: 'sk-test' }).text();
    assert.deepEqual(
      server.requests.map((r) => r.json.tool_choice),
      ['auto', 'none', 'required', { type: 'function', function: { name: 'weather' } }],
    );
    await chat().prompt('Weather?', { tools: [weather], stream: false, key: 'sk-test' }).text();
    assert.equal('tool_choice' in server.requests.at(-1)!.json, false, 'not sent unless given');
  });

  test('Responses API: tool_choice as a string, or {type: function, name}', async () => {
    server.requests.length = 0;
    const model = new OpenAIResponses({ modelId: 'gpt-5', apiBase: `${server.url}/v1`, supportsTools: true } as never);
    for (const toolChoice of ['required', { name: 'weather' }] as ToolChoice[]) {
      assert.equal(await model.prompt('Weather?', { tools: [weather], toolChoice, stream: false, key: 'sk-test' }).text(), 'ok');
    }
    assert.deepEqual(server.requests.map((r) => r.json.tool_choice), ['required', { type: 'function', name: 'weather' }]);
  });

  test("a chain's follow-up (after the tool ran) is not forced again", async () => {
    server.requests.length = 0;
    const text = await chat().chain('Weather in Oslo?', { tools: [weather], toolChoice: 'required', stream: false, key: 'sk-test' }).text();
    assert.equal(text, 'ok');
    assert.deepEqual(server.requests.map((r) => r.json.tool_choice), ['required', undefined]);
  });

  test('checked before any request: a one-line error for each mistake', () => {
    server.requests.length = 0;
    const cases: [ToolChoice | string, { tools?: Tool[] }, string][] = [
      ['sometimes', { tools: [weather] }, 'toolChoice must be "auto", "none", "required" or { name: "<tool>" }, not "sometimes"'],
      ['required', {}, 'toolChoice "required" needs tools, and none were given'],
      [{ name: 'weather' }, {}, 'toolChoice {"name":"weather"} needs tools, and none were given'],
      [{ name: 'lookup' }, { tools: [weather] }, 'toolChoice names the tool "lookup", which is not among the tools given (weather)'],
    ];
    for (const [toolChoice, input, message] of cases) {
      assert.throws(() => chat().prompt('x', { ...input, toolChoice: toolChoice as ToolChoice, key: 'sk-test' }), { message });
    }
    assert.equal(server.requests.length, 0);
  });

  test('a model that cannot take it refuses anything but auto', async () => {
    const echo = new Echo();
    assert.throws(() => echo.prompt('x', { tools: [weather], toolChoice: 'required' }), {
      message: 'Echo: echo does not support toolChoice (choosing whether or which tool the model calls)',
    });
    assert.ok(await echo.prompt('x', { tools: [weather], toolChoice: 'auto' }).text());
  });
});
