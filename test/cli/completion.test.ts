// `llm completion bash|zsh|fish`, and the candidates its scripts ask for; the bash script
// is run by a real bash.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { openEmbeddingsDb } from '../../src/embeddings/db.js';
import { installed, skipUnless } from '../helpers/needs.js';
import { startTerminal } from '../helpers/tmux.js';
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

test('candidates: ":files" where a file name goes (a file option\'s value, an argument); nothing after other value options', async () => {
  for (const words of [
    ['-a', './pic'],
    ['-a', ''],
    ['prompt', '--at', 'x'],
    ['chat', '--functions', ''],
    ['-f', 'notes'],
    ['--sf', ''],
    ['--schema', ''],
    ['logs', '-d', ''],
    ['logs', 'list', '--database', 'l'],
    ['embed', 'notes', '-i', ''],
    ['embed-multi', 'notes', '--files', 'do'],
    ['install', '-e', '.'],
    ['install', './plug'],
    ['prompt', 'wh'],
  ]) assert.deepEqual(await complete(...words), [':files'], words.join(' '));
  // A model, template or tool option offers those only, even when none fits.
  assert.deepEqual(await complete('-m', 'no-such-model'), []);
  // Free text: neither files nor commands.
  assert.deepEqual(await complete('-s', ''), []);
  assert.deepEqual(await complete('logs', '-n', ''), []);
  // `llm logs -t` is --truncate, which takes no value: the subcommands come next.
  assert.deepEqual(await complete('logs', '-t', 'l'), ['list']);
});

/** Collections in an embeddings.db, written as `llm embed` leaves them. */
function makeCollections(path: string, names: string[]): void {
  const db = openEmbeddingsDb(path);
  for (const name of names) db.prepare('insert into collections (name, model) values (?, ?)').run(name, 'embed-demo');
  db.close();
}

test('candidates: collection names for the commands that take a collection, from -d too', async () => {
  assert.deepEqual(await complete('similar', ''), [], 'no embeddings.db yet: nothing, and no error');
  makeCollections(join(user.dir, 'embeddings.db'), ['recipes', 'readme-docs', 'notes']);
  assert.deepEqual(await complete('similar', 're'), ['readme-docs', 'recipes']);
  assert.deepEqual(await complete('embed', ''), ['notes', 'readme-docs', 'recipes']);
  assert.deepEqual(await complete('embed-multi', '--format', 'csv', 'n'), ['notes']);
  assert.deepEqual(await complete('collections', 'delete', 'rec'), ['recipes']);
  // After the collection, its other arguments are not collections.
  assert.deepEqual(await complete('similar', 'recipes', 're'), [':files']);
  // The value of an option is not a collection either (-d is a file).
  assert.deepEqual(await complete('similar', '-d', 're'), [':files']);
  assert.deepEqual(await complete('similar', 'zzz'), [], 'no collection fits: nothing');
  const other = join(user.dir, 'other.db');
  makeCollections(other, ['elsewhere']);
  assert.deepEqual(await complete('similar', '-d', other, ''), ['elsewhere']);
});

/** A folder with an `llm` that runs the build under test, for a shell's PATH. */
function llmOnPath(): string {
  const bin = join(user.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'llm'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(bin, 'llm'), 0o755);
  return bin;
}

/** A folder to complete file names in: photo.jpg, notes.md, plugins/. */
function filesDir(): string {
  const dir = join(user.dir, 'work');
  mkdirSync(join(dir, 'plugins'), { recursive: true });
  writeFileSync(join(dir, 'photo.jpg'), '');
  writeFileSync(join(dir, 'notes.md'), '');
  return dir;
}

test('llm completion bash, sourced by bash, completes', async () => {
  const bin = llmOnPath();
  const out = execFileSync(
    'bash',
    ['-c', 'eval "$(llm completion bash)"; COMP_WORDS=(llm embed-m); COMP_CWORD=1; _llm_complete; printf "%s\\n" "${COMPREPLY[@]}"'],
    { env: { PATH: `${bin}:${process.env.PATH}`, LLM_USER_PATH: user.dir, HOME: user.dir }, encoding: 'utf8' },
  );
  assert.equal(out, 'embed-models\nembed-multi\n');
});

const hasFish = installed('fish');
const hasZsh = installed('zsh');
const hasTmux = installed('tmux', ['-V']);

