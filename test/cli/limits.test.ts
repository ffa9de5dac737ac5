// Limits a hostile or broken server meets on the command line: timeouts, retries, sizes.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import type { Handler } from '../../src/testing/provider-server.js';
import { writeChatStream } from '../helpers/openai-replies.js';
import { hasTmux, startTerminal } from '../helpers/tmux.js';
import { loopbackCli } from './loopback.js';
import { BIN, runLlm } from './run.js';

const KEY = 'sk-test-secret-key-123456';
const cli = loopbackCli(undefined, { apiKey: KEY });
const llm = (args: string[], env: Record<string, string> = {}) => cli.llm(args, { env });

async function logs(): Promise<any[]> {
  return JSON.parse((await runLlm(cli.user.dir, ['logs', '-n', '0', '--json'])).stdout);
}

/** A stream that sends one delta and then nothing, holding the connection open. */
const stallAfterHello: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(`data: ${JSON.stringify({ id: 'x', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] })}\n\n`);
};

describe('timeouts on the command line', () => {
  test('--timeout: a stream that stalls ends within the idle timeout; what arrived is shown and logged', async () => {
    cli.handler = stallAfterHello;
    // Long enough for a loaded machine to deliver the first delta; the stall is what times out.
    const r = await llm(['--timeout', '2', 'hi']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'Hello\n');
    assert.match(
      r.stderr,
      /^Error: The response stream was cut off after 5 characters: Timed out: http:\/\/127\.0\.0\.1:\d+ sent nothing for 2 s \(the idle timeout; change it with --timeout, LLM_TIMEOUT or a model's timeout setting\)\n$/,
    );
    const rows = await logs();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].response, 'Hello');
  });

  test('LLM_TIMEOUT: a server that never answers ends with one line, and is asked once', async () => {
    cli.handler = () => undefined;
    const r = await llm(['hi'], { LLM_TIMEOUT: '0.4' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: Timed out: http:\/\/127\.0\.0\.1:\d+ sent nothing for 0\.4 s \(the idle timeout;.*\)\n$/);
    assert.equal(cli.server.requests.length, 1);
  });

  test('a timeout set for a model in extra-openai-models.yaml applies to it; --timeout overrides it', async () => {
    cli.handler = stallAfterHello;
    writeFileSync(
      join(cli.user.dir, 'extra-openai-models.yaml'),
      `- model_id: local\n  model_name: local\n  api_base: ${cli.server.url}\n  timeout: 0.3\n- model_id: bad\n  model_name: bad\n  api_base: ${cli.server.url}\n  timeout: soon\n`,
    );
    const r = await llm(['-m', 'local', 'hi']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sent nothing for 0\.3 s/);
    const overridden = await llm(['-m', 'local', '--timeout', '0.6', 'hi']);
    assert.match(overridden.stderr, /sent nothing for 0\.6 s/);
    const models = await llm(['models']);
    assert.match(models.stderr, /extra-openai-models\.yaml: bad: timeout must be a positive number of seconds.*; the default timeouts apply\n/);
  });

  test('--timeout must be a positive number', async () => {
    const r = await llm(['--timeout', 'soon', 'hi']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: --timeout: soon is not a positive number of seconds\n');
  });
});

describe('retries and limits on the command line', () => {
  test('--no-retry: a 503 is reported at once, after one request', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"Overloaded"}}');
    };
    const r = await llm(['--no-retry', 'hi']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: OpenAI API error 503: Overloaded\n');
    assert.equal(cli.server.requests.length, 1);
  });

  test('a retry-after of an hour is not waited for in silence: the error says so', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' });
      res.end('{"error":{"message":"Rate limit reached"}}');
    };
    const r = await llm(['hi']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'Error: OpenAI API error 429: Rate limit reached (it asked to retry after 3600 s, longer than the 60 s llm waits: try again later)\n',
    );
  });

  test('a gzip bomb is refused with one line naming the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, ' '));
    cli.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    };
    const r = await llm(['--no-stream', 'hi'], { LLM_MAX_RESPONSE_MB: '1' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: The response from http:\/\/127\.0\.0\.1:\d+ is larger than the 1 MB limit \(raise it with LLM_MAX_RESPONSE_MB\)\n$/);
  });

  test('a 200 with an HTML page instead of an event stream says what came', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>Sign in to the proxy</title></head><body><form>...</form></body></html>');
    };
    const r = await llm(['hi']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "Error: OpenAI answered with an HTML page instead of an event stream (HTTP 200: Sign in to the proxy); check the model's api_base\n",
    );
  });

  test('a 200 with an empty body to --no-stream says it was empty', async () => {
    cli.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
    };
    const r = await llm(['--no-stream', 'hi']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: OpenAI API returned an empty response (HTTP 200)\n');
  });
});

