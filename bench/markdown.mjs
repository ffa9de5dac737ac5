#!/usr/bin/env node
// Markdown rendering benchmark. A loopback server (a child process) streams a 1 MB answer
// (the Markdown corpus of test/fixtures/markdown repeated: prose, lists, tables, code in
// many languages) as OpenAI Chat Completions SSE, a few characters a chunk. We time the
// CPU (user + system) of `llm` showing it, as medians of several rounds:
//   (a) raw: `llm --no-md`, the baseline
//   (b) rendered: `llm --md`
//   (c) on the terminal, rendered without colour (NO_COLOR: no highlighting), to show
//       what highlighting costs
// once with stdout a file (rendered blocks only; no colour off a terminal) and once on a
// terminal (a pty from `script`: text shown plain at once, each block redrawn rendered).
// On the terminal we also time the first output (from `script`'s timing log: the delay
// from the start to the first bytes on the pty). Budget: (b) <= 1.10x (a) in CPU, and the
// first output of (b) within 1.10x of (a)'s.
//
//   npm run build && node bench/markdown.mjs [--rounds 5] [--mb 1]
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function arg(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}
const ROUNDS = arg('rounds', 5);
const SIZE = arg('mb', 1) * 1024 * 1024;
const BIN = fileURLToPath(new URL('../bin/llm.cjs', import.meta.url));
const CORPUS = fileURLToPath(new URL('../test/fixtures/markdown/', import.meta.url));

function buildAnswer() {
  const answers = readdirSync(CORPUS).filter((n) => n.endsWith('.md')).sort().map((n) => readFileSync(join(CORPUS, n), 'utf8').trim());
  let text = '';
  for (let i = 0; text.length < SIZE; i++) text += answers[i % answers.length] + '\n\n';
  return text;
}

function buildBody(answer) {
  const base = { id: 'chatcmpl-BENCH', object: 'chat.completion.chunk', created: 1739291215, model: 'gpt-4o-mini-2024-07-18' };
  const parts = [];
  // Chunks of 2 to 9 characters, as tokens come.
  for (let i = 0, n = 0; i < answer.length; n++) {
    const size = 2 + (n % 8);
    parts.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: answer.slice(i, i + size) }, finish_reason: null }] })}\n\n`);
    i += size;
  }
  parts.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`, 'data: [DONE]\n\n');
  return { body: parts.join(''), chunks: parts.length - 2 };
}

if (process.argv.includes('--serve')) {
  const { body } = buildBody(buildAnswer());
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < body.length; i += 16384) if (!res.write(body.slice(i, i + 16384))) await once(res, 'drain');
    res.end();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
} else {
  const answer = buildAnswer();
  const { chunks } = buildBody(answer);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', '--mb', String(SIZE / 1024 / 1024)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  const url = `http://127.0.0.1:${String(line).trim()}`;
  const user = mkdtempSync(join(tmpdir(), 'llm-bench-md-'));
  const env = { ...process.env, LLM_USER_PATH: user, OPENAI_BASE_URL: url, OPENAI_API_KEY: 'sk-bench', COLUMNS: '100', LINES: '50' };
  delete env.NO_COLOR;

  /** CPU seconds (user + system) of one run, from GNU time; on a terminal, the first output too. */
  function run(flag, terminal, extraEnv = {}) {
    const llm = `'${process.execPath}' '${BIN}' -m gpt-4o-mini --no-log ${flag} q`;
    const command = terminal ? `stty cols 100 rows 50 2>/dev/null; ${llm}` : `${llm} > /dev/null`;
    const timed = ['-f', '%U %S', '-o', join(user, 'time.txt'), 'sh', '-c', command];
    const timing = join(user, 'timing.txt');
    const args = terminal ? ['-q', '-e', '-T', timing, '-c', `/usr/bin/time ${timed.map((a) => `'${a}'`).join(' ')}`, '/dev/null'] : timed;
    const result = spawnSync(terminal ? 'script' : '/usr/bin/time', args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`${flag} failed (${result.status})`);
    const [u, s] = readFileSync(join(user, 'time.txt'), 'utf8').trim().split('\n').pop().split(' ').map(Number);
    // The timing log: "<seconds since the previous output> <bytes>" per output.
    const first = terminal ? Number(readFileSync(timing, 'utf8').split('\n')[0].split(' ')[0]) : 0;
    return { cpu: u + s, first };
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  console.log(`answer: ${(answer.length / 1024 / 1024).toFixed(2)} MB of Markdown in ${chunks} chunks; ${ROUNDS} rounds, CPU medians`);
  let worst = 0;
  for (const terminal of [false, true]) {
    run('--no-md', terminal);
    const raw = [];
    const rendered = [];
    const uncoloured = [];
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(run('--no-md', terminal));
      rendered.push(run('--md', terminal));
      if (terminal) uncoloured.push(run('--md', terminal, { NO_COLOR: '1' }));
    }
    const cpuOf = (runs) => median(runs.map((r) => r.cpu));
    const ratio = cpuOf(rendered) / cpuOf(raw);
    worst = Math.max(worst, ratio);
    const where = terminal ? 'terminal (pty)' : 'stdout a file  ';
    let line = `${where}: raw ${cpuOf(raw).toFixed(2)} s, rendered ${cpuOf(rendered).toFixed(2)} s, ratio ${ratio.toFixed(2)}x`;
    if (terminal) {
      line += `; rendered without colour ${cpuOf(uncoloured).toFixed(2)} s (${(cpuOf(uncoloured) / cpuOf(raw)).toFixed(2)}x)`;
      const firstOf = (runs) => median(runs.map((r) => r.first));
      const firstRatio = firstOf(rendered) / firstOf(raw);
      worst = Math.max(worst, firstRatio);
      line += `\n  first output: raw ${(firstOf(raw) * 1000).toFixed(0)} ms, rendered ${(firstOf(rendered) * 1000).toFixed(0)} ms (${firstRatio.toFixed(2)}x)`;
    }
    console.log(line);
  }
  child.kill();
  rmSync(user, { recursive: true, force: true });
  const ok = worst <= 1.1;
  console.log(ok ? 'within budget (<= 1.10x)' : `OVER BUDGET: ${worst.toFixed(2)}x > 1.10x`);
  process.exitCode = ok ? 0 : 1;
}
