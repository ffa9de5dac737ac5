import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import {
  Attachment,
  Tool,
  getModel,
  getModels,
  registerPlugin,
  retryPolicy,
  setKey,
  unregisterPlugin,
  type Model,
} from 'llm-ts';
import { type FakeServer, type Handler, startFakeServer } from '../../../src/testing/provider-server.ts';
import { tempUserDir } from '../../../test/helpers/user-dir.ts';
import plugin from './index.ts';

const KEY = 'sk-ant-test-secret-key-1234';

interface StreamScript {
  model?: string;
  blocks: ({ type: 'text'; chunks: string[] } | { type: 'thinking'; chunks: string[]; signature?: string } | { type: 'tool_use'; name: string; json: string[]; id?: string })[];
  usage?: Record<string, unknown>;
  finalUsage?: Record<string, unknown>;
  stopReason?: string;
  omitStop?: boolean;
  errorAfter?: number;
}

function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Writes a Messages API stream exactly as Anthropic frames it. */
function writeAnthropicStream(res: ServerResponse, script: StreamScript): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  sse(res, 'message_start', {
    type: 'message_start',
    message: {
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: script.model ?? 'claude-sonnet-4-20250514',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: script.usage ?? { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
    },
  });
  sse(res, 'ping', { type: 'ping' });
  script.blocks.forEach((block, index) => {
    if (block.type === 'text') {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const text of block.chunks) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    } else if (block.type === 'thinking') {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } });
      for (const thinking of block.chunks) {
        sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } });
      }
      sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature ?? 'sig' } });
    } else {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id ?? 'toolu_1', name: block.name, input: {} },
      });
      for (const partial_json of block.json) {
        sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
      }
    }
    if (script.errorAfter === index) {
      sse(res, 'error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      res.end();
      return;
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  if (script.errorAfter !== undefined) return;
  sse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: script.stopReason ?? 'end_turn', stop_sequence: null },
    usage: script.finalUsage ?? { output_tokens: 7 },
  });
  if (!script.omitStop) sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

function textStream(chunks: string[], extra: Partial<StreamScript> = {}): Handler {
  return (_req, res) => writeAnthropicStream(res, { blocks: [{ type: 'text', chunks }], ...extra });
}

let server: FakeServer | undefined;
let cleanup: () => void = () => undefined;
const savedEnv = { ...process.env };

async function serve(handler: Handler): Promise<FakeServer> {
  server = await startFakeServer(handler);
  process.env.ANTHROPIC_BASE_URL = server.url;
  return server;
}

function model(name: string): Model {
  return getModel(name);
}

