// `llm serve` as a user runs it: the built CLI in a child process.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, test } from 'node:test';
import { BIN, makeUserDir, runLlm } from './run.js';

let child: ChildProcess | undefined;
let user: { dir: string; cleanup: () => void } | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  user?.cleanup();
  user = undefined;
});

/** Starts `llm serve ARGS` and waits for its "Serving on" line. */
async function serve(args: string[]): Promise<{ url: string; output: () => string; errors: () => string; exit: Promise<number | null> }> {
  user = makeUserDir();
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: { PATH: process.env.PATH, HOME: user.dir, LLM_USER_PATH: user.dir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child!.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const found = /Serving on (http:\/\/\S+?)\/ /.exec(stdout);
      if (found) resolve(found[1]!);
    });
    void exit.then(() => reject(new Error(`llm serve exited: ${stderr}`)));
  });
  return { url, output: () => stdout, errors: () => stderr, exit };
}

describe('llm serve (CLI)', () => {
  test('serves on 127.0.0.1, logs a chat turn, and stops cleanly on Ctrl-C', async () => {
    const server = await serve([]);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'from the CLI test' }] }),
    });
    assert.equal(response.status, 200);
    child!.kill('SIGINT');
    assert.equal(await server.exit, 0);
    assert.equal(server.errors(), '');
    const logs = await runLlm(user!.dir, ['logs', '-n', '1', '--json']);
    assert.equal(JSON.parse(logs.stdout)[0].prompt, 'from the CLI test');
  });

  test('a bind beyond loopback prints the token it requires', async () => {
    const server = await serve(['--host', '0.0.0.0']);
    // The token line comes with the first (one write), but a pipe may split it: wait for it.
    for (let i = 0; i < 100 && !/Bearer \S+\n/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 20));
    const token = /Bearer (\S+)\n/.exec(server.output())![1]!;
    const port = new URL(server.url).port;
    assert.equal((await fetch(`http://127.0.0.1:${port}/v1/models`)).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    child!.kill('SIGTERM');
    assert.equal(await server.exit, 0);
  });

  test('bad flags are one-line errors', async () => {
    user = makeUserDir();
    const port = await runLlm(user.dir, ['serve', '--port', 'eighty']);
    assert.equal(port.code, 1);
    assert.equal(port.stderr, 'Error: --port must be a whole number, not "eighty"\n');
    const cors = await runLlm(user.dir, ['serve', '--cors', 'http://x.example/path']);
    assert.equal(cors.stderr, 'Error: --cors must be an origin such as http://localhost:3000 (scheme, host and port, no path)\n');
    const timeout = await runLlm(user.dir, ['serve', '--timeout', '0']);
    assert.equal(timeout.stderr, 'Error: --timeout must be a positive number, not "0"\n');
  });

  test('a port in use is a one-line error', async () => {
    const first = await serve([]);
    const port = new URL(first.url).port;
    const second = await runLlm(user!.dir, ['serve', '--port', port]);
    assert.equal(second.code, 1);
    assert.equal(second.stderr, `Error: Port ${port} on 127.0.0.1 is already in use (try --port)\n`);
  });
});
