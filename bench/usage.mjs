// Builds a 100,000-turn logs.db across several priced and unpriced models, then times
// `llm usage` (by model, day, month, conversation) against `node -e 0` in the same run.
// The first run prices every turn into the llm_ts_costs side table (reported, not budgeted);
// later runs only sum it. The target is ≤3× the bare node start-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { medianMs } from './median-time.mjs';
import { snapshotBuild } from './snapshot.mjs';

const root = await snapshotBuild('llm-bench-snapshot-');
const { LogsDatabase } = await import(join(root, 'dist/index.js'));
const TURNS = Number(process.env.BENCH_TURNS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'llm-bench-usage-'));

// Usage as each provider plugin logs it.
const MODELS = [
  ['gpt-4o-mini', null],
  ['gpt-4.1', JSON.stringify({ prompt_tokens_details: { cached_tokens: 512 } })],
  ['o4-mini', JSON.stringify({ input_tokens_details: { cached_tokens: 256 }, output_tokens_details: { reasoning_tokens: 300 } })],
  ['anthropic/claude-sonnet-4-5', JSON.stringify({ cache_read_input_tokens: 800 })],
  ['gemini/gemini-2.5-pro', JSON.stringify({ candidatesTokenCount: 200, thoughtsTokenCount: 400 })],
  ['llama3.2', null],
];

const started = performance.now();
{
  const store = LogsDatabase.open(join(dir, 'logs.db'));
  const db = store.db;
  const insertThread = db.prepare('insert into threads (id, name, tip_message_hash, forked_from, datetime_utc) values (?, ?, null, null, ?)');
  const insertTurn = db.prepare(`insert into turns (id, thread_id, parent_message_hash, tip_message_hash, model, resolved_model, options_json,
    schema_id, input_tokens, output_tokens, token_details, duration_ms, datetime_utc, response_json)
    values (?, ?, null, null, ?, null, null, null, ?, ?, ?, 500, ?, null)`);
  const base = Date.UTC(2025, 0, 1);
  const ulid = (i) => (base + i * 300_000).toString(32).padStart(10, '0') + i.toString(32).padStart(16, '0');
  db.transaction(() => {
    let thread = null;
    for (let i = 0; i < TURNS; i++) {
      const when = new Date(base + i * 300_000).toISOString().replace('Z', '000');
      if (i % 4 === 0) {
        thread = 't' + ulid(i);
        insertThread.run(thread, `conversation ${i / 4}`, when);
      }
      const [model, details] = MODELS[i % MODELS.length];
      insertTurn.run(ulid(i), thread, model, 1000 + (i % 500), 600 + (i % 300), details, when);
    }
  })();
  store.close();
}
const buildMs = performance.now() - started;

const time = (args, runs = RUNS) =>
  medianMs(args, { env: { PATH: process.env.PATH, HOME: dir, LLM_USER_PATH: dir }, runs, pipe: true, maxBuffer: 256 * 1024 * 1024 });

const bin = join(root, 'bin/llm.cjs');
const first = time([bin, 'usage'], 1); // prices every turn into the side table
time([bin, 'usage', '-b', 'day']); // warm the page cache and the code cache
const baseline = time(['-e', '0']);
const byModel = time([bin, 'usage']);
const byDay = time([bin, 'usage', '-b', 'day']);
const byMonth = time([bin, 'usage', '-b', 'month', '--json']);
const byConversation = time([bin, 'usage', '-b', 'conversation', '--csv']);
const since = time([bin, 'usage', '--since', '2025-01-20']);
const row = (label, ms) => console.log(`${label.padEnd(34)}${ms.toFixed(0).padStart(6)} ms  (${(ms / baseline).toFixed(2)}x)`);
console.log(`logs.db with ${TURNS.toLocaleString('en-US')} turns built in ${(buildMs / 1000).toFixed(1)}s`);
console.log(`node -e 0                         ${baseline.toFixed(0).padStart(6)} ms`);
row('llm usage, first run (prices all)', first);
row('llm usage', byModel);
row('llm usage -b day', byDay);
row('llm usage -b month --json', byMonth);
row('llm usage -b conversation --csv', byConversation);
row('llm usage --since 2025-01-20', since);
const worst = Math.max(byModel, byDay, byMonth, since) / baseline;
console.log(`budget ≤ 3.00x (model, day, month, since; warm): ${worst <= 3 ? 'ok' : 'OVER'}`);
if (worst > 3) process.exitCode = 1;
if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
rmSync(root, { recursive: true, force: true });
