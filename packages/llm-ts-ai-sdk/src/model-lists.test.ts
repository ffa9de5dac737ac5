import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { getModel, getModels, registerPlugin, retryPolicy, setKey, unregisterPlugin, UsageError } from 'llm-ts';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../../../src/testing/provider-server.ts';
import { sigV4Problem } from '../../../test/helpers/sigv4.ts';
import { tempUserDir } from '../../../test/helpers/user-dir.ts';
import { runAdd, runList, runRefresh, runRemove } from './commands.ts';
import plugin, { modelListsPath } from './index.ts';

/**
 * `llm ai-sdk refresh` against loopback servers answering each provider's model-listing
 * endpoint with its real JSON shape; `llm models` (registration) reading the cache only.
 */

type Reply = (request: RecordedRequest, res: ServerResponse) => void;

const json = (body: unknown, status = 200): Reply => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const mistralModel = (id: string, capabilities: Record<string, boolean>, extra: Record<string, unknown> = {}) => ({
  id,
  object: 'model',
  created: 1750000000,
  owned_by: 'mistralai',
  capabilities: { completion_chat: false, completion_fim: false, function_calling: false, fine_tuning: false, vision: false, classification: false, ...capabilities },
  name: id,
  description: `Official ${id} Mistral AI model`,
  max_context_length: 131072,
  aliases: [],
  deprecation: null,
  default_model_temperature: 0.3,
  type: 'base',
  ...extra,
});

/** GET /v1/models as Mistral answers it: chat models, their vision flag, an embedding model. */
const MISTRAL_MODELS = {
  object: 'list',
  data: [
    mistralModel('mistral-large-latest', { completion_chat: true, function_calling: true }),
    mistralModel('mistral-medium-2508', { completion_chat: true, function_calling: true, vision: true }),
    mistralModel('mistral-small-latest', { completion_chat: true, function_calling: true, vision: true }),
    mistralModel('devstral-medium-2507', { completion_chat: true, function_calling: true }),
    mistralModel('codestral-latest', { completion_chat: true, completion_fim: true }),
    mistralModel('mistral-embed', { classification: false }),
    mistralModel('mistral-ocr-latest', {}),
  ],
};

/** GET /openai/v1/models as Groq answers it. */
const groqModel = (id: string, owner: string) => ({ id, object: 'model', created: 1733447754, owned_by: owner, active: true, context_window: 131072, public_apps: null, max_completion_tokens: 32768 });
const GROQ_MODELS = {
  object: 'list',
  data: [
    groqModel('llama-3.3-70b-versatile', 'Meta'),
    groqModel('openai/gpt-oss-120b', 'OpenAI'),
    groqModel('whisper-large-v3', 'OpenAI'),
    groqModel('playai-tts', 'PlayAI'),
    groqModel('meta-llama/llama-guard-4-12b', 'Meta'),
    { ...groqModel('old-model', 'Meta'), active: false },
  ],
};

let server: FakeServer;
let reply: Reply;
let cleanup: () => void;
let out: string;
let err: string;
const write = (t: string) => void (out += t);
const writeError = (t: string) => void (err += t);
const quiet = () => undefined;
const refresh = (name?: string) => runRefresh(name, write, writeError);
const ids = (prefix: string) => getModels().map((m) => m.modelId).filter((id) => id.startsWith(prefix));
const cacheText = () => readFileSync(modelListsPath(), 'utf8');

before(() => registerPlugin(plugin));
after(() => unregisterPlugin(plugin));
beforeEach(async () => {
  cleanup = tempUserDir().cleanup;
  retryPolicy.baseDelayMs = 1;
  out = '';
  err = '';
  process.exitCode = undefined;
  reply = json(MISTRAL_MODELS);
  server = await startFakeServer((req, res) => reply(req, res));
});
afterEach(async () => {
  process.exitCode = undefined;
  await server.close();
  cleanup();
  delete process.env.MISTRAL_API_KEY;
  delete process.env.GROQ_API_KEY;
});

