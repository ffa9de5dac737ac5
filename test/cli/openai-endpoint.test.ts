// `llm openai endpoint` with Python's --chat, -t/-p and -T/--td/--ta/--cl, through the built
// binary against a loopback server speaking Chat Completions. Nothing is ever logged.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeChatStream, writeToolCalls } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';
import { runLlm } from './run.js';


const writeToolCallStream = (res: ServerResponse, name: string, id: string) => writeToolCalls(res, [{ name, args: {}, id }], { model: 'local' });

const cli = loopbackCli((_req, res) => writeChatStream(res, ['Hello', ' there']));

const endpoint = (args: string[], input = '') => runLlm(cli.user.dir, ['openai', 'endpoint', `${cli.server.url}/v1`, ...args], { input });

describe('llm openai endpoint: templates, tools, chat', () => {
  test('-t and -p: the template gives the model, prompt, system and options', async () => {
    mkdirSync(join(cli.user.dir, 'templates'), { recursive: true });
    writeFileSync(
      join(cli.user.dir, 'templates', 'greet.yaml'),
      'model: local-model\nsystem: Speak $tone\nprompt: "Greet $name: $input"\ndefaults:\n  tone: softly\noptions:\n  temperature: 0.25\n',
    );
    const r = await endpoint(['-t', 'greet', '-p', 'name', 'Ada', '-o', 'max_tokens', '7', 'now']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Hello there\n');
    const sent = cli.server.requests[0]!.json;
    assert.equal(sent.model, 'local-model');
    assert.deepEqual(sent.messages, [
      { role: 'system', content: 'Speak softly' },
      { role: 'user', content: 'Greet Ada: now' },
    ]);
    assert.equal(sent.temperature, 0.25);
    assert.equal(sent.max_tokens, 7);
    assert.equal(existsSync(join(cli.user.dir, 'logs.db')), false, 'never logged');

    const missing = await endpoint(['-t', 'greet', 'x', '-p', 'nam', 'Ada']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: .*name/);
  });

  test('-T runs the tool chain (with --td); --cl limits it; --models refuses tools', async () => {
    cli.handler = (_req, res) => (cli.server.requests.length === 1 ? writeToolCallStream(res, 'llm_version', 'call_1') : writeChatStream(res, ['Done.']));
    const r = await endpoint(['-m', 'local', '-T', 'llm_version', '--td', 'Which version?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Done.\n');
    assert.match(r.stderr, /Tool call: llm_version\(\{\}\)/);
    assert.equal(cli.server.requests.length, 2);
    assert.deepEqual(cli.server.requests[0]!.json.tools.map((t: { function: { name: string } }) => t.function.name), ['llm_version']);
    const result = cli.server.requests[1]!.json.messages.at(-1);
    assert.equal(result.role, 'tool');
    assert.equal(result.tool_call_id, 'call_1');
    assert.equal(existsSync(join(cli.user.dir, 'logs.db')), false);

    cli.server.requests.length = 0;
    const limited = await endpoint(['-m', 'local', '-T', 'llm_version', '--cl', '1', 'again']);
    assert.equal(limited.code, 1);
    assert.match(limited.stderr, /Chain limit of 1 exceeded/);

    const models = await endpoint(['--models', '-T', 'llm_version']);
    assert.equal(models.stderr, 'Error: --models cannot be used with tools\n');
    const unknown = await endpoint(['-m', 'local', '-T', 'nope', 'x']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Error: Tool\(s\) nope not found/);
  });

  test('--ta asks before each call; declined, the model is told it was cancelled', async () => {
    cli.handler = (_req, res) => (cli.server.requests.length === 1 ? writeToolCallStream(res, 'llm_version', 'call_9') : writeChatStream(res, ['OK.']));
    const r = await endpoint(['-m', 'local', '-T', 'llm_version', '--ta', 'Which version?']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Approve tool call\? \[y\/N\]: /);
    assert.equal(cli.server.requests[1]!.json.messages.at(-1).content, 'Cancelled: User cancelled tool call');
  });

  test('--chat holds a chat at the endpoint; nothing is logged', async () => {
    let turn = 0;
    cli.handler = (_req, res) => writeChatStream(res, [`Reply ${++turn}`]);
    const r = await endpoint(['-m', 'local', '-s', 'Be brief', '--chat'], 'Hi\nAgain\nquit\n');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(`Chatting with local at ${cli.server.url}/v1\nType 'exit' or 'quit' to exit\n`), r.stdout);
    assert.match(r.stdout, /Reply 1\n> Reply 2\n/);
    assert.deepEqual(cli.server.requests[1]!.json.messages, [
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Reply 1' },
      { role: 'user', content: 'Again' },
    ]);
    assert.equal(cli.server.requests[0]!.headers.authorization, undefined);
    assert.equal(existsSync(join(cli.user.dir, 'logs.db')), false);

    const withPrompt = await endpoint(['-m', 'local', '--chat', 'hello']);
    assert.equal(withPrompt.code, 1);
    assert.equal(withPrompt.stderr, 'Error: --chat cannot be used with a prompt\n');
  });
});
