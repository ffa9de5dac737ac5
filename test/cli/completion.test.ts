// `llm completion bash|zsh|fish`, and the candidates its scripts ask for; the bash script
// is run by a real bash.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { BIN, makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => (user = makeUserDir()));
afterEach(() => user.cleanup());

const complete = async (...words: string[]) => {
  const r = await runLlm(user.dir, ['completion', '__complete', ...words]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
};

test('candidates: commands, subcommands, options (the default command\'s too), models and aliases, templates, tools', async () => {
  assert.deepEqual(await complete('mo'), ['models']);
  assert.deepEqual(await complete('models', ''), ['default', 'list', 'options']);
  assert.ok((await complete('-m', 'gpt-4o-m')).includes('gpt-4o-mini'));
  assert.ok((await complete('logs', '--n')).includes('--no-pager'));
  assert.ok((await complete('--sch')).includes('--schema-multi'));
  assert.deepEqual(await complete('chat', '-T', 'llm_t'), ['llm_time']);
  await runLlm(user.dir, ['aliases', 'set', 'quick', 'echo']);
  await runLlm(user.dir, ['--save', 'pirate', '-s', 'Talk like a pirate']);
  assert.deepEqual(await complete('-m', 'qui'), ['quick']);
  assert.deepEqual(await complete('-t', 'pi'), ['pirate']);
});

test('llm completion bash, sourced by bash, completes', async () => {
  const bin = join(user.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'llm'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'llm'), 0o755);
  const out = execFileSync(
    'bash',
    ['-c', 'eval "$(llm completion bash)"; COMP_WORDS=(llm embed-m); COMP_CWORD=1; _llm_complete; printf "%s\\n" "${COMPREPLY[@]}"'],
    { env: { PATH: `${bin}:${process.env.PATH}`, LLM_USER_PATH: user.dir, HOME: user.dir }, encoding: 'utf8' },
  );
  assert.equal(out, 'embed-models\nembed-multi\n');
});

test('zsh and fish scripts; an unknown shell is a one-line error', async () => {
  assert.match((await runLlm(user.dir, ['completion', 'zsh'])).stdout, /compdef _llm llm/);
  assert.match((await runLlm(user.dir, ['completion', 'fish'])).stdout, /^complete -c llm -f -a /m);
  const bad = await runLlm(user.dir, ['completion', 'tcsh']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'Error: Unknown shell: tcsh (there are: bash, zsh, fish)\n');
});
