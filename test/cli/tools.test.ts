// `llm -T`, `--td`, `--ta`, `--cl` and `llm tools` through the built binary, against a
// loopback server speaking OpenAI's Chat Completions wire format.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import type { Handler } from '../../src/testing/provider-server.js';
import { writeChatStream } from '../helpers/openai-replies.js';
import { join } from 'node:path';
import { makePlugin } from '../helpers/make-plugin.mjs';
import { hasTmux, startTerminal } from '../helpers/tmux.js';
import { loopbackCli } from './loopback.js';
import { BIN, runLlm } from './run.js';

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

// First request: call llm_version; second: answer with text.
const cli = loopbackCli((_req, res) =>
  cli.server.requests.length === 1 ? writeToolCallStream(res, 'llm_version', '{}', 'call_1') : writeChatStream(res, ['The version', ' is known.']),
);
const llm = cli.llm;

describe('llm -T (built binary)', () => {
  test('runs the tool chain: sends the tool, runs the call, sends the result, prints the answer, logs both turns', async () => {
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', 'Which version?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'The version is known.\n');
    assert.equal(r.stderr, '');
    assert.equal(cli.server.requests.length, 2);
    assert.deepEqual(cli.server.requests[0]!.json.tools, [
      { type: 'function', function: { name: 'llm_version', description: 'Return the installed version of llm', parameters: { properties: {}, type: 'object' } } },
    ]);
    const second = cli.server.requests[1]!.json.messages;
    assert.deepEqual(second.slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ type: 'function', id: 'call_1', function: { name: 'llm_version', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: second[2].content },
    ]);
    assert.match(second[2].content, /^\d+\.\d+/);

    const logged = JSON.parse((await runLlm(cli.user.dir, ['logs', '-n', '0', '--json'])).stdout);
    assert.equal(logged.length, 2);
    assert.deepEqual(logged[0].tool_calls.map((c: any) => [c.name, c.tool_call_id]), [['llm_version', 'call_1']]);
    assert.deepEqual(logged[1].tool_results.map((c: any) => [c.name, c.tool_call_id]), [['llm_version', 'call_1']]);
    assert.deepEqual(logged[1].tools.map((t: any) => [t.name, t.input_schema]), [['llm_version', { properties: {}, type: 'object' }]]);
    const markdown = (await runLlm(cli.user.dir, ['logs', '-n', '0'])).stdout;
    assert.match(markdown, /### Tool calls\n\n- \*\*llm_version\*\*: `call_1`/);

    // -c continues the thread: the next request replays the call and its result.
    cli.handler = (_req, res) => writeChatStream(res, ['Sure.']);
    cli.server.requests.length = 0;
    const again = await llm(['-c', 'Thanks']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(cli.server.requests[0]!.json.messages.map((m: any) => m.role), ['user', 'assistant', 'tool', 'assistant', 'user']);
  });

  test("an installed plugin's tool is listed and runs with -T", async () => {
    const folder = join(cli.user.dir, 'src', 'adder');
    makePlugin(folder, { name: 'llm-adder', tools: ['add_numbers'] });
    const installed = await llm(['install', folder]);
    assert.equal(installed.code, 0, installed.stderr);
    const listed = JSON.parse((await llm(['tools', '--json'])).stdout) as { tools: { name: string; plugin: string }[] };
    assert.deepEqual(
      listed.tools.filter((t) => t.name === 'add_numbers').map((t) => t.plugin),
      ['llm-adder'],
    );

    cli.handler = (req, res) =>
      cli.server.requests.length === 1 ? writeToolCallStream(res, 'add_numbers', '{"a": 2, "b": 3}', 'call_9') : writeChatStream(res, ['Five.']);
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'add_numbers', 'What is 2 + 3?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Five.\n');
    assert.equal(cli.server.requests[0]!.json.tools[0].function.name, 'add_numbers');
    assert.deepEqual(cli.server.requests[1]!.json.messages.at(-1), { role: 'tool', tool_call_id: 'call_9', content: '5' });
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
    assert.equal(cli.server.requests[1]!.json.messages.at(-1).content, 'Cancelled: User cancelled tool call');
  });

  test('--cl stops a model that keeps calling tools, with a one-line error', async () => {
    cli.handler = (_req, res) => writeToolCallStream(res, 'llm_time', '{}', `call_${cli.server.requests.length}`);
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_time', '--cl', '2', 'loop']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Chain limit of 2 exceeded.\n');
    assert.equal(cli.server.requests.length, 2);
  });

  test('an unknown tool, a bad --cl, and a model without tools are one-line errors, with no request sent', async () => {
    const unknown = await llm(['-m', 'gpt-4o-mini', '-T', 'nope', 'hi']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'Error: Tool(s) nope not found. Available tools: llm_version, llm_time, MCP\n');
    const badLimit = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_time', '--cl', 'many', 'hi']);
    assert.equal(badLimit.code, 1);
    assert.equal(badLimit.stderr, "Error: --chain-limit must be a whole number (0 for no limit), not 'many'\n");
    const noTools = await llm(['-m', 'gpt-3.5-turbo', '-T', 'llm_time', 'hi']);
    assert.equal(noTools.code, 1);
    assert.equal(noTools.stderr, 'Error: OpenAI Chat: gpt-3.5-turbo does not support tools\n');
    assert.equal(cli.server.requests.length, 0);
  });

  test('-c and --cid keep the plugin tools of the conversation; -T names others instead', async () => {
    assert.equal((await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', 'Which version?'])).code, 0);
    const cid = JSON.parse((await runLlm(cli.user.dir, ['logs', '--json', '-n', '1'])).stdout)[0].conversation_id;
    cli.server.requests.length = 0;
    const again = await llm(['-c', 'And again?']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'The version is known.\n');
    assert.equal(cli.server.requests.length, 2, 'the restored tool was called and its result sent back');
    assert.deepEqual(cli.server.requests.map((q) => q.json.tools?.map((t: any) => t.function.name)), [['llm_version'], ['llm_version']]);

    cli.server.requests.length = 0;
    cli.handler = (_req, res) => writeChatStream(res, ['Fine.']);
    assert.equal((await llm(['--cid', cid, '-T', 'llm_time', 'Time?'])).code, 0);
    assert.deepEqual(cli.server.requests[0]!.json.tools.map((t: any) => t.function.name), ['llm_time']);
    const chat = await llm(['chat', '--cid', cid], { input: 'Hello\n' });
    assert.equal(chat.code, 0, chat.stderr);
    assert.deepEqual(cli.server.requests[1]!.json.tools.map((t: any) => t.function.name), ['llm_version']);
  });

  test('llm logs --tools and -T NAME: only turns that were sent a tool result (of each tool named)', async () => {
    assert.equal((await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', 'Which version?'])).code, 0);
    cli.handler = (_req, res) => writeChatStream(res, ['Plain.']);
    assert.equal((await llm(['-m', 'gpt-4o-mini', 'No tools'])).code, 0);
    const ids = async (args: string[]) => {
      const r = await runLlm(cli.user.dir, ['logs', ...args, '-n', '0', '--json']);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).map((row: any) => row.response);
    };
    assert.deepEqual(await ids([]), ['', 'The version is known.', 'Plain.']);
    assert.deepEqual(await ids(['--tools']), ['The version is known.']);
    assert.deepEqual(await ids(['-T', 'llm_version']), ['The version is known.']);
    assert.deepEqual(await ids(['list', '--tool', 'llm_version', '-T', 'llm_time']), []);
    assert.deepEqual(await ids(['-T', 'not_installed']), []);
  });

  test('llm tools lists the default tools, as text and as JSON', async () => {
    const text = await runLlm(cli.user.dir, ['tools']);
    assert.equal(text.code, 0);
    assert.equal(
      text.stdout,
      'llm_time() (plugin: llm.default_plugins.default_tools)\n\n  Returns the current time, as local time and UTC\n\n' +
        'llm_version() (plugin: llm.default_plugins.default_tools)\n\n  Return the installed version of llm\n\n' +
        // The built-in MCP toolbox: dynamic, so its signature and description (docs/tools.md).
        text.stdout.slice(text.stdout.indexOf('MCP(server, ')),
    );
    assert.match(text.stdout, /\nMCP\(server, mode='auto', prefix=''.*\) \(plugin: llm-ts\.mcp\)\n\n  Tools from an MCP server/);
    const json = JSON.parse((await runLlm(cli.user.dir, ['tools', 'list', '--json'])).stdout);
    assert.deepEqual(json.tools.map((t: any) => [t.name, t.plugin]), [
      ['llm_time', 'llm.default_plugins.default_tools'],
      ['llm_version', 'llm.default_plugins.default_tools'],
    ]);
    assert.deepEqual(json.toolboxes, [{ name: 'MCP', dynamic: true, tools: [] }]);
  });
});

describe('llm chat -T (built binary, piped stdin)', () => {
  /** Replies scripted per request: a tool name makes a call to it, anything else is text. */
  const script = (...replies: string[]): Handler =>
    (_req, res) => {
      const reply = replies[cli.server.requests.length - 1] ?? 'Done.';
      if (reply.startsWith('llm_')) writeToolCallStream(res, reply, '{}', `call_${cli.server.requests.length}`);
      else writeChatStream(res, [reply]);
    };
  const chat = (args: string[], input: string) => llm(['chat', '-m', 'gpt-4o-mini', ...args], { input });
  const logs = async (): Promise<any[]> => JSON.parse((await runLlm(cli.user.dir, ['logs', '-n', '0', '--json'])).stdout);

  test('each turn runs the chain; every response is logged in one conversation; the next turn carries the calls', async () => {
    cli.handler = script('llm_version', 'The version is known.', 'You are welcome.');
    const r = await chat(['-T', 'llm_version'], 'Which version?\nThanks\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.endsWith('> The version is known.\n> You are welcome.\n> \n'), r.stdout);
    assert.equal(cli.server.requests.length, 3);
    assert.deepEqual(cli.server.requests.map((q) => q.json.tools?.map((t: any) => t.function.name)), [['llm_version'], ['llm_version'], ['llm_version']]);
    assert.deepEqual(cli.server.requests[2]!.json.messages.map((m: any) => m.role), ['user', 'assistant', 'tool', 'assistant', 'user']);
    assert.match(cli.server.requests[1]!.json.messages[2].content, /^\d+\.\d+/);

    const rows = await logs();
    assert.deepEqual(rows.map((row) => [row.prompt, row.response, row.tool_calls.length, row.tool_results.length]), [
      ['Which version?', '', 1, 0],
      ['', 'The version is known.', 0, 1],
      ['Thanks', 'You are welcome.', 0, 0],
    ]);
    assert.equal(new Set(rows.map((row) => row.conversation_id)).size, 1);
    assert.deepEqual(rows.map((row) => row.tools.map((t: any) => t.name)), [['llm_version'], ['llm_version'], ['llm_version']]);
  });

  test('--td prints each call and its result on stderr', async () => {
    cli.handler = script('llm_version', 'Known.');
    const r = await chat(['-T', 'llm_version', '--td'], 'Which version?\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\nTool call: llm_version\(\{\}\)\n  \d+\.\d+[^\n]*\n\n$/);
  });

  test('--ta takes its answer from the next line: y runs the call, anything else cancels it', async () => {
    cli.handler = script('llm_version', 'Ran.', 'llm_version', 'Declined.');
    const r = await chat(['-T', 'llm_version', '--ta'], 'First\ny\nSecond\nno\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Tool call: llm_version({})\nApprove tool call? [y/N]: '.repeat(2));
    assert.ok(r.stdout.endsWith('> Ran.\n> Declined.\n> \n'), r.stdout);
    assert.match(cli.server.requests[1]!.json.messages.at(-1).content, /^\d+\.\d+/);
    assert.equal(cli.server.requests[3]!.json.messages.at(-1).content, 'Cancelled: User cancelled tool call');
    assert.deepEqual((await logs()).map((row) => row.prompt), ['First', '', 'Second', '']);
  });

  test('--cl: a turn over the limit is one error line, its responses logged, and the chat goes on', async () => {
    cli.handler = script('llm_time', 'llm_time', 'After.');
    const r = await chat(['-T', 'llm_time', '--cl', '2'], 'loop\nnext\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Error: Chain limit of 2 exceeded.\n');
    assert.ok(r.stdout.endsWith('> > After.\n> \n'), r.stdout);
    assert.deepEqual((await logs()).map((row) => [row.prompt, row.tool_calls.length]), [['loop', 1], ['', 1], ['next', 0]]);
  });

  test('an unknown tool or a bad --cl is one error line before the chat starts, nothing sent', async () => {
    const unknown = await chat(['-T', 'nope'], 'hi\n');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stdout, '');
    assert.equal(unknown.stderr, 'Error: Tool(s) nope not found. Available tools: llm_version, llm_time, MCP\n');
    const badLimit = await chat(['-T', 'llm_time', '--cl', '-1'], 'hi\n');
    assert.equal(badLimit.code, 1);
    assert.equal(badLimit.stderr, "Error: --chain-limit must be a whole number (0 for no limit), not '-1'\n");
    assert.equal(cli.server.requests.length, 0);
  });
});

describe('llm -T --ta in a real terminal (tmux)', { skip: !hasTmux && 'tmux is not installed' }, () => {
  test('asks on the terminal; y runs the call and its result is sent', async () => {
    const terminal = startTerminal(
      'llm-ta-test',
      `env LLM_USER_PATH='${cli.user.dir}' HOME='${cli.user.dir}' NO_COLOR=1 OPENAI_BASE_URL='${cli.server.url}' OPENAI_API_KEY=sk-test '${process.execPath}' '${BIN}' -m gpt-4o-mini -T llm_version --ta 'Which version?'; sleep 30`,
    );
    try {
      await terminal.waitFor(/Tool call: llm_version\(\{\}\)\nApprove tool call\? \[y\/N\]:/);
      terminal.type('y', 'Enter');
      await terminal.waitFor(/The version is known\./);
      assert.equal(cli.server.requests.length, 2);
      const result = cli.server.requests[1]!.json.messages.at(-1);
      assert.equal(result.role, 'tool');
      assert.match(result.content, /^\d+\.\d+/, 'the call ran: its result is the version, not "Cancelled"');
    } finally {
      terminal.kill();
    }
  });
});
