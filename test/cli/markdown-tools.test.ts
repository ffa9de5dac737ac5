// Markdown with tools (-T): each response of the chain is rendered on a terminal as a plain
// prompt's answer is, the --td lines between them as they were; piped, the output is the
// text as sent, byte for byte, whatever the Markdown settings say.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeChatStream } from '../helpers/openai-replies.js';
import { hasTmux, startTerminal } from '../helpers/tmux.js';
import { loopbackCli } from './loopback.js';
import { BIN } from './run.js';

/** The first response: some Markdown, then a call to llm_version. */
const BEFORE = '## Checking\n\nI will ask **the tool**.';
/** The answer once the tool has run. */
const AFTER = ['# Result', '', 'The version is `known`.', '', '| Tool | Calls |', '|---|---:|', '| llm_version | 1 |'].join('\n');

/** Text in pieces of 5 characters, then one tool call, as a model streams them. */
function writeTextThenToolCall(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const base = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' };
  const delta = (d: unknown, finish: string | null = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] })}\n\n`;
  res.write(delta({ role: 'assistant', content: '' }));
  for (const piece of text.match(/[\s\S]{1,5}/g)!) res.write(delta({ content: piece }));
  res.write(delta({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'llm_version', arguments: '{}' } }] }));
  res.write(delta({}, 'tool_calls'));
  res.end('data: [DONE]\n\n');
}

/** The same, not streamed (--no-stream). */
function writeCompletion(res: ServerResponse, text: string, call: boolean): void {
  const toolCalls = [{ id: 'call_1', type: 'function', function: { name: 'llm_version', arguments: '{}' } }];
  const message = { role: 'assistant', content: text, ...(call ? { tool_calls: toolCalls } : {}) };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-t',
      object: 'chat.completion',
      created: 1700000000,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message, finish_reason: call ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    }),
  );
}

// A request without a tool result gets the call; the one after the result, the answer.
const cli = loopbackCli((req, res) => {
  const json = req.json as { messages: { role: string }[]; stream?: boolean };
  const answered = json.messages.at(-1)!.role === 'tool';
  if (!json.stream) writeCompletion(res, answered ? AFTER : BEFORE, !answered);
  else if (answered) writeChatStream(res, AFTER.match(/[\s\S]{1,4}/g)!);
  else writeTextThenToolCall(res, BEFORE);
});

describe('llm -T piped: the chain text as sent, whatever the Markdown settings', () => {
  for (const [label, extra] of [
    ['default', {}],
    ['LLM_MARKDOWN=1', { LLM_MARKDOWN: '1' }],
    ['colour allowed', { NO_COLOR: undefined, FORCE_COLOR: '1' }],
  ] as const) {
    test(`llm -T --td, llm --no-stream -T, llm chat -T: ${label}`, async () => {
      writeFileSync(join(cli.user.dir, 'markdown.txt'), 'on\n');
      const options = { env: extra };
      // The two responses run together: a space between them, as Python prints a chain.
      const expected = BEFORE + ' ' + AFTER + '\n';
      const streamed = await cli.llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', '--td', 'hi'], options);
      assert.equal(streamed.code, 0, streamed.stderr);
      assert.equal(streamed.stdout, expected);
      assert.match(streamed.stderr, /Tool call: llm_version\(\{\}\)/);
      const whole = await cli.llm(['-m', 'gpt-4o-mini', '--no-stream', '-T', 'llm_version', 'hi'], options);
      assert.equal(whole.stdout, expected, whole.stderr);
      const chat = await cli.llm(['chat', '-m', 'gpt-4o-mini', '-T', 'llm_version'], { ...options, input: 'hi\n' });
      assert.ok(chat.stdout.includes('> ' + expected), chat.stdout);
    });
  }
});

describe('llm -T in a real terminal (tmux)', { skip: !hasTmux && 'tmux is not installed' }, () => {
  const command = (args: string) =>
    `env -u NO_COLOR TERM=xterm-256color LLM_USER_PATH='${cli.user.dir}' OPENAI_BASE_URL='${cli.server.url}' OPENAI_API_KEY=sk-test '${process.execPath}' '${BIN}' ${args}; echo "[exit $?]"; sleep 30`;

  /** The screen shows each response rendered, the tool's --td lines between them. */
  function assertRendered(screen: string, at: number): void {
    const lines = screen.split('\n').slice(at);
    const checking = lines.indexOf('Checking');
    assert.notEqual(checking, -1, screen);
    assert.equal(lines[checking + 2], 'I will ask the tool.', screen);
    const call = lines.findIndex((line) => line.startsWith('Tool call: llm_version({})'));
    assert.ok(call > checking + 2, screen);
    const result = lines.indexOf('Result');
    assert.ok(result > call, screen);
    assert.ok(lines.includes('The version is known.'), screen);
    assert.ok(lines.includes('│ llm_version │     1 │'), screen);
    assert.doesNotMatch(screen, /##|\*\*|\|---|`known`/);
  }

  test('llm -T --td (streamed, and --no-stream): both responses rendered, the tool call between them', async () => {
    for (const flags of ['', '--no-stream']) {
      const terminal = startTerminal('llm-md-tools', command(`-m gpt-4o-mini ${flags} -T llm_version --td 'hi'`));
      try {
        assertRendered(await terminal.waitFor(/\[exit 0\]/), 0);
      } finally {
        terminal.kill();
      }
    }
  });

  test('llm chat -T --td: the same', async () => {
    const terminal = startTerminal('llm-md-chat-tools', command('chat -m gpt-4o-mini -T llm_version --td'));
    try {
      await terminal.waitFor(/^>\s*$/m);
      terminal.type('hi', 'Enter');
      const screen = await terminal.waitFor(/│ llm_version │/);
      assertRendered(screen, screen.split('\n').findIndex((line) => line.startsWith('> hi')));
      terminal.type('exit', 'Enter');
      await terminal.waitFor(/\[exit 0\]/);
    } finally {
      terminal.kill();
    }
  });
});
