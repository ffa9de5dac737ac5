import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import {
  ApiError,
  Attachment,
  AuthenticationError,
  ConnectionError,
  getEmbeddingModel,
  getModel,
  NeedsKeyError,
  OptionsError,
  RateLimitError,
  registerPlugin,
  retryPolicy,
  SchemaError,
  setKey,
  StreamInterruptedError,
  Tool,
  UsageError,
  unregisterPlugin,
} from 'llm-ts';
import { type FakeServer, type Handler, type RecordedRequest, startFakeServer } from '../../../src/testing/provider-server.js';
import { tempUserDir } from '../../../test/helpers/user-dir.js';
import plugin, { GeminiEmbeddingModel, GeminiPro } from './index.js';
import { CHAT_MODEL_IDS, EMBEDDING_MODELS } from './catalog.js';
import { cleanupSchema } from './request.js';

const KEY = 'AIzaTEST-secret-key-0123456789';

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

type Chunk = Record<string, unknown>;

function textChunk(text: string, extra: Chunk = {}, partExtra: Chunk = {}): Chunk {
  return {
    candidates: [{ content: { parts: [{ text, ...partExtra }], role: 'model' }, index: 0, ...extra }],
    usageMetadata: { promptTokenCount: 7, totalTokenCount: 7, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }] },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'resp-1',
  };
}

function finalChunk(text: string, usage: Chunk = {}): Chunk {
  return {
    candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: 7,
      candidatesTokenCount: 4,
      totalTokenCount: 11,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }],
      ...usage,
    },
    modelVersion: 'gemini-2.5-flash-001',
    responseId: 'resp-1',
  };
}

