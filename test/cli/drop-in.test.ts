// Issue 8, "Drop-in fidelity": where a script sees the Python tool's output, llm-ts prints
// the same bytes. Each test replays what Python 0.32 prints (its cli.py and tests) against
// the built binary, with a loopback server speaking OpenAI's wire format.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Handler, RecordedRequest } from '../../src/testing/provider-server.js';
import { writeChatCompletion, writeChatStream, writeToolCalls } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';

const cli = loopbackCli((_req, res) => writeChatStream(res, ['Hello']));
const llm = cli.llm;

/** A reply whose only content is one tool call, streamed or not as the request asks. */
function writeToolCall(req: RecordedRequest, res: ServerResponse, name: string, id: string): void {
  if (req.json.stream) return writeToolCalls(res, [{ name, args: {}, id }]);
  const call = { id, type: 'function', function: { name, arguments: '{}' } };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'chatcmpl-t', created: 1700000000, model: 'gpt-4o-mini', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [call] }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }));
}

/** A text reply, streamed or not as the request asks. */
function writeText(req: RecordedRequest, res: ServerResponse, text: string): void {
  if (req.json.stream) writeChatStream(res, [text]);
  else writeChatCompletion(res, text);
}

/** First request: call llm_version; then answer with `text`. */
const toolThen = (text: string): Handler => (req, res) =>
  cli.server.requests.length === 1 ? writeToolCall(req, res, 'llm_version', 'call_1') : writeText(req, res, text);

const CODE = 'Here:\n```python\nprint(1)\n```\nand\n```\nlast\n```  \nbye';

describe('code blocks: -x / --xl / -r end as click.echo ends them', () => {
  test('llm logs -x, --xl and -r: the block (with its own newline) and then a blank line', async () => {
    cli.handler = (_req, res) => writeChatStream(res, [CODE]);
    assert.equal((await llm(['-m', 'gpt-4o-mini', 'code please'])).code, 0);
    assert.equal((await llm(['logs', '-x'])).stdout, 'print(1)\n\n');
    // A closing fence may be followed by spaces, as Python's pattern allows.
    assert.equal((await llm(['logs', '--xl'])).stdout, 'last\n\n');
    assert.equal((await llm(['logs', 'list', '-r'])).stdout, CODE + '\n');
  });

  test('llm -x on a prompt, and on a tool chain: the extracted block, then a blank line', async () => {
    cli.handler = (req, res) => writeText(req, res, CODE);
    assert.equal((await llm(['-m', 'gpt-4o-mini', '-x', 'code please'])).stdout, 'print(1)\n\n');
    cli.handler = toolThen(CODE);
    cli.server.requests.length = 0;
    const chain = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', '--xl', 'code please']);
    assert.equal(chain.code, 0, chain.stderr);
    assert.equal(chain.stdout, 'last\n\n');
  });
});

