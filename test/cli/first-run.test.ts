// A first run with no key says how to go on; a rejected key is named (never shown).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { writeChatStream } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';
import { makeUserDir, runLlm } from './run.js';

const GOOD = 'sk-good-0123456789';
const BAD = 'sk-bad-9876543210';
const cli = loopbackCli((req, res) => {
  if (req.headers.authorization !== `Bearer ${GOOD}`) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    return;
  }
  writeChatStream(res, ['Hello', '!']);
});

/** No OPENAI_API_KEY: a first run has no key. */
const llm = (args: string[], env: Record<string, string | undefined> = {}, input?: string) => cli.llm(args, { env: { OPENAI_API_KEY: undefined, ...env }, input });

test('first run: no key, no model chosen: how to set a key or try -m echo; after keys set, it works', async () => {
  const first = await llm(['hi']);
  assert.equal(first.code, 1);
  assert.equal(
    first.stderr,
    "Error: No key found - add one using 'llm keys set openai' or set the OPENAI_API_KEY environment variable. Or try llm without a key: llm -m echo 'hi'\n",
  );
  const echo = await llm(['-m', 'echo', 'hi']);
  assert.equal(echo.code, 0, echo.stderr);
  const set = await llm(['keys', 'set', 'openai'], {}, GOOD + '\n');
  assert.equal(set.code, 0, set.stderr);
  const next = await llm(['hi']);
  assert.equal(next.stdout, 'Hello!\n', next.stderr);
});

test('with a model chosen or a default set, the no-key error is as before', async () => {
  const chosen = await llm(['-m', 'gpt-4o-mini', 'hi']);
  assert.equal(chosen.stderr, "Error: No key found - add one using 'llm keys set openai' or set the OPENAI_API_KEY environment variable\n");
  assert.equal((await llm(['models', 'default', 'gpt-4o'])).code, 0);
  const withDefault = await llm(['hi']);
  assert.equal(withDefault.stderr, "Error: No key found - add one using 'llm keys set openai' or set the OPENAI_API_KEY environment variable\n");
});

test('a rejected key: the error names where it came from, never its value', async () => {
  await llm(['keys', 'set', 'openai'], {}, BAD + '\n');
  const stored = await llm(['hi']);
  assert.equal(stored.code, 1);
  assert.match(stored.stderr, /^Error: OpenAI API error 401: Incorrect API key provided \(sent the key named 'openai' in keys\.json; set another with 'llm keys set openai'\)\n$/);
  const fromEnv = await runLlm(makeUserDirFor(), ['-m', 'gpt-4o-mini', 'hi'], { env: { OPENAI_BASE_URL: cli.server.url, OPENAI_API_KEY: BAD } });
  assert.match(fromEnv.stderr, /\(sent the OPENAI_API_KEY environment variable; set another with 'llm keys set openai'\)\n$/);
  const given = await llm(['--key', BAD, 'hi']);
  assert.match(given.stderr, /\(sent the key given with --key; /);
  const chat = await llm(['chat'], {}, 'hi\n');
  assert.match(chat.stderr, /Error: OpenAI API error 401: .*\(sent the key named 'openai' in keys\.json; /);
  for (const text of [stored.stderr, fromEnv.stderr, given.stderr, chat.stderr]) assert.ok(!text.includes(BAD), 'the key is never shown');
});

let extra: { dir: string; cleanup: () => void } | undefined;
function makeUserDirFor(): string {
  extra = makeUserDir();
  return extra.dir;
}
after(() => extra?.cleanup());
