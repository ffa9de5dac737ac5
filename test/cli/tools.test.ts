// `llm -T`, `--td`, `--ta`, `--cl` and `llm tools` through the built binary, against a
// loopback server speaking OpenAI's Chat Completions wire format.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFakeServer, writeChatStream, type FakeServer, type Handler } from '../helpers/fake-server.js';
import { makeUserDir, runLlm } from './run.js';

let server: FakeServer;
let handler: Handler;
let user: { dir: string; cleanup: () => void };

/** A streamed reply whose only content is one tool call, its arguments split over two chunks. */
function writeToolCallStream(res: ServerResponse, name: string, args: string, id: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const base = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' };
  const delta = (d: unknown, finish: string | null = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] })}\n\n`;
  res.write(delta({ role: 'assistant', content: null, tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }));
  res.write(delta({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, 1) } }] }));
  res.write(delta({ tool_calls: [{ index: 0, function: { arguments: args.slice(1) } }] }));
  res.write(delta({}, 'tool_calls'));
  res.end('data: [DONE]\n\n');
}

before(async () => {
  server = await startFakeServer((req, res) => handler(req, res));
});
after(async () => {
  await server.close();
  user?.cleanup();
});
beforeEach(() => {
  user?.cleanup();
  user = makeUserDir();
  server.requests.length = 0;
  // First request: call llm_version; second: answer with text.
  handler = (req, res) =>
    server.requests.length === 1 ? writeToolCallStream(res, 'llm_version', '{}', 'call_1') : writeChatStream(res, ['The version', ' is known.']);
});

const llm = (args: string[], options: Parameters<typeof runLlm>[2] = {}) =>
  runLlm(user.dir, args, { ...options, env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', ...options.env } });

describe('llm -T (built binary)', () => {
  test('runs the tool chain: sends the tool, runs the call, sends the result, prints the answer, logs both turns', async () => {
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', 'Which version?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'The version is known.\n');
    assert.equal(r.stderr, '');
    assert.equal(server.requests.length, 2);
    assert.deepEqual(server.requests[0]!.json.tools, [
      { type: 'function', function: { name: 'llm_version', description: 'Return the installed version of llm', parameters: { properties: {}, type: 'object' } } },
    ]);
    const second = server.requests[1]!.json.messages;
    assert.deepEqual(second.slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ type: 'function', id: 'call_1', function: { name: 'llm_version', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: second[2].content },
    ]);
    assert.match(second[2].content, /^\d+\.\d+/);

    const logged = JSON.parse((await runLlm(user.dir, ['logs', '-n', '0', '--json'])).stdout);
    assert.equal(logged.length, 2);
    assert.deepEqual(logged[0].tool_calls.map((c: any) => [c.name, c.tool_call_id]), [['llm_version', 'call_1']]);
    assert.deepEqual(logged[1].tool_results.map((c: any) => [c.name, c.tool_call_id]), [['llm_version', 'call_1']]);
    assert.deepEqual(logged[1].tools.map((t: any) => [t.name, t.input_schema]), [['llm_version', { properties: {}, type: 'object' }]]);
    const markdown = (await runLlm(user.dir, ['logs', '-n', '0'])).stdout;
    assert.match(markdown, /### Tool calls\n\n- \*\*llm_version\*\*: `call_1`/);

    // -c continues the thread: the next request replays the call and its result.
    handler = (_req, res) => writeChatStream(res, ['Sure.']);
    server.requests.length = 0;
    const again = await llm(['-c', 'Thanks']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(server.requests[0]!.json.messages.map((m: any) => m.role), ['user', 'assistant', 'tool', 'assistant', 'user']);
  });

  test('--td prints each call and its result on stderr', async () => {
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', '--td', 'Which version?']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\nTool call: llm_version\(\{\}\)\n  \d+\.\d+[^\n]*\n\n$/);
  });

  test('--ta asks before each call; declining (here: stdin already read for the prompt) sends a Cancelled result', async () => {
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', '--ta', 'Which version?'], { input: 'y\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Tool call: llm_version\(\{\}\)\nApprove tool call\? \[y\/N\]: /);
    assert.equal(server.requests[1]!.json.messages.at(-1).content, 'Cancelled: User cancelled tool call');
  });

  test('--cl stops a model that keeps calling tools, with a one-line error', async () => {
    handler = (_req, res) => writeToolCallStream(res, 'llm_time', '{}', `call_${server.requests.length}`);
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_time', '--cl', '2', 'loop']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Chain limit of 2 exceeded.\n');
    assert.equal(server.requests.length, 2);
  });

  test('an unknown tool, a bad --cl, and a model without tools are one-line errors, with no request sent', async () => {
    const unknown = await llm(['-m', 'gpt-4o-mini', '-T', 'nope', 'hi']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'Error: Tool(s) nope not found. Available tools: llm_version, llm_time\n');
    const badLimit = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_time', '--cl', 'many', 'hi']);
    assert.equal(badLimit.code, 1);
    assert.equal(badLimit.stderr, "Error: --chain-limit must be a whole number (0 for no limit), not 'many'\n");
    const noTools = await llm(['-m', 'gpt-3.5-turbo', '-T', 'llm_time', 'hi']);
    assert.equal(noTools.code, 1);
    assert.equal(noTools.stderr, 'Error: OpenAI Chat: gpt-3.5-turbo does not support tools\n');
    assert.equal(server.requests.length, 0);
  });

  test('llm tools lists the default tools, as text and as JSON', async () => {
    const text = await runLlm(user.dir, ['tools']);
    assert.equal(text.code, 0);
    assert.equal(
      text.stdout,
      'llm_time() (plugin: llm.default_plugins.default_tools)\n\n  Returns the current time, as local time and UTC\n\n' +
        'llm_version() (plugin: llm.default_plugins.default_tools)\n\n  Return the installed version of llm\n\n',
    );
    const json = JSON.parse((await runLlm(user.dir, ['tools', 'list', '--json'])).stdout);
    assert.deepEqual(json.tools.map((t: any) => [t.name, t.plugin]), [
      ['llm_time', 'llm.default_plugins.default_tools'],
      ['llm_version', 'llm.default_plugins.default_tools'],
    ]);
    assert.deepEqual(json.toolboxes, []);
  });
});
