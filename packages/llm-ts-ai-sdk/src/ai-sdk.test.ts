import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import {
  AbortedError,
  ApiError,
  AuthenticationError,
  getModel,
  getModels,
  RateLimitError,
  registerPlugin,
  retryPolicy,
  Tool,
  unregisterPlugin,
  UsageError,
} from 'llm-ts';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../../../src/testing/provider-server.ts';
import { tempUserDir } from '../../../test/helpers/user-dir.ts';
import { runAdd, runList, runRemove } from './commands.ts';
import plugin, { configPath } from './index.ts';

/**
 * The adapter against loopback servers that speak each provider's wire format: Mistral
 * and Groq (their Chat Completions dialects, as @ai-sdk/mistral and @ai-sdk/groq read
 * them) and Azure OpenAI (api-key header, deployment as model).
 */

type Reply = (request: RecordedRequest, res: ServerResponse) => void;

function sse(res: ServerResponse, chunks: unknown[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  res.end('data: [DONE]\n\n');
}

const base = { id: 'cmpl-1', object: 'chat.completion.chunk', created: 1700000000 };

/** Mistral: content deltas, then a chunk with finish_reason and usage. */
function mistralText(texts: string[], model = 'mistral-small-latest'): Reply {
  return (_req, res) =>
    sse(res, [
      ...texts.map((content, i) => ({ ...base, model, choices: [{ index: 0, delta: { ...(i === 0 ? { role: 'assistant' } : {}), content }, finish_reason: null }] })),
      { ...base, model, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }], usage: { prompt_tokens: 11, completion_tokens: texts.length, total_tokens: 11 + texts.length } },
    ]);
}

