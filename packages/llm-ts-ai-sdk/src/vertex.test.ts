import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { getEmbeddingModel, getModel, NeedsKeyError, registerPlugin, retryPolicy, setKey, unregisterPlugin } from 'llm-ts';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../../../src/testing/provider-server.ts';
import { tempUserDir } from '../../../test/helpers/user-dir.ts';
import { runAdd } from './commands.ts';
import plugin from './index.ts';

/**
 * Google Vertex AI through @ai-sdk/google-vertex, against a loopback server speaking
 * Vertex's streamGenerateContent (SSE) and predict: express mode (an API key in
 * x-goog-api-key), and the one-line errors when neither a key nor Google credentials are there.
 */

type Reply = (request: RecordedRequest, res: ServerResponse) => void;

/** streamGenerateContent?alt=sse as Vertex answers it: text parts, then finishReason and usageMetadata. */
function geminiStream(texts: string[], modelVersion = 'gemini-2.5-flash'): Reply {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    texts.forEach((text, i) => {
      const last = i === texts.length - 1;
      const chunk = {
        candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(last ? { finishReason: 'STOP' } : {}) }],
        ...(last ? { usageMetadata: { promptTokenCount: 12, candidatesTokenCount: texts.length, totalTokenCount: 12 + texts.length, trafficType: 'ON_DEMAND' } } : {}),
        modelVersion,
        createTime: '2026-11-30T01:00:00.000000Z',
        responseId: 'resp-vertex-1',
      };
      res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    });
    res.end();
  };
}

let server: FakeServer;
let reply: Reply;
let cleanup: () => void;
let userDir: string;
const quiet = () => undefined;
const VARS = ['GOOGLE_VERTEX_API_KEY', 'GOOGLE_VERTEX_PROJECT', 'GOOGLE_VERTEX_LOCATION', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));

before(() => registerPlugin(plugin));
after(() => unregisterPlugin(plugin));
beforeEach(async () => {
  ({ cleanup, dir: userDir } = tempUserDir());
  retryPolicy.baseDelayMs = 1;
  for (const name of VARS) delete process.env[name];
  reply = geminiStream(['Hello', ' from Vertex']);
  server = await startFakeServer((req, res) => reply(req, res));
  runAdd('vertex', { baseUrl: `${server.url}/v1/publishers/google` }, quiet);
});
afterEach(async () => {
  await server.close();
  cleanup();
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const posts = () => server.requests.filter((r) => r.method === 'POST');

describe('Google Vertex AI (@ai-sdk/google-vertex)', () => {
  test('express mode: the stored key in x-goog-api-key, streamGenerateContent, usage, the model version', async () => {
    setKey('vertex', 'stored-vertex-key');
    const response = getModel('vertex/gemini-2.5-flash').prompt('Say hello', { system: 'Be brief', options: { temperature: 0.3, max_tokens: 64 } });
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    assert.deepEqual(chunks, ['Hello', ' from Vertex']);
    const request = posts()[0]!;
    assert.equal(request.path, '/v1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.equal(request.headers['x-goog-api-key'], 'stored-vertex-key');
    assert.equal(request.headers.authorization, undefined);
    assert.deepEqual(request.json.contents, [{ role: 'user', parts: [{ text: 'Say hello' }] }]);
    assert.deepEqual(request.json.systemInstruction, { parts: [{ text: 'Be brief' }] });
    assert.equal(request.json.generationConfig.temperature, 0.3);
    assert.equal(request.json.generationConfig.maxOutputTokens, 64);
    const usage = await response.usage();
    assert.equal(usage.input, 12);
    assert.equal(usage.output, 2);
    // Priced as Google's gemini-2.5-flash.
    assert.ok(((await response.cost())?.total ?? 0) > 0);
  });

  test('GOOGLE_VERTEX_API_KEY works too; a PDF goes as inline data', async () => {
    process.env.GOOGLE_VERTEX_API_KEY = 'env-vertex-key';
    const { Attachment } = await import('llm-ts');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    await getModel('vertex/gemini-2.5-pro').prompt('Summarise', { attachments: [new Attachment({ content: pdf })] }).text();
    const request = posts()[0]!;
    assert.equal(request.headers['x-goog-api-key'], 'env-vertex-key');
    const parts = request.json.contents[0].parts;
    assert.equal(parts[1].inlineData.mimeType, 'application/pdf');
    assert.equal(Buffer.from(parts[1].inlineData.data, 'base64').toString(), pdf.toString());
  });

  test('an error Vertex sends: one line, the key not in it', async () => {
    setKey('vertex', 'stored-vertex-key');
    reply = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }));
    };
    await assert.rejects(getModel('vertex/gemini-2.5-flash').prompt('x').text(), /^ApiError: Google Vertex AI API error 400: API key not valid\. Please pass a valid API key\.$/);
  });

  test('gemini-embedding-001 through predict, one text a request', async () => {
    process.env.GOOGLE_VERTEX_API_KEY = 'env-vertex-key';
    reply = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ predictions: req.json.instances.map((_: unknown, i: number) => ({ embeddings: { values: [i, 0.25], statistics: { token_count: 3, truncated: false } } })), metadata: { billableCharacterCount: 9 } }));
    };
    const vectors = await getEmbeddingModel('vertex/gemini-embedding-001').embedMulti(['one', 'two']);
    assert.deepEqual(vectors, [[0, 0.25], [0, 0.25]]);
    assert.equal(posts().length, 2);
    assert.equal(posts()[0]!.path, '/v1/publishers/google/models/gemini-embedding-001:predict');
    assert.deepEqual(posts()[1]!.json.instances, [{ content: 'two' }]);
  });

  test('no key and no location/project: one line naming what to set; no Google credentials: one line', async () => {
    await assert.rejects(getModel('vertex/gemini-2.5-flash').prompt('x').text(), (e: unknown) => {
      assert.ok(NeedsKeyError.is(e));
      assert.equal((e as Error).message, "Google Vertex AI: Google Vertex location setting is missing. Pass it using the 'location' parameter or the GOOGLE_VERTEX_LOCATION environment variable.");
      return true;
    });
    process.env.GOOGLE_VERTEX_PROJECT = 'my-project';
    process.env.GOOGLE_VERTEX_LOCATION = 'us-central1';
    process.env.GOOGLE_APPLICATION_CREDENTIALS = join(userDir, 'no-such-credentials.json');
    await assert.rejects(getModel('vertex/gemini-2.5-flash').prompt('x').text(), (e: unknown) => {
      assert.ok(NeedsKeyError.is(e), String(e));
      assert.doesNotMatch((e as Error).message, /\n/);
      assert.match((e as Error).message, /^Google Vertex AI: no Google credentials \(.*no-such-credentials\.json.*\): run 'gcloud auth application-default login', or use an API key: 'llm keys set vertex' or GOOGLE_VERTEX_API_KEY$/);
      return true;
    });
    assert.equal(posts().length, 0);
  });
});
