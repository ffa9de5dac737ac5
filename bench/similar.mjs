// Builds an embeddings.db holding one collection of 100,000 random 1536-dim vectors
// (written with SQL in one transaction), then times `llm similar big doc-0` (the full
// process, wall clock) and prints the median against the 1 s budget, beside `node -e 0`.
// BENCH_VECTORS and BENCH_DIMS override the size; BENCH_RUNS the number of runs.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotBuild } from './snapshot.mjs';

const VECTORS = Number(process.env.BENCH_VECTORS ?? 100_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 1536);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUDGET_MS = 1000;

const root = await snapshotBuild('llm-bench-similar-');

const userDir = join(root, 'user');
const dbPath = join(userDir, 'embeddings.db');
const lib = await import(join(root, 'dist/index.js'));

try {
  const started = performance.now();
  const db = lib.openEmbeddingsDb(dbPath);
  db.prepare("insert into collections (name, model) values ('big', 'text-embedding-3-small')").run();
  const insert = db.prepare(
    'insert into embeddings (collection_id, id, embedding, content_hash, updated) values (1, ?, ?, ?, ?)',
  );
  const vector = new Float32Array(DIMS);
  const hash = Buffer.alloc(16);
  const now = Math.floor(Date.now() / 1000);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  db.transaction(() => {
    for (let i = 0; i < VECTORS; i++) {
      for (let j = 0; j < DIMS; j++) vector[j] = random();
      hash.writeUInt32BE(i, 12);
      insert.run(`doc-${i}`, lib.encode(vector), hash, now);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(`built ${VECTORS} × ${DIMS} vectors in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const env = { ...process.env, LLM_USER_PATH: userDir, LLM_EMBEDDINGS_DB: dbPath, NO_COLOR: '1' };
  const time = (args) => {
    const t = performance.now();
    const result = spawnSync(process.execPath, args, { env, cwd: root, maxBuffer: 1 << 26 });
    return { ms: performance.now() - t, result };
  };
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  // Through the CLI when `llm similar` is wired into the built binary; otherwise the same
  // work through the library in a fresh process (what the command's action does).
  let command = [join(root, 'bin/llm.cjs'), 'similar', 'big', 'doc-0', '-n', '10'];
  let label = 'llm similar big doc-0';
  const probe = time(command);
  if (probe.result.status !== 0) {
    const script = join(root, 'similar-lib.mjs');
    writeFileSync(
      script,
      `const { openEmbeddingsDb, Collection } = await import(${JSON.stringify(join(root, 'dist/index.js'))});
const db = openEmbeddingsDb(process.env.LLM_EMBEDDINGS_DB);
const results = new Collection('big', { db, create: false }).similarById('doc-0', { number: 10 });
process.stdout.write(results.map((r) => JSON.stringify(r)).join('\\n') + '\\n');\n`,
    );
    command = [script];
    label = 'library similarById in a fresh process (llm similar is not wired into the binary yet)';
    console.log(`note: ${probe.result.stderr.toString().trim().split('\n')[0]}`);
  }

  const baseline = [];
  const runs = [];
  let lines = 0;
  for (let i = 0; i < RUNS; i++) {
    baseline.push(time(['-e', '0']).ms);
    const { ms, result } = time(command);
    if (result.status !== 0) throw new Error(`similar failed: ${result.stderr}`);
    lines = result.stdout.toString().trim().split('\n').length;
    runs.push(ms);
  }
  const m = median(runs);
  console.log(`node -e 0: median ${median(baseline).toFixed(0)} ms`);
  console.log(`${label}: median ${m.toFixed(0)} ms over ${RUNS} runs (min ${Math.min(...runs).toFixed(0)}, max ${Math.max(...runs).toFixed(0)}), ${lines} results`);
  console.log(`budget ${BUDGET_MS} ms wall: ${(m / BUDGET_MS).toFixed(2)} × budget — ${m <= BUDGET_MS ? 'within' : 'OVER'}`);
  if (m > BUDGET_MS) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