/** Mistral sends a tool call whole, in one delta. */
function mistralToolCall(name: string, args: unknown): Reply {
  return (_req, res) =>
    sse(res, [
      { ...base, model: 'mistral-small-latest', choices: [{ index: 0, delta: { role: 'assistant', content: '', tool_calls: [{ id: 'abcDEF123', function: { name, arguments: JSON.stringify(args) } }] }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } },
    ]);
}

/** Groq: reasoning and content deltas; usage under x_groq in the last chunk. */
function groqReply(reasoning: string[], texts: string[]): Reply {
  const model = 'openai/gpt-oss-20b';
  return (_req, res) =>
    sse(res, [
      { ...base, model, x_groq: { id: 'req_1' }, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      ...reasoning.map((r) => ({ ...base, model, choices: [{ index: 0, delta: { reasoning: r }, finish_reason: null }] })),
      ...texts.map((content) => ({ ...base, model, choices: [{ index: 0, delta: { content }, finish_reason: null }] })),
      { ...base, model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], x_groq: { id: 'req_1', usage: { prompt_tokens: 30, completion_tokens: 7, total_tokens: 37, completion_tokens_details: { reasoning_tokens: 4 } } } },
    ]);
}

function errorReply(status: number, body: unknown): Reply {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

let server: FakeServer;
let reply: Reply;
let cleanup: () => void;
const quiet = () => undefined;

before(() => registerPlugin(plugin));
after(() => unregisterPlugin(plugin));
beforeEach(async () => {
  cleanup = tempUserDir().cleanup;
  retryPolicy.baseDelayMs = 1;
  reply = mistralText(['Hi']);
  server = await startFakeServer((req, res) => reply(req, res));
  process.env.MISTRAL_API_KEY = 'mistral-secret-key';
  process.env.GROQ_API_KEY = 'groq-secret-key';
  process.env.AZURE_API_KEY = 'azure-secret-key';
});
afterEach(async () => {
  await server.close();
  cleanup();
  delete process.env.MISTRAL_API_KEY;
  delete process.env.GROQ_API_KEY;
  delete process.env.AZURE_API_KEY;
});

const posts = () => server.requests.filter((r) => r.method === 'POST');

describe('llm ai-sdk add', () => {
  test('records the provider with its curated models, which then appear as models', () => {
    assert.ok(!getModels().some((m) => m.modelId.startsWith('mistral/')));
    let out = '';
    runAdd('mistral', { baseUrl: `${server.url}/v1` }, (t) => (out += t));
    assert.match(out, /^Added 9 mistral models \(mistral\/mistral-large-latest\.\.\.\) to .*ai-sdk\.json; set its key with 'llm keys set mistral' or MISTRAL_API_KEY\nRun 'llm ai-sdk refresh mistral' to fetch its full model list\n$/);
    const config = JSON.parse(readFileSync(configPath(), 'utf8'));
    assert.equal(config.providers.mistral.package, '@ai-sdk/mistral');
    assert.equal(config.providers.mistral.baseURL, `${server.url}/v1`);
    const ids = getModels().map((m) => m.modelId);
    assert.ok(ids.includes('mistral/mistral-large-latest') && ids.includes('mistral/codestral-latest'));
    assert.equal(getModel('mistral-large').modelId, 'mistral/mistral-large-latest');
    assert.equal(String(getModel('mistral-large')), 'Mistral (AI SDK): mistral/mistral-large-latest');
    out = '';
    runList((t) => (out += t));
    assert.match(out, new RegExp(`^mistral: @ai-sdk/mistral \\(9 models, ${server.url}/v1\\)\\nCan be added by name: groq, bedrock, vertex, azure\\n$`));
    runRemove('mistral', quiet);
    assert.ok(!getModels().some((m) => m.modelId.startsWith('mistral/')));
  });

  test('one-line errors for an unknown provider, azure without a deployment, a bad setting or base URL', () => {
    assert.throws(() => runAdd('nosuch', {}, quiet), (e: unknown) => UsageError.is(e) && /^Unknown AI SDK provider: nosuch\. Known: mistral, groq, bedrock, vertex, azure; for another, give --package, --factory and --model$/.test((e as Error).message));
    assert.throws(() => runAdd('azure', {}, quiet), /azure has no built-in model list: give your deployment names \(--model NAME\)/);
    assert.throws(() => runAdd('azure', { model: ['d1'] }, quiet), /^UsageError: azure needs --setting resourceName=NAME \(or AZURE_RESOURCE_NAME\) or --base-url$/);
    assert.throws(() => runAdd('mistral', { setting: ['oops'] }, quiet), /--setting takes NAME=VALUE, got: oops/);
    assert.throws(() => runAdd('mistral', { baseUrl: 'ftp://x' }, quiet), /--base-url must be an http\(s\) URL, got: ftp:\/\/x/);
    assert.throws(() => runRemove('groq', quiet), /No AI SDK provider named groq was added/);
    assert.equal(existsSync(configPath()), false);
  });

  test('any other provider package by --package/--factory/--key-env (here @ai-sdk/groq under another name)', async () => {
    runAdd('mygroq', { package: '@ai-sdk/groq@^3', factory: 'createGroq', keyEnv: 'GROQ_API_KEY', model: ['some-model'], baseUrl: `${server.url}/openai/v1` }, quiet);
    reply = groqReply([], ['ok']);
    assert.equal(await getModel('mygroq/some-model').prompt('x').text(), 'ok');
    assert.equal(posts()[0]!.json.model, 'some-model');
  });
});

describe('Mistral (@ai-sdk/mistral)', () => {
  beforeEach(() => runAdd('mistral', { baseUrl: `${server.url}/v1` }, quiet));

  test('streams text, sends the key and messages, reports usage', async () => {
    reply = mistralText(['Hello', ', ', 'world']);
    const response = getModel('mistral/mistral-small-latest').prompt('Say hi', { system: 'Be brief', options: { temperature: 0.2, max_tokens: 50 } });
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    assert.deepEqual(chunks, ['Hello', ', ', 'world']);
    const request = posts()[0]!;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, 'Bearer mistral-secret-key');
    assert.equal(request.json.model, 'mistral-small-latest');
    assert.equal(request.json.stream, true);
    assert.equal(request.json.temperature, 0.2);
    assert.equal(request.json.max_tokens, 50);
    assert.deepEqual(request.json.messages, [
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: [{ type: 'text', text: 'Say hi' }] },
    ]);
    const usage = await response.usage();
    assert.equal(usage.input, 11);
    assert.equal(usage.output, 3);
  });

  test('a schema is sent as a JSON schema response format', async () => {
    reply = mistralText(['{"name":', '"Pelly"}']);
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    const text = await getModel('mistral/mistral-large-latest').prompt('A pelican', { schema }).text();
    assert.deepEqual(JSON.parse(text), { name: 'Pelly' });
    const format = posts()[0]!.json.response_format;
    assert.equal(format.type, 'json_schema');
    assert.deepEqual(format.json_schema.schema.properties, schema.properties);
  });

  test('a tool round trip: the call, its result sent back with the same id, then the answer', async () => {
    const multiply = new Tool({
      name: 'multiply',
      description: 'Multiply two numbers',
      inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      implementation: ({ a, b }) => String(Number(a) * Number(b)),
    });
    let call = 0;
    reply = (req, res) => (call++ === 0 ? mistralToolCall('multiply', { a: 6, b: 7 }) : mistralText(['It is 42']))(req, res);
    const text = await getModel('mistral/mistral-small-latest').chain('6 times 7?', { tools: [multiply] }).text();
    assert.equal(text, 'It is 42');
    const [first, second] = posts();
    assert.equal(first!.json.tools[0].function.name, 'multiply');
    const messages = second!.json.messages;
    assert.deepEqual(messages[1].tool_calls, [{ id: 'abcDEF123', type: 'function', function: { name: 'multiply', arguments: '{"a":6,"b":7}' } }]);
    assert.equal(messages[2].role, 'tool');
    assert.equal(messages[2].tool_call_id, 'abcDEF123');
    assert.equal(messages[2].content, '42');
  });

  test('an image attachment is sent as an image_url part', async () => {
    const { Attachment } = await import('llm-ts');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await getModel('mistral/mistral-small-latest').prompt('What is it?', { attachments: [new Attachment({ content: png })] }).text();
    const parts = posts()[0]!.json.messages[0].content;
    assert.equal(parts[1].type, 'image_url');
    assert.match(parts[1].image_url, /^data:image\/png;base64,iVBORw0KGgo/);
  });

  test('401: one line, an AuthenticationError, the key not in it', async () => {
    reply = errorReply(401, { message: 'Unauthorized: key mistral-secret-key is not valid', request_id: 'x' });
    await assert.rejects(getModel('mistral/mistral-small-latest').prompt('x').text(), (e: unknown) => {
      assert.ok(AuthenticationError.is(e));
      assert.equal((e as Error).message, 'Mistral API error 401: Unauthorized: key [REDACTED] is not valid');
      return true;
    });
    assert.equal(posts().length, 1);
  });

  test('429 is retried, then a RateLimitError in one line', async () => {
    reply = errorReply(429, { object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited' });
    await assert.rejects(getModel('mistral/mistral-small-latest').prompt('x').text(), (e: unknown) => {
      assert.ok(RateLimitError.is(e));
      assert.equal((e as Error).message, 'Mistral API error 429: Requests rate limit exceeded');
      return true;
    });
    assert.equal(posts().length, retryPolicy.maxAttempts);
  });

  test('a 503 then success: retried like a native model', async () => {
    let call = 0;
    reply = (req, res) => (call++ === 0 ? errorReply(503, { message: 'busy' }) : mistralText(['fine']))(req, res);
    assert.equal(await getModel('mistral/mistral-small-latest').prompt('x').text(), 'fine');
  });

  test('no key: the usual message naming llm keys set and the variable', async () => {
    delete process.env.MISTRAL_API_KEY;
    await assert.rejects(
      getModel('mistral/mistral-small-latest').prompt('x').text(),
      /^NeedsKeyError: No key found - add one using 'llm keys set mistral' or set the MISTRAL_API_KEY environment variable$/,
    );
    assert.equal(posts().length, 0);
  });
});

describe('stopping', () => {
  beforeEach(() => runAdd('mistral', { baseUrl: `${server.url}/v1` }, quiet));

  test('aborting mid-stream: an AbortedError with the text so far, and the connection is closed', async () => {
    let closed!: Promise<void>;
    reply = (_req, res) => {
      closed = new Promise((resolve) => res.on('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ ...base, model: 'mistral-small-latest', choices: [{ index: 0, delta: { role: 'assistant', content: 'Once' }, finish_reason: null }] })}\n\n`);
      // ...and the rest never comes.
    };
    const controller = new AbortController();
    const response = getModel('mistral/mistral-small-latest').prompt('A long story', { signal: controller.signal });
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of response) {
          seen.push(chunk);
          controller.abort();
        }
      })(),
      (e: unknown) => AbortedError.is(e) && /^The request was aborted after 4 characters$/.test((e as Error).message),
    );
    assert.deepEqual(seen, ['Once']);
    await closed;
  });
});