describe('a wait before a retry, in a real terminal (tmux)', { skip: !hasTmux && 'tmux is not installed' }, () => {
  test('one updating line on stderr says how long, then goes', async () => {
    let calls = 0;
    cli.handler = (_req, res) => {
      if (++calls === 1) {
        res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' });
        res.end('{"error":{"message":"slow down"}}');
      } else writeChatStream(res, ['Answer after the wait']);
    };
    const terminal = startTerminal(
      'llm-retry-wait',
      `env LLM_USER_PATH='${cli.user.dir}' NO_COLOR=1 OPENAI_BASE_URL='${cli.server.url}' OPENAI_API_KEY=${KEY} '${process.execPath}' '${BIN}' hi; sleep 5`,
    );
    try {
      const waiting = await terminal.waitFor(/waiting \d s before attempt 2 of 5/);
      assert.match(waiting, /OpenAI: HTTP 429; waiting [0-2] s before attempt 2 of 5 \(Ctrl-C to stop; --no-retry not to wait\)/);
      const done = await terminal.waitFor(/Answer after the wait/);
      assert.doesNotMatch(done, /waiting/);
    } finally {
      terminal.kill();
    }
  });
});

describe('small ones', () => {
  test('api_base: file:///... is named, not "at null"', async () => {
    writeFileSync(join(cli.user.dir, 'extra-openai-models.yaml'), '- model_id: local\n  model_name: local\n  api_base: file:///etc\n');
    const r = await llm(['-m', 'local', 'hi']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "Error: Could not connect to OpenAI at file:///etc/chat/completions: only http:// and https:// URLs can be used (check the model's api_base)\n",
    );
  });

  test('an unknown YAML tag in a template is one warning line', async () => {
    mkdirSync(join(cli.user.dir, 'templates'), { recursive: true });
    writeFileSync(join(cli.user.dir, 'templates', 'tagged.yaml'), 'prompt: !weird Say $input\n');
    const r = await llm(['-t', 'tagged', 'hi', '-m', 'echo']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Warning: template tagged: Unresolved tag: !weird at line 1, column 9:\n');
  });

  test('template names cannot leave templates/: -t and templates edit', async () => {
    writeFileSync(join(cli.user.dir, 'outside.yaml'), 'prompt: read from outside');
    let r = await llm(['-t', '../outside', 'hi', '-m', 'echo']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Invalid template name: "../outside" (a name may not contain /, \\, .. or NUL)\n');
    r = await runLlm(cli.user.dir, ['templates', 'edit', '../../x'], { env: { EDITOR: 'true' } });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Invalid template name: "../../x" (a name may not contain /, \\, .. or NUL)\n');
  });

  test('aliases set leaves a corrupt aliases.json as it is and exits 1', async () => {
    const path = join(cli.user.dir, 'aliases.json');
    writeFileSync(path, '{"mine": "gpt-4o",');
    const r = await llm(['aliases', 'set', 'fast', 'gpt-4o-mini']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^Error: aliases.json at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: .*\n$`));
    assert.equal(readFileSync(path, 'utf8'), '{"mine": "gpt-4o",');
  });
});
