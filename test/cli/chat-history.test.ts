// `llm chat` in a real terminal: up-arrow recalls prompts, this session's and earlier ones'.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { hasTmux, pasteText as paste, startTerminal } from '../helpers/tmux.js';
import { BIN, makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => (user = makeUserDir()));
afterEach(() => user.cleanup());

const chat = (name: string) =>
  startTerminal(name, `env LLM_USER_PATH='${user.dir}' NO_COLOR=1 '${process.execPath}' '${BIN}' chat -m echo --no-md`);

const logs = async (): Promise<string[]> =>
  JSON.parse((await runLlm(user.dir, ['logs', '-n', '0', '--json'])).stdout).map((row: { prompt: string }) => row.prompt);

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

  // Node 24's readline edits a recalled multi-line entry: Up first moves up through its
  // rows, and only from the first one to the entry before. Older versions go at once.
  const multiline = Number(process.versions.node.split('.')[0]) >= 24;
  /** The Up presses that leave a recalled entry of `rows` rows for the one before it. */
  const upFrom = (rows: number) => (multiline ? Array<string>(rows).fill('Up') : ['Up']);

  // The three pasted lines back at the prompt, below an answer. Node 24's readline draws
  // the rows of a recalled multi-line entry after the first with a '| ' of its own.
  const recalled = /^\}\n> def f\(x\):\n(?:\| )? {4}return x \* 2\n(?:\| )?print\(f\(2\)\)$/m;

  test('up-arrow recalls a multi-line paste whole, in the same chat and the next one', async () => {
    const pasted = 'def f(x):\n    return x * 2\nprint(f(2))';
    let terminal = chat('llm-chat-history-paste');
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      paste(terminal, pasted);
      await terminal.waitFor(/^> def f\(x\):\n {4}return x \* 2\nprint\(f\(2\)\)$/m);
      terminal.type('Enter');
      await terminal.waitFor(/"prompt": "def f\(x\):\\n {4}return x \* 2\\nprint\(f\(2\)\)"[\s\S]*\n> ?$/m);
      // Up brings back all three lines at the prompt, not only the last one.
      terminal.type('Up');
      await terminal.waitFor(recalled);
      // Sent again, it is the same prompt; edited first, the edit lands on its last line.
      terminal.type(' # again', 'Enter');
      await terminal.waitFor(/"prompt": "def f\(x\):\\n {4}return x \* 2\\nprint\(f\(2\)\) # again"[\s\S]*\n> ?$/m);
      terminal.type('Up', ...upFrom(3));
      await terminal.waitFor(recalled);
      terminal.type('Enter');
      await terminal.waitFor(/"prompt": "def f\(x\):\\n {4}return x \* 2\\nprint\(f\(2\)\)"[\s\S]*"prompt": "def f[^\n]*# again"[\s\S]*"prompt": "def f\(x\):\\n {4}return x \* 2\\nprint\(f\(2\)\)"[\s\S]*\n> ?$/m);
      terminal.type('quit', 'Enter');
      assert.ok(await terminal.exited());
    } finally {
      terminal.kill();
    }
    // One entry a prompt: a prompt with newlines is kept as one JSON string line.
    assert.equal(
      readFileSync(join(user.dir, 'chat-history.txt'), 'utf8'),
      [JSON.stringify(pasted), JSON.stringify(`${pasted} # again`), JSON.stringify(pasted), 'quit', ''].join('\n'),
    );
    terminal = chat('llm-chat-history-paste-next');
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('Up', 'Up');
      await terminal.waitFor(/fragments\n> def f\(x\):\n(?:\| )? {4}return x \* 2\n(?:\| )?print\(f\(2\)\)$/m);
      terminal.type('Enter');
      await terminal.waitFor(/"prompt": "def f\(x\):\\n {4}return x \* 2\\nprint\(f\(2\)\)"[\s\S]*\n> ?$/m);
      terminal.type('quit', 'Enter');
      assert.ok(await terminal.exited());
    } finally {
      terminal.kill();
    }
    assert.deepEqual(await logs(), [pasted, `${pasted} # again`, pasted, pasted]);
  });

  test('a paste that ends with a newline is recalled whole too', async () => {
    const terminal = chat('llm-chat-history-paste-nl');
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('first prompt', 'Enter');
      await terminal.waitFor(/"prompt": "first prompt"[\s\S]*\n> ?$/m);
      paste(terminal, 'alpha\nbeta\n');
      terminal.type('Enter');
      await terminal.waitFor(/"prompt": "alpha\\nbeta"[\s\S]*\n> ?$/m);
      terminal.type('Up');
      await terminal.waitFor(/^\}\n> alpha\n(?:\| )?beta$/m);
      terminal.type(...upFrom(2));
      // The two rows of the paste give way to the one line (nothing left below it).
      await terminal.waitFor(/\}\n> first prompt\s*$/);
      terminal.type('C-u', 'quit', 'Enter');
      assert.ok(await terminal.exited());
    } finally {
      terminal.kill();
    }
    assert.deepEqual(readFileSync(join(user.dir, 'chat-history.txt'), 'utf8').split('\n'), ['first prompt', '"alpha\\nbeta"', 'quit', '']);
  });

  test('piped chat input is not kept in the history', async () => {
    const r = await runLlm(user.dir, ['chat', '-m', 'echo'], { input: 'secret line\nquit\n' });
    assert.equal(r.code, 0);
    assert.equal(existsSync(join(user.dir, 'chat-history.txt')), false);
  });
});
