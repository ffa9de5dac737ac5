import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { startFakeServer, type FakeServer, type Handler } from '../../testing/provider-server.js';
import { writeChatCompletion, writeChatStream } from '../../../test/helpers/openai-replies.js';
import { tempUserDir } from '../../../test/helpers/user-dir.js';
import { ApiError, AuthenticationError, NeedsKeyError, OptionsError, StreamInterruptedError } from '../../errors.js';
import { Attachment } from '../../models/attachment.js';
import type { Model } from '../../models/model.js';
import { getEmbeddingModel, getModel, getModelsWithAliases } from '../../plugins/registry.js';
import { retryPolicy } from '../../streaming/http.js';
import { OpenAIChat, OpenAIResponses } from './models.js';
import { loadExtraModels } from './plugin.js';
import { removeNullValues, simplifyUsage } from './shared.js';

const KEY = 'sk-test-secret-key-123456';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let user: ReturnType<typeof tempUserDir>;
let server: FakeServer | undefined;
let handler: Handler = (_req, res) => writeChatStream(res, ['Hi']);
const savedEnv = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
const savedPolicy = { ...retryPolicy };

before(async () => {
  user = tempUserDir();
  server = await startFakeServer((req, res) => handler(req, res));
  retryPolicy.baseDelayMs = 1;
});
after(async () => {
  await server?.close();
  user.cleanup();
  Object.assign(retryPolicy, savedPolicy);
});
beforeEach(() => {
  server!.requests.length = 0;
  process.env.OPENAI_BASE_URL = server!.url;
  delete process.env.OPENAI_API_KEY;
  handler = (_req, res) => writeChatStream(res, ['Hi']);
});
afterEach(() => {
  if (savedEnv.base === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = savedEnv.base;
  if (savedEnv.key !== undefined) process.env.OPENAI_API_KEY = savedEnv.key;
});

function requestJson(index = 0): any {
  return server!.requests[index]!.json;
}

describe('registration', () => {
  test('registers the Python default plugin models with their aliases and labels', () => {
    const entries = getModelsWithAliases();
    const byId = new Map(entries.map((e) => [e.model.modelId, e]));
    for (const id of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-nano', 'gpt-3.5-turbo', 'gpt-4', 'gpt-4-turbo', 'o1', 'o3-mini', 'o3', 'o4-mini', 'gpt-5', 'gpt-5.4-nano', 'gpt-5.5', 'gpt-5.6-sol', 'gpt-3.5-turbo-instruct']) {
      assert.ok(byId.has(id), `missing ${id}`);
    }
    assert.deepEqual(byId.get('gpt-4-turbo')!.aliases, ['gpt-4-turbo-preview', '4-turbo', '4t']);
    assert.deepEqual(byId.get('gpt-3.5-turbo')!.aliases, ['3.5', 'chatgpt']);
    assert.equal(String(getModel('4o-mini')), 'OpenAI Chat: gpt-4o-mini');
    assert.equal(String(getModel('o3')), 'OpenAI Responses: o3');
    assert.equal(String(getModel('3.5-instruct')), 'OpenAI Completion: gpt-3.5-turbo-instruct');
    assert.equal(getModel().modelId, 'gpt-4o-mini');
  });

  test('capabilities and keys follow the Python flags', () => {
    const mini = getModel('gpt-4o-mini');
    assert.equal(mini.needsKey, 'openai');
    assert.equal(mini.keyEnvVar, 'OPENAI_API_KEY');
    assert.ok(mini.supportsSchema);
    assert.deepEqual([...mini.attachmentTypes].sort(), ['application/pdf', 'image/gif', 'image/jpeg', 'image/png', 'image/webp']);
    assert.equal(getModel('gpt-4').attachmentTypes.size, 0);
    assert.equal(getModel('gpt-4').supportsSchema, false);
    assert.equal(getModel('o1').canStream, false);
    assert.equal(getModel('o3').canStream, true);
    assert.equal(getModel('o3-mini').attachmentTypes.size, 0);
  });

  test('each model gets the options its Python Options class has', () => {
    const shared = ['temperature', 'max_tokens', 'top_p', 'frequency_penalty', 'presence_penalty', 'stop', 'logit_bias', 'seed'];
    assert.deepEqual(Object.keys(getModel('gpt-4o').optionsSpec), [...shared, 'json_object', 'image_detail', 'service_tier']);
    assert.deepEqual(Object.keys(getModel('o3').optionsSpec), [
      ...shared, 'json_object', 'chat_completions', 'image_detail', 'reasoning_effort', 'service_tier',
    ]);
    const gpt55 = getModel('gpt-5.5').optionsSpec;
    assert.ok('verbosity' in gpt55);
    assert.deepEqual(gpt55.image_detail!.choices, ['low', 'high', 'original', 'auto']);
    assert.deepEqual(getModel('gpt-5').optionsSpec.image_detail!.choices, ['low', 'high', 'auto']);
    assert.deepEqual(Object.keys(getModel('gpt-3.5-turbo-instruct').optionsSpec), [...shared, 'logprobs']);
  });

  test("option descriptions are Python's, and reasoning_effort is on every gpt-5.x and o-series model", () => {
    const gpt56 = getModel('gpt-5.6-luna').optionsSpec;
    assert.equal(
      gpt56.reasoning_effort!.description,
      'Constraints effort on reasoning for reasoning models. Currently supported values are low, medium, and high. Reducing reasoning effort can result in faster responses and fewer tokens used on reasoning in a response.',
    );
    assert.deepEqual(gpt56.reasoning_effort!.choices, ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
    assert.equal(gpt56.image_detail!.description, 'Controls the detail level for image attachments. Supported values are low, high, original, and auto.');
    assert.equal(getModel('gpt-4o').optionsSpec.image_detail!.description, 'Controls the detail level for image attachments. Supported values are low, high, and auto.');
    assert.equal(gpt56.verbosity!.description, "Controls how verbose the model's response should be. Supported values are low, medium, and high.");
    assert.equal(gpt56.json_object!.description, 'Output a valid JSON object {...}. Prompt must mention JSON.');
    assert.equal(gpt56.max_tokens!.description, 'Maximum number of tokens to generate.');
    assert.equal(gpt56.seed!.description, 'Integer seed to attempt to sample deterministically');
    assert.equal(getModel('gpt-3.5-turbo-instruct').optionsSpec.logprobs!.description, 'Include the log probabilities of most likely N per token');
    for (const id of ['o1', 'o3-mini', 'o3', 'o4-mini', 'gpt-5', 'gpt-5.1', 'gpt-5.2', 'gpt-5.2-chat-latest', 'gpt-5.4-nano', 'gpt-5.5', 'gpt-5.6-sol']) {
      assert.ok('reasoning_effort' in getModel(id).optionsSpec, id);
      assert.ok(!('reasoning_summary' in getModel(id).optionsSpec), id);
    }
    assert.ok(!('reasoning_effort' in getModel('gpt-4.1').optionsSpec));
    assert.deepEqual(getModel('gpt-5.6-luna').supportedServerSideTools.map((t) => t.name), ['WebSearch', 'CodeInterpreter', 'ServerSideTool']);
    assert.deepEqual(getModel('chatgpt').supportedServerSideTools, []);
  });

  test('embedding models and aliases', () => {
    assert.equal(getEmbeddingModel('ada').modelId, 'text-embedding-ada-002');
    assert.equal(getEmbeddingModel('3-large-256').modelId, 'text-embedding-3-large-256');
    assert.equal(getEmbeddingModel('3-small').batchSize, 100);
  });
});

describe('options', () => {
  const model = () => getModel('gpt-4o-mini');
  test('coerces strings from the command line', () => {
    assert.deepEqual(model().validate({ temperature: '0.5', max_tokens: '10', json_object: '1', seed: '7' }), {
      temperature: 0.5,
      max_tokens: 10,
      json_object: true,
      seed: 7,
    });
  });
  test('rejects out-of-range and unknown values with a message naming the option', () => {
    assert.throws(() => model().validate({ temperature: '3' }), (e: Error) => OptionsError.is(e) && /option temperature/.test(e.message));
    assert.throws(() => model().validate({ top_p: -0.1 }), /option top_p: expected a number between 0 and 1/);
    assert.throws(() => model().validate({ bogus: 1 }), /Unknown option bogus for model gpt-4o-mini; valid options: temperature/);
    assert.throws(() => model().validate({ image_detail: 'original' }), /option image_detail/);
    assert.throws(() => model().validate({ reasoning_effort: 'low' }), /Unknown option reasoning_effort/);
  });
  test('logit_bias takes an object or a JSON string with integer keys and values in -100..100', () => {
    assert.deepEqual(model().validate({ logit_bias: '{"1712": -100, "892": 50}' }), { logit_bias: { '1712': -100, '892': 50 } });
    assert.throws(() => model().validate({ logit_bias: '{"abc": 1}' }), /Invalid value for option logit_bias: Invalid key-value pair in logit_bias dictionary/);
    assert.throws(() => model().validate({ logit_bias: { '1': 101 } }), /Invalid key-value pair/);
    assert.throws(() => model().validate({ logit_bias: 'not json' }), /Invalid value for option logit_bias/);
  });
  test('reasoning_effort choices on reasoning models', () => {
    assert.deepEqual(getModel('o3').validate({ reasoning_effort: 'xhigh' }), { reasoning_effort: 'xhigh' });
    assert.throws(() => getModel('o3').validate({ reasoning_effort: 'extreme' }), /option reasoning_effort: expected one of none, minimal/);
  });
});

describe('chat completions', () => {
  test('streams text, combines chunks like Python, reports usage and the resolved model', async () => {
    handler = (_req, res) =>
      writeChatStream(res, ['Hel', 'lo'], {
        prompt_tokens: 9,
        completion_tokens: 2,
        total_tokens: 11,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 3 },
      } as never);
    const response = getModel('gpt-4o-mini').prompt('Say hello', { key: KEY, system: 'Be brief', temperature: '0.2' });
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    // Chunks that arrive in one network read are passed on together.
    assert.equal(chunks.join(''), 'Hello');
    assert.ok(chunks.every((c) => c.length > 0));
    assert.deepEqual(await response.usage(), { input: 9, output: 2, details: { completion_tokens_details: { audio_tokens: 3 } } });
    const json = await response.json();
    assert.deepEqual(Object.keys(json!), ['content', 'finish_reason', 'usage', 'id', 'object', 'model', 'created']);
    assert.equal(json!.content, 'Hello');
    assert.equal(json!.finish_reason, 'stop');
    assert.equal(json!.object, 'chat.completion.chunk');
    assert.equal(response.resolvedModel, 'gpt-4o-mini-2024-07-18');
    const request = server!.requests[0]!;
    assert.equal(request.path, '/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(
      request.body,
      JSON.stringify({
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'user', content: 'Say hello' },
        ],
        model: 'gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.2,
      }),
    );
  });

  test('non-streaming sends stream:false and stores the completion as response_json', async () => {
    handler = (_req, res) => writeChatCompletion(res, 'Done', 'gpt-4o-mini');
    const response = getModel('gpt-4o-mini').prompt('x', { key: KEY, stream: false });
    assert.equal(await response.text(), 'Done');
    assert.equal(requestJson().stream, false);
    assert.equal(requestJson().stream_options, undefined);
    const json = await response.json();
    assert.equal(json!.object, 'chat.completion');
    assert.equal(response.resolvedModel, undefined);
    assert.deepEqual(await response.usage(), { input: 5, output: 2, details: null });
  });

  test('a server that answers a streaming request with one JSON body is read as a whole answer', async () => {
    handler = (_req, res) => writeChatCompletion(res, 'Not streamed', 'gpt-4o-mini');
    const response = getModel('gpt-4o-mini').prompt('x', { key: KEY });
    assert.equal(await response.text(), 'Not streamed');
    assert.equal(requestJson().stream, true, 'a stream was asked for');
    assert.deepEqual(await response.usage(), { input: 5, output: 2, details: null });
  });

  test('a model that cannot stream is sent stream:false', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'r', object: 'response', model: 'o1', output: [{ type: 'message', content: [{ type: 'output_text', text: 'ok' }] }] }));
    };
    assert.equal(await getModel('o1').prompt('x', { key: KEY }).text(), 'ok');
    assert.equal(requestJson().stream, false);
  });

  test('schema and json_object become response_format', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    await getModel('gpt-4o-mini').prompt('dog', { key: KEY, schema }).text();
    assert.deepEqual(requestJson().response_format, { type: 'json_schema', json_schema: { name: 'output', schema } });
    server!.requests.length = 0;
    await getModel('gpt-4o-mini').prompt('dog in JSON', { key: KEY, json_object: true }).text();
    assert.deepEqual(requestJson().response_format, { type: 'json_object' });
    assert.equal(requestJson().json_object, undefined);
  });

  test('options are sent coerced; logit_bias with integer values', async () => {
    await getModel('gpt-4o').prompt('x', { key: KEY, options: { max_tokens: '5', logit_bias: '{"12": "-3"}', stop: 'END', service_tier: 'flex' } }).text();
    const body = requestJson();
    assert.equal(body.max_tokens, 5);
    assert.deepEqual(body.logit_bias, { '12': -3 });
    assert.equal(body.stop, 'END');
    assert.equal(body.service_tier, 'flex');
  });

  test('attachments: image bytes as a data URL with detail, image URLs as given, PDFs as files', async () => {
    const png = new Attachment({ content: PNG });
    const url = new Attachment({ url: 'https://example.com/cat.jpg', type: 'image/jpeg' });
    const pdf = new Attachment({ content: Buffer.from('%PDF-1.4 test'), type: 'application/pdf' });
    await getModel('gpt-4o').prompt('Describe', { key: KEY, attachments: [png, url, pdf], image_detail: 'low' }).text();
    const content = requestJson().messages[0].content;
    assert.deepEqual(content[0], { type: 'text', text: 'Describe' });
    assert.deepEqual(content[1], { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}`, detail: 'low' } });
    assert.deepEqual(content[2], { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } });
    assert.deepEqual(content[3], {
      type: 'file',
      file: { filename: `${await pdf.id()}.pdf`, file_data: `data:application/pdf;base64,${Buffer.from('%PDF-1.4 test').toString('base64')}` },
    });
    assert.equal(requestJson().image_detail, undefined);
  });

  test('audio attachments become input_audio on audio models', async () => {
    const model = new OpenAIChat({ modelId: 'gpt-4o-audio-preview', audio: true });
    const wav = new Attachment({ content: Buffer.from('RIFFxxxx'), type: 'audio/wav' });
    const mp3 = new Attachment({ content: Buffer.from('ID3xxxx'), type: 'audio/mpeg' });
    await model.prompt('Transcribe', { key: KEY, attachments: [wav, mp3] }).text();
    const content = requestJson().messages[0].content;
    assert.deepEqual(content[1], { type: 'input_audio', input_audio: { data: Buffer.from('RIFFxxxx').toString('base64'), format: 'wav' } });
    assert.equal(content[2].input_audio.format, 'mp3');
  });

  test('a conversation sends earlier turns and does not repeat an unchanged system prompt', async () => {
    handler = (_req, res) => writeChatStream(res, ['Paris']);
    const conversation = getModel('gpt-4o-mini').conversation();
    await conversation.prompt('Capital of France?', { key: KEY, system: 'One word' }).text();
    await conversation.prompt('And Italy?', { key: KEY, system: 'One word' }).text();
    assert.deepEqual(requestJson(1).messages, [
      { role: 'system', content: 'One word' },
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris' },
      { role: 'user', content: 'And Italy?' },
    ]);
  });

  test('OPENAI_BASE_URL is honoured, and the env key is used', async () => {
    const other = await startFakeServer((_req, res) => writeChatStream(res, ['elsewhere']));
    try {
      process.env.OPENAI_BASE_URL = `${other.url}/v1/`;
      process.env.OPENAI_API_KEY = 'sk-from-env';
      assert.equal(await getModel('gpt-4o-mini').prompt('x').text(), 'elsewhere');
      assert.equal(other.requests[0]!.path, '/v1/chat/completions');
      assert.equal(other.requests[0]!.headers.authorization, 'Bearer sk-from-env');
      assert.equal(server!.requests.length, 0);
    } finally {
      await other.close();
    }
  });

  test('no key: NeedsKeyError saying how to set one, nothing sent', async () => {
    await assert.rejects(
      getModel('gpt-4o-mini').prompt('x').text(),
      (e: Error) =>
        NeedsKeyError.is(e) &&
        e.message === "No key found - add one using 'llm keys set openai' or set the OPENAI_API_KEY environment variable",
    );
    assert.equal(server!.requests.length, 0);
  });
});

describe('errors and retries', () => {
  test('401 carries the OpenAI message, never the key, and is not retried', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    };
    await assert.rejects(getModel('gpt-4o-mini').prompt('x', { key: KEY }).text(), (e: Error) => {
      assert.ok(AuthenticationError.is(e));
      assert.equal(e.message, 'OpenAI API error 401: Incorrect API key provided: [REDACTED].');
      assert.ok(!JSON.stringify((e as ApiError).body).includes(KEY));
      return true;
    });
    assert.equal(server!.requests.length, 1);
  });

  test('429 is retried honouring retry-after-ms, then succeeds', { timeout: 10_000 }, async () => {
    retryPolicy.baseDelayMs = 60_000; // would hang if retry-after-ms were ignored
    try {
      handler = (_req, res) => {
        if (server!.requests.length === 1) {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '5' });
          res.end(JSON.stringify({ error: { message: 'Rate limit reached' } }));
        } else writeChatStream(res, ['after wait']);
      };
      assert.equal(await getModel('gpt-4o-mini').prompt('x', { key: KEY }).text(), 'after wait');
      assert.equal(server!.requests.length, 2);
    } finally {
      retryPolicy.baseDelayMs = 1;
    }
  });

  test('429 with retry-after in seconds is honoured too', { timeout: 10_000 }, async () => {
    retryPolicy.baseDelayMs = 60_000;
    try {
      handler = (_req, res) => {
        if (server!.requests.length === 1) {
          res.writeHead(429, { 'retry-after': '0' });
          res.end('slow down');
        } else writeChatStream(res, ['ok']);
      };
      assert.equal(await getModel('gpt-4o-mini').prompt('x', { key: KEY }).text(), 'ok');
    } finally {
      retryPolicy.baseDelayMs = 1;
    }
  });

  test('500 is retried, then succeeds', async () => {
    handler = (_req, res) => {
      if (server!.requests.length < 3) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'The server had an error' } }));
      } else writeChatStream(res, ['recovered']);
    };
    assert.equal(await getModel('gpt-4o-mini').prompt('x', { key: KEY }).text(), 'recovered');
    assert.equal(server!.requests.length, 3);
  });

  test('400 is not retried and shows the message', async () => {
    handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: "Invalid value for 'temperature'" } }));
    };
    await assert.rejects(getModel('gpt-4o-mini').prompt('x', { key: KEY }).text(), {
      message: "OpenAI API error 400: Invalid value for 'temperature'",
    });
    assert.equal(server!.requests.length, 1);
  });

  test('a connection dropped mid-stream keeps the partial text and rejects clearly', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (text: string) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
      res.write(chunk('Partial '));
      res.write(chunk('answer'));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = getModel('gpt-4o-mini').prompt('x', { key: KEY });
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of response) seen.push(chunk);
      })(),
      (e: Error) => {
        assert.ok(StreamInterruptedError.is(e));
        assert.match(e.message, /^The response stream was cut off after 14 characters: the connection closed before the response was complete/);
        assert.equal((e as StreamInterruptedError).partialText, 'Partial answer');
        return true;
      },
    );
    assert.equal(seen.join(''), 'Partial answer');
    assert.equal(response.textSoFar, 'Partial answer');
  });

  test('a stream that ends cleanly without [DONE] or finish_reason is interrupted', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: 'half' }, finish_reason: null }] })}\n\n`);
    };
    const response = getModel('gpt-4o-mini').prompt('x', { key: KEY });
    await assert.rejects(response.text(), (e: Error) => StreamInterruptedError.is(e) && /cut off after 4 characters/.test(e.message));
    assert.equal(response.textSoFar, 'half');
  });

  test('an error object inside the stream becomes an ApiError', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ error: { message: 'Upstream overloaded', code: 502 } })}\n\n`);
    };
    await assert.rejects(getModel('gpt-4o-mini').prompt('x', { key: KEY }).text(), {
      message: 'OpenAI API error in stream: Upstream overloaded',
    });
  });
});

describe('responses API', () => {
  function writeResponsesStream(res: Parameters<Handler>[1], events: Record<string, unknown>[]): void {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of events) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    res.end();
  }
  const completed = {
    type: 'response.completed',
    response: {
      id: 'resp_1',
      object: 'response',
      model: 'o3-2025-04-16',
      status: 'completed',
      error: null,
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Answer' }] }],
      usage: { input_tokens: 12, input_tokens_details: { cached_tokens: 0 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 20 }, total_tokens: 42 },
    },
  };

  test('builds instructions, reasoning, max_output_tokens, schema format and store:false', async () => {
    handler = (_req, res) =>
      writeResponsesStream(res, [
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', delta: 'Thinking...' },
        { type: 'response.output_item.done', item: { type: 'reasoning', id: 'rs_1', encrypted_content: 'enc', summary: [{ type: 'summary_text', text: 'Thinking...' }] } },
        { type: 'response.output_text.delta', delta: 'Ans' },
        { type: 'response.output_text.delta', delta: 'wer' },
        completed,
      ]);
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const response = getModel('o3').prompt('Question', { key: KEY, system: 'Be exact', schema, max_tokens: '100', reasoning_effort: 'low' });
    assert.equal(await response.text(), 'Answer');
    assert.equal(response.reasoning, 'Thinking...');
    assert.deepEqual(await response.usage(), {
      input: 12,
      output: 30,
      details: { input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 20 } },
    });
    assert.equal((await response.json())!.id, 'resp_1');
    assert.equal((await response.json())!.error, undefined);
    assert.equal(response.resolvedModel, 'o3-2025-04-16');
    const request = server!.requests[0]!;
    assert.equal(request.path, '/responses');
    assert.equal(
      request.body,
      JSON.stringify({
        include: ['reasoning.encrypted_content'],
        input: [{ role: 'user', content: 'Question' }],
        instructions: 'Be exact',
        max_output_tokens: 100,
        model: 'o3',
        reasoning: { summary: 'auto', effort: 'low' },
        store: false,
        stream: true,
        text: { format: { type: 'json_schema', name: 'output', schema, strict: false } },
      }),
    );
    const [message] = await response.messages();
    const reasoningParts = message!.parts.filter((p) => p.type === 'reasoning');
    assert.deepEqual(reasoningParts.at(-1)!.providerMetadata, {
      openai: { id: 'rs_1', encrypted_content: 'enc', summary: [{ type: 'summary_text', text: 'Thinking...' }] },
    });
  });

  test('hideReasoning drops the summary request', async () => {
    handler = (_req, res) => writeResponsesStream(res, [completed]);
    await getModel('o3').prompt('q', { key: KEY, hideReasoning: true }).text();
    assert.equal(requestJson().reasoning, undefined);
    assert.deepEqual(requestJson().include, ['reasoning.encrypted_content']);
  });

  test('non-streaming output items become text, and usage reasoning tokens a redacted marker', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completed.response));
    };
    const response = getModel('gpt-5').prompt('q', { key: KEY, stream: false, verbosity: 'low' });
    assert.equal(await response.text(), 'Answer');
    assert.equal(requestJson().stream, false);
    assert.deepEqual(requestJson().text, { verbosity: 'low' });
    assert.ok(response.modelEvents.some((e) => e.type === 'reasoning' && e.redacted));
  });

  test('image attachments become input_image with detail', async () => {
    handler = (_req, res) => writeResponsesStream(res, [completed]);
    await getModel('gpt-5.5').prompt('see', { key: KEY, attachments: [new Attachment({ content: PNG })], image_detail: 'original' }).text();
    assert.deepEqual(requestJson().input, [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'see' },
          { type: 'input_image', image_url: `data:image/png;base64,${PNG.toString('base64')}`, detail: 'original' },
        ],
      },
    ]);
  });

  test('chat_completions option routes a Responses model to /chat/completions', async () => {
    await getModel('gpt-5').prompt('q', { key: KEY, chat_completions: true, reasoning_effort: 'low' }).text();
    assert.equal(server!.requests[0]!.path, '/chat/completions');
    assert.equal(requestJson().chat_completions, undefined);
    assert.equal(requestJson().reasoning_effort, 'low');
  });

  test('a stream without response.completed is interrupted, keeping the text', async () => {
    handler = (_req, res) => writeResponsesStream(res, [{ type: 'response.output_text.delta', delta: 'So far' }]);
    const response = getModel('o3').prompt('q', { key: KEY });
    await assert.rejects(response.text(), (e: Error) => StreamInterruptedError.is(e) && e.message.includes('the connection closed before the response was complete'));
    assert.equal(response.textSoFar, 'So far');
  });

  test('response.failed becomes an ApiError with its message', async () => {
    handler = (_req, res) => writeResponsesStream(res, [{ type: 'response.failed', response: { error: { message: 'Model overloaded' } } }]);
    await assert.rejects(getModel('o3').prompt('q', { key: KEY }).text(), { message: 'OpenAI API error: Model overloaded' });
  });
});

describe('embeddings', () => {
  test('batches of at most 100 and dimensions for the variants', async () => {
    handler = (req, res) => {
      const input = req.json.input as string[];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: input.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index] })) }));
    };
    const items = Array.from({ length: 150 }, (_, i) => `item ${i}`);
    const vectors = await getEmbeddingModel('3-large-256').embedMulti(items, { key: KEY });
    assert.equal(vectors.length, 150);
    assert.deepEqual(vectors[149], ['item 149'.length, 49]);
    assert.equal(server!.requests.length, 2);
    assert.equal(server!.requests[0]!.path, '/embeddings');
    assert.equal(requestJson(0).input.length, 100);
    assert.equal(requestJson(0).model, 'text-embedding-3-large');
    assert.equal(requestJson(0).dimensions, 256);
    server!.requests.length = 0;
    await getEmbeddingModel('ada').embed('x', { key: KEY });
    assert.equal(requestJson().dimensions, undefined);
  });
});

describe('embeddings from a server that answers oddly', () => {
  test('an embedding as base64 (float32) is decoded; one that is neither a list nor base64 is a clear ApiError', async () => {
    const floats = new Float32Array([0.5, -2, 3.25]);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ index: 0, embedding: Buffer.from(floats.buffer).toString('base64') }] }));
    };
    assert.deepEqual(await getEmbeddingModel('ada').embed('x', { key: KEY }), [0.5, -2, 3.25]);
    for (const embedding of [{ not: 'a list' }, ['a', 'b'], null]) {
      handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ index: 0, embedding }] }));
      };
      await assert.rejects(getEmbeddingModel('ada').embed('x', { key: KEY }), (error: Error) => {
        assert.ok(ApiError.is(error), String(error));
        assert.equal(error.message, 'OpenAI API returned an embedding that is not a list of numbers');
        return true;
      });
    }
  });
});

describe('extra-openai-models.yaml', () => {
  const path = () => join(user.dir, 'extra-openai-models.yaml');
  afterEach(() => writeFileSync(path(), ''));

  test('registers models with api_base, headers, aliases and key rules', async () => {
    writeFileSync(
      path(),
      `- model_id: local-llama
  model_name: llama3
  api_base: ${server!.url}/v1
  aliases: [ll]
  headers:
    X-Team: blue