/** Writes an SSE stream the way Gemini does (`alt=sse`, CRLF event ends). */
function writeSse(res: ServerResponse, chunks: Chunk[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
  res.end();
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const defaultStream: Handler = (_req, res) => writeSse(res, [textChunk('Hello'), finalChunk(' world')]);

let server: FakeServer;
let handler: Handler = defaultStream;
let userDir: ReturnType<typeof tempUserDir>;
const savedEnv: Record<string, string | undefined> = {};
const savedPolicy = { ...retryPolicy };

before(async () => {
  server = await startFakeServer((req, res) => handler(req, res));
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  for (const name of ['GEMINI_BASE_URL', 'GEMINI_API_KEY', 'LLM_GEMINI_KEY']) savedEnv[name] = process.env[name];
  userDir = tempUserDir();
  process.env.GEMINI_BASE_URL = server.url;
  process.env.GEMINI_API_KEY = KEY;
  delete process.env.LLM_GEMINI_KEY;
  server.requests.length = 0;
  handler = defaultStream;
  retryPolicy.baseDelayMs = 1;
  retryPolicy.maxAttempts = 3;
});
afterEach(() => {
  userDir.cleanup();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  Object.assign(retryPolicy, savedPolicy);
});

const flash = () => new GeminiPro('gemini-2.5-flash');
const last = (): RecordedRequest => server.requests[server.requests.length - 1]!;

describe('registration', () => {
  test('registers gemini/<id> models with the bare id as alias, and the embedding models', () => {
    registerPlugin(plugin);
    try {
      const model = getModel('gemini-2.5-flash');
      assert.equal(model.modelId, 'gemini/gemini-2.5-flash');
      assert.equal(String(model), 'GeminiPro: gemini/gemini-2.5-flash');
      assert.equal(getModel('gemini/gemini-3-pro-preview').modelId, 'gemini/gemini-3-pro-preview');
      assert.equal(getEmbeddingModel('gemini-embedding-001').modelId, 'gemini-embedding-001');
      assert.equal(getEmbeddingModel('text-embedding-004').modelId, 'text-embedding-004');
    } finally {
      unregisterPlugin(plugin);
    }
  });

  test('options follow each model\'s capabilities', () => {
    const flashOptions = Object.keys(flash().optionsSpec);
    assert.deepEqual(flashOptions, [
      'code_execution',
      'temperature',
      'max_output_tokens',
      'top_p',
      'top_k',
      'json_object',
      'timeout',
      'url_context',
      'google_search',
      'thinking_budget',
      'media_resolution',
    ]);
    const pro3 = new GeminiPro('gemini-3-pro-preview');
    assert.deepEqual(pro3.optionsSpec.thinking_level?.choices, ['low', 'high']);
    assert.equal(pro3.optionsSpec.thinking_budget, undefined);
    const gemma = new GeminiPro('gemma-3-1b-it');
    assert.equal(gemma.attachmentTypes.size, 0);
    assert.equal(gemma.supportsSchema, false);
    assert.equal(gemma.optionsSpec.code_execution, undefined);
    assert.equal(flash().supportsSchema, true);
    assert.ok(flash().attachmentTypes.has('application/pdf'));
  });

  test('importing the plugin does not load the request code', () => {
    const built = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');
    const staticImports = [...built.matchAll(/(?:from|^import)\s+"(\.[^"]+)"/gm)].map((m) => m[1]!);
    assert.ok(staticImports.length > 0);
    for (const path of staticImports) {
      const chunk = readFileSync(new URL(`../dist/${path}`, import.meta.url), 'utf8');
      assert.doesNotMatch(chunk, /streamGenerateContent/, `${path} holds request code`);
    }
    assert.match(built + staticImports.map((p) => readFileSync(new URL(`../dist/${p}`, import.meta.url), 'utf8')).join(''), /import\("\.\/request-/);
  });
});

describe('streaming', () => {
  test('streams text, reports usage, the resolved model and the payload', async () => {
    const response = flash().prompt('Say hello');
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    assert.deepEqual(chunks, ['Hello', ' world']);
    const request = last();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.equal(request.headers['x-goog-api-key'], KEY);
    assert.ok(!request.path.includes(KEY));
    assert.deepEqual(request.json.contents, [{ role: 'user', parts: [{ text: 'Say hello' }] }]);
    assert.equal(request.json.safetySettings.length, 4);
    assert.deepEqual(await response.usage(), {
      input: 7,
      output: 4,
      details: { candidatesTokenCount: 4, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 7 }] },
    });
    assert.equal(response.resolvedModel, 'gemini-2.5-flash-001');
    const json = await response.json();
    assert.deepEqual(json, {
      candidates: [{ finishReason: 'STOP', index: 0 }],
      modelVersion: 'gemini-2.5-flash-001',
      responseId: 'resp-1',
    });
  });

  test('thinking parts become reasoning, and thought tokens count as output', async () => {
    handler = (_req, res) =>
      writeSse(res, [
        textChunk('Let me think.', {}, { thought: true }),
        textChunk('', {}, { thoughtSignature: 'sig-1' }),
        textChunk('Answer'),
        finalChunk('!', { thoughtsTokenCount: 12 }),
      ]);
    const response = flash().prompt('Think');
    assert.equal(await response.text(), 'Answer!');
    assert.equal(response.reasoning, 'Let me think.');
    assert.deepEqual(last().json.generationConfig, { thinkingConfig: { includeThoughts: true } });
    const usage = await response.usage();
    assert.equal(usage.output, 16);
    assert.equal(usage.details?.thoughtsTokenCount, 12);
    assert.deepEqual((await response.messages())[0]!.parts.map((p) => p.type), ['reasoning', 'text']);
  });

  test('hideReasoning stops asking for thoughts; models without thinking never ask', async () => {
    await flash().prompt('x', { hideReasoning: true }).text();
    assert.equal(last().json.generationConfig, undefined);
    await new GeminiPro('gemini-2.0-flash').prompt('x').text();
    assert.equal(last().json.generationConfig, undefined);
  });

  test('tool-use prompt tokens count as input', async () => {
    handler = (_req, res) => writeSse(res, [finalChunk('ok', { toolUsePromptTokenCount: 3 })]);
    const usage = await flash().prompt('x').usage();
    assert.equal(usage.input, 10);
  });

  test('code execution parts are shown as fenced blocks', async () => {
    handler = (_req, res) =>
      writeSse(res, [
        {
          candidates: [
            {
              content: {
                parts: [
                  { executableCode: { language: 'PYTHON', code: 'print(1 + 1)\n' } },
                  { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '2\n' } },
                ],
              },
            },
          ],
        },
        finalChunk('Done'),
      ]);
    // As llm-gemini records them now: the code and its result are server-executed parts, not text.
    const response = flash().prompt('calc', { code_execution: true });
    assert.equal(await response.text(), 'Done');
    assert.deepEqual(last().json.tools, [{ codeExecution: {} }]);
    const parts = (await response.messages())[0]!.parts;
    assert.deepEqual(
      parts.map((part) => [part.type, 'name' in part ? part.name : undefined, part.type === 'tool_result' ? part.output : undefined]),
      [
        ['tool_call', 'code_execution', undefined],
        ['tool_result', 'code_execution', '{"outcome": "OUTCOME_OK", "output": "2\\n"}'],
        ['text', undefined, undefined],
      ],
    );
  });

  test('an error event inside the stream is one clear line', async () => {
    handler = (_req, res) =>
      writeSse(res, [{ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }]);
    await assert.rejects(flash().prompt('x').text(), (error: unknown) => {
      assert.ok(ApiError.is(error));
      assert.equal((error as Error).message, 'Gemini API error 503: The model is overloaded.');
      return true;
    });
  });

  test('a stream that ends before finishReason is reported as cut off, keeping the text', async () => {
    handler = (_req, res) => writeSse(res, [textChunk('Partial')]);
    const response = flash().prompt('x');
    await assert.rejects(response.text(), (error: unknown) => {
      assert.ok(StreamInterruptedError.is(error));
      assert.match((error as Error).message, /cut off after 7 characters: Gemini stream ended before the response was complete/);
      return true;
    });
    assert.equal(response.textSoFar, 'Partial');
  });

  test('a blocked prompt says so', async () => {
    handler = (_req, res) => writeSse(res, [{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 3 } }]);
    await assert.rejects(flash().prompt('x').text(), { message: 'Gemini blocked the prompt (PROHIBITED_CONTENT)' });
  });

  test('the timeout option aborts a server that does not answer', async () => {
    handler = () => {
      /* never answers */
    };
    await assert.rejects(flash().prompt('x', { timeout: 0.05 }).text(), (error: unknown) => {
      assert.ok(ConnectionError.is(error));
      assert.equal((error as Error).message, 'Gemini did not answer within the timeout of 0.05 seconds');
      return true;
    });
  });
});

