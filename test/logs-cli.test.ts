import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/llm.cjs');
const FIXTURE = join(ROOT, 'test/fixtures/python-logs/logs.db');

function llm(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, LLM_USER_PATH: dir, NO_COLOR: '1' }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('llm logs (built binary)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'llm-logs-cli-'));
    copyFileSync(FIXTURE, join(dir, 'logs.db'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('lists the last 3 entries as Markdown by default', () => {
    const { code, stdout } = llm(dir, 'logs');
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        '# 2026-01-02T10:00:00    conversation: 01kfixconv0000000000000000 id: 01kfixturn1000000000000000',
        '',
        'Model: **gpt-4o-mini**',
        '',
        '## Prompt',
        '',
        'What is the capital of France?',
        '',
        '## Response',
        '',
        'Paris is the capital of France.',
        '',
        '# 2026-01-02T10:01:00    conversation: 01kfixconv0000000000000000 id: 01kfixturn2000000000000000',
        '',
        'Model: **gpt-4o-mini**',
        '',
        '## Prompt',
        '',
        'And of Italy?',
        '',
        '## Response',
        '',
        'Rome is the capital of Italy.',
        '',
        '# 2026-01-02T11:00:00    conversation: 01kfixconv1000000000000000 id: 01kfixturn3000000000000000',
        '',
        'Model: **gpt-4o-mini**',
        '',
        '## Prompt',
        '',
        'Largest planet?',
        '',
        '## System',
        '',
        'Answer in one word.',
        '',
        '## Response',
        '',
        'Jupiter',
        '',
        // Python's listing ends with a blank line (the response's echo adds its own newline).
        '',
      ].join('\n'),
    );
  });

  test('--json has the exact key set; -n 1; -q search; -r; --short', () => {
    const rows = JSON.parse(llm(dir, 'logs', '-n', '1', '--json').stdout);
    assert.equal(rows.length, 1);
    assert.deepEqual(Object.keys(rows[0]).sort(), [
      // Python's keys, plus `cost` (llm-ts' addition, which Python ignores).
      'attachments', 'conversation_id', 'conversation_model', 'conversation_name', 'cost', 'datetime_utc', 'duration_ms', 'id',
      'input_tokens', 'model', 'options_json', 'output_tokens', 'prompt', 'prompt_fragments', 'prompt_json', 'reasoning',
      'resolved_model', 'response', 'response_json', 'schema_json', 'system', 'system_fragments', 'token_details',
      'tool_calls', 'tool_results', 'tools',
    ]);
    assert.equal(rows[0].response, 'Jupiter');
    const found = JSON.parse(llm(dir, 'logs', '-q', 'Italy', '--json').stdout);
    assert.deepEqual(found.map((r: { id: string }) => r.id), ['01kfixturn2000000000000000']);
    assert.equal(llm(dir, 'logs', '-r').stdout, 'Jupiter\n');
    assert.match(llm(dir, 'logs', '--cid', '01kfixconv0000000000000000', '-s').stdout, /^- model: gpt-4o-mini\n  datetime: '2026-01-02T10:00:00'\n  conversation: 01kfixconv0000000000000000\n  prompt: What is the capital of France\?/);
    const cid = llm(dir, 'logs', '--cid', '01kfixconv0000000000000000');
    assert.equal((cid.stdout.match(/conversation:/g) ?? []).length, 1);
    assert.match(llm(dir, 'logs', '-m', 'nope', '--json').stdout, /^\[\]/);
  });

  test('path, status, off/on, backup', () => {
    assert.equal(llm(dir, 'logs', 'path').stdout, join(dir, 'logs.db') + '\n');
    // The size as Python's _human_readable_size gives it: B, KB, MB... with two decimals.
    const status = llm(dir, 'logs', 'status').stdout;
    const size = statSync(join(dir, 'logs.db')).size;
    assert.equal(
      status,
      `Logging is ON for all prompts\nFound log database at ${join(dir, 'logs.db')}\nNumber of threads logged:\t2\nNumber of turns logged:\t\t3\nDatabase file size: \t\t${(size / 1024).toFixed(2)}KB\n`,
    );
    llm(dir, 'logs', 'off');
    assert.ok(existsSync(join(dir, 'logs-off')));
    assert.match(llm(dir, 'logs', 'status').stdout, /^Logging is OFF/);
    llm(dir, 'logs', 'on');
    assert.ok(!existsSync(join(dir, 'logs-off')));
    const backup = join(dir, 'backup.db');
    assert.match(llm(dir, 'logs', 'backup', backup).stdout, /^Backed up [\d,]+ bytes to /);
    assert.ok(existsSync(backup));
  });

  test('status as Python gives it: only the missing file when there is none; both legacy counts once either is not zero', () => {
    const empty = mkdtempSync(join(tmpdir(), 'llm-logs-cli-'));
    try {
      assert.equal(llm(empty, 'logs', 'status').stdout, `No log database found at ${join(empty, 'logs.db')}\n`);
      copyFileSync(FIXTURE, join(empty, 'logs.db'));
      llm(empty, 'logs', 'status');
      const insert = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(join(empty, 'logs.db'))}); db.prepare("insert into conversations (id, name, model) values ('abc', 'test', 'echo')").run();`;
      assert.equal(spawnSync(process.execPath, ['-e', insert], { cwd: ROOT }).status, 0);
      assert.match(llm(empty, 'logs', 'status').stdout, /\nNumber of legacy conversations:\t1\nNumber of legacy responses:\t0\nDatabase file size: /);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a corrupt logs.db is reported in one line and not overwritten', () => {
    const bad = mkdtempSync(join(tmpdir(), 'llm-logs-bad-'));
    writeFileSync(join(bad, 'logs.db'), 'not a database '.repeat(100));
    const { code, stderr, stdout } = llm(bad, 'logs');
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, `Error: ${join(bad, 'logs.db')} is not a valid SQLite database (it was left untouched)\n`);
    rmSync(bad, { recursive: true, force: true });
  });

  test('an invalid search query is a one-line error', () => {
    const { code, stderr } = llm(dir, 'logs', '-q', '"unbalanced');
    assert.equal(code, 1);
    assert.match(stderr, /^Error: Invalid search query "\\"unbalanced": .*\n$/);
  });

  test('eight processes logging to one DB at once lose nothing and never fail on a lock', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'llm-logs-conc-'));
    const db = join(shared, 'logs.db');
    const script = `
      const { LogsDatabase } = await import(${JSON.stringify(join(ROOT, 'dist/index.js'))});
      const db = LogsDatabase.open(${JSON.stringify(db)});
      for (let i = 0; i < 25; i++) {
        db.logTurn({ model: 'm', inputMessages: [{ role: 'user', parts: [{ type: 'text', text: 'worker ' + process.argv[1] + ' prompt ' + i }] }],
          outputMessages: [{ role: 'assistant', parts: [{ type: 'text', text: 'answer ' + i }] }] });
      }
      db.close();`;
    const runs = Array.from({ length: 8 }, (_, w) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, String(w)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      }),
    );
    const results = await Promise.all(runs);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(llm(shared, 'logs', '-n', '0', '--json', '-d', db).stdout) as { prompt: string }[];
    assert.equal(rows.length, 200);
    assert.equal(new Set(rows.map((r) => r.prompt)).size, 200);
    rmSync(shared, { recursive: true, force: true });
  });
});
