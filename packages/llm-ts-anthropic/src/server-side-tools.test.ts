// Anthropic's server-side tools (WebSearch, CodeExecution) against a loopback server
// speaking the Messages API stream: the request (tools, beta header), the server_tool_use and
// *_tool_result blocks recorded as server-executed parts, and sent back as they came.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { Tool, UsageError } from 'llm-ts';
import { providerFixture } from '../../../test/helpers/provider-fixture.js';
import { ClaudeMessages } from './models.js';
import { CodeExecution, WebSearch } from './server-side-tools.js';

type Json = Record<string, unknown>;

let replies: ((res: ServerResponse) => void)[] = [];

function sse(res: ServerResponse, event: string, data: Json): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
}

const SEARCH_USE = { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'llm release' } };
const SEARCH_RESULT = {
  type: 'web_search_tool_result',
  tool_use_id: 'srvtoolu_1',
  content: [{ type: 'web_search_result', url: 'https://llm.datasette.io/', title: 'LLM', encrypted_content: 'enc', page_age: null }],
};
const CODE_USE = { type: 'server_tool_use', id: 'srvtoolu_2', name: 'code_execution', input: { code: 'print(2 ** 10)' } };
const CODE_RESULT = { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_2', content: { type: 'code_execution_result', stdout: '1024\n', stderr: '', return_code: 0 } };
const CITATION = { type: 'web_search_result_location', url: 'https://llm.datasette.io/', title: 'LLM', encrypted_index: 'idx', cited_text: 'LLM' };

/** A stream as Anthropic sends it: a search and some code (inputs as JSON deltas), then cited text. */
function writeServerToolStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  sse(res, 'message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 30, output_tokens: 1 } } });
  let index = 0;
  for (const [use, result] of [
    [SEARCH_USE, SEARCH_RESULT],
    [CODE_USE, CODE_RESULT],
  ] as const) {
    sse(res, 'content_block_start', { index, content_block: { ...use, input: {} } });
    const json = JSON.stringify(use.input);
    sse(res, 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, 5) } });
    sse(res, 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(5) } });
    sse(res, 'content_block_stop', { index });
    index++;
    sse(res, 'content_block_start', { index, content_block: result });
    sse(res, 'content_block_stop', { index });
    index++;
  }
  sse(res, 'content_block_start', { index, content_block: { type: 'text', text: '' } });
  sse(res, 'content_block_delta', { index, delta: { type: 'citations_delta', citation: CITATION } });
  sse(res, 'content_block_delta', { index, delta: { type: 'text_delta', text: 'It is ' } });
  sse(res, 'content_block_delta', { index, delta: { type: 'text_delta', text: '1024.' } });
  sse(res, 'content_block_stop', { index });
  sse(res, 'message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 12, server_tool_use: { web_search_requests: 1 } } });
  sse(res, 'message_stop', {});
  res.end();
}

function writeText(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({ id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'Again.' }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 2 } }),
  );
}

const fixture = providerFixture('ANTHROPIC_BASE_URL', (_req, res) => (replies[fixture.server.requests.length - 1] ?? writeText)(res), {
  perTest: true,
  env: { ANTHROPIC_API_KEY: 'sk-ant-test' },
});

