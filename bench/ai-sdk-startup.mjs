// Startup with the llm-ts-ai-sdk plugin installed and three providers added (mistral,
// groq, bedrock), each with a fetched model list of 100 models in the cache: `llm
// --version`, `llm --help` and `llm models` against `node -e 0` (budgets as for startup:
// 1.5 ×, 2.5 ×, 2.5 ×). Nothing of the AI SDK may load until such a model runs.
//
//   npm run build && node bench/ai-sdk-startup.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianMs } from './median-time.mjs';

const BIN = fileURLToPath(new URL('../bin/llm.cjs', import.meta.url));
const PLUGIN = fileURLToPath(new URL('../packages/llm-ts-ai-sdk', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const PROVIDERS = ['mistral', 'groq', 'bedrock'];

const work = mkdtempSync(join(tmpdir(), 'llm-bench-ai-sdk-'));
const userDir = join(work, 'user');
const env = { ...process.env, LLM_USER_PATH: userDir, npm_config_offline: 'true', npm_config_update_notifier: 'false', NO_COLOR: '1' };
delete env.LLM_LOAD_PLUGINS;
const llm = (args) => {
  const child = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`llm ${args.join(' ')} failed:\n${child.stderr}`);
  return child.stdout;
};

try {
  llm(['install', '-e', PLUGIN]);
  for (const name of PROVIDERS) llm(['ai-sdk', 'add', name]);
  // The cache `llm ai-sdk refresh` writes: 100 models each.
  const lists = Object.fromEntries(
    PROVIDERS.map((name) => [name, { fetched_at: new Date().toISOString(), url: `https://${name}.example/models`, models: Array.from({ length: 100 }, (_, i) => ({ id: `${name}-model-${i}` })) }]),
  );
  mkdirSync(join(userDir, 'ai-sdk'), { recursive: true });
  writeFileSync(join(userDir, 'ai-sdk', 'model-lists.json'), JSON.stringify(lists, null, 2));
  const listed = (llm(['models']).match(/\(AI SDK\): /g) ?? []).length;
  if (listed !== 300) throw new Error(`expected 300 AI SDK models, got ${listed}`);

  const timedEnv = { PATH: process.env.PATH, HOME: userDir, LLM_USER_PATH: userDir, NO_COLOR: '1' };
  const time = (args) => medianMs(args, { env: timedEnv, runs: RUNS });
  time(['-e', '0']);
  time([BIN, '--help']);
  time([BIN, 'models']);
  const baseline = time(['-e', '0']);
  const rows = [
    ['llm --version', time([BIN, '--version']), 1.5],
    ['llm --help', time([BIN, '--help']), 2.5],
    ['llm models', time([BIN, 'models']), 2.5],
  ];
  console.log(`ai-sdk: plugin installed, ${PROVIDERS.join(', ')} added, 300 models from the list cache; median of ${RUNS} runs`);
  console.log(`${'node -e 0'.padEnd(20)} ${baseline.toFixed(1).padStart(7)} ms`);
  for (const [label, ms, budget] of rows) {
    const ratio = ms / baseline;
    console.log(`${label.padEnd(20)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)} ×  (budget ${budget} ×: ${ratio <= budget ? 'ok' : 'OVER'})`);
    if (ratio > budget) process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
