// Errors about a file in the user directory name the file and what to do, in one line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BIN, makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => {
  user = makeUserDir();
});
afterEach(() => user.cleanup());

describe('errors that name the file', () => {
  test('a corrupt embeddings.db', async () => {
    const path = join(user.dir, 'embeddings.db');
    writeFileSync(path, 'this is not a database at all, just some text that is long enough'.repeat(20));
    const r = await runLlm(user.dir, ['collections', 'list']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error: ${path} is not a valid SQLite database (it was left untouched): move it aside to start a new one\n`);
    assert.match(readFileSync(path, 'utf8'), /^this is not a database/);
  });

  test('an embeddings database that cannot be opened (a folder) is named', async () => {
    const path = join(user.dir, 'a-folder');
    mkdirSync(path);
    for (const args of [['collections', 'list'], ['embed', 'c', 'x', '-m', '3-small', '-c', 'hi']]) {
      const r = await runLlm(user.dir, args, { env: { LLM_EMBEDDINGS_DB: path } });
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `Error: Could not open ${path} as a SQLite database (SQLITE_CANTOPEN): check that it is a file, in a folder you can write to\n`);
    }
  });

  test('logs.db that cannot grow (a full disk): the answer is shown, the error names logs.db', async () => {
    const first = await runLlm(user.dir, ['-m', 'echo', 'warm up']);
    assert.equal(first.code, 0, first.stderr);
    const prompt = 'x'.repeat(400_000);
    // No file may grow past 64 KB in the child: logs.db's write-ahead log fails like a full disk.
    const child = spawn('sh', ['-c', `trap '' XFSZ; ulimit -f 64; exec "${process.execPath}" "${BIN}" -m echo`], {
      env: { PATH: process.env.PATH, HOME: user.dir, LLM_USER_PATH: user.dir, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end(prompt);
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 1);
    assert.ok(stdout.includes(prompt.slice(0, 1000)), 'the answer was shown');
    assert.match(stderr, new RegExp(`^Error: Could not write ${join(user.dir, 'logs.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*\n$`));
  });

  test('logs.db locked by another process for good: the answer is shown, one line, no endless wait', { timeout: 60_000 }, async () => {
    const first = await runLlm(user.dir, ['-m', 'echo', 'warm up']);
    assert.equal(first.code, 0, first.stderr);
    const path = join(user.dir, 'logs.db');
    // Another process takes the write lock and keeps it until it is killed.
    const holder = spawn(
      process.execPath,
      ['-e', `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(path)}); db.exec('begin exclusive'); console.log('locked'); setInterval(() => {}, 1000);`],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.setEncoding('utf8').on('data', (d: string) => d.includes('locked') && resolve());
        holder.on('exit', () => reject(new Error('the lock holder exited')));
      });
      const r = await runLlm(user.dir, ['-m', 'echo', 'while locked'], { env: { LLM_BUSY_TIMEOUT_MS: '300' } });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /while locked/);
      assert.equal(r.stderr, `Error: ${path} is locked by another process (SQLITE_BUSY); try again once it is done\n`);
    } finally {
      holder.kill();
    }
  });
});
