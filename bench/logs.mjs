// Builds a 100,000-turn logs.db (written with SQL in one transaction), then times
// `llm logs -n 3` and `llm logs -q word` against `node -e 0` in the same run.
// Prints medians and ratios; the target is ≤3× the bare node start-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { medianMs } from './median-time.mjs';
import { snapshotBuild } from './snapshot.mjs';

const root = await snapshotBuild('llm-bench-snapshot-');
const { LogsDatabase, messageHashFor } = await loadLibrary();
const TURNS = Number(process.env.BENCH_TURNS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'llm-bench-logs-'));
const dbPath = join(dir, 'logs.db');

async function loadLibrary() {
  const lib = await import(join(root, 'dist/index.js'));
  return { LogsDatabase: lib.LogsDatabase, messageHashFor: null };
}

const COMMON = `the a of and to in is it that for on with as was be this are by at from or an but not what which
  you your can will would should could about how when where why who model answer question`.split(/\s+/).filter(Boolean);
const TOPICS = `pelican heron river capital france italy python sqlite database search index query token stream
  response prompt system weather forecast garden recipe bread travel train history science physics chemistry
  music guitar piano poem story summary translate explain compare list`.split(/\s+/).filter(Boolean);
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
// A Zipf-like vocabulary: a few very common words, topic words, and a long tail of rare ones.
const syllables = ['ka', 'lo', 'mi', 'ren', 'tor', 'vu', 'sha', 'ne', 'pri', 'dal', 'os', 'gem'];
const TAIL = Array.from({ length: 5000 }, (_, i) => syllables[i % 12] + syllables[Math.floor(i / 12) % 12] + syllables[Math.floor(i / 144) % 12] + (i % 7));
const word = () => {
  const r = rand();
  if (r < 0.45) return COMMON[Math.floor(rand() * COMMON.length)];
  if (r < 0.55) return TOPICS[Math.floor(rand() * TOPICS.length)];
  return TAIL[Math.floor(TAIL.length * rand() ** 2)];
};
const sentence = (n) => Array.from({ length: n }, word).join(' ');

const started = performance.now();
{
  const store = LogsDatabase.open(dbPath);
  const db = store.db;
  const require = createRequire(import.meta.url);
  const { createHash } = require('node:crypto');
  const hash = (text) => 'b2:' + createHash('sha256').update(text).digest('hex').slice(0, 32);
  const insertMessage = db.prepare('insert into messages (hash, parent_hash, role, provider_metadata) values (?, ?, ?, null)');
  const insertPart = db.prepare("insert into parts (message_hash, position, type, tool_name, text, payload) values (?, 0, 'text', null, ?, null)");
  const insertThread = db.prepare('insert into threads (id, name, tip_message_hash, forked_from, datetime_utc) values (?, ?, ?, null, ?)');
  const updateThread = db.prepare('update threads set tip_message_hash = ? where id = ?');
  const insertTurn = db.prepare(`insert into turns (id, thread_id, parent_message_hash, tip_message_hash, model, resolved_model, options_json,
    schema_id, input_tokens, output_tokens, token_details, duration_ms, datetime_utc, response_json)
    values (?, ?, ?, ?, 'gpt-4o-mini', null, null, null, ?, ?, null, ?, ?, null)`);
  const insertSearch = db.prepare('insert into turn_search (turn_id, prompt, response) values (?, ?, ?)');
  const base = Date.UTC(2025, 0, 1);
  const ulid = (i) => (base + i * 1000).toString(32).padStart(10, '0') + i.toString(32).padStart(16, '0');
  db.transaction(() => {
    let thread = null;
    let tip = null;
    for (let i = 0; i < TURNS; i++) {
      if (i % 4 === 0) {
        thread = 't' + ulid(i);
        tip = null;
      }
      const prompt = sentence(8 + Math.floor(rand() * 12)) + '?';
      const response = sentence(30 + Math.floor(rand() * 60)) + '.';
      const user = hash(`${tip}|user|${prompt}|${i}`);
      insertMessage.run(user, tip, 'user');
      insertPart.run(user, prompt);
      const answer = hash(`${user}|assistant|${response}`);
      insertMessage.run(answer, user, 'assistant');
      insertPart.run(answer, response);
      if (i % 4 === 0) insertThread.run(thread, prompt.slice(0, 32), answer, '2025-01-01 00:00:00.000000+00:00');
      else updateThread.run(answer, thread);
      const id = ulid(i);
      insertTurn.run(id, thread, user, answer, 10, 60, 500, new Date(base + i * 1000).toISOString().replace('Z', '000'));
      insertSearch.run(id, prompt, response);
      tip = answer;
    }
  })();
  store.close();
}
const buildMs = performance.now() - started;

const time = (args) => medianMs(args, { env: { PATH: process.env.PATH, HOME: dir, LLM_USER_PATH: dir }, runs: RUNS, pipe: true });

const bin = join(root, 'bin/llm.cjs');
time([bin, 'logs', '-n', '3']); // warm the page cache and make the code cache
time([bin, 'logs', '-q', 'pelican']);
const baseline = time(['-e', '0']);
const list = time([bin, 'logs', '-n', '3']);
const search = time([bin, 'logs', '-q', 'pelican']);
const searchLatest = time([bin, 'logs', '-q', 'pelican', '-l']);
console.log(`logs.db with ${TURNS.toLocaleString('en-US')} turns built in ${(buildMs / 1000).toFixed(1)}s`);
console.log(`node -e 0                 ${baseline.toFixed(0)} ms`);
console.log(`llm logs -n 3             ${list.toFixed(0)} ms  (${(list / baseline).toFixed(2)}x)`);
console.log(`llm logs -q pelican       ${search.toFixed(0)} ms  (${(search / baseline).toFixed(2)}x)`);
console.log(`llm logs -q pelican -l    ${searchLatest.toFixed(0)} ms  (${(searchLatest / baseline).toFixed(2)}x)`);
const worst = Math.max(list, search) / baseline;
console.log(`budget ≤ 3.00x (-n 3 and -q): ${worst <= 3 ? 'ok' : 'OVER'}`);
if (worst > 3) process.exitCode = 1;
if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
rmSync(root, { recursive: true, force: true });
