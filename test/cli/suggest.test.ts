// "Did you mean …?" for a mistyped model, template or alias; and, on a terminal only, a
// hint when a prompt looks like a mistyped command.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { hasTmux, startTerminal } from '../helpers/tmux.js';
import { BIN, makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => (user = makeUserDir()));
afterEach(() => user.cleanup());

test('an unknown model names the closest ids and aliases; one far from all is as before', async () => {
  const typo = await runLlm(user.dir, ['-m', 'gpt4o-mini', 'hi']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /^Error: Unknown model: gpt4o-mini\. Did you mean gpt-4o-mini(, [^,]+)*( or [^ ]+)?\?\n$/);
  const far = await runLlm(user.dir, ['-m', 'nope', 'hi']);
  assert.equal(far.stderr, 'Error: Unknown model: nope\n');
  const chat = await runLlm(user.dir, ['chat', '-m', 'ehco'], { input: '' });
  assert.equal(chat.stderr, 'Error: Unknown model: ehco. Did you mean echo?\n');
});

test('an unknown template or alias names the closest saved ones', async () => {
  assert.equal((await runLlm(user.dir, ['--save', 'summarize', '-s', 'Summarize this'])).code, 0);
  const template = await runLlm(user.dir, ['-t', 'summarise', '-m', 'echo', 'x']);
  assert.equal(template.stderr, 'Error: Invalid template: summarise. Did you mean summarize?\n');
  assert.equal((await runLlm(user.dir, ['aliases', 'set', 'fast', 'echo'])).code, 0);
  const alias = await runLlm(user.dir, ['aliases', 'remove', 'fats']);
  assert.equal(alias.stderr, 'Error: No such alias: fats. Did you mean fast?\n');
  assert.equal(alias.code, 1);
});

test('piped, a prompt that looks like a command is sent with no hint', async () => {
  const r = await runLlm(user.dir, ['modles', '-m', 'echo']);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /"prompt": "modles"/);
});

describe('on a terminal (tmux)', { skip: !hasTmux && 'tmux is not installed' }, () => {
  test('llm modles: sent as a prompt, and one line says what was meant', async () => {
    const terminal = startTerminal(
      'llm-suggest',
      `env LLM_USER_PATH='${user.dir}' NO_COLOR=1 '${process.execPath}' '${BIN}' modles -m echo --no-md; echo "[exit $?]"; sleep 30`,
    );
    try {
      const screen = await terminal.waitFor(/\[exit 0\]/);
      assert.ok(screen.startsWith("Sending 'modles' as a prompt. Did you mean llm models?\n"), screen);
      assert.match(screen, /"prompt": "modles"/);
    } finally {
      terminal.kill();
    }
  });
});

test('llm install of a Python-only plugin name says which llm-ts package to install, installs nothing', async () => {
  const r = await runLlm(user.dir, ['install', 'llm-anthropic']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error: llm-anthropic is a plugin for Python llm; for llm-ts install llm-ts-anthropic: llm install llm-ts-anthropic\n');
  const listed = await runLlm(user.dir, ['plugins']);
  assert.deepEqual(JSON.parse(listed.stdout), []);
});

test("llm --help points to this project's docs and plugins, not Python's", async () => {
  const r = await runLlm(user.dir, ['--help']);
  assert.match(r.stdout, /Documentation: https:\/\/www\.npmjs\.com\/package\/llm-ts/);
  assert.match(r.stdout, /keywords%3Allm-ts-plugin/);
  assert.doesNotMatch(r.stdout, /llm\.datasette\.io/);
});