- model_id: keyed
  model_name: keyed-model
  api_base: ${server!.url}/v2
  api_key_name: mykey
- model_id: r-model
  model_name: rm
  responses: true
  reasoning: true
  supports_schema: true
  vision: true
  can_stream: false
- model_id: instruct-x
  model_name: ix
  completion: true
`,
    );
    const local = getModel('ll');
    assert.equal(String(local), 'OpenAI Chat: local-llama');
    assert.equal(local.needsKey, null);
    process.env.OPENAI_API_KEY = 'sk-should-not-be-sent';
    assert.equal(await local.prompt('hi').text(), 'Hi');
    const request = server!.requests[0]!;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.json.model, 'llama3');
    assert.equal(request.headers['x-team'], 'blue');
    assert.equal(request.headers.authorization, undefined);

    const keyed = getModel('keyed');
    assert.equal(keyed.needsKey, 'mykey');
    await assert.rejects(keyed.prompt('hi').text(), /llm keys set mykey/);
    writeFileSync(join(user.dir, 'keys.json'), JSON.stringify({ mykey: 'sk-named' }));
    await keyed.prompt('hi').text();
    assert.equal(server!.requests.at(-1)!.headers.authorization, 'Bearer sk-named');

    const responses = getModel('r-model');
    assert.ok(responses instanceof OpenAIResponses);
    assert.equal(responses.canStream, false);
    assert.equal(responses.supportsSchema, true);
    assert.ok(responses.attachmentTypes.has('image/png'));
    assert.equal(responses.needsKey, 'openai');
    assert.equal(String(getModel('instruct-x')), 'OpenAI Completion: instruct-x');
  });

  test('a malformed file gives one clear warning naming it, and the built-in models still load', () => {
    writeFileSync(path(), '- model_id: [unclosed\n  bad: : :');
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      assert.equal(getModel('gpt-4o').modelId, 'gpt-4o');
      getModelsWithAliases();
    } finally {
      process.stderr.write = original;
    }
    assert.equal(writes.length, 1);
    assert.match(writes[0]!, new RegExp(`^Warning: could not read ${path().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });

  test('entries without model_id or model_name are skipped with a warning', () => {
    writeFileSync(path(), '- model_id: only-id\n- model_id: good\n  model_name: g\n');
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    let models: { model: Model }[];
    try {
      models = loadExtraModels(path());
    } finally {
      process.stderr.write = original;
    }
    assert.deepEqual(models.map((m) => m.model.modelId), ['good']);
    assert.match(writes.join(''), /entry 1 needs both model_id and model_name; skipped/);
  });
});

describe('helpers', () => {
  test('simplifyUsage drops zeros, false, nulls and empty objects like simplify_usage_dict', () => {
    assert.deepEqual(
      simplifyUsage({ cost: 0.5, is_byok: false, a: { b: 0 }, c: { d: null }, e: { f: 2, g: 0 } }),
      { cost: 0.5, e: { f: 2 } },
    );
  });
  test('removeNullValues drops nulls and emptied objects but keeps lists', () => {
    assert.deepEqual(removeNullValues({ a: null, b: { c: null }, d: [{ e: null, f: 1 }], g: 0 }), { d: [{ f: 1 }], g: 0 });
  });
});