describe('Groq (@ai-sdk/groq)', () => {
  beforeEach(() => runAdd('groq', { baseUrl: `${server.url}/openai/v1` }, quiet));

  test('reasoning and text stream apart; usage from x_groq', async () => {
    reply = groqReply(['Thinking', ' hard'], ['Hi', ' there']);
    const response = getModel('groq/openai/gpt-oss-20b').prompt('hi');
    assert.equal(await response.text(), 'Hi there');
    assert.equal(response.reasoning, 'Thinking hard');
    const request = posts()[0]!;
    assert.equal(request.path, '/openai/v1/chat/completions');
    assert.equal(request.headers.authorization, 'Bearer groq-secret-key');
    const usage = await response.usage();
    assert.equal(usage.input, 30);
    assert.equal(usage.output, 7);
    assert.deepEqual(usage.details, { completion_tokens_details: { reasoning_tokens: 4 } });
    const json = await response.json();
    assert.equal(json?.finish_reason, 'stop');
  });

  test('an error in the middle of the stream is one line', async () => {
    reply = (_req, res) => sse(res, [{ error: { message: 'model overloaded', type: 'internal_server_error' } }]);
    await assert.rejects(getModel('groq/llama-3.3-70b-versatile').prompt('x').text(), (e: unknown) => {
      assert.ok(ApiError.is(e));
      assert.doesNotMatch((e as Error).message, /\n/);
      assert.match((e as Error).message, /^Groq API error/);
      return true;
    });
  });
});