before(() => registerPlugin(plugin));
after(() => unregisterPlugin(plugin));
beforeEach(() => {
  cleanup = tempUserDir().cleanup;
  process.env.ANTHROPIC_API_KEY = KEY;
  retryPolicy.baseDelayMs = 1;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  cleanup();
  for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

describe('registration', () => {
  test('registers the Claude models with the llm-anthropic ids and aliases', () => {
    assert.equal(model('claude-4-sonnet').modelId, 'anthropic/claude-sonnet-4-0');
    assert.equal(model('claude-3.5-haiku').modelId, 'anthropic/claude-3-5-haiku-latest');
    assert.equal(model('claude-sonnet-4.5').modelId, 'anthropic/claude-sonnet-4-5');
    assert.equal(model('claude-opus-4.1').modelId, 'anthropic/claude-opus-4-1-20250805');
    assert.equal(String(model('claude-3-haiku')), 'Anthropic Messages: anthropic/claude-3-haiku-20240307');
    const ids = getModels().map((m) => m.modelId);
    assert.ok(ids.includes('anthropic/claude-3-opus-20240229'));
  });

  test('PDFs only for the models that take them; thinking options only on thinking models', () => {
    assert.ok(model('claude-3.5-sonnet').attachmentTypes.has('application/pdf'));
    assert.ok(!model('claude-3-haiku').attachmentTypes.has('application/pdf'));
    assert.ok('thinking_budget' in model('claude-3.7-sonnet').optionsSpec);
    assert.ok(!('thinking' in model('claude-3.5-sonnet').optionsSpec));
  });
});

describe('streaming', () => {
  test('streams text, sends the Messages API request, reports usage and response_json', async () => {
    const fake = await serve(
      textStream(['Hel', 'lo'], {
        usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 30, output_tokens: 1 },
      }),
    );
    const response = model('claude-4-sonnet').prompt('Say hello', { system: 'Be brief' });
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    assert.deepEqual(chunks, ['Hel', 'lo']);
    const request = fake.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/messages');
    assert.equal(request.headers['x-api-key'], KEY);
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.deepEqual(request.json, {
      model: 'claude-sonnet-4-0',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
      temperature: 1,
      system: 'Be brief',
      max_tokens: 64000,
      stream: true,
    });
    assert.deepEqual(await response.usage(), { input: 12, output: 7, details: { cache_read_input_tokens: 30 } });
    const json = (await response.json())!;
    assert.equal(json.id, 'msg_test');
    assert.equal(json.stop_reason, 'end_turn');
    assert.equal(json.usage, undefined);
    assert.deepEqual(json.content, [{ type: 'text', text: 'Hello' }]);
    assert.equal(response.resolvedModel, 'claude-sonnet-4-20250514');
  });

  test('thinking deltas become reasoning, kept apart from the text', async () => {
    const fake = await serve((_req, res) =>
      writeAnthropicStream(res, {
        blocks: [
          { type: 'thinking', chunks: ['Let me ', 'think'], signature: 'sig-1' },
          { type: 'text', chunks: ['Answer'] },
        ],
      }),
    );
    const response = model('claude-3.7-sonnet').prompt('Why?', { thinking: true });
    assert.equal(await response.text(), 'Answer');
    assert.equal(response.reasoning, 'Let me think');
    assert.deepEqual(fake.requests[0]!.json.thinking, { type: 'enabled', budget_tokens: 1024 });
    const json = (await response.json())!;
    assert.deepEqual(json.content, [
      { type: 'thinking', thinking: 'Let me think', signature: 'sig-1' },
      { type: 'text', text: 'Answer' },
    ]);
  });

  test('thinking_budget above max_tokens raises max_tokens past it', async () => {
    const fake = await serve(textStream(['ok']));
    await model('claude-3.7-sonnet').prompt('x', { thinking_budget: 10000, max_tokens: 2000 }).text();
    assert.deepEqual(fake.requests[0]!.json.thinking, { type: 'enabled', budget_tokens: 10000 });
    assert.equal(fake.requests[0]!.json.max_tokens, 10001);
  });

  test('a stream cut off before message_stop is an interrupted stream, text kept', async () => {
    await serve(textStream(['partial'], { omitStop: true }));
    const response = model('claude-4-sonnet').prompt('x');
    await assert.rejects(response.text(), (error: Error) => {
      assert.equal(error.name, 'StreamInterruptedError');
      assert.match(error.message, /message_stop/);
      return true;
    });
    assert.equal(response.textSoFar, 'partial');
  });

  test('an error event mid-stream reaches the user as one line naming Anthropic', async () => {
    await serve((_req, res) => writeAnthropicStream(res, { blocks: [{ type: 'text', chunks: [] }], errorAfter: 0 }));
    await assert.rejects(model('claude-4-sonnet').prompt('x').text(), {
      message: 'Anthropic API error: Overloaded',
    });
  });
});

describe('non-streaming', () => {
  test('stream: false reads one JSON message', async () => {
    const fake = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-3-haiku-20240307',
          content: [{ type: 'text', text: 'All at once' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: 5 },
        }),
      );
    });
    const response = model('claude-3-haiku').prompt('x', { stream: false, prefill: 'Well, ' });
    assert.equal(await response.text(), 'Well, All at once');
    assert.equal(fake.requests[0]!.json.stream, undefined);
    assert.deepEqual(fake.requests[0]!.json.messages.at(-1), { role: 'assistant', content: [{ type: 'text', text: 'Well, ' }] });
    assert.deepEqual(await response.usage(), { input: 3, output: 4, details: { cache_creation_input_tokens: 5 } });
    const json = (await response.json())!;
    assert.equal(json.id, 'msg_1');
    assert.equal(json.usage, undefined);
  });
});

