// Startup with 20 installed plugins: `llm --help` and `llm models` against `node -e 0`
// (budget: each ≤ 2.5 ×). Generates the plugins into a temp user dir, installs them with
// the built CLI (offline: local tarballs only), then times each command (median of runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePlugin } from '../test/helpers/make-plugin.mjs';
import { medianMs } from './median-time.mjs';

const BIN = fileURLToPath(new URL('../bin/llm.cjs', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const COUNT = 20;

const work = mkdtempSync(join(tmpdir(), 'llm-bench-plugins-'));
const userDir = join(work, 'user');
const env = { ...process.env, LLM_USER_PATH: userDir, npm_config_offline: 'true', npm_config_update_notifier: 'false', NO_COLOR: '1' };
delete env.LLM_LOAD_PLUGINS;

try {
  const folders = [];
  for (let i = 1; i <= COUNT; i++) {
    const name = `llm-bench-plugin-${String(i).padStart(2, '0')}`;
    folders.push(
      makePlugin(join(work, 'src', name), {
        name,
        models: [
          { id: `bench-${i}-large`, aliases: [`b${i}l`] },
          { id: `bench-${i}-small`, aliases: [`b${i}s`] },
        ],
        commands: [{ name: `bench-${i}`, description: `Command of plugin ${i}` }],
      }),
    );
  }
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work, ...folders], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const install = spawnSync(process.execPath, [BIN, 'install', ...packed.map((p) => join(work, p.filename))], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`llm install failed:\n${install.stderr}`);
  const models = spawnSync(process.execPath, [BIN, 'models'], { env, encoding: 'utf8' });
  const listed = (models.stdout.match(/^Fake Chat: bench-/gm) ?? []).length;
  if (listed !== COUNT * 2) throw new Error(`expected ${COUNT * 2} plugin models, got ${listed}:\n${models.stderr}`);

  // Timed with only what the command needs, so that nothing in the caller's environment
  // (NODE_OPTIONS, NODE_EXTRA_CA_CERTS...) weighs on the baseline or the command.
  const timedEnv = { PATH: process.env.PATH, HOME: userDir, LLM_USER_PATH: userDir, NO_COLOR: '1' };
  const time = (args) => medianMs(args, { env: timedEnv, runs: RUNS });
  time(['-e', '0']); // warm the file cache
  time([BIN, '--help']); // and make the code cache, as a user's first runs do
  time([BIN, 'models']);
  const baseline = time(['-e', '0']);
  const help = time([BIN, '--help']);
  const list = time([BIN, 'models']);
  const row = (label, ms) => `${label.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / baseline).toFixed(2)} ×`;
  console.log(`plugins: ${COUNT} installed (${COUNT * 2} models, ${COUNT} commands), median of ${RUNS} runs`);
  console.log(row('node -e 0', baseline));
  console.log(row('llm --help', help));
  console.log(row('llm models', list));
  const worst = Math.max(help, list) / baseline;
  console.log(`budget ≤ 2.50 ×: ${worst <= 2.5 ? 'ok' : 'OVER'} (worst ${worst.toFixed(2)} ×)`);
  if (worst > 2.5) process.exitCode = 1;
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${userDir}`);
  else rmSync(work, { recursive: true, force: true });
}
