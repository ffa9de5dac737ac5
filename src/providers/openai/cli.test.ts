import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeServer, type FakeServer, type Handler } from '../../testing/provider-server.js';
import { writeChatStream } from '../../../test/helpers/openai-replies.js';
import { tempUserDir } from '../../../test/helpers/user-dir.js';
import { isoFromTimestamp, tableLines } from './cli.js';

const CLI_MODULE = new URL('./cli.js', import.meta.url).href.replace(/\.js$/, '.ts');

/** Runs one action of src/providers/openai/cli.ts in a child process, with stdin piped. */
function run(call: string, env: Record<string, string | undefined>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `import(${JSON.stringify(CLI_MODULE)}).then((m) => ${call}).catch((e) => { process.stderr.write('Error: ' + e.message + '\\n'); process.exitCode = 1; });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, LLM_RETRY_BASE_MS: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let server: FakeServer;
let handler: Handler;
let user: ReturnType<typeof tempUserDir>;

before(async () => {
  user = tempUserDir();
  writeFileSync(join(user.dir, 'keys.json'), JSON.stringify({ openai: 'sk-stored-openai-key', named: 'sk-named-key' }));
  server = await startFakeServer((req, res) => handler(req, res));
});
after(async () => {
  await server.close();
  user.cleanup();
});
beforeEach(() => {
  server.requests.length = 0;
  handler = (_req, res) => writeChatStream(res, ['Hello', ' there']);
});

const env = () => ({ LLM_USER_PATH: user.dir, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: undefined });

describe('llm openai endpoint', () => {
  test('runs a prompt, never sends the stored OpenAI key, sends headers and options', async () => {
    const flags = { model: 'local', system: 'sys', option: ['temperature=0.5', 'stop=a=b'], header: ['X-Test=1'], stream: true };
    const result = await run(`m.runEndpoint(${JSON.stringify(server.url + '/v1')}, 'Hi', ${JSON.stringify(flags)})`, env());
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, 'Hello there\n');
    const request = server.requests[0]!;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, undefined);
    assert.equal(request.headers['x-test'], '1');
    assert.equal(request.json.temperature, 0.5);
    assert.equal(request.json.stop, 'a=b');
    assert.deepEqual(request.json.messages, [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  test('--key is sent (a stored key name is looked up); piped stdin joins the prompt', async () => {
    const flags = { model: 'local', key: 'named', stream: false };
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', model: 'local', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
    };
    const result = await run(`m.runEndpoint(${JSON.stringify(server.url)}, 'summarise', ${JSON.stringify(flags)})`, env(), 'piped text');
    assert.equal(result.stdout, 'ok\n');
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer sk-named-key');
    assert.equal(server.requests[0]!.json.stream, false);
    assert.equal(server.requests[0]!.json.messages[0].content, 'piped text summarise');
  });

  test('--responses uses /responses; --schema sends the format', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ type: 'response.output_text.delta', delta: '{"a": 1}' })}\n\n`);
      res.end(`data: ${JSON.stringify({ type: 'response.completed', response: { id: 'r', model: 'm', output: [], usage: { input_tokens: 1, output_tokens: 1 } } })}\n\n`);
    };
    const flags = { model: 'm', responses: true, schema: 'a int', stream: true };
    const result = await run(`m.runEndpoint(${JSON.stringify(server.url)}, 'go', ${JSON.stringify(flags)})`, env());
    assert.equal(result.stdout, '{"a": 1}\n');
    assert.equal(server.requests[0]!.path, '/responses');
    assert.deepEqual(server.requests[0]!.json.text.format.schema, { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] });
    assert.equal(server.requests[0]!.json.reasoning, undefined);
  });

  test('--models lists the endpoint model ids', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'alpha' }, { id: 'beta' }] }));
    };
    const result = await run(`m.runEndpoint(${JSON.stringify(server.url)}, undefined, { models: true, stream: true })`, env());
    assert.equal(result.stdout, 'alpha\nbeta\n');
    assert.equal(server.requests[0]!.path, '/models');
    assert.equal(server.requests[0]!.headers.authorization, undefined);
  });

  test('usage errors have one-line messages', async () => {
    const noModel = await run(`m.runEndpoint('http://127.0.0.1:9', 'hi', { stream: true })`, env());
    assert.equal(noModel.stderr, 'Error: --model is required unless --models or a template model is used\n');
    const both = await run(`m.runEndpoint('http://127.0.0.1:9', 'hi', { models: true, stream: true })`, env());
    assert.equal(both.stderr, 'Error: --models cannot be used with a prompt\n');
    const badOption = await run(`m.runEndpoint('http://127.0.0.1:9', 'hi', { model: 'x', option: ['temperature=hot'], stream: true })`, env());
    assert.equal(badOption.stderr, 'Error: Invalid value for option temperature: expected a number between 0 and 2, got "hot"\n');
    const badPair = await run(`m.runEndpoint('http://127.0.0.1:9', 'hi', { model: 'x', option: ['temperature'], stream: true })`, env());
    assert.equal(badPair.stderr, 'Error: -o/--option needs two values: -o/--option KEY VALUE\n');
    assert.equal(server.requests.length, 0);
  });
});

describe('llm openai models', () => {
  test('prints the id owned_by created table, and --json', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'gpt-4o-mini', owned_by: 'system', created: 1721172741 }, { id: 'o3', owned_by: 'openai', created: 0 }] }));
    };
    const result = await run('m.listOpenAIModels({})', env());
    assert.equal(
      result.stdout,
      'id             owned_by    created                  \n' +
        'gpt-4o-mini    system      2024-07-16T23:32:21+00:00\n' +
        'o3             openai      1970-01-01T00:00:00+00:00\n',
    );
    assert.equal(server.requests[0]!.path, '/models');
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer sk-stored-openai-key');
    const json = await run("m.listOpenAIModels({ json: true, key: 'sk-explicit-key' })", env());
    assert.equal(JSON.parse(json.stdout)[1].id, 'o3');
    assert.equal(server.requests[1]!.headers.authorization, 'Bearer sk-explicit-key');
  });

  test('an API error shows the message without the key', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-explicit-key' } }));
    };
    const result = await run("m.listOpenAIModels({ key: 'sk-explicit-key' })", env());
    assert.equal(result.stderr, 'Error: OpenAI API error 401: Incorrect API key provided: [REDACTED]\n');
  });
});

test('table and timestamp helpers', () => {
  assert.equal(isoFromTimestamp(1721172741), '2024-07-16T23:32:21+00:00');
  assert.deepEqual(tableLines(['a', 'bb'], [{ a: 'xyz', bb: 1 }]), ['a      bb', 'xyz    1 ']);
});
