import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { Command } from 'commander';
import {
  Attachment,
  getEmbeddingModel,
  getEmbeddingModels,
  getModel,
  getModels,
  registerPlugin,
  retryPolicy,
  Tool,
  unregisterPlugin,
} from 'llm-ts';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../../../src/testing/provider-server.ts';
import { tempUserDir } from '../../../test/helpers/user-dir.ts';
import { runModels, runRefresh } from './commands.ts';
import plugin, { cachePath, ollamaHost, readCache, refreshModelCache } from './index.ts';

const TAGS = {
  models: [
    { name: 'llama3.2:latest', model: 'llama3.2:latest', digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72', size: 1 },
    { name: 'llava:7b', model: 'llava:7b', digest: '8dd30f6b0cb19f555f2c7a7ebda861449ea2cc76bf1f44e262931f45fc81d081', size: 1 },
    { name: 'nomic-embed-text:latest', model: 'nomic-embed-text:latest', digest: '0a109f422b47e3a30ba2b10eca18548e944e8a23073ee3f3e947efcf3c45e59f', size: 1 },
  ],
};
const CAPABILITIES: Record<string, string[]> = {
  'llama3.2:latest': ['completion', 'tools'],
  'llava:7b': ['completion', 'vision'],
  'nomic-embed-text:latest': ['embedding'],
};

type ChatReply = (request: RecordedRequest, res: ServerResponse) => void;

function ndjson(res: ServerResponse, lines: unknown[]): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const line of lines) res.write(JSON.stringify(line) + '\n');
  res.end();
}

const chunk = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'llama3.2:latest',
  created_at: '2025-01-01T00:00:00Z',
  message: { role: 'assistant', content, ...extra },
  done: false,
});
const done = {
  model: 'llama3.2:latest',
  created_at: '2025-01-01T00:00:01Z',
  message: { role: 'assistant', content: '' },
  done_reason: 'stop',
  done: true,
  total_duration: 1000,
  prompt_eval_count: 26,
  eval_count: 3,
};

function streamReply(texts: string[]): ChatReply {
  return (_req, res) => ndjson(res, [...texts.map((t) => chunk(t)), done]);
}

let server: FakeServer | undefined;
let chatReply: ChatReply = streamReply(['Hi']);
let cleanup: () => void = () => undefined;
const savedHost = process.env.OLLAMA_HOST;

async function startOllama(): Promise<FakeServer> {
  server = await startFakeServer((req, res) => {
    if (req.method === 'GET' && req.path === '/api/tags') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(TAGS));
    } else if (req.method === 'POST' && req.path === '/api/show') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ details: {}, capabilities: CAPABILITIES[req.json.model] ?? [] }));
    } else if (req.method === 'POST' && req.path === '/api/chat') {
      chatReply(req, res);
    } else if (req.method === 'POST' && req.path === '/api/embed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: req.json.model, embeddings: req.json.input.map((_: string, i: number) => [i, 0.5, -1]) }));
    } else {
      res.writeHead(404);
      res.end('404 page not found');
    }
  });
  process.env.OLLAMA_HOST = server.url;
  return server;
}

