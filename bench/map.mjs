// `llm map` over 10,000 rows against a loopback OpenAI server that answers in 50 ms and
// allows 200 requests a second (a 429 with retry-after-ms beyond that). Measures the
// throughput against that limit (budget: at least 90 %), the peak resident set size (budget:
// 300 MB), and that a run killed with SIGKILL half-way and then resumed loses no row and
// answers or logs none twice.
// Usage: npm run build && node bench/map.mjs [rows]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROWS = Number(process.argv[2] ?? 10_000);
const LIMIT = 200; // requests a second
const LATENCY = 50; // ms
const BIN = fileURLToPath(new URL('../bin/llm.cjs', import.meta.url));
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error(`${TIME} is needed to read the peak resident set size (apt-get install time)`);
  process.exit(1);
}
const Database = createRequire(import.meta.url)('better-sqlite3');

let accepted = [];
let served = 0;
let limited = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    accepted = accepted.filter((t) => t > now - 1000);
    if (accepted.length >= LIMIT) {
      limited++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': String(accepted[0] + 1000 - now) });
      res.end(JSON.stringify({ error: { message: 'Rate limit reached for requests' } }));
      return;
    }
    accepted.push(now);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const text = body.messages.at(-1).content;
    setTimeout(() => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-bench',
          object: 'chat.completion',
          created: 1700000000,
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: `Answer to ${text}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
        }),
      );
    }, LATENCY);
  });
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

function makeUserDir() {
  const dir = mkdtempSync(join(tmpdir(), 'llm-bench-map-'));
  const lines = ['id,text'];
  for (let i = 1; i <= ROWS; i++) lines.push(`row${i},"Question number ${i}, please answer briefly"`);
  writeFileSync(join(dir, 'rows.csv'), lines.join('\n') + '\n');
  return dir;
}

function run(dir, args, onSpawn) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(TIME, ['-f', 'MAXRSS_KB=%M', process.execPath, BIN, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        LLM_USER_PATH: dir,
        OPENAI_BASE_URL: `http://127.0.0.1:${server.address().port}/v1`,
        OPENAI_API_KEY: 'sk-bench',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const kb = Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({ code, signal, seconds, rssMb: kb / 1024, stderr });
    });
    onSpawn?.(child);
  });
}

const mapArgs = (extra) => ['map', 'rows.csv', '--prompt', 'Q: $text', '-m', 'gpt-4o-mini', '-q', '--output', 'out.jsonl', ...extra];

function check(dir) {
  const db = new Database(join(dir, 'logs.db'), { readonly: true });
  const turns = db.prepare('select count(*) as n from turns').get().n;
  db.close();
  const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const keys = new Set(out.filter((o) => o.response).map((o) => o.key));
  return { turns, answered: keys.size, rows: out.length };
}

// The baseline: a bare node:http loop with the same 16 requests in flight against the same
// server, answers read and nothing else done: what this machine can do at best right now.
async function bareLoop(count) {
  const { request } = await import('node:http');
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Q' }], stream: false });
  const one = () =>
    new Promise((resolve, reject) => {
      const req = request(`http://127.0.0.1:${server.address().port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(body);
    });
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < count) {
      sent++;
      let status;
      do {
        status = await one();
        if (status === 429) await new Promise((r) => setTimeout(r, 50));
      } while (status === 429);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return count / ((performance.now() - started) / 1000);
}
accepted = [];
const baseline = await bareLoop(Math.min(ROWS, 4000));

const results = [];
let failed = false;
for (const [label, extra] of [
  ['adaptive (--parallel 16)', ['--parallel', '16']],
  [`capped (--parallel 16 --rpm ${LIMIT * 60})`, ['--parallel', '16', '--rpm', String(LIMIT * 60)]],
]) {
  const dir = makeUserDir();
  served = 0;
  limited = 0;
  accepted = [];
  const r = await run(dir, mapArgs(extra));
  const { turns, answered } = check(dir);
  const throughput = ROWS / r.seconds;
  results.push({ label, throughput, ratio: throughput / LIMIT, rss: r.rssMb, limited, turns, answered, code: r.code });
  rmSync(dir, { recursive: true, force: true });
}

// Killed half-way, then the same command again.
const dir = makeUserDir();
served = 0;
accepted = [];
const killed = await run(dir, mapArgs(['--parallel', '16', '--rpm', String(LIMIT * 60)]), (child) => {
  const timer = setInterval(() => {
    if (served >= ROWS / 2) {
      clearInterval(timer);
      // /usr/bin/time's child is the node process: kill the whole group below time.
      spawn('pkill', ['-KILL', '-P', String(child.pid)]);
    }
  }, 5);
});
const servedBeforeKill = served;
const resumed = await run(dir, mapArgs(['--parallel', '16', '--rpm', String(LIMIT * 60)]));
const after = check(dir);
const sentTwice = served - ROWS;
rmSync(dir, { recursive: true, force: true });
server.close();

console.log(`${ROWS} rows, server: ${LATENCY} ms per answer, ${LIMIT} requests/s allowed`);
console.log(`baseline (bare node:http loop, 16 in flight, nothing logged): ${baseline.toFixed(0)} requests/s\n`);
console.log('| run | rows/s | of the limit | of the baseline | peak RSS | 429s | turns logged |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.label} | ${r.throughput.toFixed(0)} | ${(r.ratio * 100).toFixed(0)} % | ${((r.throughput / baseline) * 100).toFixed(0)} % | ${r.rss.toFixed(0)} MB | ${r.limited} | ${r.turns} |`);
  if (r.code !== 0 || r.turns !== ROWS || r.answered !== ROWS) failed = true;
}
console.log(
  `\nkill -9 after ${servedBeforeKill} answers, then resumed: ${after.turns} turns logged, ${after.answered} rows answered, ` +
    `${Math.max(0, sentTwice)} requests sent twice (those in flight at the kill), resume exit ${resumed.code}`,
);
const best = Math.max(...results.map((r) => r.ratio));
const peak = Math.max(...results.map((r) => r.rss), resumed.rssMb);
if (best < 0.9) failed = true;
if (peak > 300) failed = true;
if (after.turns !== ROWS || after.answered !== ROWS || resumed.code !== 0) failed = true;
console.log(`\nBudgets: throughput >= 90 % of the limit (best ${(best * 100).toFixed(0)} %), peak RSS <= 300 MB (${peak.toFixed(0)} MB), 0 rows lost or duplicated: ${failed ? 'MISSED' : 'met'}`);
process.exitCode = failed ? 1 : 0;
