// Gemini's server-side tools (GoogleSearch, URLContext, CodeExecution) against a loopback
// server speaking the generateContent SSE format: the request, the parts recorded as Python's
// llm-gemini records them, and the native parts sent back on the next turn.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { UsageError, Tool } from 'llm-ts';
import { providerFixture } from '../../../test/helpers/provider-fixture.js';
import { GeminiPro } from './models.js';
import { CodeExecution, GoogleSearch, URLContext } from './server-side-tools.js';

type Chunk = Record<string, unknown>;

let chunks: Chunk[][] = [];

function writeSse(res: ServerResponse, items: Chunk[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of items) res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
  res.end();
}

const candidate = (parts: Chunk[], extra: Chunk = {}): Chunk => ({ candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }], modelVersion: 'gemini-3-flash-preview' });
const finish = (parts: Chunk[], extra: Chunk = {}): Chunk => ({
  ...candidate(parts, { finishReason: 'STOP', ...extra }),
  usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4, totalTokenCount: 13 },
});

const fixture = providerFixture('GEMINI_BASE_URL', (_req, res) => writeSse(res, chunks[fixture.server.requests.length - 1] ?? []), {
  perTest: true,
  env: { GEMINI_API_KEY: 'test-key' },
});

describe('Gemini server-side tools', () => {
  test('each model claims what it supports; the classes are logged under llm-gemini', () => {
    assert.deepEqual(new GeminiPro('gemini-3-flash-preview').supportedServerSideTools.map((cls) => cls.className), ['GoogleSearch', 'URLContext', 'CodeExecution']);
    assert.deepEqual(new GeminiPro('gemini-2.0-flash').supportedServerSideTools.map((cls) => cls.className), ['GoogleSearch']);
    assert.deepEqual(new GeminiPro('gemma-3-27b-it').supportedServerSideTools, []);
    const search = new GoogleSearch();
    assert.equal(search.name, 'google_search');
    assert.equal(search.plugin, 'llm-gemini');
    assert.deepEqual(search.instance, { toolboxName: 'GoogleSearch', config: {} });
    assert.throws(
      () => new GeminiPro('gemma-3-27b-it').prompt('x', { tools: [new CodeExecution()] }),
      (error: unknown) => error instanceof UsageError && error.message === "Model 'gemini/gemma-3-27b-it' does not support server-side tool 'code_execution'. Run: llm tools -m gemini/gemma-3-27b-it",
    );
  });

  test('Gemini 3: search and code sent with the invocations asked for; toolCall/toolResponse and code parts recorded, then sent back as they came', async () => {
    const searchCall = { toolCall: { toolType: 'GOOGLE_SEARCH_WEB', args: { queries: ['llm release'] }, id: 'srv_1' }, thoughtSignature: 'sig1' };
    const searchResult = { toolResponse: { toolType: 'GOOGLE_SEARCH_WEB', response: { search_suggestions: 'llm' } } };
    const code = { executableCode: { language: 'PYTHON', code: 'print(2 ** 10)' } };
    const codeResult = { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '1024\n' } };
    const grounding = { webSearchQueries: ['llm release'], groundingChunks: [{ web: { uri: 'https://llm.datasette.io/', title: 'LLM' } }] };
    chunks = [[candidate([searchCall, searchResult]), candidate([code, codeResult]), finish([{ text: 'It is 1024.' }], { groundingMetadata: grounding })], [finish([{ text: 'Again.' }])]];
    const model = new GeminiPro('gemini-3-flash-preview');
    const conversation = model.conversation();
    const response = conversation.prompt('What is 2**10?', { tools: [new GoogleSearch(), new URLContext(), new CodeExecution()] });
    assert.equal(await response.text(), 'It is 1024.');
    const body = fixture.server.requests[0]!.json;
    assert.deepEqual(body.tools, [{ googleSearch: {} }, { urlContext: {} }, { codeExecution: {} }]);
    assert.deepEqual(body.toolConfig, { includeServerSideToolInvocations: true, functionCallingConfig: { mode: 'VALIDATED' } });

    const parts = (await response.messages())[0]!.parts as any[];
    assert.deepEqual(
      parts.map((part) => [part.type, part.name, part.toolCallId, part.serverExecuted]),
      [
        ['tool_call', 'google_search', 'srv_1', true],
        ['tool_result', 'google_search', 'srv_1', true],
        ['tool_call', 'code_execution', parts[2].toolCallId, true],
        ['tool_result', 'code_execution', parts[2].toolCallId, true],
        ['text', undefined, undefined, undefined],
      ],
    );
    assert.match(parts[2].toolCallId, /^code_[0-9a-f]{32}$/);
    assert.deepEqual(parts[0].arguments, { queries: ['llm release'] });
    assert.equal(parts[1].output, '{"search_suggestions": "llm"}');
    assert.deepEqual(parts[2].arguments, { language: 'PYTHON', code: 'print(2 ** 10)' });
    assert.equal(parts[3].output, '{"outcome": "OUTCOME_OK", "output": "1024\\n"}');
    // The grounding goes on the text part (as llm-gemini puts it) and stays in the response JSON.
    assert.deepEqual(parts[4].providerMetadata, { gemini: { groundingMetadata: grounding } });
    assert.deepEqual((response.jsonSoFar as any).candidates[0].groundingMetadata, grounding);

    await (await conversation.prompt('Again?', { tools: [new GoogleSearch()] })).text();
    const replayed = fixture.server.requests[1]!.json.contents[1];
    assert.deepEqual(replayed, { role: 'model', parts: [searchCall, searchResult, code, codeResult, { text: 'It is 1024.' }] });
  });

  test('grounding that comes in a chunk of its own joins the text before it', async () => {
    const grounding = { webSearchQueries: ['q'] };
    chunks = [[candidate([{ text: 'Part one, ' }]), candidate([{ text: 'part two.' }]), finish([], { groundingMetadata: grounding })]];
    const response = new GeminiPro('gemini-2.5-flash').prompt('x', { tools: [new GoogleSearch()] });
    assert.equal(await response.text(), 'Part one, part two.');
    assert.deepEqual((await response.messages())[0]!.parts, [{ type: 'text', text: 'Part one, part two.', providerMetadata: { gemini: { groundingMetadata: grounding } } }]);
    assert.deepEqual(fixture.server.requests[0]!.json.tools, [{ googleSearch: {} }]);
  });

  test('before Gemini 3: no invocations asked for, and no mixing with function tools', async () => {
    chunks = [[finish([{ text: 'ok' }])]];
    const flash = new GeminiPro('gemini-2.5-flash');
    await flash.prompt('x', { tools: [new CodeExecution()] }).text();
    assert.deepEqual(fixture.server.requests[0]!.json.tools, [{ codeExecution: {} }]);
    assert.equal(fixture.server.requests[0]!.json.toolConfig, undefined);
    const multiply = new Tool({ name: 'multiply', implementation: () => 2 });
    await assert.rejects(
      flash.prompt('x', { tools: [multiply, new CodeExecution()] }).text(),
      (error: unknown) => error instanceof UsageError && error.message === 'Combining server-side tools with function tools is only supported by Gemini 3 models',
    );
    assert.equal(fixture.server.requests.length, 1);
  });
});