describe('llm completion fish, sourced by fish', { skip: skipUnless({ fish: hasFish }) }, () => {
  test('completes commands, subcommands, models and collections', () => {
    const bin = llmOnPath();
    makeCollections(join(user.dir, 'embeddings.db'), ['recipes', 'notes']);
    const fish = (line: string) =>
      execFileSync('fish', ['--no-config', '-c', `llm completion fish | source; complete -C ${JSON.stringify(line)}`], {
        env: { PATH: `${bin}:${process.env.PATH}`, LLM_USER_PATH: user.dir, HOME: user.dir },
        encoding: 'utf8',
      });
    assert.equal(fish('llm embed-m'), 'embed-models\nembed-multi\n');
    assert.equal(fish('llm models '), 'default\nlist\noptions\n');
    assert.match(fish('llm -m gpt-4o-m'), /^gpt-4o-mini$/m);
    assert.equal(fish('llm similar '), 'notes\nrecipes\n');
  });

  test('completes file names after a file option and for an argument; models after -m', () => {
    const bin = llmOnPath();
    const dir = filesDir();
    const fish = (line: string) =>
      execFileSync('fish', ['--no-config', '-c', `llm completion fish | source; complete -C ${JSON.stringify(line)}`], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH}`, LLM_USER_PATH: user.dir, HOME: user.dir },
        encoding: 'utf8',
      });
    assert.equal(fish('llm -a ./ph'), './photo.jpg\n');
    assert.equal(fish('llm --attachment '), 'notes.md\nphoto.jpg\nplugins/\n');
    assert.equal(fish('llm chat --functions no'), 'notes.md\n');
    assert.equal(fish('llm -f not'), 'notes.md\n');
    assert.equal(fish('llm logs -d ./n'), './notes.md\n');
    assert.equal(fish('llm install ./pl'), './plugins/\n');
    assert.equal(fish('llm prompt pho'), 'photo.jpg\n');
    assert.match(fish('llm -m gpt-4o-m'), /^gpt-4o-mini$/m);
    assert.equal(fish('llm -m pho'), '', 'a model option: no file names');
  });
});

describe('llm completion zsh, with compinit, in a terminal', { skip: skipUnless({ zsh: hasZsh, tmux: hasTmux }) }, () => {
  test('Tab completes a command, then lists subcommands and collections', async () => {
    const bin = llmOnPath();
    makeCollections(join(user.dir, 'embeddings.db'), ['recipes', 'notes']);
    const terminal = startTerminal(
      'llm-zsh-completion',
      `env -i PATH='${bin}:/usr/bin:/bin' HOME='${user.dir}' LLM_USER_PATH='${user.dir}' TERM=screen PS1='zsh> ' zsh -f -i`,
    );
    try {
      await terminal.waitFor(/^zsh>\s*$/m);
      terminal.type('autoload -U compinit && compinit -u && eval "$(llm completion zsh)" && echo ready', 'Enter');
      await terminal.waitFor(/^ready\nzsh>\s*$/m);
      terminal.type('llm mo', 'Tab');
      await terminal.waitFor(/^zsh> llm models\s*$/m);
      terminal.type('Tab');
      await terminal.waitFor(/^default +list +options$/m);
      terminal.type('C-u', 'llm similar ', 'Tab');
      await terminal.waitFor(/^notes +recipes$/m);
      // No candidates from llm (a file argument): file names.
      terminal.type('C-u', 'llm embed-multi notes packa', 'Tab');
      await terminal.waitFor(/^zsh> llm embed-multi notes package/m);
      // After a file option: file names, not commands.
      terminal.type('C-u', `cd '${filesDir()}'`, 'Enter');
      terminal.type('C-u', 'llm -a ./ph', 'Tab');
      await terminal.waitFor(/^zsh> llm -a \.\/photo\.jpg/m);
      terminal.type('C-u', 'llm install ./pl', 'Tab');
      await terminal.waitFor(/^zsh> llm install \.\/plugins\//m);
    } finally {
      terminal.kill();
    }
  });
});

describe('llm completion bash, in a terminal', { skip: skipUnless({ tmux: hasTmux }) }, () => {
  test('Tab completes commands, and file names after a file option and for an argument', async () => {
    const bin = llmOnPath();
    const dir = filesDir();
    const terminal = startTerminal(
      'llm-bash-completion',
      `cd '${dir}' && env -i PATH='${bin}:/usr/bin:/bin' HOME='${user.dir}' LLM_USER_PATH='${user.dir}' TERM=screen PS1='bash> ' bash --norc --noprofile -i`,
    );
    try {
      await terminal.waitFor(/^bash>\s*$/m);
      terminal.type('eval "$(llm completion bash)" && echo ready', 'Enter');
      await terminal.waitFor(/^ready\nbash>\s*$/m);
      terminal.type('llm embed-mo', 'Tab');
      await terminal.waitFor(/^bash> llm embed-models\s*$/m);
      terminal.type('C-u', 'llm -a ./ph', 'Tab');
      await terminal.waitFor(/^bash> llm -a \.\/photo\.jpg\s*$/m);
      terminal.type('C-u', 'llm --functions no', 'Tab');
      await terminal.waitFor(/^bash> llm --functions notes\.md\s*$/m);
      terminal.type('C-u', 'llm install ./pl', 'Tab');
      await terminal.waitFor(/^bash> llm install \.\/plugins\/\s*$/m);
      // A model option: a model, never a file name (keys are read in turn: the Tab is done
      // before the X comes).
      terminal.type('C-u', 'llm -m gpt-4o-mi', 'Tab');
      await terminal.waitFor(/^bash> llm -m gpt-4o-mini/m);
      terminal.type('C-u', 'llm -m pho', 'Tab', 'X');
      await terminal.waitFor(/^bash> llm -m phoX\s*$/m);
    } finally {
      terminal.kill();
    }
  });
});

test('zsh and fish scripts; an unknown shell is a one-line error', async () => {
  assert.match((await runLlm(user.dir, ['completion', 'zsh'])).stdout, /compdef _llm llm/);
  assert.match((await runLlm(user.dir, ['completion', 'fish'])).stdout, /^complete -c llm -f -a '\(__llm_complete\)'$/m);
  const bad = await runLlm(user.dir, ['completion', 'tcsh']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'Error: Unknown shell: tcsh (there are: bash, zsh, fish)\n');
});
