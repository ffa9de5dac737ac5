import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeChatStream } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';
import { runLlm } from './run.js';

const cli = loopbackCli((req, res) => {
  if (req.path === '/v1/models') {
    if (req.headers.authorization !== 'Bearer gsk-test-key') {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'Invalid API Key' } }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ object: 'list', data: [{ id: 'llama-3.3-70b-versatile', object: 'model' }, { id: 'qwen/qwen3-32b', object: 'model' }] }));
  }
  if (req.path === '/v1/chat/completions') return writeChatStream(res, ['Hi', ' there']);
  res.writeHead(404).end();
});

// No OpenAI settings: these models have their own base URL and key.
const llm = (args: string[], env: Record<string, string> = {}) => runLlm(cli.user.dir, args, { env });

describe('llm providers', () => {
  test('add lists the models with the stored key, writes extra-openai-models.yaml; the models then answer with that key', async () => {
    writeFileSync(join(cli.user.dir, 'keys.json'), JSON.stringify({ groq: 'gsk-test-key' }));
    const r = await llm(['providers', 'add', 'groq', '--base-url', `${cli.server.url}/v1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Added 2 groq models to .*extra-openai-models\.yaml \(listed by Groq\):\n  groq\/llama-3\.3-70b-versatile\n  groq\/qwen\/qwen3-32b\nSet its key with: llm keys set groq \(or \$GROQ_API_KEY\)\n/);
    const yaml = readFileSync(join(cli.user.dir, 'extra-openai-models.yaml'), 'utf8');
    assert.equal(
      yaml,
      `- model_id: groq/llama-3.3-70b-versatile\n  model_name: llama-3.3-70b-versatile\n  api_base: ${cli.server.url}/v1\n  api_key_name: groq\n  supports_tools: true\n  supports_schema: true\n` +
        `- model_id: groq/qwen/qwen3-32b\n  model_name: qwen/qwen3-32b\n  api_base: ${cli.server.url}/v1\n  api_key_name: groq\n  supports_tools: true\n  supports_schema: true\n`,
    );
    const models = await llm(['models']);
    assert.match(models.stdout, /OpenAI Chat: groq\/llama-3\.3-70b-versatile/);
    const answer = await llm(['-m', 'groq/llama-3.3-70b-versatile', 'hello']);
    assert.equal(answer.code, 0, answer.stderr);
    assert.equal(answer.stdout, 'Hi there\n');
    const sent = cli.server.requests.find((q) => q.path === '/v1/chat/completions')!;
    assert.equal(sent.headers.authorization, 'Bearer gsk-test-key');
    assert.equal(sent.json.model, 'llama-3.3-70b-versatile');
  });

  test('the service key also comes from its usual variable (GROQ_API_KEY)', async () => {
    assert.equal((await llm(['providers', 'add', 'groq', '--base-url', `${cli.server.url}/v1`], { GROQ_API_KEY: 'gsk-test-key' })).code, 0);
    const answer = await llm(['-m', 'groq/qwen/qwen3-32b', 'hello'], { GROQ_API_KEY: 'gsk-test-key' });
    assert.equal(answer.code, 0, answer.stderr);
    assert.equal(cli.server.requests.at(-1)!.headers.authorization, 'Bearer gsk-test-key');
  });

  test('with no key yet, add falls back to the built-in list and says so; add again replaces only its own entries; remove takes them out', async () => {
    writeFileSync(join(cli.user.dir, 'extra-openai-models.yaml'), '# my models\n- model_id: mine\n  model_name: mine\n  api_base: http://127.0.0.1:9/v1\n');
    const r = await llm(['providers', 'add', 'groq', '--base-url', `${cli.server.url}/v1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(from the built-in list: its \/models could not be read without a key\)/);
    assert.equal((await llm(['providers', 'add', 'groq', '--base-url', `${cli.server.url}/v1`, '-m', 'only-this'])).code, 0);
    let yaml = readFileSync(join(cli.user.dir, 'extra-openai-models.yaml'), 'utf8');
    assert.match(yaml, /^# my models\n- model_id: mine\n/);
    assert.equal((yaml.match(/model_id: groq\//g) ?? []).length, 1);
    const list = await llm(['providers']);
    assert.match(list.stdout, /^groq +Groq \(https:\/\/api\.groq\.com\/openai\/v1\), key: groq or \$GROQ_API_KEY, 1 models added$/m);
    const removed = await llm(['providers', 'remove', 'groq']);
    assert.equal(removed.stdout, 'Removed 1 groq models\n');
    yaml = readFileSync(join(cli.user.dir, 'extra-openai-models.yaml'), 'utf8');
    assert.equal(yaml, '# my models\n- model_id: mine\n  model_name: mine\n  api_base: http://127.0.0.1:9/v1\n');
  });

  test('a local server: no key, models listed from it', async () => {
    cli.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'qwen2.5-7b-instruct' }] }));
    };
    const r = await llm(['providers', 'add', 'lmstudio', '--base-url', `${cli.server.url}/v1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /keys set/);
    assert.doesNotMatch(readFileSync(join(cli.user.dir, 'extra-openai-models.yaml'), 'utf8'), /api_key_name/);
  });

  test('errors are one line', async () => {
    const unknown = await llm(['providers', 'add', 'nosuch']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Error: Unknown provider: nosuch \(known: openrouter, groq, together, deepseek, xai, fireworks, cerebras, mistral, lmstudio, llamacpp, vllm\)\n$/);
    const down = await llm(['providers', 'add', 'vllm', '--base-url', 'http://127.0.0.1:9/v1']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^Error: Could not list the models of vLLM \(local\) at http:\/\/127\.0\.0\.1:9\/v1\/models: is it running\? Name them with -m\n$/);
    writeFileSync(join(cli.user.dir, 'extra-openai-models.yaml'), 'model_id: [unclosed\n');
    const bad = await llm(['providers', 'add', 'groq', '-m', 'x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error: .*extra-openai-models\.yaml is not valid YAML \(.*\); it was left untouched\n$/);
  });
});
