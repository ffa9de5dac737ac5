#!/usr/bin/env node
// Library streaming benchmark. A loopback server (in a child process, so it does not
// compete with the client for the event loop) streams 100,000 OpenAI Chat Completions SSE
// chunks in ~16 KiB writes. In one run we time, as medians of several rounds:
//   (a) bare fetch + hand-written SSE line split + JSON.parse loop (the baseline)
//   (b) this library: getModel('gpt-4o-mini') with OPENAI_BASE_URL, for await over prompt()
//   (c) the official openai SDK (v6)
//   (d) the AI SDK (ai v6 + @ai-sdk/openai v3), streamText(...).textStream
//   (e) the llm-ts-ai-sdk adapter: an llm Model over @ai-sdk/openai's chat model (doStream)
// and print each time and its ratio to (a). Budget for (b): <= 1.5x.
//
//   npm run build && node bench/stream.mjs [--chunks 100000] [--rounds 7]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

function arg(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}
const CHUNKS = arg('chunks', 100_000);
const ROUNDS = arg('rounds', 7);
const WRITE_SIZE = 16 * 1024;
const WORDS = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', ',', ' and', ' then', ' é', ' 🦊', '.', '\n'];

/** The whole SSE body, built once: role chunk, CHUNKS content chunks, finish, usage, [DONE]. */
function buildBody() {
  const base = {
    id: 'chatcmpl-BENCH0000000000000000000000',
    object: 'chat.completion.chunk',
    created: 1739291215,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_b8bc95a0ac',
  };
  const parts = [];
  let expected = '';
  const event = (choices, extra = {}) => `data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`;
  parts.push(event([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], { usage: null }));
  for (let i = 0; i < CHUNKS; i++) {
    const token = WORDS[i % WORDS.length];
    expected += token;
    parts.push(event([{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }], { usage: null }));
  }
  parts.push(event([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], { usage: null }));
  parts.push(
    event([], {
      usage: {
        prompt_tokens: 9,
        completion_tokens: CHUNKS,
        total_tokens: CHUNKS + 9,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    }),
  );
  parts.push('data: [DONE]\n\n');
  return { body: Buffer.from(parts.join('')), expected };
}

if (process.argv.includes('--serve')) {
  // Child process: the server.
  const { body } = buildBody();
  const server = createServer(async (req, res) => {
    for await (const _ of req); // read the request body
    if (!req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let offset = 0; offset < body.length; offset += WRITE_SIZE) {
      if (!res.write(body.subarray(offset, offset + WRITE_SIZE))) await once(res, 'drain');
    }
    res.end();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
  // Exit with the parent, however it ends.
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

async function main() {
  const { expected } = buildBody();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', '--chunks', String(CHUNKS)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [line] = await once(child.stdout, 'data');
  const base = `http://127.0.0.1:${String(line).trim()}/v1`;
  const userDir = mkdtempSync(join(tmpdir(), 'llm-bench-'));
  process.env.LLM_USER_PATH = userDir;
  process.env.OPENAI_BASE_URL = base;
  process.env.OPENAI_API_KEY = 'sk-bench-not-a-real-key';
  const messages = [{ role: 'user', content: 'Count to a hundred thousand' }];

  const contenders = [];

  contenders.push({
    name: '(a) fetch + SSE split + JSON.parse',
    async run() {
      const response = await fetch(`${base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
      });
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      let buffer = '';
      let text = '';
      outer: for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let start = 0;
        let newline;
        while ((newline = buffer.indexOf('\n', start)) !== -1) {
          const row = buffer.slice(start, newline);
          start = newline + 1;
          if (!row.startsWith('data: ')) continue;
          const data = row.slice(6);
          if (data === '[DONE]') break outer;
          const content = JSON.parse(data).choices[0]?.delta?.content;
          if (content) text += content;
        }
        buffer = buffer.slice(start);
      }
      return text;
    },
  });

  let library;
  try {
    // LLM_TS_DIST: another build of the library to measure (default: this checkout's dist/).
    const { pathToFileURL } = await import('node:url');
    library = await import(process.env.LLM_TS_DIST ? pathToFileURL(process.env.LLM_TS_DIST).href : '../dist/index.js');
    library.getModel('gpt-4o-mini');
    contenders.push({
      name: '(b) llm-ts getModel().prompt()',
      async run() {
        let text = '';
        let count = 0;
        for await (const chunk of library.getModel('gpt-4o-mini').prompt('Count to a hundred thousand')) {
          text += chunk;
          count++;
        }
        // One chunk per delta the server sent: nothing merged to flatter the figure.
        if (count !== CHUNKS) throw new Error(`(b) yielded ${count} chunks, expected ${CHUNKS}`);
        return text;
      },
    });
  } catch (error) {
    console.log(`(b) llm-ts: skipped (${error.message}); build first, and the OpenAI provider must register gpt-4o-mini`);
  }

  try {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ baseURL: base, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });
    contenders.push({
      name: '(c) openai SDK v6',
      async run() {
        const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        return text;
      },
    });
  } catch (error) {
    console.log(`(c) openai SDK: skipped (${error.message})`);
  }

  try {
    const { streamText } = await import('ai');
    const { createOpenAI } = await import('@ai-sdk/openai');
    const provider = createOpenAI({ baseURL: base, apiKey: process.env.OPENAI_API_KEY });
    contenders.push({
      name: '(d) AI SDK v6 streamText',
      async run() {
        const result = streamText({ model: provider.chat('gpt-4o-mini'), prompt: 'Count to a hundred thousand', maxRetries: 0 });
        let text = '';
        for await (const chunk of result.textStream) text += chunk;
        return text;
      },
    });
  } catch (error) {
    console.log(`(d) AI SDK: skipped (${error.message})`);
  }

  try {
    // The llm-ts-ai-sdk adapter: an llm Model over @ai-sdk/openai's chat spec model (doStream).
    const { AiSdkModel } = await import('../packages/llm-ts-ai-sdk/dist/index.js');
    const provider = { label: 'OpenAI', package: '@ai-sdk/openai', factory: 'createOpenAI', keyEnv: 'OPENAI_API_KEY', method: 'chat', baseURL: base, models: [] };
    const adapter = new AiSdkModel('ai-sdk-openai', provider, 'gpt-4o-mini');
    contenders.push({
      name: '(e) llm-ts-ai-sdk adapter',
      async run() {
        let text = '';
        for await (const chunk of adapter.prompt('Count to a hundred thousand')) text += chunk;
        return text;
      },
    });
  } catch (error) {
    console.log(`(e) llm-ts-ai-sdk adapter: skipped (${error.message}); build first`);
  }

  const times = new Map(contenders.map((c) => [c.name, []]));
  try {
    // One warm-up round, then ROUNDS measured rounds; the order rotates each round.
    for (let round = -1; round < ROUNDS; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const contender = contenders[(i + Math.max(round, 0)) % contenders.length];
        const started = performance.now();
        const text = await contender.run();
        const elapsed = performance.now() - started;
        if (text !== expected) throw new Error(`${contender.name} returned ${text.length} characters, expected ${expected.length}`);
        if (round >= 0) times.get(contender.name).push(elapsed);
      }
    }
  } finally {
    child.kill();
    rmSync(userDir, { recursive: true, force: true });
  }

  const median = (list) => {
    const sorted = [...list].sort((x, y) => x - y);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const baseline = median(times.get(contenders[0].name));
  console.log(`library streaming: ${CHUNKS.toLocaleString('en')} chunks, median of ${ROUNDS} rounds (node ${process.version})`);
  for (const contender of contenders) {
    const value = median(times.get(contender.name));
    const ratio = value / baseline;
    const note = contender.name.startsWith('(b)') ? `  (budget 1.5x: ${ratio <= 1.5 ? 'OK' : 'OVER'})` : '';
    if (contender.name.startsWith('(b)') && ratio > 1.5) process.exitCode = 1;
    console.log(`${contender.name.padEnd(38)} ${value.toFixed(1).padStart(8)} ms  ${ratio.toFixed(2)}x${note}`);
  }
}
