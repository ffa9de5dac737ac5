// Startup benchmark for the `llm` command: the median wall time of N spawned processes
// for each case, printed as a ratio to `node -e 0` measured in the same run, against
// the SPEC budgets. Usage: node bench/startup.mjs [runs]   (run `npm run build` first)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRealisticUserDir } from './realistic-user-dir.mjs';

const RUNS = Number(process.argv[2] ?? 15);
const BIN = fileURLToPath(new URL('../bin/llm.cjs', import.meta.url));
const userDir = mkdtempSync(join(tmpdir(), 'llm-bench-'));

// A loopback OpenAI-compatible server answering every chat request with a short stream.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' };
    for (const content of ['Hello', ' there', '!']) {
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`);
    }
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}`;

// A user directory as a real user's looks (issue 9): see bench/realistic-user-dir.mjs.
const realWork = mkdtempSync(join(tmpdir(), 'llm-bench-real-'));
const realDir = join(realWork, 'user');
await makeRealisticUserDir(realDir, realWork, baseUrl);
const realEnv = { HOME: realDir, LLM_USER_PATH: realDir };

const env = {
  PATH: process.env.PATH,
  HOME: userDir,
  LLM_USER_PATH: userDir,
  OPENAI_BASE_URL: baseUrl,
  OPENAI_API_KEY: 'sk-bench',
  NO_COLOR: '1',
};

function once(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve(ms);
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'llm --version', args: [BIN, '--version'], budget: 1.5 },
  { name: 'llm --help', args: [BIN, '--help'], budget: 2.5 },
  { name: 'llm models', args: [BIN, 'models'], budget: 2.5 },
  { name: "llm 'hi' (loopback, logged)", args: [BIN, 'hi'], budget: 3 },
  // What the first start after an install or upgrade costs, before the code cache exists.
  { name: "llm 'hi', no code cache", args: [BIN, 'hi'], env: { NODE_DISABLE_COMPILE_CACHE: '1' } },
  { name: 'llm models (real user dir)', args: [BIN, 'models'], env: realEnv, budget: 2.5 },
  { name: "llm 'hi' (real user dir, logged)", args: [BIN, 'hi'], env: realEnv, budget: 3 },
];

try {
  // Warm up once each (file cache, logs.db created and migrated).
  for (const c of cases) await once(c.args, c.env);
  const times = new Map(cases.map((c) => [c.name, []]));
  // Interleave the cases so drift on the machine affects them alike.
  for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c.name).push(await once(c.args, c.env));
  const baseline = median(times.get('node -e 0'));
  console.log(`startup, median of ${RUNS} runs (node ${process.version})`);
  let failed = 0;
  for (const c of cases) {
    const ms = median(times.get(c.name));
    const ratio = ms / baseline;
    const verdict = c.budget === undefined ? '' : ratio <= c.budget ? `  ok (budget ${c.budget}x)` : `  OVER (budget ${c.budget}x)`;
    if (c.budget !== undefined && ratio > c.budget) failed++;
    console.log(`${c.name.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x${verdict}`);
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  server.close();
  rmSync(userDir, { recursive: true, force: true });
  rmSync(realWork, { recursive: true, force: true });
}