describe('options', () => {
  test('are sent as the API expects', async () => {
    const fake = await serve(textStream(['{"a":1}']));
    const response = model('claude-3.5-sonnet').prompt('x', {
      top_p: '0.5',
      top_k: '40',
      max_tokens: '100',
      stop_sequences: '["END", "STOP"]',
      user_id: 'u1',
      prefill: '{',
      hide_prefill: true,
      cache: true,
    });
    assert.equal(await response.text(), '{"a":1}');
    const body = fake.requests[0]!.json;
    assert.equal(body.top_p, 0.5);
    assert.equal(body.temperature, undefined);
    assert.equal(body.top_k, 40);
    assert.equal(body.max_tokens, 100);
    assert.deepEqual(body.stop_sequences, ['END', 'STOP']);
    assert.deepEqual(body.metadata, { user_id: 'u1' });
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: [{ type: 'text', text: '{' }] },
    ]);
  });

  test('a single stop sequence string becomes a list; prefill is shown unless hidden', async () => {
    const fake = await serve(textStream(['"b": 2}']));
    const response = model('claude-3.5-sonnet').prompt('x', { stop_sequences: 'beak', prefill: '{' });
    assert.equal(await response.text(), '{"b": 2}');
    assert.deepEqual(fake.requests[0]!.json.stop_sequences, ['beak']);
  });

  test('invalid options fail at prompt time with one line naming the option', () => {
    const m = model('claude-3.7-sonnet');
    assert.throws(() => m.prompt('x', { temperature: 1.5 }), {
      message: 'Invalid value for option temperature: expected a number between 0 and 1, got 1.5',
    });
    assert.throws(() => m.prompt('x', { top_k: 0 }), { message: /Invalid value for option top_k/ });
    assert.throws(() => m.prompt('x', { max_tokens: 'lots' }), { message: /Invalid value for option max_tokens/ });
    assert.throws(() => m.prompt('x', { temperature: 0.5, top_p: 0.5 }), {
      message: 'Only one of temperature and top_p can be set',
    });
    assert.throws(() => m.prompt('x', { stop_sequences: '[1, 2]' }), {
      message: 'Invalid value for option stop_sequences: stop_sequences must be a list of strings or a single string',
    });
    assert.throws(() => m.prompt('x', { bogus: 1 }), { message: /^Unknown option bogus for model anthropic\/claude-3-7-sonnet-latest/ });
    assert.throws(() => model('claude-3.5-sonnet').prompt('x', { thinking: true }), { message: /Unknown option thinking/ });
    assert.throws(() => model('claude-opus-4.6').prompt('x', { prefill: '{' }), {
      message: /^Prefilling assistant messages is not supported by claude-opus-4-6/,
    });
    assert.throws(() => model('claude-opus-4.5').prompt('x', { thinking_effort: 'extreme' }), {
      message: /Invalid value for option thinking_effort: expected one of low, medium, high/,
    });
  });

  test('thinking_effort goes to output_config with the effort beta on Opus 4.5', async () => {
    const fake = await serve(textStream(['ok']));
    await model('claude-opus-4.5').prompt('x', { thinking_effort: 'high' }).text();
    const request = fake.requests[0]!;
    assert.deepEqual(request.json.output_config, { effort: 'high' });
    assert.deepEqual(request.json.thinking, { type: 'adaptive' });
    assert.equal(request.headers['anthropic-beta'], 'effort-2025-11-24');
  });
});

