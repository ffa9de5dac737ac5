import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
before(() => {
  user = makeUserDir();
});
after(() => user.cleanup());

const llm = (args: string[], options: Parameters<typeof runLlm>[2] = {}) => runLlm(user.dir, args, options);

function echoed(stdout: string): Record<string, any> {
  return JSON.parse(stdout);
}

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('llm prompt with the echo model', () => {
  test('runs as the default command and streams to stdout', async () => {
    const r = await llm(['-m', 'echo', 'hello there']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = echoed(r.stdout);
    assert.equal(out.prompt, 'hello there');
    assert.equal(out.stream, true);
    assert.ok(r.stdout.endsWith('}\n'));
  });

  test('the explicit prompt subcommand works the same', async () => {
    const r = await llm(['prompt', '-m', 'echo', 'x']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'x');
  });

  test('LLM_MODEL picks the model', async () => {
    const r = await llm(['hi'], { env: { LLM_MODEL: 'echo' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'hi');
  });

  test('piped stdin is joined before the prompt argument', async () => {
    const r = await llm(['-m', 'echo', 'summarise'], { input: 'some text' });
    assert.equal(echoed(r.stdout).prompt, 'some text summarise');
    const only = await llm(['-m', 'echo'], { input: 'just stdin' });
    assert.equal(echoed(only.stdout).prompt, 'just stdin');
  });

  test('stdin redirected from a file is read; /dev/null adds nothing', async () => {
    const file = join(user.dir, 'notes.txt');
    writeFileSync(file, 'from a file ✓');
    const r = await llm(['-m', 'echo', 'summarise'], { stdinFile: file });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'from a file ✓ summarise');
    const png = join(user.dir, 'stdin.png');
    writeFileSync(png, PNG);
    const attached = await llm(['-m', 'echo', '-a', '-', 'describe'], { stdinFile: png });
    assert.deepEqual(echoed(attached.stdout).attachments, [{ type: 'image/png', path: null, url: null, id: createHash('sha256').update(PNG).digest('hex') }]);
    const empty = await llm(['-m', 'echo', 'just the argument'], { stdinFile: '/dev/null' });
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(echoed(empty.stdout).prompt, 'just the argument');
  });

  test('-s, -o KEY VALUE (coerced), --no-stream', async () => {
    const r = await llm(['-m', 'echo', '-s', 'be brief', '-o', 'example_int', '7', '-o', 'example_bool', 'true', '--no-stream', 'q']);
    assert.equal(r.code, 0, r.stderr);
    const out = echoed(r.stdout);
    assert.equal(out.system, 'be brief');
    assert.deepEqual(out.options, { example_int: 7, example_bool: true });
    assert.equal(out.stream, false);
  });

  test('-o values containing = and spaces survive the pair rewrite', async () => {
    const r = await llm(['-m', 'echo', '-o', 'example_str', 'a=b c', 'q']);
    assert.equal(echoed(r.stdout).options.example_str, 'a=b c');
  });

  test('-u prints token usage to stderr', async () => {
    const r = await llm(['-m', 'echo', '-u', 'one two three']);
    assert.match(r.stderr, /^Token usage: 3 input, \d+ output, cost: unknown\n$/);
  });

  test('-x extracts the first fenced code block, --xl the last', async () => {
    const prompt = 'a\n```js\nfirst()\n```\nb\n```\nsecond()\n```\n';
    const x = await llm(['-m', 'echo', '-s', prompt, 'hi', '-x']);
    assert.equal(x.code, 0, x.stderr);
    // The echo model's reply is JSON, so the fences are escaped: no block, the whole text.
    assert.equal(echoed(x.stdout).system, prompt);
  });

  test('--json prints the logged turn as llm logs --json does', async () => {
    const r = await llm(['-m', 'echo', '--json', 'json please']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].model, 'echo');
    assert.equal(rows[0].prompt, 'json please');
    assert.equal(JSON.parse(rows[0].response).prompt, 'json please');
    assert.ok(rows[0].conversation_id);
  });

  test('--json works with logging off, and nothing is logged', async () => {
    const dir = makeUserDir();
    try {
      await runLlm(dir.dir, ['logs', 'off']);
      const r = await runLlm(dir.dir, ['-m', 'echo', '--json', 'unlogged']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout)[0].prompt, 'unlogged');
      const logs = await runLlm(dir.dir, ['logs', '--json']);
      assert.deepEqual(JSON.parse(logs.stdout), []);
    } finally {
      dir.cleanup();
    }
  });

  test('logging: on by default, -n skips, --log forces when off', async () => {
    const dir = makeUserDir();
    try {
      await runLlm(dir.dir, ['-m', 'echo', 'logged one']);
      await runLlm(dir.dir, ['-m', 'echo', '-n', 'not logged']);
      await runLlm(dir.dir, ['logs', 'off']);
      await runLlm(dir.dir, ['-m', 'echo', 'off so not logged']);
      await runLlm(dir.dir, ['-m', 'echo', '--log', 'forced']);
      const logs = JSON.parse((await runLlm(dir.dir, ['logs', '-n', '0', '--json'])).stdout);
      assert.deepEqual(
        logs.map((row: { prompt: string }) => row.prompt),
        ['logged one', 'forced'],
      );
    } finally {
      dir.cleanup();
    }
  });

  test('--log and --no-log together is an error', async () => {
    const r = await llm(['-m', 'echo', '--log', '-n', 'x']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: --log and --no-log are mutually exclusive\n');
  });

  test('-c continues the latest conversation, --cid a given one', async () => {
    const dir = makeUserDir();
    try {
      const first = await runLlm(dir.dir, ['-m', 'echo', 'first']);
      assert.equal(first.code, 0, first.stderr);
      const second = await runLlm(dir.dir, ['-c', 'second']);
      assert.equal(second.code, 0, second.stderr);
      const out = echoed(second.stdout);
      assert.equal(out.prompt, 'second');
      assert.deepEqual(out.previous, [{ prompt: 'first' }]);
      const rows = JSON.parse((await runLlm(dir.dir, ['logs', '-n', '0', '--json'])).stdout);
      assert.equal(rows.length, 2);
      assert.equal(rows[0].conversation_id, rows[1].conversation_id);
      const third = await runLlm(dir.dir, ['--cid', rows[0].conversation_id, 'third']);
      assert.deepEqual(echoed(third.stdout).previous, [{ prompt: 'first' }, { prompt: 'second' }]);
    } finally {
      dir.cleanup();
    }
  });

  test('--cid with an unknown id is an error', async () => {
    const r = await llm(['-m', 'echo', '--cid', 'nope', 'x']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: No conversation found with id=nope\n');
  });

  test('-a sends a file attachment; --at gives its type', async () => {
    const path = join(user.dir, 'pixel.png');
    writeFileSync(path, PNG);
    const r = await llm(['-m', 'echo', '-a', path, 'describe']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(echoed(r.stdout).attachments, [{ type: 'image/png', path, url: null, id: createHash('sha256').update(PNG).digest('hex') }]);
    const typed = await llm(['-m', 'echo', '--at', path, 'image/jpeg', 'describe']);
    assert.equal(echoed(typed.stdout).attachments[0].type, 'image/jpeg');
  });

  test('-a - reads attachment bytes from stdin', async () => {
    const r = await llm(['-m', 'echo', '-a', '-', 'describe'], { input: PNG });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(echoed(r.stdout).attachments, [{ type: 'image/png', path: null, url: null, id: createHash('sha256').update(PNG).digest('hex') }]);
  });

  test('--schema with the DSL, inline JSON and --schema-multi', async () => {
    const dsl = await llm(['-m', 'echo', '--schema', 'name, age int', 'x']);
    assert.equal(dsl.code, 0, dsl.stderr);
    assert.deepEqual(echoed(dsl.stdout).schema, {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
    });
    const json = await llm(['-m', 'echo', '--schema', '{"type":"object","properties":{"a":{"type":"string"}}}', 'x']);
    assert.deepEqual(echoed(json.stdout).schema.properties, { a: { type: 'string' } });
    const multi = await llm(['-m', 'echo', '--schema-multi', 'name', 'x'], {});
    assert.equal(multi.code, 1);
    const multiOk = await llm(['-m', 'echo', '--schema-multi', 'name,', 'x']);
    assert.equal(echoed(multiOk.stdout).schema.properties.items.type, 'array');
  });

  test('--schema from a file and from a stored id', async () => {
    const file = join(user.dir, 'schema.json');
    writeFileSync(file, JSON.stringify({ type: 'object', properties: { z: { type: 'number' } } }));
    const r = await llm(['-m', 'echo', '--schema', file, 'x']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(echoed(r.stdout).schema.properties, { z: { type: 'number' } });
    const list = JSON.parse((await llm(['schemas', 'list', '--json'])).stdout);
    const stored = list.find((s: { content: { properties: object } }) => 'z' in s.content.properties);
    assert.ok(stored, 'the schema was logged');
    const byId = await llm(['-m', 'echo', '--schema', stored.id, 'y']);
    assert.deepEqual(echoed(byId.stdout).schema.properties, { z: { type: 'number' } });
  });

  test('--options prints the model options and exits', async () => {
    const r = await llm(['-m', 'echo', '--options']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Echo: echo\n  Options:\n    example_int: int\n/);
  });

  test('-q picks the model with the shortest matching id', async () => {
    const r = await llm(['-q', 'ech', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'hi');
    const none = await llm(['-q', 'zzzz-no-model', 'hi']);
    assert.equal(none.stderr, 'Error: No model found matching queries zzzz-no-model\n');
  });

  test('model_options.json defaults apply unless given explicitly', async () => {
    const dir = makeUserDir();
    try {
      const set = await runLlm(dir.dir, ['models', 'options', 'set', 'echo', 'example_int', '5']);
      assert.equal(set.code, 0, set.stderr);
      const r = await runLlm(dir.dir, ['-m', 'echo', 'x']);
      assert.deepEqual(echoed(r.stdout).options, { example_int: 5 });
      const explicit = await runLlm(dir.dir, ['-m', 'echo', '-o', 'example_int', '9', 'x']);
      assert.deepEqual(echoed(explicit.stdout).options, { example_int: 9 });
    } finally {
      dir.cleanup();
    }
  });

  test('-f adds a file fragment before the prompt; --sf to the system prompt', async () => {
    const file = join(user.dir, 'frag.txt');
    writeFileSync(file, 'fragment text');
    const r = await llm(['-m', 'echo', '-f', file, '--sf', file, 'question']);
    assert.equal(r.code, 0, r.stderr);
    const out = echoed(r.stdout);
    assert.equal(out.prompt, 'fragment text\nquestion');
    assert.equal(out.system, 'fragment text');
  });
});

describe('templates through the prompt command', () => {
  test("--save writes YAML with Python's keys in Python's order; -t uses it with -p params and defaults", async () => {
    const save = await llm(['-m', 'echo', '--save', 'greet', '-s', 'You greet $name', '-p', 'name', 'Bob', 'Say hi to $name: $input']);
    assert.equal(save.code, 0, save.stderr);
    const yaml = readFileSync(join(user.dir, 'templates', 'greet.yaml'), 'utf8');
    assert.equal(yaml, 'model: echo\nprompt: "Say hi to $name: $input"\nsystem: You greet $name\ndefaults:\n    name: Bob\n');
    const r = await llm(['-t', 'greet', 'now']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'Say hi to Bob: now');
    assert.equal(echoed(r.stdout).system, 'You greet Bob');
    const param = await llm(['-t', 'greet', '-p', 'name', 'Ann', 'later']);
    assert.equal(echoed(param.stdout).prompt, 'Say hi to Ann: later');
  });

  test('a template without $input gets the input on a new line', async () => {
    mkdirSync(join(user.dir, 'templates'), { recursive: true });
    writeFileSync(join(user.dir, 'templates', 'summ.yaml'), 'model: echo\nprompt: Summarise this\noptions:\n    example_int: 4\n');
    const r = await llm(['-t', 'summ', 'the text']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'Summarise this\nthe text');
    assert.deepEqual(echoed(r.stdout).options, { example_int: 4 });
  });

  test('a missing template variable is an error', async () => {
    writeFileSync(join(user.dir, 'templates', 'needs.yaml'), 'model: echo\nprompt: Hello $who and $what\n');
    const r = await llm(['-t', 'needs', 'x']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Missing variables: who, what\n');
  });

  test('an unknown template is an error', async () => {
    const r = await llm(['-t', 'no-such-template', 'x']);
    assert.equal(r.stderr, 'Error: Invalid template: no-such-template\n');
    assert.equal(r.code, 1);
  });

  test('--save cannot be combined with -t or -c', async () => {
    const r = await llm(['--save', 'x', '-t', 'greet', '-c', 'hi']);
    assert.equal(r.stderr, 'Error: --save cannot be used with --template, --continue\n');
  });

  test('--save with an unknown model is an error', async () => {
    const r = await llm(['--save', 'x', '-m', 'nope', 'hi']);
    assert.equal(r.stderr, "Error: 'nope' is not a known model\n");
    assert.equal(existsSync(join(user.dir, 'templates', 'x.yaml')), false);
  });
});

describe('user errors: one line on stderr, exit 1', () => {
  const cases: [string, string[], RegExp | string][] = [
    ['unknown model', ['-m', 'no-such-model', 'x'], 'Error: Unknown model: no-such-model\n'],
    ['unknown option', ['-m', 'echo', '-o', 'bogus', '1', 'x'], 'Error: Unknown option bogus for model echo; valid options: example_int, example_bool, example_str\n'],
    ['bad option value', ['-m', 'echo', '-o', 'example_int', 'abc', 'x'], 'Error: Invalid value for option example_int: expected an integer, got "abc"\n'],
    ['unrecognised schema', ['-m', 'echo', '--schema', 'nonsense', 'x'], "Error: Invalid value for '--schema': Invalid schema: nonsense\n"],
    ['invalid JSON schema', ['-m', 'echo', '--schema', '{bad', 'x'], /^Error: Invalid JSON schema in --schema: .+\n$/],
    ['schema DSL field without a name', ['-m', 'echo', '--schema', 'a, : desc', 'x'], /^Error: Invalid schema DSL: .+\n$/],
    ['missing fragment', ['-m', 'echo', '-f', 'no-such-fragment', 'x'], "Error: Fragment 'no-such-fragment' not found\n"],
  ];
  for (const [name, args, expected] of cases) {
    test(name, async () => {
      const r = await llm(args);
      assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
      if (typeof expected === 'string') assert.equal(r.stderr, expected);
      else assert.match(r.stderr, expected);
      assert.equal(r.stderr.split('\n').length, 2, 'one line');
    });
  }

  test("usage errors as click prints them: usage line, hint, click's wording, exit 2", async () => {
    const usage: [string[], string][] = [
      [['-m', 'echo', '-a', 'missing.png', 'x'], "Invalid value for '-a' / '--attachment': File missing.png does not exist"],
      [['-m', 'echo', '--at', 'x.png'], "Option '--at' requires 2 arguments."],
      [['-m', 'echo', '--frobnicate', 'x'], 'No such option: --frobnicate'],
      [['-m', 'echo', '-o', 'example_int'], "Option '-o' requires 2 arguments."],
    ];
    for (const [args, message] of usage) {
      const r = await llm(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr, `Usage: llm prompt [OPTIONS] [PROMPT]\nTry 'llm prompt -h' for help.\n\nError: ${message}\n`, args.join(' '));
    }
  });

  test('a model that needs a key and has none', async () => {
    const r = await llm(['-m', 'gpt-4o-mini', 'x'], { env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: 'http://127.0.0.1:9' } });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "Error: No key found - add one using 'llm keys set openai' or set the OPENAI_API_KEY environment variable\n",
    );
  });

  test('a corrupt keys.json is reported by name and left alone', async () => {
    const dir = makeUserDir();
    try {
      const path = join(dir.dir, 'keys.json');
      writeFileSync(path, '{"openai": ');
      const r = await runLlm(dir.dir, ['-m', 'gpt-4o-mini', 'x'], { env: { OPENAI_BASE_URL: 'http://127.0.0.1:9' } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^Error: keys\.json at .*keys\.json is not valid JSON: .*\n$/);
      assert.equal(readFileSync(path, 'utf8'), '{"openai": ');
    } finally {
      dir.cleanup();
    }
  });

  test('a corrupt logs.db is named and left alone; -n still answers without touching it', async () => {
    const dir = makeUserDir();
    try {
      const path = join(dir.dir, 'logs.db');
      writeFileSync(path, 'not a database at all');
      // The answer is shown (not lost), then the database is named in one error line.
      let r = await runLlm(dir.dir, ['-m', 'echo', 'hi']);
      assert.equal(r.code, 1);
      assert.equal(JSON.parse(r.stdout).prompt, 'hi');
      assert.equal(r.stderr, `Error: ${path} is not a valid SQLite database (it was left untouched)\n`);
      r = await runLlm(dir.dir, ['-m', 'echo', '-n', 'hi']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).prompt, 'hi');
      assert.equal(readFileSync(path, 'utf8'), 'not a database at all');
    } finally {
      dir.cleanup();
    }
  });

  test('unexpected errors are one line; LLM_RAISE_ERRORS adds the stack', async () => {
    const dir = makeUserDir();
    try {
      // A logs.db that is a directory makes opening it fail.
      mkdirSync(join(dir.dir, 'logs.db'));
      const r = await runLlm(dir.dir, ['-m', 'echo', 'x']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.split('\n').length, 2);
      assert.match(r.stderr, /^Error: /);
    } finally {
      dir.cleanup();
    }
  });
});
