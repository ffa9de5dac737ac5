// Peak memory of `llm 'prompt'` streaming a 50 MB response from a loopback OpenAI server
// with logging on. The figure is the child's maximum resident set size, as the kernel
// reports it (getrusage via /usr/bin/time); the budget is 300 MB.
// Usage: npm run build && node bench/memory.mjs [megabytes]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MEGABYTES = Number(process.argv[2] ?? 50);
const BIN = fileURLToPath(new URL('../bin/llm.cjs', import.meta.url));
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error(`${TIME} is needed to read the peak resident set size (apt-get install time)`);
  process.exit(1);
}

// Each delta is a short run of text, as a model streams it; about MEGABYTES of text in all.
const piece = 'The quick brown fox jumps over the lazy dog. ';
const deltasPerWrite = 200;
const totalDeltas = Math.ceil((MEGABYTES * 1024 * 1024) / piece.length);
const base = { id: 'chatcmpl-memory', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' };
const deltaLine = `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`;
const block = deltaLine.repeat(deltasPerWrite);

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let sent = 0;
    const pump = () => {
      while (sent < totalDeltas) {
        sent += deltasPerWrite;
        if (!res.write(block)) return res.once('drain', pump);
      }
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 3, completion_tokens: sent, total_tokens: sent + 3 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    pump();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const userDir = mkdtempSync(join(tmpdir(), 'llm-bench-memory-'));

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function runOnce() {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', 'MAXRSS_KB=%M', process.execPath, BIN, ...(process.env.BENCH_ARGS ? process.env.BENCH_ARGS.split(' ') : []), 'Write a very long story'], {
      env: {
        PATH: process.env.PATH,
        HOME: userDir,
        LLM_USER_PATH: userDir,
        OPENAI_BASE_URL: `http://127.0.0.1:${server.address().port}/v1`,
        OPENAI_API_KEY: 'sk-bench',
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => (bytes += chunk.length));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`llm exited ${code}: ${stderr}`));
      resolve({ bytes, peakMb: Number(/MAXRSS_KB=(\d+)/.exec(stderr)[1]) / 1024 });
    });
  });
}

try {
  // Peak RSS depends on when the garbage collector runs, so it varies from run to run:
  // the median of several runs is reported, with the range.
  const peaks = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const result = await runOnce();
    peaks.push(result.peakMb);
    bytes = result.bytes;
  }
  const seconds = (performance.now() - started) / 1000 / RUNS;
  peaks.sort((a, b) => a - b);
  const median = peaks[peaks.length >> 1];
  const dbMb = existsSync(join(userDir, 'logs.db')) ? statSync(join(userDir, 'logs.db')).size / 1024 / 1024 : 0;
  console.log(`memory: llm 'prompt' streaming ${(bytes / 1024 / 1024).toFixed(1)} MB${process.env.BENCH_ARGS ? ` (${process.env.BENCH_ARGS})` : ''}, median of ${RUNS} runs (node ${process.version})`);
  console.log(
    `peak RSS ${median.toFixed(0)} MB (range ${peaks[0].toFixed(0)}-${peaks[peaks.length - 1].toFixed(0)}; budget 300 MB: ${median <= 300 ? 'ok' : 'OVER'}), ${seconds.toFixed(1)} s a run, logs.db ${dbMb.toFixed(0)} MB`,
  );
  if (median > 300) process.exitCode = 1;
} finally {
  server.close();
  rmSync(userDir, { recursive: true, force: true });
}