describe('schemas', () => {
  const schema = { type: 'object', properties: { name: { type: 'string', maxLength: 20 }, age: { type: 'integer' } }, required: ['name', 'age'] };

  test('older models answer through a forced tool, whose input is the text', async () => {
    const fake = await serve((_req, res) =>
      writeAnthropicStream(res, { blocks: [{ type: 'tool_use', name: 'output_structured_data', json: ['{"name": "Rex"', ', "age": 3}'] }] }),
    );
    const response = model('claude-3.5-haiku').prompt('invent a dog', { schema });
    assert.equal(await response.text(), '{"name": "Rex", "age": 3}');
    const body = fake.requests[0]!.json;
    assert.deepEqual(body.tools, [{ name: 'output_structured_data', input_schema: schema }]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'output_structured_data' });
    const json = (await response.json())!;
    assert.deepEqual((json.content as unknown[])[0], {
      type: 'tool_use',
      id: 'toolu_1',
      name: 'output_structured_data',
      input: { name: 'Rex', age: 3 },
    });
  });

  test('newer models use structured outputs', async () => {
    const fake = await serve(textStream(['{"name":"Rex","age":3}']));
    const response = model('claude-sonnet-4.5').prompt('invent a dog', { schema });
    assert.equal(await response.text(), '{"name":"Rex","age":3}');
    const body = fake.requests[0]!.json;
    assert.equal(body.tools, undefined);
    assert.deepEqual(body.output_config, {
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          properties: { name: { type: 'string', description: '{maxLength: 20}' }, age: { type: 'integer' } },
          required: ['name', 'age'],
          additionalProperties: false,
        },
      },
    });
  });
});

