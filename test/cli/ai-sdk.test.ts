// End-to-end: the llm-ts-ai-sdk plugin installed with the built CLI, a provider added,
// prompts against a loopback Mistral server, logged to logs.db.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../../src/testing/provider-server.ts';
import { makeUserDir, runLlm } from './run.js';

const PLUGIN = fileURLToPath(new URL('../../packages/llm-ts-ai-sdk', import.meta.url));
const base = { id: 'cmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'mistral-small-latest' };

function sse(res: ServerResponse, chunks: unknown[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  res.end('data: [DONE]\n\n');
}
const usage = { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 };
const text = (content: string) => (_r: RecordedRequest, res: ServerResponse) =>
  sse(res, [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }], usage },
  ]);

let user: { dir: string; cleanup: () => void };
let server: FakeServer;
let reply: (req: RecordedRequest, res: ServerResponse) => void = text('Hi');
const env = { npm_config_offline: 'true', npm_config_update_notifier: 'false', MISTRAL_API_KEY: 'secret-mistral-key' };
const llm = (args: string[], extra: Record<string, string | undefined> = {}) => runLlm(user.dir, args, { env: { ...env, ...extra } });

before(async () => {
  user = makeUserDir();
  server = await startFakeServer((req, res) => reply(req, res));
  const r = await llm(['install', '-e', PLUGIN]);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await server.close();
  user.cleanup();
});

describe('llm ai-sdk (installed plugin)', () => {
  test('add mistral: its models in llm models; a prompt streams and is logged', async () => {
    let r = await llm(['ai-sdk', 'add', 'mistral', '--base-url', `${server.url}/v1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Added 9 mistral models/);
    r = await llm(['models']);
    assert.match(r.stdout, /^Mistral \(AI SDK\): mistral\/mistral-small-latest \(aliases: mistral-small\)$/m);
    reply = text('Bonjour');
    r = await llm(['-m', 'mistral-small', 'Say hello', '-s', 'In French', '-o', 'temperature', '0.5']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Bonjour\n');
    const sent = server.requests.at(-1)!;
    assert.equal(sent.json.temperature, 0.5);
    assert.equal(sent.headers.authorization, 'Bearer secret-mistral-key');
    r = await llm(['logs', '--json', '-n', '1']);
    const [row] = JSON.parse(r.stdout);
    assert.equal(row.model, 'mistral/mistral-small-latest');
    assert.equal(row.prompt, 'Say hello');
    assert.equal(row.system, 'In French');
    assert.equal(row.response, 'Bonjour');
    assert.equal(row.input_tokens, 9);
    assert.equal(row.output_tokens, 2);
    assert.deepEqual(JSON.parse(typeof row.options_json === 'string' ? row.options_json : JSON.stringify(row.options_json)), { temperature: 0.5 });
  });

  test('a response is priced from the price list: llm -u, llm logs -u, llm usage', async () => {
    reply = (_r, res) =>
      sse(res, [
        { ...base, model: 'mistral-large-latest', choices: [{ index: 0, delta: { role: 'assistant', content: 'Priced' }, finish_reason: null }] },
        { ...base, model: 'mistral-large-latest', choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000, total_tokens: 1_100_000 } },
      ]);
    // mistral-large: $2 input, $6 output per million tokens.
    let r = await llm(['-m', 'mistral-large', '-u', 'Price me']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Token usage: 1,000,000 input, 100,000 output, cost: $2.60\n');
    r = await llm(['logs', '-u', '-n', '1']);
    assert.match(r.stdout, /## Token usage\n\n1,000,000 input, 100,000 output, cost: \$2\.60\n/);
    const [row] = JSON.parse((await llm(['usage', '--json', '-m', 'mistral/mistral-large-latest'])).stdout);
    assert.equal(row.cost, 2.6);
  });

  test('tools through the chain loop with --td', async () => {
    let call = 0;
    reply = (req, res) => {
      if (call++ === 0) {
        sse(res, [
          { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', tool_calls: [{ id: 'abcDEF123', function: { name: 'llm_version', arguments: '{}' } }] }, finish_reason: 'tool_calls' }], usage },
        ]);
      } else text('Version noted')(req, res);
    };
    const r = await llm(['-m', 'mistral-small', 'Which version?', '-T', 'llm_version', '--td']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Version noted/);
    assert.match(r.stdout + r.stderr, /llm_version/);
    const last = server.requests.at(-1)!.json.messages;
    assert.equal(last.at(-1).role, 'tool');
    assert.equal(last.at(-1).tool_call_id, 'abcDEF123');
  });

  test('a wrong key: one Error line, exit 1, no stack', async () => {
    reply = (_r, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Unauthorized', request_id: 'r1' }));
    };
    const r = await llm(['-m', 'mistral-small', 'hi']);
    assert.equal(r.code, 1);
    // The CLI's hint on a rejected key, as for native models.
    assert.equal(r.stderr, "Error: Mistral API error 401: Unauthorized (sent the MISTRAL_API_KEY environment variable; set another with 'llm keys set mistral')\n");
  });

  test('llm ai-sdk refresh: the list from GET /v1/models in llm models; a 401 is one line, exit 1, the list kept', async () => {
    const listing = (ids: string[]) => (_r: RecordedRequest, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1750000000, owned_by: 'mistralai', capabilities: { completion_chat: true, vision: false }, type: 'base' })) }));
    };
    reply = listing(['mistral-small-latest', 'mistral-medium-2508']);
    let r = await llm(['ai-sdk', 'refresh', 'mistral']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^mistral: 2 models from http:\/\/127\.0\.0\.1:\d+\/v1\/models \(1 new: mistral-medium-2508; 8 gone: mistral-large-latest, /);
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer secret-mistral-key');
    const requests = server.requests.length;
    r = await llm(['models']);
    assert.equal(server.requests.length, requests);
    assert.match(r.stdout, /^Mistral \(AI SDK\): mistral\/mistral-medium-2508$/m);
    assert.doesNotMatch(r.stdout, /mistral-large-latest/);
    reply = (_r, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Unauthorized', request_id: 'r1' }));
    };
    r = await llm(['ai-sdk', 'refresh']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Error: mistral: Mistral API error 401: Unauthorized (kept its previous model list)\n');
    assert.match((await llm(['models'])).stdout, /mistral\/mistral-medium-2508/);
  });

  test('an unknown provider: one Error line', async () => {
    const r = await llm(['ai-sdk', 'add', 'nosuch']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Unknown AI SDK provider: nosuch. Known: mistral, groq, bedrock, vertex, azure; for another, give --package, --factory and --model\n');
  });
});
