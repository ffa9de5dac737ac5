// MCP built in, through the built binary: real MCP servers made with the official SDK's
// server side (test/fixtures/mcp/server.mjs) over stdio, Streamable HTTP and SSE on
// 127.0.0.1, the chain driven by a loopback server speaking OpenAI's Chat Completions.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Handler } from '../../src/testing/provider-server.js';
import { type ToolCallReply, writeChatStream, writeToolCalls } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';
import { runLlm } from './run.js';

const SERVER = fileURLToPath(new URL('../fixtures/mcp/server.mjs', import.meta.url));
const LITE_SERVER = fileURLToPath(new URL('../fixtures/mcp/lite-server.mjs', import.meta.url));

const cli = loopbackCli();

/** First request: these tool calls; then a text answer. */
function script(calls: ToolCallReply[]): Handler {
  return (_req, res) => (cli.server.requests.length === 1 ? writeToolCalls(res, calls) : writeChatStream(res, ['All done.']));
}

const llm = cli.llm;

/** An MCP spec for the stdio test server in `mode`, recording its pid in the user dir. */
function stdioSpec(mode = 'stdio', extra = ''): string {
  return `MCP(command="node", args=[${JSON.stringify(SERVER)}, "${mode}"], env={"MCP_TEST_PIDFILE": ${JSON.stringify(pidFile())}}${extra})`;
}
/** The same for the small server without the SDK (test/fixtures/mcp/lite-server.mjs). */
function liteSpec(mode = ''): string {
  return `MCP(command="node", args=[${JSON.stringify(LITE_SERVER)}${mode ? `, "${mode}"` : ''}], env={"MCP_TEST_PIDFILE": ${JSON.stringify(pidFile())}})`;
}
const pidFile = () => join(cli.user.dir, 'pids');
const pids = () => (existsSync(pidFile()) ? readFileSync(pidFile(), 'utf8').split('\n').filter(Boolean).map(Number) : []);
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
/** Servers still running once the processes that started them have ended (a moment to exit is allowed). */
async function orphans(): Promise<number[]> {
  for (let i = 0; i < 50 && pids().some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids().filter(alive);
}

/** Starts the HTTP test server (Streamable HTTP, or SSE) and returns its base URL. */
async function startHttpServer(mode: 'http' | 'sse', env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [SERVER, mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const match = /listening (\d+)/.exec(d);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', () => reject(new Error('the test MCP server exited')));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

describe('MCP over stdio (built binary)', () => {
  test("the server's tools are offered and run: text, an image as an attachment, an MCP error as a tool error; logged; the server stopped", async () => {
    cli.handler = script([
      { name: 'echo', args: { text: 'hi' }, id: 'c1' },
      { name: 'image', args: {}, id: 'c2' },
      { name: 'fail', args: {}, id: 'c3' },
      { name: 'weather', args: { city: 'Oslo' }, id: 'c4' },
    ]);
    const r = await llm(['-m', 'gpt-4o-mini', '-T', stdioSpec(), 'Use the tools']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'All done.\n');
    const offered = cli.server.requests[0]!.json.tools.map((t: any) => t.function.name);
    assert.deepEqual(offered, ['echo', 'image', 'fail', 'slow', 'weather']);
    assert.deepEqual(cli.server.requests[0]!.json.tools[0].function.parameters.properties, { text: { type: 'string' } });
    const messages = cli.server.requests[1]!.json.messages;
    const toolMessages = messages.filter((m: any) => m.role === 'tool');
    assert.deepEqual(
      toolMessages.map((m: any) => [m.tool_call_id, m.content]),
      [
        ['c1', 'echo: hi'],
        ['c2', 'one pixel'],
        ['c3', 'Error: the tool broke'],
        ['c4', '{"city":"Oslo","celsius":21}'],
      ],
    );
    // The image goes back after the results, in a user message, as Python sends tool attachments.
    const last = messages.at(-1);
    assert.equal(last.role, 'user');
    assert.match(JSON.stringify(last.content), /data:image\/png;base64,iVBORw0KGgo/);
    const db = new Database(join(cli.user.dir, 'logs.db'), { readonly: true });
    assert.deepEqual(db.prepare('select name, plugin, arguments from tool_instances').all(), [
      { name: 'MCP', plugin: 'llm-ts.mcp', arguments: JSON.stringify({ command: 'node', args: [SERVER, 'stdio'], env: { MCP_TEST_PIDFILE: pidFile() } }, null, 0).replace(/":/g, '": ').replace(/,"/g, ', "') },
    ]);
    assert.deepEqual(db.prepare('select count(*) as n from tool_instantiations').get(), { n: 4 });
    db.close();
    assert.equal(pids().length, 1);
    assert.deepEqual(await orphans(), []);
  });

  test('-c rebuilds the MCP toolbox from the first turn and starts its server again', async () => {
    cli.handler = script([{ name: 'echo', args: { text: 'one' }, id: 'c1' }]);
    assert.equal((await llm(['-m', 'gpt-4o-mini', '-T', stdioSpec(), 'first'])).code, 0);
    cli.server.requests.length = 0;
    cli.handler = script([{ name: 'echo', args: { text: 'two' }, id: 'c2' }]);
    const r = await llm(['-c', 'again']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(cli.server.requests[0]!.json.tools.map((t: any) => t.function.name), ['echo', 'image', 'fail', 'slow', 'weather']);
    assert.equal(cli.server.requests[1]!.json.messages.at(-1).content, 'echo: two');
    assert.equal(pids().length, 2);
    assert.deepEqual(await orphans(), []);
  });

  test('llm tools lists a configured MCP toolbox (prefix applied) and the MCP class itself', async () => {
    const listed = await llm(['tools', stdioSpec('stdio', ', prefix="t_"')]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^MCP\(command="node".*prefix="t_"\):\n\n  t_echo\(text: string\)\n\n    Echo the text back\n\n/);
    const json = JSON.parse((await llm(['tools', '--json', stdioSpec()])).stdout);
    assert.deepEqual(json.toolboxes[0].tools.map((t: any) => t.name), ['echo', 'image', 'fail', 'slow', 'weather']);
    assert.equal(json.toolboxes[0].dynamic, true);
    const all = await llm(['tools']);
    assert.match(all.stdout, /^MCP\(server, mode='auto', prefix=''.*\(plugin: llm-ts\.mcp\)\n\n  Tools from an MCP server/m);
    assert.deepEqual(await orphans(), []);
  });

  test('a server that crashes at start, one that hangs at initialise, and a missing command: one line each, nothing sent', async () => {
    cli.handler = script([]);
    const crashed = await llm(['-m', 'gpt-4o-mini', '-T', stdioSpec('crash'), 'hi']);
    assert.equal(crashed.code, 1);
    assert.match(crashed.stderr, /^Error: MCP server node could not be started: Connection closed \(it said: fatal: cannot open the database\)\n$/);
    const hung = await llm(['-m', 'gpt-4o-mini', '-T', stdioSpec('hang', ', timeout=1'), 'hi']);
    assert.equal(hung.code, 1);
    assert.equal(hung.stderr, 'Error: MCP server node did not answer within 1s\n');
    const missing = await llm(['-m', 'gpt-4o-mini', '-T', 'MCP("no-such-command-here --flag")', 'hi']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error: MCP server no-such-command-here --flag could not be started: spawn no-such-command-here ENOENT\n');
    const bad = await llm(['-m', 'gpt-4o-mini', '-T', 'MCP(mode="telepathy", server="x")', 'hi']);
    assert.equal(bad.stderr, "Error: MCP: mode must be one of auto, http, sse, stdio, not 'telepathy'\n");
    assert.equal(cli.server.requests.length, 0);
    assert.deepEqual(await orphans(), []);
  });

  test('Ctrl-C during a slow tool call stops the run and its server', async () => {
    cli.handler = script([{ name: 'slow', args: { ms: 30000 }, id: 'c1' }]);
    let child: ReturnType<typeof spawn> | undefined;
    const run = llm(['-m', 'gpt-4o-mini', '-T', stdioSpec(), 'wait'], { onSpawn: (c) => (child = c) });
    for (let i = 0; i < 200 && cli.server.requests.length < 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child!.kill('SIGINT');
    const r = await run;
    assert.notEqual(r.code, 0);
    assert.equal(pids().length, 1);
    assert.deepEqual(await orphans(), []);
  });

  test('llm chat -T: one server for the whole session, stopped at the end', async () => {
    cli.handler = (_req, res) => {
      const n = cli.server.requests.length;
      if (n === 1) writeToolCalls(res, [{ name: 'echo', args: { text: 'a' }, id: 'c1' }]);
      else if (n === 3) writeToolCalls(res, [{ name: 'echo', args: { text: 'b' }, id: 'c2' }]);
      else writeChatStream(res, [`answer ${n}`]);
    };
    const r = await llm(['chat', '-m', 'gpt-4o-mini', '-T', stdioSpec()], { input: 'one\ntwo\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /answer 2/);
    assert.match(r.stdout, /answer 4/);
    assert.equal(cli.server.requests[3]!.json.messages.at(-1).content, 'echo: b');
    assert.equal(pids().length, 1);
    assert.deepEqual(await orphans(), []);
  });

  test('50 runs (tools listings, chains, Ctrl-C, crashing servers) leave no server running', async () => {
    cli.handler = script([{ name: 'echo', args: { text: 'x' }, id: 'c1' }]);
    const runs: (() => Promise<unknown>)[] = [];
    // The SDK's server for the Ctrl-C runs and one listing in ten; for the other listings and
    // the crashes, the small server without the SDK (a fraction of the start-up): what is
    // counted is the processes llm starts and must stop, whichever server speaks.
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 0) runs.push(() => llm(['tools', liteSpec('crash')]));
      else if (i % 10 === 1) {
        runs.push(() =>
          llm(['tools', stdioSpec()], {
            onSpawn: (c) => setTimeout(() => c.kill('SIGINT'), 150),
          }),
        );
      } else if (i % 10 === 2) runs.push(() => llm(['tools', stdioSpec()]));
      else runs.push(() => llm(['tools', liteSpec()]));
    }
    // Five at a time.
    for (let i = 0; i < runs.length; i += 5) await Promise.all(runs.slice(i, i + 5).map((run) => run()));
    // At least the 40 plain listings started a server (a Ctrl-C may come before its server starts).
    assert.ok(pids().length >= 40, `${pids().length} servers started`);
    assert.deepEqual(await orphans(), []);
  });
});

describe('MCP over HTTP (built binary)', () => {
  test('Streamable HTTP with a stored key sent as Authorization: Bearer; without it, one error line', async () => {
    const server = await startHttpServer('http', { MCP_TEST_TOKEN: 'secret-token' });
    try {
      assert.equal((await runLlm(cli.user.dir, ['keys', 'set', 'mcpdemo', '--value', 'secret-token'])).code, 0);
      cli.handler = script([{ name: 'echo', args: { text: 'over http' }, id: 'c1' }]);
      const r = await llm(['-m', 'gpt-4o-mini', '-T', `MCP("${server.url}/mcp", key="mcpdemo")`, 'go']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(cli.server.requests[1]!.json.messages.at(-1).content, 'echo: over http');
      cli.server.requests.length = 0;
      const denied = await llm(['-m', 'gpt-4o-mini', '-T', `MCP("${server.url}/mcp", mode="http")`, 'go']);
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /^Error: MCP server http:\/\/127\.0\.0\.1:\d+\/mcp could not be reached: Streamable HTTP error: Error POSTing to endpoint: unauthorized \(HTTP 401\)\n$/);
      assert.equal(cli.server.requests.length, 0);
    } finally {
      server.child.kill();
    }
  });

  test('an older HTTP+SSE server is reached by falling back from Streamable HTTP; named in mcp.json', async () => {
    const server = await startHttpServer('sse');
    try {
      const added = await runLlm(cli.user.dir, ['mcp', 'add', 'legacy', `${server.url}/sse`]);
      assert.equal(added.code, 0, added.stderr);
      assert.equal((await runLlm(cli.user.dir, ['mcp', 'list'])).stdout, `legacy: ${server.url}/sse\n`);
      cli.handler = script([{ name: 'echo', args: { text: 'old' }, id: 'c1' }]);
      const r = await llm(['-m', 'gpt-4o-mini', '-T', 'MCP("legacy")', 'go']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(cli.server.requests[1]!.json.messages.at(-1).content, 'echo: old');
    } finally {
      server.child.kill();
    }
  });
});

describe('MCP code loads only when an MCP toolbox is used', () => {
  test('a prompt and llm tools load none of the SDK; an MCP toolbox loads it', async () => {
    const debug = { NODE_DEBUG: 'esm,module' };
    const plain = await llm(['-m', 'echo', 'hi'], { env: debug });
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, /modelcontextprotocol/);
    const listing = await llm(['tools'], { env: debug });
    assert.doesNotMatch(listing.stderr, /modelcontextprotocol/);
    const used = await llm(['tools', stdioSpec()], { env: debug });
    assert.match(used.stderr, /modelcontextprotocol/);
  });
});

describe('llm mcp', () => {
  test('add, list, remove; mcp.json in the mcpServers shape; errors in one line', async () => {
    assert.equal((await runLlm(cli.user.dir, ['mcp', 'list'])).stdout, 'No MCP servers: add one with llm mcp add NAME URL-OR-COMMAND\n');
    assert.equal((await runLlm(cli.user.dir, ['mcp', 'add', 'everything', 'npx -y @modelcontextprotocol/server-everything', '-e', 'A=1'])).code, 0);
    assert.equal((await runLlm(cli.user.dir, ['mcp', 'add', 'docs', 'https://example.com/mcp', '--key', 'docs', '--header', 'X-Team: blue'])).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(cli.user.dir, 'mcp.json'), 'utf8')), {
      mcpServers: {
        everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'], env: { A: '1' } },
        docs: { url: 'https://example.com/mcp', headers: { 'X-Team': 'blue' }, key: 'docs' },
      },
    });
    assert.equal((await runLlm(cli.user.dir, ['mcp', 'list'])).stdout, 'everything: npx -y @modelcontextprotocol/server-everything\ndocs: https://example.com/mcp\n');
    assert.equal((await runLlm(cli.user.dir, ['mcp', 'remove', 'everything'])).code, 0);
    const gone = await runLlm(cli.user.dir, ['mcp', 'remove', 'everything']);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, `Error: No MCP server named "everything" in ${join(cli.user.dir, 'mcp.json')}\n`);
    const missingKey = await runLlm(cli.user.dir, ['tools', 'MCP("docs")']);
    assert.equal(missingKey.stderr, "Error: MCP server https://example.com/mcp needs the key 'docs': set it with llm keys set docs\n");
    const badHeader = await runLlm(cli.user.dir, ['mcp', 'add', 'x', 'https://e.com', '--header', 'nocolon']);
    assert.equal(badHeader.stderr, "Error: --header takes 'Name: value', not 'nocolon'\n");
  });
});