describe('tools', () => {
  const multiply = new Tool({
    name: 'multiply',
    description: 'Multiply two numbers',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    implementation: ({ a, b }) => a * b,
  });
  const multiplySpec = { name: 'multiply', description: 'Multiply two numbers', input_schema: multiply.inputSchema };

  test('every Claude model supports tools', () => {
    assert.ok(getModels().filter((m) => m.modelId.startsWith('anthropic/')).every((m) => m.supportsTools));
  });

  test('streamed tool_use blocks become tool calls, their input assembled from input_json_delta', async () => {
    const fake = await serve((_req, res) =>
      writeAnthropicStream(res, {
        stopReason: 'tool_use',
        blocks: [
          { type: 'text', chunks: ['Let me ', 'work that out.'] },
          { type: 'tool_use', id: 'toolu_a', name: 'multiply', json: ['{"a": 3', ', "b": 4}'] },
          { type: 'tool_use', id: 'toolu_b', name: 'multiply', json: ['{"a": 5, "b": 6}'] },
        ],
      }),
    );
    const response = model('claude-4-sonnet').prompt('3*4 and 5*6?', { tools: [multiply] });
    assert.equal(await response.text(), 'Let me work that out.');
    assert.deepEqual(await response.toolCalls(), [
      { name: 'multiply', arguments: { a: 3, b: 4 }, toolCallId: 'toolu_a' },
      { name: 'multiply', arguments: { a: 5, b: 6 }, toolCallId: 'toolu_b' },
    ]);
    const body = fake.requests[0]!.json;
    assert.deepEqual(body.tools, [multiplySpec]);
    assert.equal(body.tool_choice, undefined);
  });

  test('toolChoice: auto, none, required (any) and a named tool as tool_choice', async () => {
    const fake = await serve(textStream(['ok']));
    const choices = ['auto', 'none', 'required', { name: 'multiply' }] as const;
    for (const toolChoice of choices) await model('claude-4-sonnet').prompt('3*4?', { tools: [multiply], toolChoice }).text();
    assert.deepEqual(
      fake.requests.map((r) => r.json.tool_choice),
      [{ type: 'auto' }, { type: 'none' }, { type: 'any' }, { type: 'tool', name: 'multiply' }],
    );
  });

  test('non-streamed tool_use blocks become tool calls; a tool without a schema takes no arguments', async () => {
    const fake = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-3-5-haiku-latest',
          content: [{ type: 'tool_use', id: 'toolu_x', name: 'pelican_name', input: {} }],
          stop_reason: 'tool_use',
          usage: { input_tokens: 3, output_tokens: 4 },
        }),
      );
    });
    const pelicanName = new Tool({ name: 'pelican_name', implementation: () => 'Charles' });
    const response = model('claude-3.5-haiku').prompt('Name a pelican', { tools: [pelicanName], stream: false });
    assert.equal(await response.text(), '');
    assert.deepEqual(await response.toolCalls(), [{ name: 'pelican_name', arguments: {}, toolCallId: 'toolu_x' }]);
    assert.deepEqual(fake.requests[0]!.json.tools, [
      { name: 'pelican_name', description: '', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  test('chain: the call runs locally, its result goes back as a tool_result, then the answer', async () => {
    const fake = await serve((_req, res) => {
      if (fake.requests.length === 1) {
        writeAnthropicStream(res, {
          stopReason: 'tool_use',
          blocks: [
            { type: 'text', chunks: ['Multiplying.'] },
            { type: 'tool_use', id: 'toolu_m', name: 'multiply', json: ['{"a": 1234, "b": 5678}'] },
          ],
        });
      } else {
        writeAnthropicStream(res, { blocks: [{ type: 'text', chunks: ['It is ', '7006652.'] }] });
      }
    });
    const chain = model('claude-4-sonnet').chain('What is 1234 * 5678?', { tools: [multiply], system: 'Use tools' });
    assert.equal(await chain.text(), 'Multiplying. It is 7006652.');
    assert.equal(fake.requests.length, 2);
    const second = fake.requests[1]!.json;
    assert.equal(second.system, 'Use tools');
    assert.deepEqual(second.tools, [multiplySpec]);
    assert.deepEqual(second.messages, [
      { role: 'user', content: [{ type: 'text', text: 'What is 1234 * 5678?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Multiplying.' },
          { type: 'tool_use', id: 'toolu_m', name: 'multiply', input: { a: 1234, b: 5678 } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_m', content: '7006652' }] },
    ]);
  });

  test('a tool error goes back as the tool_result content', async () => {
    const fake = await serve((_req, res) => {
      if (fake.requests.length === 1) {
        writeAnthropicStream(res, { blocks: [{ type: 'tool_use', id: 'toolu_e', name: 'fails', json: ['{}'] }] });
      } else {
        writeAnthropicStream(res, { blocks: [{ type: 'text', chunks: ['Sorry.'] }] });
      }
    });
    const fails = new Tool({
      name: 'fails',
      implementation: () => {
        throw new Error('no pelicans today');
      },
    });
    await model('claude-4-sonnet').chain('go', { tools: [fails] }).text();
    assert.deepEqual(fake.requests[1]!.json.messages.at(-1), {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_e', content: 'Error: no pelicans today' }],
    });
  });

  test('a schema and tools together are refused, as llm-anthropic does, before any request', async () => {
    const fake = await serve(textStream(['never']));
    const response = model('claude-3.5-haiku').prompt('x', { tools: [multiply], schema: { type: 'object', properties: {} } });
    await assert.rejects(response.text(), {
      message: 'llm-anthropic does not yet support using both schema and tools in the same prompt',
    });
    assert.equal(fake.requests.length, 0);
  });
});

describe('attachments and history', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );

  test('images go as base64 image blocks, PDFs as documents, URLs as url sources', async () => {
    const fake = await serve(textStream(['seen']));
    const attachments = [
      new Attachment({ content: PNG }),
      new Attachment({ content: Buffer.from('%PDF-1.4 test'), type: 'application/pdf' }),
      new Attachment({ url: 'https://example.com/cat.jpg', type: 'image/jpeg' }),
    ];
    await model('claude-3.5-sonnet').prompt('describe', { attachments }).text();
    assert.deepEqual(fake.requests[0]!.json.messages[0].content, [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') } },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: Buffer.from('%PDF-1.4 test').toString('base64') },
      },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'text', text: 'describe' },
    ]);
  });

  test('a PDF for a model without PDF support is refused before any request', async () => {
    const fake = await serve(textStream(['no']));
    const attachment = new Attachment({ content: Buffer.from('%PDF-1.4'), type: 'application/pdf' });
    await assert.rejects(async () => model('claude-3-haiku').prompt('x', { attachments: [attachment] }).text(), {
      message: /does not support attachments of type 'application\/pdf'/,
    });
    assert.equal(fake.requests.length, 0);
  });

  test('a conversation sends earlier turns as alternating user/assistant messages', async () => {
    let n = 0;
    const fake = await serve((_req, res) => writeAnthropicStream(res, { blocks: [{ type: 'text', chunks: [`reply ${++n}`] }] }));
    const conversation = model('claude-4-sonnet').conversation();
    assert.equal(await conversation.prompt('first', { system: 'sys' }).text(), 'reply 1');
    assert.equal(await conversation.prompt('second', { system: 'sys' }).text(), 'reply 2');
    const body = fake.requests[1]!.json;
    assert.equal(body.system, 'sys');
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'first' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'reply 1' }] },
      { role: 'user', content: [{ type: 'text', text: 'second' }] },
    ]);
  });

  test('thinking blocks are replayed with their signature', async () => {
    let n = 0;
    const fake = await serve((_req, res) =>
      writeAnthropicStream(res, {
        blocks: n++ === 0 ? [{ type: 'thinking', chunks: ['hmm'], signature: 'sig-a' }, { type: 'text', chunks: ['one'] }] : [{ type: 'text', chunks: ['two'] }],
      }),
    );
    const conversation = model('claude-3.7-sonnet').conversation();
    await conversation.prompt('a', { thinking: true }).text();
    await conversation.prompt('b', { thinking: true }).text();
    assert.deepEqual(fake.requests[1]!.json.messages[1], {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig-a' },
        { type: 'text', text: 'one' },
      ],
    });
  });
});