describe('non-streaming', () => {
  test('uses generateContent and reads the whole reply', async () => {
    handler = (_req, res) => writeJson(res, 200, finalChunk('All at once'));
    const response = flash().prompt('x', { stream: false });
    assert.equal(await response.text(), 'All at once');
    assert.equal(last().path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal((await response.usage()).input, 7);
    assert.equal(response.resolvedModel, 'gemini-2.5-flash-001');
  });
});

describe('request body', () => {
  test('system prompt and conversation history with user/model roles', async () => {
    const conversation = flash().conversation();
    await conversation.prompt('First', { system: 'Be brief' }).text();
    assert.deepEqual(last().json.systemInstruction, { parts: [{ text: 'Be brief' }] });
    await conversation.prompt('Second', { system: 'Be brief' }).text();
    assert.deepEqual(last().json.contents, [
      { role: 'user', parts: [{ text: 'First' }] },
      { role: 'model', parts: [{ text: 'Hello world' }] },
      { role: 'user', parts: [{ text: 'Second' }] },
    ]);
    assert.deepEqual(last().json.systemInstruction, { parts: [{ text: 'Be brief' }] });
  });

  test('explicit messages: system from the messages, reasoning left out, tool calls and results mapped', async () => {
    await flash()
      .prompt('Next', {
        messages: [
          { role: 'system', parts: [{ type: 'text', text: 'You are terse' }] },
          { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'hmm' },
              { type: 'text', text: 'Hello', providerMetadata: { gemini: { thoughtSignature: 'sig' } } },
              { type: 'tool_call', name: 'lookup', arguments: { q: 'x' }, toolCallId: 'c1' },
            ],
          },
          { role: 'tool', parts: [{ type: 'tool_result', name: 'lookup', output: '42', toolCallId: 'c1' }] },
        ],
      })
      .text();
    const body = last().json;
    assert.deepEqual(body.systemInstruction, { parts: [{ text: 'You are terse' }] });
    assert.deepEqual(body.contents, [
      { role: 'user', parts: [{ text: 'Hi' }] },
      {
        role: 'model',
        parts: [{ text: 'Hello', thoughtSignature: 'sig' }, { functionCall: { name: 'lookup', args: { q: 'x' }, id: 'c1' } }],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { output: '42' }, id: 'c1' } }] },
      { role: 'user', parts: [{ text: 'Next' }] },
    ]);
  });

  test('images, audio and PDFs go inline as base64; YouTube links by reference; other URLs are fetched', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%test\n');
    handler = (req, res) => {
      if (req.path === '/file.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(req.method === 'HEAD' ? undefined : PNG);
        return;
      }
      defaultStream(req, res);
    };
    await flash()
      .prompt('Describe', {
        attachments: [
          new Attachment({ content: PNG }),
          new Attachment({ content: Buffer.from('ID3fake'), type: 'audio/mpeg' }),
          new Attachment({ content: pdf, type: 'application/pdf' }),
          new Attachment({ url: 'https://www.youtube.com/watch?v=abc123', type: 'video/mp4' }),
          new Attachment({ url: `${server.url}/file.png` }),
        ],
      })
      .text();
    const parts = server.requests.find((r) => r.path.includes(':stream'))!.json.contents[0].parts;
    assert.deepEqual(parts, [
      { text: 'Describe' },
      { inlineData: { data: PNG.toString('base64'), mimeType: 'image/png' } },
      { inlineData: { data: Buffer.from('ID3fake').toString('base64'), mimeType: 'audio/mp3' } },
      { inlineData: { data: pdf.toString('base64'), mimeType: 'application/pdf' } },
      { fileData: { mimeType: 'video/youtube', fileUri: 'https://www.youtube.com/watch?v=abc123' } },
      { inlineData: { data: PNG.toString('base64'), mimeType: 'image/png' } },
    ]);
  });

  test('an attachment type Gemini does not take is refused before sending', async () => {
    const attachments = [new Attachment({ content: Buffer.from('{}'), type: 'application/json' })];
    // Checked when the prompt is made or when it is first read, depending on the core.
    await assert.rejects(async () => flash().prompt('x', { attachments }).text(), {
      message: /does not support attachments of type 'application\/json', only application\/ogg, application\/pdf/,
    });
    assert.equal(server.requests.length, 0);
  });

  test('options map to generationConfig and tools', async () => {
    await flash()
      .prompt('x', {
        temperature: '0.5',
        max_output_tokens: 100,
        top_p: 0.9,
        top_k: 40,
        json_object: true,
        thinking_budget: 0,
        google_search: true,
        url_context: true,
        media_resolution: 'high',
      })
      .text();
    const body = last().json;
    assert.deepEqual(body.generationConfig, {
      thinkingConfig: { thinkingBudget: 0, includeThoughts: true },
      responseMimeType: 'application/json',
      temperature: 0.5,
      maxOutputTokens: 100,
      topP: 0.9,
      topK: 40,
      mediaResolution: 'MEDIA_RESOLUTION_HIGH',
    });
    assert.deepEqual(body.tools, [{ googleSearch: {} }, { urlContext: {} }]);

    await new GeminiPro('gemini-3-pro-preview').prompt('x', { thinking_level: 'low' }).text();
    assert.deepEqual(last().json.generationConfig, { thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } });

    await new GeminiPro('gemini-1.5-pro-002').prompt('x', { google_search: true }).text();
    assert.deepEqual(last().json.tools, [{ googleSearchRetrieval: {} }]);
  });

  test('options are validated strictly, naming the option', () => {
    assert.throws(() => flash().prompt('x', { temperature: 3 }), {
      message: 'Invalid value for option temperature: expected a number between 0 and 2, got 3',
    });
    assert.throws(() => flash().prompt('x', { top_k: 0 }), OptionsError);
    assert.throws(() => flash().prompt('x', { thinking_level: 'low' }), {
      message: /^Unknown option thinking_level for model gemini\/gemini-2.5-flash; valid options: code_execution, temperature/,
    });
    assert.throws(() => new GeminiPro('gemini-3-pro-preview').prompt('x', { thinking_level: 'medium' }), {
      message: 'Invalid value for option thinking_level: expected one of low, high, got "medium"',
    });
    assert.throws(() => flash().prompt('x', { timeout: -1 }), {
      message: 'Invalid value for option timeout: expected a number of at least 0, got -1',
    });
    assert.throws(() => flash().prompt('x', { json_object: 'maybe' }), OptionsError);
  });

  test('schemas become responseSchema, cleaned as llm-gemini cleans them', async () => {
    await flash()
      .prompt('Dogs', {
        schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          title: 'Dogs',
          type: 'object',
          additionalProperties: false,
          properties: {
            title: { type: 'string' },
            dog: { $ref: '#/$defs/Dog' },
          },
          required: ['title', 'dog'],
          $defs: { Dog: { title: 'Dog', type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } } },
        },
      })
      .text();
    assert.deepEqual(last().json.generationConfig.responseMimeType, 'application/json');
    assert.deepEqual(last().json.generationConfig.responseSchema, {
      type: 'object',
      properties: {
        title: { type: 'string' },
        // Inside `properties` llm-gemini keeps every key, an inlined definition included.
        dog: { title: 'Dog', type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } },
      },
      required: ['title', 'dog'],
    });
  });

  test('a recursive schema is refused with a clear message', async () => {
    const schema = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } },
    };
    await assert.rejects(flash().prompt('x', { schema }).text(), (error: unknown) => {
      assert.ok(SchemaError.is(error));
      assert.equal((error as Error).message, "Recursive schema detected: 'Node' directly references itself; Gemini does not support recursive schemas");
      return true;
    });
    assert.equal(server.requests.length, 0);
  });

  test('cleanupSchema matches llm-gemini on its own cases', () => {
    assert.deepEqual(
      cleanupSchema({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Example', additionalProperties: false, type: 'object' }),
      { type: 'object' },
    );
    assert.deepEqual(
      cleanupSchema({
        definitions: {
          info: {
            title: 'Info title',
            description: 'A description',
            properties: { name: { title: 'Name Title', type: 'string' }, $schema: { type: 'string' } },
          },
        },
        $schema: 'http://example.com/schema',
      }),
      { definitions: { info: { description: 'A description', properties: { name: { title: 'Name Title', type: 'string' }, $schema: { type: 'string' } } } } },
    );
    assert.deepEqual(cleanupSchema([{ $schema: 'x', type: 'object' }, { title: 'Should be removed', type: 'array' }]), [
      { type: 'object' },
      { type: 'array' },
    ]);
    const input = { title: 'kept in the caller', type: 'object' };
    cleanupSchema(input);
    assert.equal(input.title, 'kept in the caller');
  });
});