describe('Anthropic server-side tools', () => {
  test('the tool entries, their options and checks; which models take them', () => {
    assert.deepEqual(new WebSearch().toolSpec(), { type: 'web_search_20250305', name: 'web_search' });
    assert.deepEqual(new WebSearch({ max_uses: 3, allowed_domains: ['llm.datasette.io'], user_location: { city: 'London', country: 'GB' } }).toolSpec(), {
      type: 'web_search_20250305',
      name: 'web_search',
      max_uses: 3,
      allowed_domains: ['llm.datasette.io'],
      user_location: { city: 'London', country: 'GB', type: 'approximate' },
    });
    assert.deepEqual(new CodeExecution().toolSpec(), { type: 'code_execution_20250522', name: 'code_execution' });
    const bad = (config: Json, message: string) => assert.throws(() => new WebSearch(config), (e: unknown) => e instanceof UsageError && e.message === message);
    bad({ max_uses: 0 }, 'WebSearch: max_uses must be a positive integer');
    bad({ allowed_domains: ['a.com'], blocked_domains: ['b.com'] }, 'WebSearch: use allowed_domains or blocked_domains, not both');
    bad({ blocked_domains: 'b.com' }, 'WebSearch: blocked_domains must be a list of domain names');
    assert.deepEqual(new ClaudeMessages('claude-sonnet-4-5').supportedServerSideTools.map((cls) => cls.className), ['WebSearch', 'CodeExecution']);
    assert.deepEqual(new ClaudeMessages('claude-3-5-sonnet-latest').supportedServerSideTools.map((cls) => cls.className), ['WebSearch']);
    assert.deepEqual(new ClaudeMessages('claude-3-haiku-20240307').supportedServerSideTools, []);
    assert.equal(new WebSearch().plugin, 'llm-anthropic');
  });

  test('streamed: tools and beta header sent; search and code recorded as server-executed parts; the text and its citations kept', async () => {
    replies = [writeServerToolStream, writeText];
    const model = new ClaudeMessages('claude-sonnet-4-5', { defaultMaxTokens: 1024 });
    const conversation = model.conversation();
    const response = conversation.prompt('What is 2**10?', { tools: [new WebSearch({ max_uses: 2 }), new CodeExecution()] });
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    assert.deepEqual(chunks, ['It is ', '1024.']);
    const request = fixture.server.requests[0]!;
    assert.deepEqual(request.json.tools, [
      { type: 'web_search_20250305', name: 'web_search', max_uses: 2 },
      { type: 'code_execution_20250522', name: 'code_execution' },
    ]);
    assert.equal(request.headers['anthropic-beta'], 'code-execution-2025-05-22');
    assert.equal(request.json.betas, undefined);

    const parts = (await response.messages())[0]!.parts as any[];
    assert.deepEqual(
      parts.map((part) => [part.type, part.name, part.toolCallId, part.serverExecuted]),
      [
        ['tool_call', 'web_search', 'srvtoolu_1', true],
        ['tool_result', 'web_search', 'srvtoolu_1', true],
        ['tool_call', 'code_execution', 'srvtoolu_2', true],
        ['tool_result', 'code_execution', 'srvtoolu_2', true],
        ['text', undefined, undefined, undefined],
      ],
    );
    assert.deepEqual(parts[0].arguments, { query: 'llm release' });
    assert.deepEqual(JSON.parse(parts[1].output), SEARCH_RESULT.content);
    assert.equal(parts[3].output, '{"type": "code_execution_result", "stdout": "1024\\n", "stderr": "", "return_code": 0}');
    assert.deepEqual(await response.toolCalls(), []);
    const json = response.jsonSoFar as any;
    assert.deepEqual(json.content[4].citations, [CITATION]);
    assert.equal((await response.usage()).details?.server_tool_use !== undefined, true);

    // The next turn sends the blocks back as they came, then the text.
    await conversation.prompt('Again?', { stream: false }).text();
    const assistant = fixture.server.requests[1]!.json.messages[1];
    assert.deepEqual(assistant, { role: 'assistant', content: [SEARCH_USE, SEARCH_RESULT, CODE_USE, CODE_RESULT, { type: 'text', text: 'It is 1024.' }] });
  });

  test('function tools and server-side tools are sent in the order given', async () => {
    replies = [writeText];
    const model = new ClaudeMessages('claude-sonnet-4-5', { defaultMaxTokens: 1024 });
    const lookup = new Tool({ name: 'lookup', description: 'Look it up', inputSchema: { type: 'object', properties: {} }, implementation: () => 'x' });
    await model.prompt('Hi', { tools: [new CodeExecution(), lookup, new WebSearch()], stream: false }).text();
    assert.deepEqual(fixture.server.requests[0]!.json.tools.map((tool: any) => tool.name), ['code_execution', 'lookup', 'web_search']);
  });

  test('not streamed: the same parts from the whole message', async () => {
    replies = [
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_3',
            type: 'message',
            role: 'assistant',
            model: 'claude-sonnet-4-5',
            content: [SEARCH_USE, SEARCH_RESULT, { type: 'text', text: 'Found it.', citations: [CITATION] }],
            stop_reason: 'end_turn',
            usage: { input_tokens: 5, output_tokens: 2 },
          }),
        );
      },
    ];
    const response = new ClaudeMessages('claude-sonnet-4-5').prompt('Search', { tools: [new WebSearch()], stream: false });
    assert.equal(await response.text(), 'Found it.');
    assert.equal(fixture.server.requests[0]!.headers['anthropic-beta'], undefined);
    const parts = (await response.messages())[0]!.parts as any[];
    assert.deepEqual(
      parts.map((part) => [part.type, part.serverExecuted]),
      [
        ['tool_call', true],
        ['tool_result', true],
        ['text', undefined],
      ],
    );
  });

  test('a model that does not take code execution says so', () => {
    assert.throws(
      () => new ClaudeMessages('claude-3-5-sonnet-latest').prompt('x', { tools: [new CodeExecution()] }),
      (e: unknown) => e instanceof UsageError && e.message === "Model 'anthropic/claude-3-5-sonnet-latest' does not support server-side tool 'code_execution'. Run: llm tools -m anthropic/claude-3-5-sonnet-latest",
    );
  });
});