describe('keys and errors', () => {
  test('without a key, says how to set one', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    await serve(textStream(['x']));
    await assert.rejects(model('claude-4-sonnet').prompt('x').text(), {
      message: "No key found - add one using 'llm keys set anthropic' or set the ANTHROPIC_API_KEY environment variable",
    });
  });

  test('a key stored with llm keys set anthropic is used', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    setKey('anthropic', 'sk-ant-stored-key');
    const fake = await serve(textStream(['x']));
    await model('claude-4-sonnet').prompt('x').text();
    assert.equal(fake.requests[0]!.headers['x-api-key'], 'sk-ant-stored-key');
  });

  test('an API error is one line with the provider message, the key scrubbed', async () => {
    await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `bad request for ${KEY}` } }));
    });
    await assert.rejects(model('claude-4-sonnet').prompt('x').text(), (error: Error) => {
      assert.equal(error.message, 'Anthropic API error 400: bad request for [REDACTED]');
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  });

  test('overloaded (529) is retried like any 5xx', async () => {
    let calls = 0;
    const fake = await serve((req, res) => {
      if (++calls === 1) {
        res.writeHead(529, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
        return;
      }
      textStream(['fine'])(req, res);
    });
    assert.equal(await model('claude-4-sonnet').prompt('x').text(), 'fine');
    assert.equal(fake.requests.length, 2);
  });

  test('a 401 is not retried', async () => {
    const fake = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
    });
    await assert.rejects(model('claude-4-sonnet').prompt('x').text(), { message: 'Anthropic API error 401: invalid x-api-key' });
    assert.equal(fake.requests.length, 1);
  });
});
