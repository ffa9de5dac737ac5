// Server-side tools over the Responses API, against a loopback server speaking its wire
// format: the request entries and `include`, the web_search_call / code_interpreter_call
// items recorded as server-executed parts (refreshed from response.completed), and never
// sent back as function calls.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type ProviderServer, jsonReply, sseEvent, sseReply, startProviderServer } from '../../testing/provider-server.js';
import { tempUserDir } from '../../../test/helpers/user-dir.js';
import { Tool } from '../../models/tools.js';
import { UsageError } from '../../errors.js';
import { CodeInterpreter, WebSearch } from '../../tools/server-side/openai-tools.js';
import { ServerSideTool } from '../../tools/server-side/server-side-tool.js';
import { Toolbox } from '../../tools/toolbox.js';
import { OpenAIResponses } from './models.js';

let server: ProviderServer;
let user: ReturnType<typeof tempUserDir>;
let model: OpenAIResponses;

before(async () => {
  user = tempUserDir();
  server = await startProviderServer();
});
after(async () => {
  await server.close();
  user.cleanup();
});
beforeEach(() => {
  server.requests.length = 0;
  model = new OpenAIResponses({ modelId: 'gpt-5.6-luna', apiBase: server.url, supportsTools: true, reasoning: true });
});

const SOURCES = [
  { type: 'url', url: 'https://openai.com/news/' },
  { type: 'url', url: 'https://example.com/report' },
];
const RESULTS = [{ type: 'image_result', image_url: 'https://example.com/image.jpg', caption: 'An example image' }];

function textResponse(text: string, extra: unknown[] = []): Record<string, unknown> {
  return {
    id: 'resp_1',
    object: 'response',
    status: 'completed',
    model: 'gpt-5.6-luna',
    output: [
      ...extra,
      {
        id: 'msg_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [{ type: 'url_citation', url: 'https://openai.com/news/', start_index: 0, end_index: 4, title: 'News' }] }],
      },
    ],
    usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
  };
}

const webSearchItem = (sources: unknown[], results: unknown[]) => ({
  id: 'ws_123',
  type: 'web_search_call',
  status: 'completed',
  action: { type: 'search', query: 'OpenAI news', queries: ['OpenAI news'], sources },
  results,
});

/** A Responses stream as OpenAI sends it: each event named, with its type inside too. */
function responsesStream(events: [string, Record<string, unknown>][]) {
  return sseReply(events.map(([type, data], n) => sseEvent(type, { type, sequence_number: n, ...data })));
}

