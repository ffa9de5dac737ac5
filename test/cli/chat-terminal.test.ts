// `llm chat` in a real terminal (tmux): a pasted block of lines is one prompt (bracketed
// paste), Ctrl-C cuts an answer short and the chat goes on, Ctrl-C clears a typed line,
// Ctrl-D leaves with status 0.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { startFakeServer, type FakeServer, type Handler } from '../../src/testing/provider-server.js';
import { writeChatStream } from '../helpers/openai-replies.js';
import { skipUnless } from '../helpers/needs.js';
import { hasTmux, pasteText as paste, startTerminal, type Terminal } from '../helpers/tmux.js';
import { BIN, makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => (user = makeUserDir()));
afterEach(() => user.cleanup());

/** `llm chat ARGS` in a terminal; the shell prints its exit status after it. */
function chatTerminal(name: string, args: string, env = ''): Terminal {
  return startTerminal(
    name,
    `sh -c "env LLM_USER_PATH='${user.dir}' NO_COLOR=1 ${env} '${process.execPath}' '${BIN}' chat ${args}; echo exit status \\$?; sleep 10"`,
  );
}

const logs = async (): Promise<any[]> => JSON.parse((await runLlm(user.dir, ['logs', '-n', '0', '--json'])).stdout);

describe('llm chat keys in a real terminal (tmux)', { skip: skipUnless({ tmux: hasTmux }) }, () => {
  test('a multi-line paste is one prompt, sent with Enter after what was typed; Ctrl-C clears a line; Ctrl-D exits 0', async () => {
    const terminal = chatTerminal('llm-chat-paste', '-m echo --no-md');
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('Explain: ');
      paste(terminal, 'def f(x):\n    return x * 2\nprint(f(2))');
      // The pasted lines are shown; the last one is still being edited.
      await terminal.waitFor(/^> Explain: def f\(x\):\n {4}return x \* 2\nprint\(f\(2\)\)$/m);
      terminal.type(' # please', 'Enter');
      await terminal.waitFor(/"prompt": "Explain: def f\(x\):\\n {4}return x \* 2\\nprint\(f\(2\)\) # please"[\s\S]*\n> ?$/m);
      // A paste that ends with a newline waits for Enter too.
      paste(terminal, 'one\ntwo\n');
      terminal.type('Enter');
      await terminal.waitFor(/"prompt": "one\\ntwo"[\s\S]*\n> ?$/m);
      // Ctrl-C at a prompt with text: the text goes, the chat stays.
      terminal.type('never sent', 'C-c');
      await terminal.waitFor(/^> never sent\^C\n> ?$/m);
      terminal.type('C-d');
      await terminal.waitFor(/^exit status 0$/m);
    } finally {
      terminal.kill();
    }
    assert.deepEqual(
      (await logs()).map((row) => row.prompt),
      ['Explain: def f(x):\n    return x * 2\nprint(f(2)) # please', 'one\ntwo'],
    );
  });

  test('after !edit (an editor may turn bracketed paste off) a paste is still one prompt', async () => {
    const editor = join(user.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "\\033[?2004l" > /dev/tty\nprintf "from the editor" > "$1"\n', { mode: 0o755 });
    const terminal = chatTerminal('llm-chat-edit-paste', '-m echo --no-md', `EDITOR='${editor}'`);
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('!edit', 'Enter');
      await terminal.waitFor(/"prompt": "from the editor"[\s\S]*\n> ?$/m);
      paste(terminal, 'first\nsecond');
      terminal.type('Enter');
      await terminal.waitFor(/"prompt": "first\\nsecond"[\s\S]*\n> ?$/m);
      terminal.type('C-d');
      await terminal.waitFor(/^exit status 0$/m);
    } finally {
      terminal.kill();
    }
  });

  test('Ctrl-C at an empty prompt leaves the chat (status 0)', async () => {
    const terminal = chatTerminal('llm-chat-ctrl-c', '-m echo --no-md');
    try {
      await terminal.waitFor(/fragments\n> ?$/m);
      terminal.type('C-c');
      await terminal.waitFor(/^exit status 0$/m);
    } finally {
      terminal.kill();
    }
  });

  describe('with a network model', () => {
    let server: FakeServer;
    let handler: Handler;
    let firstClosed = false;
    before(async () => {
      server = await startFakeServer((req, res) => handler(req, res));
    });
    after(async () => {
      await server.close();
    });

    test('Ctrl-C during an answer stops it (the request is closed); the chat goes on with what arrived', async () => {
      handler = (req, res) => {
        if (server.requests.length === 1) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const base = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
          res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'A long story begins' }, finish_reason: null }] })}\n\n`);
          res.on('close', () => (firstClosed = true));
          return; // never finishes: only Ctrl-C ends it
        }
        writeChatStream(res, ['Re: ', String(req.json.messages.at(-1).content)]);
      };
      const terminal = chatTerminal('llm-chat-cancel', '-m gpt-4o-mini --no-md', `OPENAI_BASE_URL='${server.url}/v1' OPENAI_API_KEY=sk-x`);
      try {
        await terminal.waitFor(/fragments\n> ?$/m);
        terminal.type('tell me a story', 'Enter');
        await terminal.waitFor(/A long story begins/);
        terminal.type('C-c');
        await terminal.waitFor(/^Error: Interrupted: the response was cut short and what arrived was kept\n> ?$/m);
        terminal.type('shorter please', 'Enter');
        await terminal.waitFor(/^Re: shorter please\n> ?$/m);
        terminal.type('quit', 'Enter');
        await terminal.waitFor(/^exit status 0$/m);
      } finally {
        terminal.kill();
      }
      assert.ok(firstClosed, 'the first request was aborted');
      assert.deepEqual(
        server.requests.map((request) => request.json.messages.map((m: { role: string; content: string }) => `${m.role}: ${m.content}`)),
        [['user: tell me a story'], ['user: tell me a story', 'assistant: A long story begins', 'user: shorter please']],
      );
      const rows = await logs();
      assert.deepEqual(rows.map((row) => [row.prompt, row.response]), [
        ['tell me a story', 'A long story begins'],
        ['shorter please', 'Re: shorter please'],
      ]);
      assert.ok(rows[0].response_json?.llm_ts_incomplete, 'the cut-short answer is logged as incomplete');
      assert.equal(new Set(rows.map((row) => row.conversation_id)).size, 1);
    });
  });
});
