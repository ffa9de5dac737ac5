// A user directory as a real user's looks after a while (issue 9): extra-openai-models.yaml
// with 10 models, 20 templates, aliases.json, model_options.json, 3 plugins installed and
// a logs.db of 10,000 turns. bench/startup.mjs times `llm models` and a prompt against it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePlugin } from '../test/helpers/make-plugin.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/llm.cjs');

/** Fills `dir` (an empty user directory); `baseUrl` is the loopback server the models use. */
export async function makeRealisticUserDir(dir, work, baseUrl) {
  mkdirSync(dir, { recursive: true });
  const models = Array.from({ length: 10 }, (_, i) =>
    [
      `- model_id: local-${i}`,
      `  model_name: org/model-${i}-instruct`,
      `  api_base: ${baseUrl}`,
      `  aliases: [l${i}, local-model-${i}]`,
      i % 2 ? '  supports_tools: true\n  supports_schema: true' : '  headers:\n    X-Proxy-Team: research',
      i % 3 ? '  can_stream: true' : '  timeout: 120',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'extra-openai-models.yaml'), `# Local servers and proxies\n${models.join('\n')}\n`);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  for (let i = 0; i < 20; i++) {
    writeFileSync(
      join(dir, 'templates', `template-${i}.yaml`),
      `system: You are a careful assistant number ${i}.\nprompt: 'Summarise: $input'\ndefaults:\n  tone: plain\n`,
    );
  }
  writeFileSync(join(dir, 'aliases.json'), JSON.stringify({ fast: 'gpt-4o-mini', smart: 'gpt-4.1', local: 'local-0' }, null, 4) + '\n');
  writeFileSync(join(dir, 'model_options.json'), JSON.stringify({ 'gpt-4o-mini': { temperature: '0.2' }, 'local-1': { max_tokens: '400' } }, null, 2) + '\n');

  const env = { ...process.env, LLM_USER_PATH: dir, HOME: dir, npm_config_offline: 'true', npm_config_update_notifier: 'false', NO_COLOR: '1' };
  const folders = [1, 2, 3].map((i) =>
    makePlugin(join(work, 'plugins-src', `llm-real-plugin-${i}`), {
      name: `llm-real-plugin-${i}`,
      models: [{ id: `real-${i}`, aliases: [`r${i}`] }],
      commands: [{ name: `real-${i}`, description: `Command of plugin ${i}` }],
    }),
  );
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work, ...folders], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const install = spawnSync(process.execPath, [BIN, 'install', ...packed.map((p) => join(work, p.filename))], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`llm install failed:\n${install.stderr}`);

  // 10,000 turns, logged through the library as the CLI logs them (echo model, no network).
  const previous = process.env.LLM_USER_PATH;
  process.env.LLM_USER_PATH = dir;
  try {
    const lib = await import(join(ROOT, 'dist/index.js'));
    const store = lib.LogsDatabase.open(join(dir, 'logs.db'));
    const model = lib.getModel('echo');
    store.db.exec('begin');
    for (let i = 0; i < 10_000; i++) {
      const response = model.prompt(`Question number ${i} about pelicans, rivers and the capital of France`);
      await response.text();
      store.logResponse(response);
    }
    store.db.exec('commit');
    store.close();
  } finally {
    if (previous === undefined) delete process.env.LLM_USER_PATH;
    else process.env.LLM_USER_PATH = previous;
  }
}