describe('llm ai-sdk refresh: Mistral', () => {
  beforeEach(() => runAdd('mistral', { baseUrl: `${server.url}/v1`, model: ['my-fine-tune'] }, quiet));

  test('before any refresh: the curated list, and no request at all', () => {
    assert.equal(ids('mistral/').length, 10);
    assert.ok(ids('mistral/').includes('mistral/ministral-3b-latest'));
    assert.equal(existsSync(modelListsPath()), false);
    assert.equal(server.requests.length, 0);
  });

  test('fetches /v1/models with the stored key; the chat models replace the curated ones, aliases kept', async () => {
    setKey('mistral', 'stored-mistral-key');
    await refresh('mistral');
    assert.equal(err, '');
    assert.equal(process.exitCode, undefined);
    const request = server.requests[0]!;
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/v1/models');
    assert.equal(request.headers.authorization, 'Bearer stored-mistral-key');
    assert.equal(
      out,
      `mistral: 6 models from ${server.url}/v1/models (2 new: mistral-medium-2508, devstral-medium-2507; 6 gone: mistral-medium-latest, magistral-medium-latest, magistral-small-latest, pixtral-large-latest, ministral-8b-latest, ministral-3b-latest)\n`,
    );
    // Registration reads the cache: curated models first (with their aliases), then the rest, then -m ones.
    assert.deepEqual(ids('mistral/'), [
      'mistral/mistral-large-latest',
      'mistral/mistral-small-latest',
      'mistral/codestral-latest',
      'mistral/mistral-medium-2508',
      'mistral/devstral-medium-2507',
      'mistral/my-fine-tune',
    ]);
    assert.equal(getModel('mistral-large').modelId, 'mistral/mistral-large-latest');
    assert.ok(getModel('mistral/mistral-medium-2508').attachmentTypes.has('image/png'));
    assert.ok(!getModel('mistral/devstral-medium-2507').attachmentTypes.has('image/png'));
    const cache = JSON.parse(cacheText());
    assert.equal(cache.mistral.url, `${server.url}/v1/models`);
    assert.match(cache.mistral.fetched_at, /^\d{4}-\d\d-\d\dT/);
    out = '';
    runList(write);
    assert.match(out, /^mistral: @ai-sdk\/mistral \(6 models, list fetched \d{4}-\d\d-\d\d, http:/);
  });

  test('a second refresh says what changed, or that nothing did', async () => {
    process.env.MISTRAL_API_KEY = 'env-key';
    await refresh('mistral');
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer env-key');
    out = '';
    await refresh('mistral');
    assert.equal(out, `mistral: 6 models from ${server.url}/v1/models, unchanged\n`);
    reply = json({ ...MISTRAL_MODELS, data: [...MISTRAL_MODELS.data.filter((m) => m.id !== 'codestral-latest'), mistralModel('magistral-medium-2509', { completion_chat: true })] });
    out = '';
    await refresh('mistral');
    assert.equal(out, `mistral: 6 models from ${server.url}/v1/models (1 new: magistral-medium-2509; 1 gone: codestral-latest)\n`);
  });

  test('401: one error line, exit code 1, the cached list kept', async () => {
    process.env.MISTRAL_API_KEY = 'env-key';
    await refresh('mistral');
    const before = cacheText();
    reply = json({ message: 'Unauthorized', request_id: 'abc' }, 401);
    out = '';
    await refresh('mistral');
    assert.equal(out, '');
    assert.equal(err, 'Error: mistral: Mistral API error 401: Unauthorized (kept its previous model list)\n');
    assert.equal(process.exitCode, 1);
    assert.equal(cacheText(), before);
    assert.equal(ids('mistral/').length, 6);
  });

  test('unreachable: one error line, nothing written', async () => {
    process.env.MISTRAL_API_KEY = 'env-key';
    const saved = retryPolicy.maxAttempts;
    retryPolicy.maxAttempts = 1;
    await server.close();
    try {
      await refresh('mistral');
    } finally {
      retryPolicy.maxAttempts = saved;
    }
    assert.match(err, /^Error: mistral: Could not connect to Mistral at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED \(kept its previous model list\)\n$/);
    assert.equal(process.exitCode, 1);
    assert.equal(existsSync(modelListsPath()), false);
    assert.equal(ids('mistral/').length, 10);
    server = await startFakeServer((req, res) => reply(req, res));
  });

  test('no key: the usual line naming llm keys set and the variable; an answer that is not a list', async () => {
    await refresh('mistral');
    assert.equal(err, "Error: mistral: No key found - add one using 'llm keys set mistral' or set the MISTRAL_API_KEY environment variable (kept its previous model list)\n");
    assert.equal(server.requests.length, 0);
    process.env.MISTRAL_API_KEY = 'env-key';
    err = '';
    reply = json({ detail: 'Not Found' });
    await refresh('mistral');
    assert.equal(err, "Error: mistral: Mistral's model list could not be read: the answer has no list of models (kept its previous model list)\n");
  });

  test('remove drops its cached list too', async () => {
    process.env.MISTRAL_API_KEY = 'env-key';
    await refresh('mistral');
    runRemove('mistral', quiet);
    assert.deepEqual(JSON.parse(cacheText()), {});
  });
});

describe('llm ai-sdk refresh: other providers and shapes', () => {
  test('Groq: /openai/v1/models, speech, guard and inactive models left out', async () => {
    runAdd('groq', { baseUrl: `${server.url}/openai/v1` }, quiet);
    process.env.GROQ_API_KEY = 'groq-key';
    reply = json(GROQ_MODELS);
    await refresh('groq');
    assert.equal(server.requests[0]!.path, '/openai/v1/models');
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer groq-key');
    assert.deepEqual(ids('groq/'), ['groq/llama-3.3-70b-versatile', 'groq/openai/gpt-oss-120b']);
    assert.match(out, /^groq: 2 models from .* \(5 gone: llama-3\.1-8b-instant, /);
  });

  test('Together (a bare array with types) and Cohere ({models: [{name, endpoints}]}) added with --package', async () => {
    process.env.GROQ_API_KEY = 'k';
    runAdd('togetherai', { package: '@ai-sdk/groq@^3', factory: 'createGroq', keyEnv: 'GROQ_API_KEY', model: ['x'], baseUrl: `${server.url}/v1` }, quiet);
    reply = json([
      { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', object: 'model', created: 0, type: 'chat', display_name: 'Llama 3.3 70B', organization: 'Meta', context_length: 131072, pricing: { input: 0.88, output: 0.88 } },
      { id: 'BAAI/bge-large-en-v1.5', object: 'model', created: 0, type: 'embedding', organization: 'BAAI', context_length: 512 },
      { id: 'black-forest-labs/FLUX.1-schnell', object: 'model', created: 0, type: 'image', organization: 'BFL' },
    ]);
    await refresh('togetherai');
    assert.equal(server.requests.at(-1)!.path, '/v1/models');
    assert.deepEqual(ids('togetherai/'), ['togetherai/meta-llama/Llama-3.3-70B-Instruct-Turbo', 'togetherai/x']);

    runAdd('cohere', { package: '@ai-sdk/groq@^3', factory: 'createGroq', keyEnv: 'GROQ_API_KEY', model: ['command-r'], baseUrl: `${server.url}/v2` }, quiet);
    reply = json({
      models: [
        { name: 'command-a-03-2025', endpoints: ['generate', 'chat', 'summarize'], finetuned: false, context_length: 256000, tokenizer_url: 'https://storage.googleapis.com/x.json', default_endpoints: ['chat'] },
        { name: 'embed-v4.0', endpoints: ['embed'], finetuned: false, context_length: 128000, default_endpoints: ['embed'] },
      ],
      next_page_token: '',
    });
    await refresh('cohere');
    assert.equal(server.requests.at(-1)!.path, '/v1/models?endpoint=chat&page_size=1000');
    assert.deepEqual(ids('cohere/'), ['cohere/command-a-03-2025', 'cohere/command-r']);
  });

  test('Azure has no listing: its deployments stay; every provider refreshed when none is named', async () => {
    process.env.AZURE_API_KEY = 'k';
    runAdd('azure', { model: ['my-gpt4o'], baseUrl: `${server.url}/openai` }, quiet);
    process.env.MISTRAL_API_KEY = 'k';
    runAdd('mistral', { baseUrl: `${server.url}/v1` }, quiet);
    await refresh();
    delete process.env.AZURE_API_KEY;
    assert.equal(out, `azure: no model-listing endpoint; keeping the 1 model it was added with\nmistral: 5 models from ${server.url}/v1/models (2 new: mistral-medium-2508, devstral-medium-2507; 6 gone: mistral-medium-latest, magistral-medium-latest, magistral-small-latest, pixtral-large-latest, ministral-8b-latest, ministral-3b-latest)\n`);
    assert.deepEqual(ids('azure/'), ['azure/my-gpt4o']);
  });

  test('an unknown provider name: a usage error', async () => {
    await assert.rejects(refresh('nosuch'), (e: unknown) => UsageError.is(e) && (e as Error).message === 'No AI SDK provider named nosuch was added');
  });
});

describe('llm ai-sdk refresh: Amazon Bedrock', () => {
  const ACCESS_KEY = 'AKIDEXAMPLE12345';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, region: process.env.AWS_REGION, token: process.env.AWS_SESSION_TOKEN };
  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    process.env.AWS_REGION = 'us-west-2';
    delete process.env.AWS_SESSION_TOKEN;
  });
  afterEach(() => {
    for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_REGION', saved.region], ['AWS_SESSION_TOKEN', saved.token]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const arn = (id: string) => `arn:aws:bedrock:us-west-2::foundation-model/${id}`;
  const summary = (modelId: string, input: string[], output: string[], inference: string[], status = 'ACTIVE') => ({
    modelArn: arn(modelId),
    modelId,
    modelName: modelId,
    providerName: modelId.split('.')[0],
    inputModalities: input,
    outputModalities: output,
    responseStreamingSupported: output.includes('TEXT'),
    customizationsSupported: [],
    inferenceTypesSupported: inference,
    modelLifecycle: { status },
  });
  const profile = (id: string, model: string) => ({
    inferenceProfileName: id,
    description: `Routes requests to ${model}`,
    createdAt: '2025-09-29T00:00:00Z',
    updatedAt: '2025-09-29T00:00:00Z',
    inferenceProfileArn: `arn:aws:bedrock:us-west-2:123456789012:inference-profile/${id}`,
    models: [{ modelArn: arn(model) }, { modelArn: arn(model).replace('us-west-2', 'us-east-1') }],
    inferenceProfileId: id,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
  });

  /** ListFoundationModels and ListInferenceProfiles (two pages), every request's signature checked. */
  const bedrock: Reply = (req, res) => {
    const problem = sigV4Problem(req, { accessKey: ACCESS_KEY, secret: SECRET, region: 'us-west-2', service: 'bedrock' });
    if (problem) return json({ message: `The request signature we calculated does not match the signature you provided (${problem})` }, 403)(req, res);
    const url = new URL(req.path, 'http://x');
    if (url.pathname === '/foundation-models') {
      return json({
        modelSummaries: [
          summary('amazon.nova-pro-v1:0', ['TEXT', 'IMAGE', 'VIDEO'], ['TEXT'], ['ON_DEMAND']),
          summary('amazon.nova-micro-v1:0', ['TEXT'], ['TEXT'], ['ON_DEMAND']),
          summary('anthropic.claude-sonnet-4-5-20250929-v1:0', ['TEXT', 'IMAGE'], ['TEXT'], ['INFERENCE_PROFILE']),
          summary('amazon.titan-embed-text-v2:0', ['TEXT'], ['EMBEDDING'], ['ON_DEMAND']),
          summary('anthropic.claude-v2', ['TEXT'], ['TEXT'], ['ON_DEMAND'], 'LEGACY'),
        ],
      })(req, res);
    }
    if (url.pathname === '/inference-profiles') {
      if (!url.searchParams.get('nextToken')) return json({ inferenceProfileSummaries: [profile('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0')], nextToken: 'page/2+=' })(req, res);
      return json({ inferenceProfileSummaries: [profile('us.amazon.nova-micro-v1:0', 'amazon.nova-micro-v1:0')] })(req, res);
    }
    json({ message: 'Unknown operation' }, 404)(req, res);
  };

  test('ListFoundationModels and ListInferenceProfiles, signed with SigV4 for bedrock; text models on demand and the profiles', async () => {
    runAdd('bedrock', { baseUrl: server.url }, quiet);
    reply = bedrock;
    await refresh('bedrock');
    assert.equal(err, '');
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/foundation-models?byOutputModality=TEXT', '/inference-profiles?typeEquals=SYSTEM_DEFINED&maxResults=1000', '/inference-profiles?typeEquals=SYSTEM_DEFINED&maxResults=1000&nextToken=page%2F2%2B%3D'],
    );
    assert.deepEqual(ids('bedrock/'), [
      'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'bedrock/amazon.nova-pro-v1:0',
      'bedrock/amazon.nova-micro-v1:0',
      'bedrock/us.amazon.nova-micro-v1:0',
    ]);
    assert.equal(getModel('bedrock-claude-sonnet-4.5').modelId, 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.ok(getModel('bedrock/amazon.nova-pro-v1:0').attachmentTypes.has('image/jpeg'));
    assert.match(out, /^bedrock: 4 models from http:\/\/127\.0\.0\.1:\d+ \(1 new: us\.amazon\.nova-micro-v1:0; 4 gone: us\.anthropic\.claude-haiku-4-5-20251001-v1:0, amazon\.nova-lite-v1:0, meta\.llama3-3-70b-instruct-v1:0, mistral\.mistral-large-2407-v1:0\)\n$/);
  });

  test('a wrong secret: the 403 in one line, nothing cached; no credentials: one line naming the variables', async () => {
    runAdd('bedrock', { baseUrl: server.url }, quiet);
    reply = bedrock;
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';
    await refresh('bedrock');
    assert.equal(err, 'Error: bedrock: Amazon Bedrock API error 403: The request signature we calculated does not match the signature you provided (signature does not match) (kept its previous model list)\n');
    assert.equal(existsSync(modelListsPath()), false);
    delete process.env.AWS_ACCESS_KEY_ID;
    err = '';
    await refresh('bedrock');
    assert.equal(err, 'Error: bedrock: Amazon Bedrock needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_BEARER_TOKEN_BEDROCK) (kept its previous model list)\n');
  });
});