describe('Azure OpenAI (@ai-sdk/azure)', () => {
  test('deployments as models, the api-key header, Chat Completions', async () => {
    runAdd('azure', { model: ['my-gpt4o'], baseUrl: `${server.url}/openai` }, quiet);
    reply = (_req, res) =>
      sse(res, [
        { ...base, model: 'gpt-4o-2024-11-20', choices: [{ index: 0, delta: { role: 'assistant', content: 'Azure' }, finish_reason: null }] },
        { ...base, model: 'gpt-4o-2024-11-20', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        { ...base, model: 'gpt-4o-2024-11-20', choices: [], usage: { prompt_tokens: 8, completion_tokens: 1, total_tokens: 9 } },
      ]);
    const response = getModel('azure/my-gpt4o').prompt('hi');
    assert.equal(await response.text(), 'Azure');
    const request = posts()[0]!;
    assert.match(request.path, /^\/openai\/chat\/completions/);
    assert.equal(request.headers['api-key'], 'azure-secret-key');
    assert.equal(request.json.model, 'my-gpt4o');
    assert.equal((await response.usage()).input, 8);
    assert.equal(response.resolvedModel, 'gpt-4o-2024-11-20');
  });

  test('401 from Azure: one line', async () => {
    runAdd('azure', { model: ['dep'], baseUrl: `${server.url}/openai` }, quiet);
    reply = errorReply(401, { error: { code: '401', message: 'Access denied due to invalid subscription key.' } });
    await assert.rejects(getModel('azure/dep').prompt('x').text(), /^AuthenticationError: Azure OpenAI API error 401: Access denied due to invalid subscription key\.$/);
  });
});

describe('embeddings', () => {
  test('mistral/mistral-embed is an llm embedding model over /v1/embeddings', async () => {
    const { getEmbeddingModel } = await import('llm-ts');
    runAdd('mistral', { baseUrl: `${server.url}/v1` }, quiet);
    reply = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'emb-1',
          object: 'list',
          model: 'mistral-embed',
          data: req.json.input.map((_: string, index: number) => ({ object: 'embedding', index, embedding: [index, 0.5, -1] })),
          usage: { prompt_tokens: 4, total_tokens: 4 },
        }),
      );
    };
    const vectors = await getEmbeddingModel('mistral/mistral-embed').embedMulti(['one', 'two']);
    assert.deepEqual(vectors, [[0, 0.5, -1], [1, 0.5, -1]]);
    const request = posts()[0]!;
    assert.equal(request.path, '/v1/embeddings');
    assert.deepEqual(request.json.input, ['one', 'two']);
    assert.equal(request.headers.authorization, 'Bearer mistral-secret-key');
  });
});