describe('OpenAI Responses server-side tools', () => {
  test('WebSearch: the request, and the call and its results as server-executed parts before the text (not streamed)', async () => {
    server.enqueue(jsonReply(textResponse('A cited answer', [webSearchItem(SOURCES, RESULTS)])));
    const response = model.prompt('Search for OpenAI news', {
      tools: [new WebSearch({ allowed_domains: ['openai.com'], include_sources: true, include_results: true })],
      stream: false,
      key: 'test',
    });
    assert.equal(await response.text(), 'A cited answer');
    const body = server.requests[0]!.json;
    assert.deepEqual(body.tools, [{ type: 'web_search', filters: { allowed_domains: ['openai.com'] } }]);
    assert.deepEqual(body.include, ['reasoning.encrypted_content', 'web_search_call.action.sources', 'web_search_call.results']);
    const [message] = await response.messages();
    assert.deepEqual(message!.parts, [
      { type: 'tool_call', name: 'web_search', arguments: webSearchItem(SOURCES, RESULTS).action, toolCallId: 'ws_123', serverExecuted: true },
      { type: 'tool_result', name: 'web_search', output: JSON.stringify(RESULTS).replaceAll('":', '": ').replaceAll(',"', ', "'), toolCallId: 'ws_123', serverExecuted: true },
      { type: 'text', text: 'A cited answer' },
    ]);
    // Nothing for llm-ts to run: a chain stops here.
    assert.deepEqual(await response.toolCalls(), []);
    // The citations stay in the response JSON.
    assert.equal((response.jsonSoFar as any).output[1].content[0].annotations[0].url, 'https://openai.com/news/');
  });

  test('function tools and CodeInterpreter in one request; include after the reasoning one', async () => {
    server.enqueue(jsonReply(textResponse('ok')));
    const multiply = new Tool({ name: 'multiply', inputSchema: { type: 'object', properties: { a: { type: 'integer' } } }, implementation: ({ a }) => a * 2 });
    const response = model.prompt('Calculate', { tools: [multiply, new CodeInterpreter({ memory_limit: '4g' })], stream: false, key: 'test' });
    await response.text();
    const body = server.requests[0]!.json;
    assert.equal(body.tools[0].type, 'function');
    assert.equal(body.tools[0].name, 'multiply');
    assert.deepEqual(body.tools[1], { type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } });
    assert.deepEqual(body.include, ['reasoning.encrypted_content', 'code_interpreter_call.outputs']);
  });

  test('tools are sent in the order given, a toolbox\'s in its place, on every request of a chain (as Python sends prompt.tools)', async () => {
    class Notes extends Toolbox {
      override async prepare() {
        this.addTool(() => 'noted', { name: 'Notes_add', description: 'Add a note' });
      }
    }
    const call = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'multiply', arguments: '{"a": 2}' };
    server.enqueue(jsonReply({ ...textResponse(''), output: [call] }));
    server.enqueue(jsonReply(textResponse('4')));
    const multiply = new Tool({ name: 'multiply', inputSchema: { type: 'object', properties: { a: { type: 'integer' } } }, implementation: ({ a }) => a * 2 });
    const chain = model.chain('Calculate', { tools: [new CodeInterpreter(), multiply, new Notes(), new WebSearch()], stream: false, key: 'test' });
    assert.equal(await chain.text(), '4');
    assert.equal(server.requests.length, 2);
    for (const request of server.requests) {
      assert.deepEqual(request.json.tools.map((tool: any) => tool.name ?? tool.type), ['code_interpreter', 'multiply', 'Notes_add', 'web_search']);
    }
  });

  test('a raw ServerSideTool spec goes through as it is', async () => {
    server.enqueue(jsonReply(textResponse('ok')));
    const plain = new OpenAIResponses({ modelId: 'custom-model', apiBase: server.url, supportsTools: false });
    await plain.prompt('Search', { tools: [new ServerSideTool({ spec: { type: 'browser_search', depth: 'deep' } })], stream: false, key: 'test' }).text();
    assert.deepEqual(server.requests[0]!.json.tools, [{ type: 'browser_search', depth: 'deep' }]);
    assert.equal(server.requests[0]!.json.include, undefined);
  });

  test('streamed CodeInterpreter: the code and its logs as parts, the text streamed', async () => {
    const call = { id: 'ci_stream', type: 'code_interpreter_call', status: 'completed', container_id: 'cntr_stream', code: 'print(6 * 7)', outputs: [{ type: 'logs', logs: '42\n' }] };
    server.enqueue(
      responsesStream([
        ['response.output_item.added', { output_index: 0, item: { ...call, status: 'in_progress', code: '', outputs: [] } }],
        ['response.code_interpreter_call_code.delta', { output_index: 0, item_id: 'ci_stream', delta: 'print(6 * 7)' }],
        ['response.output_item.done', { output_index: 0, item: call }],
        ['response.output_item.added', { output_index: 1, item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] } }],
        ['response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: '4' }],
        ['response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: '2' }],
        ['response.completed', { response: textResponse('42', [call]) }],
      ]),
    );
    const response = model.prompt('Six times seven?', { tools: [new CodeInterpreter()], key: 'test' });
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    assert.deepEqual(chunks, ['4', '2']);
    assert.ok(server.requests[0]!.json.include.includes('code_interpreter_call.outputs'));
    const [message] = await response.messages();
    assert.deepEqual(message!.parts, [
      { type: 'tool_call', name: 'code_interpreter', arguments: { code: 'print(6 * 7)' }, toolCallId: 'ci_stream', serverExecuted: true },
      { type: 'tool_result', name: 'code_interpreter', output: '42\n', toolCallId: 'ci_stream', serverExecuted: true },
      { type: 'text', text: '42' },
    ]);
  });

  test('streamed WebSearch: parts take the whole item response.completed sends', async () => {
    const partial = webSearchItem(SOURCES.slice(0, 1), RESULTS);
    const whole = webSearchItem(SOURCES, [...RESULTS, { type: 'image_result', image_url: 'https://example.com/2.jpg' }]);
    server.enqueue(
      responsesStream([
        ['response.output_item.done', { output_index: 0, item: partial }],
        ['response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'done' }],
        ['response.completed', { response: textResponse('done', [whole]) }],
      ]),
    );
    const response = model.prompt('Find images', { tools: [new WebSearch({ include_results: true })], key: 'test' });
    assert.equal(await response.text(), 'done');
    const [message] = await response.messages();
    assert.deepEqual((message!.parts[0] as any).arguments.sources, SOURCES);
    assert.equal(JSON.parse((message!.parts[1] as any).output).length, 2);
  });

  test('a status-only search result; the next turn sends neither part back, and resends the tool', async () => {
    const bare = { id: 'ws_9', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'q' } };
    server.enqueue(jsonReply(textResponse('first', [bare])), jsonReply(textResponse('second')));
    const conversation = model.conversation();
    const first = conversation.prompt('one', { tools: [new WebSearch()], stream: false, key: 'test' });
    await first.text();
    assert.deepEqual((await first.messages())[0]!.parts[1], { type: 'tool_result', name: 'web_search', output: 'completed', toolCallId: 'ws_9', serverExecuted: true });
    await (await first.reply('two', { key: 'test', stream: false })).text();
    const second = server.requests[1]!.json;
    assert.deepEqual(second.input, [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'first' },
      { role: 'user', content: 'two' },
    ]);
    assert.deepEqual(second.tools, [{ type: 'web_search' }]);
  });

  test('text, a code call, then more text: two assistant messages, sent back as two (as Python assembles them)', async () => {
    const message = (id: string, text: string) => ({ id, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
    const call = { id: 'ci_1', type: 'code_interpreter_call', status: 'completed', container_id: 'cntr_1', code: 'print(111*111)', outputs: [{ type: 'logs', logs: '12321\n' }] };
    const reply = { id: 'resp_multi', object: 'response', status: 'completed', model: 'gpt-5.6-luna', output: [message('msg_1', 'STEP ONE'), call, message('msg_2', 'DONE 12321')], usage: { input_tokens: 5, output_tokens: 3 } };
    server.enqueue(jsonReply(reply), jsonReply(textResponse('ok')));
    const conversation = model.conversation();
    const response = conversation.prompt('count', { tools: [new CodeInterpreter()], stream: false, key: 'test' });
    assert.equal(await response.text(), 'STEP ONEDONE 12321');
    const messages = await response.messages();
    assert.deepEqual(
      messages.map((m) => m.parts.map((p) => p.type)),
      [['text', 'tool_call', 'tool_result'], ['text']],
    );
    assert.deepEqual(await response.toolCalls(), []);
    await conversation.prompt('thanks', { stream: false, key: 'test' }).text();
    assert.deepEqual(server.requests[1]!.json.input, [
      { role: 'user', content: 'count' },
      { role: 'assistant', content: 'STEP ONE' },
      { role: 'assistant', content: 'DONE 12321' },
      { role: 'user', content: 'thanks' },
    ]);

    // Streamed, the second message starts at its output_item.added.
    server.enqueue(
      responsesStream([
        ['response.output_item.added', { output_index: 0, item: { ...message('msg_1', ''), content: [] } }],
        ['response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'STEP ONE' }],
        ['response.output_item.done', { output_index: 1, item: call }],
        ['response.output_item.added', { output_index: 2, item: { ...message('msg_2', ''), content: [] } }],
        ['response.output_text.delta', { item_id: 'msg_2', output_index: 2, content_index: 0, delta: 'DONE' }],
        ['response.completed', { response: reply }],
      ]),
    );
    const streamed = model.prompt('count', { tools: [new CodeInterpreter()], key: 'test' });
    const events = [];
    for await (const event of streamed.streamEvents()) events.push([event.type, event.messageIndex]);
    assert.deepEqual(events, [
      ['text', 0],
      ['tool_call_name', 0],
      ['tool_call_args', 0],
      ['tool_result', 0],
      ['text', 1],
    ]);
    assert.equal((await streamed.messages()).length, 2);
  });

  test('-o chat_completions: the Chat endpoint takes no server-side tools', async () => {
    const response = model.prompt('hi', { tools: [new WebSearch()], chat_completions: true, key: 'test' });
    await assert.rejects(response.text(), (error: unknown) =>
      error instanceof UsageError && error.message === "Model 'gpt-5.6-luna' does not support server-side tool 'web_search'. Run: llm tools -m gpt-5.6-luna",
    );
    assert.equal(server.requests.length, 0);
  });
});