/** A port that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const chatRequests = () => server!.requests.filter((r) => r.path === '/api/chat');

before(() => registerPlugin(plugin));
after(() => unregisterPlugin(plugin));
beforeEach(async () => {
  cleanup = tempUserDir().cleanup;
  retryPolicy.baseDelayMs = 1;
  // A loaded machine may start the refresh child slowly: the tests are about results, not time.
  process.env.LLM_OLLAMA_REFRESH_TIMEOUT_MS = '120000';
  chatReply = streamReply(['Hi']);
  await startOllama();
  const cache = await refreshModelCache();
  assert.equal(cache.error, undefined);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  cleanup();
  delete process.env.LLM_OLLAMA_REFRESH_TIMEOUT_MS;
  if (savedHost === undefined) delete process.env.OLLAMA_HOST;
  else process.env.OLLAMA_HOST = savedHost;
});

describe('OLLAMA_HOST', () => {
  test('is read as the ollama client reads it', () => {
    const saved = process.env.OLLAMA_HOST;
    try {
      delete process.env.OLLAMA_HOST;
      assert.equal(ollamaHost(), 'http://127.0.0.1:11434');
      process.env.OLLAMA_HOST = '0.0.0.0';
      assert.equal(ollamaHost(), 'http://127.0.0.1:11434');
      process.env.OLLAMA_HOST = 'gpu-box:8080';
      assert.equal(ollamaHost(), 'http://gpu-box:8080');
      process.env.OLLAMA_HOST = 'https://ollama.example.com/';
      assert.equal(ollamaHost(), 'https://ollama.example.com');
      process.env.OLLAMA_HOST = 'http://plain-host:80';
      assert.equal(ollamaHost(), 'http://plain-host');
      process.env.OLLAMA_HOST = 'http://10.0.0.5:11434';
      assert.equal(ollamaHost(), 'http://10.0.0.5:11434');
    } finally {
      process.env.OLLAMA_HOST = saved;
    }
  });
});

describe('model list', () => {
  test('registers the server models from the cache, with :latest aliases', () => {
    const cache = JSON.parse(readFileSync(cachePath(), 'utf8'));
    assert.equal(cache.host, server!.url);
    assert.deepEqual(
      cache.models.map((m: { name: string }) => m.name),
      TAGS.models.map((m) => m.name),
    );
    const ids = getModels().map((m) => m.modelId);
    assert.ok(ids.includes('llama3.2:latest'));
    assert.ok(ids.includes('llava:7b'));
    assert.ok(!ids.includes('nomic-embed-text:latest'), 'an embedding-only model is not a chat model');
    assert.equal(getModel('llama3.2').modelId, 'llama3.2:latest');
    assert.equal(String(getModel('llama3.2')), 'Ollama: llama3.2:latest');
    assert.equal(getEmbeddingModel('nomic-embed-text').modelId, 'nomic-embed-text:latest');
    assert.ok(getEmbeddingModels().some((m) => m.modelId === 'llava:7b'));
  });

  test('images only for models with the vision capability', () => {
    assert.ok(getModel('llava:7b').attachmentTypes.has('image/png'));
    assert.equal(getModel('llama3.2').attachmentTypes.size, 0);
  });

  test('registration does not ask the server again while the cache is fresh', () => {
    const before = server!.requests.length;
    getModels();
    getModels();
    assert.equal(server!.requests.length, before);
  });

  test('with no cache, registration refreshes it synchronously in a child process', async () => {
    // The server must live in another process: this one blocks while the child asks.
    const script = `
      const http = require('node:http');
      const tags = ${JSON.stringify(TAGS)};
      const caps = ${JSON.stringify(CAPABILITIES)};
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          if (req.url === '/api/tags') return res.end(JSON.stringify(tags));
          if (req.url === '/api/show') return res.end(JSON.stringify({ capabilities: caps[JSON.parse(body).model] }));
          res.statusCode = 404; res.end('{}');
        });
      });
      server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
    const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        child.stdout!.once('data', (data: Buffer) => resolve(data.toString().trim()));
        child.once('exit', () => reject(new Error('server exited')));
      });
      cleanup();
      cleanup = tempUserDir().cleanup;
      process.env.OLLAMA_HOST = `127.0.0.1:${port}`;
      assert.ok(!existsSync(cachePath()));
      assert.equal(getModel('llama3.2').modelId, 'llama3.2:latest');
      const cache = readCache()!;
      assert.equal(cache.host, `http://127.0.0.1:${port}`);
      assert.equal(cache.error, undefined);
      assert.deepEqual(cache.models.find((m) => m.name === 'llava:7b')!.capabilities, ['completion', 'vision']);
    } finally {
      child.kill();
    }
  });

  test('a server that is not running leaves an empty list and a recorded failure, no crash', async () => {
    cleanup();
    cleanup = tempUserDir().cleanup;
    process.env.OLLAMA_HOST = `127.0.0.1:${await closedPort()}`;
    assert.ok(!getModels().some((m) => m.modelId === 'llama3.2:latest'));
    const cache = readCache()!;
    assert.equal(cache.models.length, 0);
    assert.match(cache.error!, /ECONNREFUSED/);
  });

  test('llm ollama refresh reports the count; with the server down, one line naming the host', async () => {
    const out: string[] = [];
    await runRefresh((t) => out.push(t));
    assert.deepEqual(out, [`Found 3 models on the Ollama server at ${server!.url}\n`]);
    const listing: string[] = [];
    await runModels((t) => listing.push(t));
    assert.match(listing.join(''), /^model +digest +capabilities\n/);
    assert.match(listing.join(''), /llava:7b +8dd30f6b0cb1 +completion, vision\n/);
    const port = await closedPort();
    process.env.OLLAMA_HOST = `127.0.0.1:${port}`;
    await assert.rejects(runRefresh(() => undefined), {
      message: `Could not list the models of the Ollama server at http://127.0.0.1:${port} (ECONNREFUSED): is it running? Start it with 'ollama serve', or set OLLAMA_HOST`,
    });
  });

  test('registers an ollama command group with refresh and models', () => {
    const program = new Command('llm');
    plugin.registerCommands!(program);
    const group = program.commands.find((c) => c.name() === 'ollama')!;
    assert.deepEqual(group.commands.map((c) => c.name()).sort(), ['models', 'refresh']);
  });
});

describe('chat', () => {
  test('streams NDJSON, maps options into options, reports usage', async () => {
    chatReply = streamReply(['Hel', 'lo']);
    const response = getModel('llama3.2').prompt('Say hi', {
      system: 'Be brief',
      temperature: '0.2',
      num_ctx: 4096,
      seed: 42,
      top_k: 10,
      top_p: 0.9,
      num_predict: 20,
      stop: '["END"]',
    });
    const chunks: string[] = [];
    for await (const text of response) chunks.push(text);
    assert.deepEqual(chunks, ['Hel', 'lo']);
    assert.deepEqual(chatRequests()[0]!.json, {
      model: 'llama3.2:latest',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Say hi' },
      ],
      stream: true,
      options: { temperature: 0.2, num_ctx: 4096, seed: 42, top_k: 10, top_p: 0.9, num_predict: 20, stop: ['END'] },
    });
    assert.deepEqual(await response.usage(), { input: 26, output: 3, details: null });
    const json = (await response.json())!;
    assert.equal(json.done_reason, 'stop');
    assert.deepEqual(json.message, { role: 'assistant', content: 'Hello' });
  });

  test('thinking arrives as reasoning; think is sent at the top level', async () => {
    chatReply = (_req, res) => ndjson(res, [chunk('', { thinking: 'Hmm, ' }), chunk('', { thinking: 'yes.' }), chunk('Yes'), done]);
    const response = getModel('llama3.2').prompt('Really?', { think: true });
    assert.equal(await response.text(), 'Yes');
    assert.equal(response.reasoning, 'Hmm, yes.');
    assert.equal(chatRequests()[0]!.json.think, true);
    assert.equal(chatRequests()[0]!.json.options, undefined);
  });

  test('a schema goes through format; json_object asks for format json', async () => {
    chatReply = streamReply(['{"name": "Rex"}']);
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    assert.equal(await getModel('llama3.2').prompt('a dog', { schema }).text(), '{"name": "Rex"}');
    assert.deepEqual(chatRequests()[0]!.json.format, schema);
    await getModel('llama3.2').prompt('a dog in JSON', { json_object: true }).text();
    assert.equal(chatRequests()[1]!.json.format, 'json');
  });

  test('images are sent base64 in images', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await getModel('llava:7b').prompt('what is this', { attachments: [new Attachment({ content: png })] }).text();
    assert.deepEqual(chatRequests()[0]!.json.messages, [{ role: 'user', content: 'what is this', images: [png.toString('base64')] }]);
  });

  test('stream: false reads one JSON reply', async () => {
    chatReply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...done, message: { role: 'assistant', content: 'Whole answer' } }));
    };
    const response = getModel('llama3.2').prompt('x', { stream: false });
    assert.equal(await response.text(), 'Whole answer');
    assert.equal(chatRequests()[0]!.json.stream, false);
    assert.deepEqual(await response.usage(), { input: 26, output: 3, details: null });
  });

  test('a conversation sends the earlier turns', async () => {
    let n = 0;
    chatReply = (req, res) => streamReply([`reply ${++n}`])(req, res);
    const conversation = getModel('llama3.2').conversation();
    await conversation.prompt('one').text();
    await conversation.prompt('two').text();
    assert.deepEqual(chatRequests()[1]!.json.messages, [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'reply 1' },
      { role: 'user', content: 'two' },
    ]);
  });

  test('invalid options fail at prompt time with one line naming the option', () => {
    const model = getModel('llama3.2');
    assert.throws(() => model.prompt('x', { top_p: 2 }), { message: 'Invalid value for option top_p: expected a number between 0 and 1, got 2' });
    assert.throws(() => model.prompt('x', { num_ctx: 'big' }), { message: /^Invalid value for option num_ctx: expected an integer/ });
    assert.throws(() => model.prompt('x', { stop: '[1]' }), { message: 'Invalid value for option stop: stop must be a string or a list of strings' });
    assert.throws(() => model.prompt('x', { max_tokens: 5 }), { message: /^Unknown option max_tokens for model llama3.2:latest/ });
  });
});

describe('tools', () => {
  const multiply = new Tool({
    name: 'multiply',
    description: 'Multiply two numbers',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    implementation: ({ a, b }) => a * b,
  });
  const multiplySpec = {
    type: 'function',
    function: { name: 'multiply', description: 'Multiply two numbers', parameters: multiply.inputSchema },
  };

  test('only models with the tools capability support tools', () => {
    assert.equal(getModel('llama3.2').supportsTools, true);
    assert.equal(getModel('llava:7b').supportsTools, false);
    assert.throws(() => getModel('llava:7b').prompt('x', { tools: [multiply] }), { message: 'Ollama: llava:7b does not support tools' });
  });

  test('streamed message.tool_calls become tool calls, with the id the server gives', async () => {
    chatReply = (_req, res) =>
      ndjson(res, [
        chunk('', { tool_calls: [{ id: 'call_x1', function: { index: 0, name: 'multiply', arguments: { a: 3, b: 4 } } }] }),
        chunk('', { tool_calls: [{ function: { index: 1, name: 'multiply', arguments: { a: 5, b: 6 } } }] }),
        done,
      ]);
    const response = getModel('llama3.2').prompt('3*4 and 5*6?', { tools: [multiply] });
    assert.equal(await response.text(), '');
    const calls = await response.toolCalls();
    assert.deepEqual(calls[0], { name: 'multiply', arguments: { a: 3, b: 4 }, toolCallId: 'call_x1' });
    assert.deepEqual([calls[1]!.name, calls[1]!.arguments], ['multiply', { a: 5, b: 6 }]);
    assert.match(calls[1]!.toolCallId!, /^tc_/);
    assert.deepEqual(chatRequests()[0]!.json.tools, [multiplySpec]);
  });

  test('non-streamed message.tool_calls become tool calls', async () => {
    chatReply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...done, message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'multiply', arguments: { a: 2, b: 2 } } }] } }));
    };
    const response = getModel('llama3.2').prompt('2*2', { tools: [multiply], stream: false });
    const calls = await response.toolCalls();
    assert.deepEqual(calls.map((c) => [c.name, c.arguments]), [['multiply', { a: 2, b: 2 }]]);
  });

  test('chain: the call runs locally, its result goes back as a tool message, then the answer', async () => {
    let n = 0;
    chatReply = (req, res) =>
      ++n === 1
        ? ndjson(res, [chunk('', { tool_calls: [{ id: 'call_m', function: { index: 0, name: 'multiply', arguments: { a: 1234, b: 5678 } } }] }), done])
        : streamReply(['It is ', '7006652.'])(req, res);
    const chain = getModel('llama3.2').chain('What is 1234 * 5678?', { tools: [multiply] });
    assert.equal(await chain.text(), 'It is 7006652.');
    const second = chatRequests()[1]!.json;
    assert.deepEqual(second.tools, [multiplySpec]);
    assert.deepEqual(second.messages, [
      { role: 'user', content: 'What is 1234 * 5678?' },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'multiply', arguments: { a: 1234, b: 5678 } } }] },
      { role: 'tool', content: '7006652', tool_name: 'multiply' },
    ]);
  });
});

describe('errors', () => {
  test('a server that is not running is one line naming OLLAMA_HOST', async () => {
    const model = getModel('llama3.2');
    const port = await closedPort();
    process.env.OLLAMA_HOST = `127.0.0.1:${port}`;
    const saved = retryPolicy.maxAttempts;
    retryPolicy.maxAttempts = 2;
    try {
      await assert.rejects(model.prompt('x').text(), {
        message: `Could not connect to Ollama at http://127.0.0.1:${port} (ECONNREFUSED): is the server running? Start it with 'ollama serve', or set OLLAMA_HOST to where it listens`,
      });
    } finally {
      retryPolicy.maxAttempts = saved;
    }
  });

  test('an unknown model is the server message, not retried', async () => {
    chatReply = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: "model 'llama3.2:latest' not found" }));
    };
    await assert.rejects(getModel('llama3.2').prompt('x').text(), {
      message: "Ollama API error 404: model 'llama3.2:latest' not found",
    });
    assert.equal(chatRequests().length, 1);
  });

  test('an error line in the stream stops it with the server message', async () => {
    chatReply = (_req, res) => ndjson(res, [chunk('par'), { error: 'out of memory' }]);
    const response = getModel('llama3.2').prompt('x');
    await assert.rejects(response.text(), (error: Error) => {
      assert.match(error.message, /Ollama API error: out of memory/);
      return true;
    });
    assert.equal(response.textSoFar, 'par');
  });

  test('a stream that ends without done is an interrupted stream', async () => {
    chatReply = (_req, res) => ndjson(res, [chunk('half')]);
    await assert.rejects(getModel('llama3.2').prompt('x').text(), { name: 'StreamInterruptedError' });
  });
});

describe('embeddings', () => {
  test('embed through /api/embed in batches', async () => {
    const model = getEmbeddingModel('nomic-embed-text');
    const vectors = await model.embedMulti(Array.from({ length: 10 }, (_, i) => `text ${i}`));
    assert.equal(vectors.length, 10);
    assert.deepEqual(vectors[9], [1, 0.5, -1]);
    const requests = server!.requests.filter((r) => r.path === '/api/embed');
    assert.equal(requests.length, 2);
    assert.equal(requests[0]!.json.model, 'nomic-embed-text:latest');
    assert.equal(requests[0]!.json.input.length, 8);
  });
});