describe('tools', () => {
  const multiply = new Tool({
    name: 'multiply',
    description: 'Multiply two numbers',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      title: 'MultiplyArgs',
      properties: { a: { type: 'integer', title: 'A' }, b: { $ref: '#/$defs/Num' } },
      required: ['a', 'b'],
      additionalProperties: false,
      $defs: { Num: { type: 'integer', title: 'Num' } },
    },
    implementation: ({ a, b }) => a * b,
  });
  const multiplyDeclaration = {
    name: 'multiply',
    description: 'Multiply two numbers',
    // As in llm-gemini, titles inside `properties` stay (they could be field names).
    parameters: {
      type: 'object',
      properties: { a: { type: 'integer', title: 'A' }, b: { type: 'integer', title: 'Num' } },
      required: ['a', 'b'],
    },
  };

  function callChunk(calls: Chunk[], extra: Chunk = {}): Chunk {
    return {
      candidates: [{ content: { parts: calls, role: 'model' }, index: 0, ...extra }],
      usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 3, totalTokenCount: 10 },
      modelVersion: 'gemini-2.5-flash',
    };
  }

  test('every Gemini chat model supports tools', () => {
    for (const id of CHAT_MODEL_IDS) assert.ok(new GeminiPro(id).supportsTools, id);
  });

  test('tools go as functionDeclarations, their schemas cleaned as llm-gemini cleans them', async () => {
    const ping = new Tool({ name: 'ping', implementation: () => 'pong' });
    await flash().prompt('x', { tools: [multiply, ping], code_execution: true }).text();
    assert.deepEqual(last().json.tools, [{ codeExecution: {} }, { functionDeclarations: [multiplyDeclaration, { name: 'ping' }] }]);
    assert.ok(multiply.inputSchema.$defs, 'the tool keeps its own schema');
  });

  test('toolChoice goes as toolConfig.functionCallingConfig: AUTO, NONE, ANY, or ANY with the one name allowed', async () => {
    const choices = ['auto', 'none', 'required', { name: 'multiply' }] as const;
    const sent = [];
    for (const toolChoice of choices) {
      await flash().prompt('x', { tools: [multiply], toolChoice }).text();
      sent.push(last().json.toolConfig);
    }
    assert.deepEqual(sent, [
      { functionCallingConfig: { mode: 'AUTO' } },
      { functionCallingConfig: { mode: 'NONE' } },
      { functionCallingConfig: { mode: 'ANY' } },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['multiply'] } },
    ]);
  });

  test('streamed functionCall parts become tool calls, with the id Gemini gives or one of ours', async () => {
    handler = (_req, res) =>
      writeSse(res, [
        callChunk([{ functionCall: { name: 'multiply', args: { a: 3, b: 4 }, id: 'fc-1' } }]),
        callChunk([{ functionCall: { name: 'multiply', args: { a: 5, b: 6 } } }], { finishReason: 'STOP' }),
      ]);
    const response = flash().prompt('3*4 and 5*6', { tools: [multiply] });
    assert.equal(await response.text(), '');
    const calls = await response.toolCalls();
    assert.deepEqual(calls[0], { name: 'multiply', arguments: { a: 3, b: 4 }, toolCallId: 'fc-1' });
    assert.equal(calls[1]!.name, 'multiply');
    assert.deepEqual(calls[1]!.arguments, { a: 5, b: 6 });
    assert.match(calls[1]!.toolCallId!, /^tc_/);
  });

  test('non-streamed functionCall parts become tool calls', async () => {
    handler = (_req, res) =>
      writeJson(res, 200, callChunk([{ text: 'Let me check. ' }, { functionCall: { name: 'multiply', args: { a: 2, b: 2 } } }], { finishReason: 'STOP' }));
    const response = flash().prompt('2*2', { tools: [multiply], stream: false });
    assert.equal(await response.text(), 'Let me check. ');
    const calls = await response.toolCalls();
    assert.deepEqual(calls.map((c) => [c.name, c.arguments]), [['multiply', { a: 2, b: 2 }]]);
  });

  test('chain: the call runs locally; functionCall (with its thoughtSignature) and functionResponse go back', async () => {
    handler = (_req, res) => {
      if (server.requests.length === 1) {
        writeSse(res, [callChunk([{ functionCall: { name: 'multiply', args: { a: 5, b: 3 } }, thoughtSignature: 'c2lnLTE=' }], { finishReason: 'STOP' })]);
      } else {
        writeSse(res, [finalChunk('5 times 3 is 15.')]);
      }
    };
    const chain = new GeminiPro('gemini-3-flash-preview').chain('What is 5 times 3?', { tools: [multiply] });
    assert.equal(await chain.text(), '5 times 3 is 15.');
    assert.equal(server.requests.length, 2);
    const second = server.requests[1]!.json;
    assert.deepEqual(second.tools, [{ functionDeclarations: [multiplyDeclaration] }]);
    const id = (await chain.responsesSoFar[0]!.toolCalls())[0]!.toolCallId;
    assert.match(id!, /^tc_/);
    assert.deepEqual(second.contents, [
      { role: 'user', parts: [{ text: 'What is 5 times 3?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'multiply', args: { a: 5, b: 3 }, id }, thoughtSignature: 'c2lnLTE=' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'multiply', response: { output: '15' }, id } }] },
    ]);
  });
});

describe('errors and retries', () => {
  test('400 fails at once with the provider message on one line', async () => {
    handler = (_req, res) =>
      writeJson(res, 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } });
    await assert.rejects(flash().prompt('x').text(), (error: unknown) => {
      assert.ok(ApiError.is(error));
      assert.equal((error as Error).message, 'Gemini API error 400: API key not valid. Please pass a valid API key.');
      return true;
    });
    assert.equal(server.requests.length, 1);
  });

  test('429 is retried, honouring retry-after, then succeeds', async () => {
    let calls = 0;
    handler = (req, res) => {
      calls++;
      if (calls === 1) {
        writeJson(res, 429, { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '0' });
        return;
      }
      defaultStream(req, res);
    };
    assert.equal(await flash().prompt('x').text(), 'Hello world');
    assert.equal(server.requests.length, 2);
  });

  test('429 that never clears is a RateLimitError after the last attempt', async () => {
    handler = (_req, res) => writeJson(res, 429, { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } });
    await assert.rejects(flash().prompt('x').text(), (error: unknown) => {
      assert.ok(RateLimitError.is(error));
      assert.equal((error as Error).message, 'Gemini API error 429: Quota exceeded');
      return true;
    });
    assert.equal(server.requests.length, 3);
  });

  test('500 is retried up to the limit', async () => {
    handler = (_req, res) => writeJson(res, 500, { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } });
    await assert.rejects(flash().prompt('x').text(), { message: 'Gemini API error 500: Internal error encountered.' });
    assert.equal(server.requests.length, 3);
  });

  test('the key never appears in an error, even when the server echoes it', async () => {
    handler = (_req, res) => writeJson(res, 403, { error: { code: 403, message: `Key ${KEY} is not allowed`, status: 'PERMISSION_DENIED' } });
    await assert.rejects(flash().prompt('x').text(), (error: unknown) => {
      assert.ok(AuthenticationError.is(error));
      assert.equal((error as Error).message, 'Gemini API error 403: Key [REDACTED] is not allowed');
      assert.ok(!JSON.stringify((error as ApiError).body).includes(KEY));
      return true;
    });
    handler = (_req, res) => writeSse(res, [{ error: { code: 400, message: `bad key ${KEY}` } }]);
    await assert.rejects(flash().prompt('x').text(), { message: 'Gemini API error 400: bad key [REDACTED]' });
  });

  test('no key: NeedsKeyError says how to set one, and nothing is sent', async () => {
    delete process.env.GEMINI_API_KEY;
    await assert.rejects(flash().prompt('x').text(), (error: unknown) => {
      assert.ok(NeedsKeyError.is(error));
      assert.equal((error as Error).message, "No key found - add one using 'llm keys set gemini' or set the GEMINI_API_KEY environment variable");
      return true;
    });
    await assert.rejects(new GeminiEmbeddingModel(EMBEDDING_MODELS[0]!).embed('x'), NeedsKeyError);
    assert.equal(server.requests.length, 0);
  });

  test('keys come from keys.json, the env var, LLM_GEMINI_KEY, or the key option', async () => {
    delete process.env.GEMINI_API_KEY;
    setKey('gemini', 'stored-key-1234');
    await flash().prompt('x').text();
    assert.equal(last().headers['x-goog-api-key'], 'stored-key-1234');
    await flash().prompt('x', { key: 'explicit-key-5678' }).text();
    assert.equal(last().headers['x-goog-api-key'], 'explicit-key-5678');
    setKey('gemini', '');
    process.env.LLM_GEMINI_KEY = 'legacy-key-9999';
    await flash().prompt('x').text();
    assert.equal(last().headers['x-goog-api-key'], 'legacy-key-9999');
  });
});

