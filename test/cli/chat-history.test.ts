// `llm chat` in a real terminal: up-arrow recalls prompts, this session's and earlier ones'.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { hasTmux, startTerminal } from '../helpers/tmux.js';
import { BIN, makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => (user = makeUserDir()));
afterEach(() => user.cleanup());

describe('llm chat history (tmux)', { skip: !hasTmux && 'tmux is not installed' }, () => {
  test('a prompt typed in one chat is recalled with up-arrow in the next', async () => {
    const chat = () =>
      startTerminal('llm-chat-history', `env LLM_USER_PATH='${user.dir}' NO_COLOR=1 '${process.execPath}' '${BIN}' chat -m echo --no-md`);
    let terminal = chat();
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('pelican question', 'Enter');
      await terminal.waitFor(/"prompt": "pelican question"[\s\S]*\n> ?$/m);
      terminal.type('Up');
      await terminal.waitFor(/\n> pelican question$/m);
      terminal.type('C-u', 'quit', 'Enter');
      assert.ok(await terminal.exited());
    } finally {
      terminal.kill();
    }
    assert.equal(readFileSync(join(user.dir, 'chat-history.txt'), 'utf8'), 'pelican question\nquit\n');
    terminal = chat();
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('Up', 'Up');
      await terminal.waitFor(/\n> pelican question$/m);
      terminal.type('Enter');
      await terminal.waitFor(/"prompt": "pelican question"[\s\S]*\n> ?$/m);
      terminal.type('quit', 'Enter');
      assert.ok(await terminal.exited());
    } finally {
      terminal.kill();
    }
  });

  test('piped chat input is not kept in the history', async () => {
    const r = await runLlm(user.dir, ['chat', '-m', 'echo'], { input: 'secret line\nquit\n' });
    assert.equal(r.code, 0);
    assert.equal(existsSync(join(user.dir, 'chat-history.txt')), false);
  });
});