describe('llm logs Markdown', () => {
  test('ends with a blank line; token details in a code span; tool calls and results laid out as Python does', async () => {
    cli.handler = (req, res) =>
      cli.server.requests.length === 1
        ? writeToolCall(req, res, 'llm_version', 'call_1')
        : writeChatStream(res, ['Done'], { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6, prompt_tokens_details: { cached_tokens: 3 } } as never);
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', 'version?']);
    assert.equal(r.code, 0, r.stderr);
    const md = (await llm(['logs', '-n', '2', '-u'])).stdout;
    // Python's layout, with the cost llm-ts adds after the usage (issue 12).
    assert.match(md, /Done\n\n## Token usage\n\n5 input, 1 output, `\{"prompt_tokens_details": \{"cached_tokens": 3\}\}`, cost: \$[0-9.]+\n\n$/, JSON.stringify(md.slice(-120)));
    assert.match(md, /### Tool calls\n\n- \*\*llm_version\*\*: `call_1`  \n    Arguments: `\{\}`\n\n/);
    assert.match(md, /### Tools\n\n- \*\*llm_version\*\*: `[0-9a-f]{64}`  \n    Return the installed version of llm  \n    Arguments: `\{\}`\n/);
    assert.match(md, /### Tool results\n\n- \*\*llm_version\*\*: `call_1`  \n    ```\n    \d+\.\d+[^\n]*\n    ```\n/);
    const plain = (await llm(['logs', '-n', '1'])).stdout;
    assert.ok(plain.endsWith('## Response\n\nDone\n\n'), JSON.stringify(plain.slice(-60)));
  });
});

describe('llm logs --data', () => {
  test("json.dumps spacing; --data newest first, --data-array oldest first in Python's layout; --data-ids keys never overwrite", async () => {
    let n = 0;
    cli.handler = (_req, res) => writeChatStream(res, [JSON.stringify({ n: ++n, response_id: 'mine', conversation_id: 'also mine', conversation_id_: 'x' })]);
    for (const prompt of ['one', 'two']) assert.equal((await llm(['-m', 'gpt-4o-mini', prompt])).code, 0);
    const data = (await llm(['logs', '-n', '2', '--data'])).stdout;
    assert.equal(
      data,
      '{"n": 2, "response_id": "mine", "conversation_id": "also mine", "conversation_id_": "x"}\n' +
        '{"n": 1, "response_id": "mine", "conversation_id": "also mine", "conversation_id_": "x"}\n',
    );
    const array = (await llm(['logs', '-n', '2', '--data-array'])).stdout;
    assert.equal(
      array,
      '[{"n": 1, "response_id": "mine", "conversation_id": "also mine", "conversation_id_": "x"},\n' +
        ' {"n": 2, "response_id": "mine", "conversation_id": "also mine", "conversation_id_": "x"}]\n',
    );
    const ids = JSON.parse((await llm(['logs', '-n', '1', '--data-ids', '--data-array'])).stdout) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(ids[0]!), ['n', 'response_id', 'conversation_id', 'conversation_id_', 'response_id_', 'conversation_id__']);
    assert.equal(ids[0]!.response_id, 'mine');
    assert.match(String(ids[0]!.response_id_), /^[0-9a-z]{26}$/);
    // Nothing to show: nothing printed, not even [] (as output_rows_as_json).
    assert.equal((await llm(['logs', '-n', '1', '-q', 'nomatch', '--data-array'])).stdout, '');
  });
});

describe('schemas', () => {
  test('llm logs --schema t:NAME uses the template\'s schema; an unknown template is an error; --schema-multi FILE is wrapped as multi', async () => {
    const schema = '{"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "string"}}}';
    assert.equal((await llm(['--schema', schema, '--save', 'pair'])).code, 0);
    // --save keeps the schema's property order (b before a), as sort_keys=False does.
    const saved = readFileSync(join(cli.user.dir, 'templates', 'pair.yaml'), 'utf8');
    assert.ok(saved.indexOf('b:') < saved.indexOf('a:'), saved);
    assert.equal((await llm(['-m', 'echo', '-t', 'pair', 'hi'])).code, 0);
    assert.equal((await llm(['-m', 'echo', 'no schema'])).code, 0);
    const found = JSON.parse((await llm(['logs', '--schema', 't:pair', '--json'])).stdout) as { prompt: string }[];
    assert.deepEqual(found.map((row) => row.prompt), ['hi']);
    const unknown = await llm(['logs', '--schema', 't:nope']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'Error: Invalid template: nope\n');

    const file = join(cli.user.dir, 'item.json');
    writeFileSync(file, '{"type": "object", "properties": {"name": {"type": "string"}}}');
    assert.equal((await llm(['-m', 'echo', '--schema-multi', file, 'many'])).code, 0);
    const multi = JSON.parse((await llm(['logs', '--schema-multi', file, '--json'])).stdout) as { prompt: string }[];
    assert.deepEqual(multi.map((row) => row.prompt), ['many']);
  });

  test("llm schemas list --json / --nl: Python's keys in Python's order, content parsed, oldest first", async () => {
    assert.equal((await llm(['-m', 'echo', '--schema', 'name str', 'one'])).code, 0);
    assert.equal((await llm(['-m', 'echo', '--schema', 'age int', 'two'])).code, 0);
    const json = (await llm(['schemas', 'list', '--json'])).stdout;
    assert.match(json, /^\[\n  \{\n    "id": "[0-9a-f]{32}",\n    "content": \{\n      "type": "object",/);
    const rows = JSON.parse(json) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(rows[0]!), ['id', 'content', 'recently_used', 'times_used']);
    assert.deepEqual(rows.map((r) => Object.keys((r.content as { properties: object }).properties)), [['name'], ['age']]);
    const nl = (await llm(['schemas', 'list', '--nl'])).stdout.trimEnd().split('\n');
    assert.equal(nl.length, 2);
    assert.match(nl[0]!, /^\{"id": "[0-9a-f]{32}", "content": \{"type": "object", /);
  });
});

describe('llm models', () => {
  test("--json --options: each model's options keyed by name, as pydantic's JSON schema", async () => {
    const r = await llm(['models', '--json', '--options', '-m', 'gpt-4o-mini']);
    const [model] = JSON.parse(r.stdout) as { options: Record<string, Record<string, unknown>> }[];
    assert.deepEqual(model!.options.temperature!.anyOf, [{ maximum: 2, minimum: 0, type: 'number' }, { type: 'null' }]);
    assert.deepEqual(Object.keys(model!.options.temperature!), ['anyOf', 'default', 'description', 'title']);
    assert.equal(model!.options.max_tokens!.title, 'Max Tokens');
    assert.match(r.stdout, /"default": null,/);
  });

  test('--tools lists the default model at the end, as Python does', async () => {
    const r = await llm(['models', '--tools']);
    assert.match(r.stdout, /\nDefault: gpt-4o-mini\n$/);
  });

  test('models options set stores the string given; errors in pydantic\'s words', async () => {
    const set = await llm(['models', 'options', 'set', 'gpt-4o-mini', 'temperature', '0.5']);
    assert.equal(set.code, 0);
    assert.equal(set.stderr, 'Set default option temperature=0.5 for model gpt-4o-mini\n');
    assert.deepEqual(JSON.parse(readFileSync(join(cli.user.dir, 'model_options.json'), 'utf8')), { 'gpt-4o-mini': { temperature: '0.5' } });
    const bad = await llm(['models', 'options', 'set', '4o-mini', 'temperature', 'warm']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'Error: temperature\n  Input should be a valid number, unable to parse string as a number\n');
    const extra = await llm(['models', 'options', 'set', 'gpt-4o-mini', 'warmth', '1']);
    assert.equal(extra.stderr, 'Error: warmth\n  Extra inputs are not permitted\n');
    const high = await llm(['models', 'options', 'set', 'gpt-4o-mini', 'temperature', '3']);
    assert.equal(high.stderr, 'Error: temperature\n  Input should be less than or equal to 2\n');
    // show / clear as Python: values as str() prints them, an unknown id used as it is.
    assert.equal((await llm(['models', 'options', 'show', '4o-mini'])).stdout, 'temperature: 0.5\n');
    assert.equal((await llm(['models', 'options', 'set', 'not-installed', 'x', '1'])).code, 0);
    assert.equal((await llm(['models', 'options', 'show', 'not-installed'])).stdout, 'x: 1\n');
    assert.equal((await llm(['models', 'options', 'clear', 'not-installed', 'y'])).stdout, "Cleared option 'y' for model not-installed\n");
    assert.equal((await llm(['models', 'options', 'set', 'not-installed', 'y', '2'])).code, 0);
    assert.equal((await llm(['models', 'options', 'clear', 'not-installed'])).stdout, 'Cleared x, y options for model not-installed\n');
    assert.equal((await llm(['models', 'options', 'clear', 'not-installed'])).stdout, '');
    // The stored string is sent as a number.
    assert.equal((await llm(['-m', 'gpt-4o-mini', 'hi'])).code, 0);
    assert.equal(cli.server.requests[0]!.json.temperature, 0.5);
  });
});

describe('llm -T ... --json', () => {
  test('one row per response of the chain, the same JSON llm logs --json prints for them', async () => {
    cli.handler = toolThen('It is known.');
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'llm_version', '--json', '-u', 'version?']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Record<string, any>[];
    assert.equal(rows.length, 2);
    // -u: a usage line per response, each with its cost.
    assert.equal(r.stderr, 'Token usage: 5 input, 2 output, cost: $0.000002\nToken usage: 5 input, 2 output, cost: $0.000002\n');
    assert.deepEqual(rows[0]!.tool_calls.map((c: any) => c.name), ['llm_version']);
    assert.deepEqual(rows[1]!.tool_results.map((c: any) => c.tool_call_id), ['call_1']);
    assert.equal(rows[1]!.tools[0].name, 'llm_version');
    assert.equal(r.stdout, (await llm(['logs', '-n', '2', '--json'])).stdout);
  });
});

describe('templates', () => {
  test('llm templates list skips an unreadable template silently; show still says why', async () => {
    assert.equal((await llm(['--system', 'be brief', '--save', 'good'])).code, 0);
    writeFileSync(join(cli.user.dir, 'templates', 'bad.yaml'), 'system2: This is invalid');
    const list = await llm(['templates', 'list']);
    assert.equal(list.code, 0);
    assert.equal(list.stdout, 'good : system: be brief\n');
    assert.equal(list.stderr, '');
    const show = await llm(['templates', 'show', 'bad']);
    assert.equal(show.code, 1);
    assert.match(show.stderr, /^Error: .*system2/);
  });

  test('-T NAME --save writes tools:; -t NAME sends the tools and logs them', async () => {
    assert.equal((await llm(['-T', 'llm_version', '--system', 'use tools', '--save', 'tooled'])).code, 0);
    // Python's keys in Python's order (the sequence's indentation differs: see docs/python-api.md).
    assert.match(readFileSync(join(cli.user.dir, 'templates', 'tooled.yaml'), 'utf8'), /^system: use tools\ntools:\n *- llm_version\n$/);
    cli.handler = toolThen('Known.');
    const r = await llm(['-m', 'gpt-4o-mini', '-t', 'tooled', 'version?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Known.\n');
    assert.equal(cli.server.requests[0]!.json.tools[0].function.name, 'llm_version');
    const logged = JSON.parse((await llm(['logs', '-n', '2', '--json'])).stdout) as any[];
    assert.deepEqual(logged.map((row) => row.tools.map((t: any) => t.name)), [['llm_version'], ['llm_version']]);
  });

  test('llm chat -t NAME sends the template\'s tools too', async () => {
    mkdirSync(join(cli.user.dir, 'templates'), { recursive: true });
    writeFileSync(join(cli.user.dir, 'templates', 'tooled.yaml'), 'tools:\n- llm_version\n');
    cli.handler = toolThen('Known.');
    const r = await llm(['chat', '-m', 'gpt-4o-mini', '-t', 'tooled'], { input: 'version?\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests.length, 2);
    assert.equal(cli.server.requests[0]!.json.tools[0].function.name, 'llm_version');
  });

  test('-t URL fetches the YAML and uses it; a 404 is one clear error', async () => {
    cli.handler = (req, res) => {
      if (req.path === '/prompt.yaml') {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end('system: Talk like a pirate\nprompt: "Say: $input"\n');
      } else if (req.path === '/missing.yaml') {
        res.writeHead(404);
        res.end('nope');
      } else writeChatStream(res, ['Arr']);
    };
    const r = await llm(['-m', 'gpt-4o-mini', '-t', `${cli.server.url}/prompt.yaml`, 'hello']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Arr\n');
    const sent = cli.server.requests.find((q) => q.path.endsWith('/chat/completions'))!.json.messages;
    assert.deepEqual(sent, [
      { role: 'system', content: 'Talk like a pirate' },
      { role: 'user', content: 'Say: hello' },
    ]);
    const missing = await llm(['-m', 'gpt-4o-mini', '-t', `${cli.server.url}/missing.yaml`, 'hello']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `Error: Could not load template ${cli.server.url}/missing.yaml: Client error '404 Not Found' for url '${cli.server.url}/missing.yaml'\n`);
  });
});

describe('llm chat !fragment', () => {
  test('!fragment X on its own line is sent at once; inside !multi it is resolved, not sent literally', async () => {
    writeFileSync(join(cli.user.dir, 'f.txt'), 'fragment text');
    cli.handler = (_req, res) => writeChatStream(res, ['ok']);
    const r = await llm(['chat', '-m', 'gpt-4o-mini'], { input: '!fragment f.txt\n!multi\nhello\n!fragment f.txt\n!end\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests.length, 2);
    const last = (i: number) => cli.server.requests[i]!.json.messages.at(-1).content;
    assert.equal(last(0), 'fragment text');
    assert.equal(last(1), 'fragment text\nhello');
  });
});

describe('usage errors', () => {
  test("exit 2 with click's usage line, hint and wording; runtime errors stay exit 1", async () => {
    const extra = await llm(['keys', 'get', 'a', 'b']);
    assert.equal(extra.code, 2);
    assert.equal(extra.stderr, "Usage: llm keys get [OPTIONS] NAME\nTry 'llm keys get -h' for help.\n\nError: Got unexpected extra argument (b)\n");
    const missing = await llm(['embed-multi']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /\n\nError: Missing argument 'COLLECTION'\.\n$/);
    const noValue = await llm(['-m']);
    assert.equal(noValue.code, 2);
    assert.equal(noValue.stderr, "Usage: llm prompt [OPTIONS] [PROMPT]\nTry 'llm prompt -h' for help.\n\nError: Option '-m' requires an argument.\n");
    const unknown = await llm(['logs', '--nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^Usage: llm logs list \[OPTIONS\]\nTry 'llm logs list -h' for help\.\n\nError: No such option: --nope/);
    const count = await llm(['logs', '-n', 'many']);
    assert.equal(count.code, 2);
    assert.match(count.stderr, /\n\nError: Invalid value for '-n' \/ '--count': 'many' is not a valid integer\.\n$/);
    const both = await llm(['logs', '--short', '--json']);
    assert.deepEqual([both.code, both.stderr], [1, 'Error: Cannot use --short and --json together\n']);
    const runtime = await llm(['-m', 'nope', 'hi']);
    assert.deepEqual([runtime.code, runtime.stderr], [1, 'Error: Unknown model: nope\n']);
  });
});