describe('embeddings', () => {
  const embedHandler: Handler = (req, res) => {
    const requests = req.json.requests as { content: { parts: { text?: string }[] } }[];
    writeJson(res, 200, {
      embeddings: requests.map((r, i) => ({ values: [3, 4, i, (r.content.parts[0]!.text ?? '').length] })),
    });
  };

  test('batches by 20 through batchEmbedContents', async () => {
    handler = embedHandler;
    const model = new GeminiEmbeddingModel(EMBEDDING_MODELS.find((m) => m.id === 'gemini-embedding-001')!);
    const items = Array.from({ length: 45 }, (_, i) => `item ${i}`);
    const vectors = await model.embedMulti(items);
    assert.equal(vectors.length, 45);
    assert.deepEqual(
      server.requests.map((r) => r.json.requests.length),
      [20, 20, 5],
    );
    const request = server.requests[0]!;
    assert.equal(request.path, '/v1beta/models/gemini-embedding-001:batchEmbedContents');
    assert.equal(request.headers['x-goog-api-key'], KEY);
    assert.deepEqual(request.json.requests[0], { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'item 0' }] } });
    assert.deepEqual(vectors[21], [3, 4, 1, 7]);
  });

  test('sized variants ask for the size; 001 vectors are normalised, experimental ones truncated', async () => {
    handler = embedHandler;
    const sized = new GeminiEmbeddingModel(EMBEDDING_MODELS.find((m) => m.id === 'gemini-embedding-001-768')!);
    const [vector] = await sized.embedMulti(['']);
    assert.equal(last().json.requests[0].outputDimensionality, 768);
    assert.deepEqual(vector, [0.6, 0.8, 0, 0]);
    const truncated = new GeminiEmbeddingModel(EMBEDDING_MODELS.find((m) => m.id === 'gemini-embedding-exp-03-07-128')!);
    assert.equal((await truncated.embed('abc')).length, 4);
    assert.equal(last().json.requests[0].outputDimensionality, undefined);
  });

  test('binary input only where the model takes it', async () => {
    handler = embedHandler;
    const preview = new GeminiEmbeddingModel(EMBEDDING_MODELS.find((m) => m.id === 'gemini-embedding-2-preview')!);
    await preview.embed(new Uint8Array([1, 2, 3]));
    assert.deepEqual(last().json.requests[0].content.parts[0], { inlineData: { data: 'AQID', mimeType: 'application/octet-stream' } });
    const textOnly = new GeminiEmbeddingModel(EMBEDDING_MODELS.find((m) => m.id === 'gemini-embedding-001')!);
    await assert.rejects(textOnly.embed(new Uint8Array([1])), UsageError);
  });

  test('an embedding error is one line without the key', async () => {
    handler = (_req, res) => writeJson(res, 400, { error: { code: 400, message: `Request contains an invalid argument (${KEY}).` } });
    const model = new GeminiEmbeddingModel(EMBEDDING_MODELS.find((m) => m.id === 'gemini-embedding-001')!);
    await assert.rejects(model.embed('x'), { message: 'Gemini API error 400: Request contains an invalid argument ([REDACTED]).' });
  });
});
