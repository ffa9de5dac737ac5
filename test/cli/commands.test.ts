import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
beforeEach(() => {
  user = makeUserDir();
});
afterEach(() => user.cleanup());
const llm = (args: string[], options: Parameters<typeof runLlm>[2] = {}) => runLlm(user.dir, args, options);

describe('top level', () => {
  test('--version', async () => {
    const r = await llm(['--version']);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(r.stdout, `llm, version ${pkg.version}\n`);
  });

  test('--help and -h list the commands; every command has --help', async () => {
    const r = await llm(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: llm \[OPTIONS\] COMMAND \[ARGS\]\.\.\.\n\n  Access Large Language Models from the command-line\n/);
    assert.match(r.stdout, /\nOptions:\n  --version   Show the version and exit\.\n  -h, --help  Show this message and exit\.\n/);
    // As click lists them: the default command first and starred, then alphabetical.
    const commands = r.stdout.split('\nCommands:\n')[1]!.trimEnd().split('\n').map((line) => line.trim().split(/\s+/)[0]);
    assert.equal(commands[0], 'prompt*');
    assert.deepEqual(commands.slice(1), [...commands.slice(1)].sort());
    for (const name of ['chat', 'keys', 'logs', 'models', 'templates', 'fragments', 'schemas', 'aliases', 'plugins', 'openai', 'tools']) {
      assert.ok(commands.includes(name), name);
    }
    assert.match(r.stdout, /\n  embed-multi   Store embeddings for multiple strings at once in the\.\.\.\n/);
    for (const group of ['logs', 'models', 'keys', 'templates', 'fragments']) {
      const help = await llm([group, '--help']);
      assert.doesNotMatch(help.stdout, /\n  help \[command\]/, `${group} has no help subcommand, as in click`);
    }
    assert.equal((await llm(['-h'])).stdout, r.stdout);
    for (const args of [['prompt'], ['chat'], ['keys', 'set'], ['models', 'options', 'set'], ['aliases', 'set'], ['templates', 'show'], ['schemas', 'dsl']]) {
      const help = await llm([...args, '--help']);
      assert.equal(help.code, 0, args.join(' '));
      assert.match(help.stdout, new RegExp(`^Usage: llm ${args.join(' ')}`), args.join(' '));
    }
  });

  test("each command's --help is laid out as click lays out Python's", async () => {
    const list = (await llm(['logs', 'list', '--help'])).stdout;
    assert.ok(list.startsWith('Usage: llm logs list [OPTIONS]\n\n  Show logged prompts and their responses\n\nOptions:\n'), list);
    assert.match(list, /\n {2}-n, --count INTEGER {9}Number of entries to show - defaults to 3, use 0\n {30}for all\n/);
    assert.match(list, /\n {2}-d, --database FILE {9}Path to log database\n/);
    assert.match(list, /\n {2}-h, --help {18}Show this message and exit\.\n$/);
    const group = (await llm(['logs', '--help'])).stdout;
    assert.match(group, /^Usage: llm logs \[OPTIONS\] COMMAND \[ARGS\]\.\.\.\n/);
    assert.match(group, /\nCommands:\n {2}list\* {3}Show logged prompts and their responses\n {2}backup {2}/);
    const prompt = (await llm(['prompt', '--help'])).stdout;
    assert.match(prompt, /^Usage: llm prompt \[OPTIONS\] \[PROMPT\]\n/);
    assert.match(prompt, /\n {2}-o, --option <TEXT TEXT>\.\.\. {5}key\/value options for the model\n/);
    assert.match(prompt, /\n {2}-a, --attachment ATTACHMENT {5}Attachment path or URL or -\n/);
    assert.match(prompt, /\n {2}--cl, --chain-limit INTEGER /);
    assert.doesNotMatch(prompt, /\(env: /, 'click does not show environment variables');
    assert.match((await llm(['install', '--help'])).stdout, /^Usage: llm install \[OPTIONS\] \[PACKAGES\]\.\.\.\n/);
  });

  test("an unknown subcommand option is click's usage error: exit 2", async () => {
    const r = await llm(['models', 'list', '--nope']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "Usage: llm models list [OPTIONS]\nTry 'llm models list -h' for help.\n\nError: No such option: --nope\n");
  });
});

describe('llm models', () => {
  test('lists models with aliases and the default', async () => {
    const r = await llm(['models']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^OpenAI Chat: gpt-4o-mini \(aliases: 4o-mini\)$/m);
    assert.match(r.stdout, /^Echo: echo$/m);
    assert.ok(r.stdout.endsWith('Default: gpt-4o-mini\n'));
  });

  test('-q filters (no default line); --options shows options, features and keys', async () => {
    const r = await llm(['models', '-q', 'echo', '--options']);
    assert.equal(
      r.stdout,
      [
        'Echo: echo',
        '  Options:',
        '    example_int: int',
        '      An integer, echoed back',
        '    example_bool: boolean',
        '      Example boolean option',
        '    example_str: str',
        '      A string, echoed back',
        '  Attachment types:',
        '    application/pdf, audio/mpeg, audio/wav, image/gif, image/jpeg,',
        '    image/png, image/webp, text/plain',
        '  Features:',
        '  - streaming',
        '  - schemas',
        '  - tools',
        '  - async',
        '',
      ].join('\n'),
    );
    const keyed = await llm(['models', '-m', 'gpt-4o-mini', '--options']);
    assert.match(keyed.stdout, /\n  Keys:\n    key: openai\n    env_var: OPENAI_API_KEY\n$/);
  });

  test('--json', async () => {
    const r = await llm(['models', '--json', '-m', 'echo']);
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        model_id: 'echo',
        aliases: [],
        can_stream: true,
        supports_schema: true,
        supports_tools: true,
        supports_async: true,
        attachment_types: ['application/pdf', 'audio/mpeg', 'audio/wav', 'image/gif', 'image/jpeg', 'image/png', 'image/webp', 'text/plain'],
        server_side_tools: [],
      },
    ]);
  });

  test('--json lists server_side_tools where Python does (Responses models)', async () => {
    // Python's tests/test_llm.py::test_llm_models_json_includes_server_side_tools
    const r = await llm(['models', '--json', '-m', 'gpt-5.6-luna', '-m', 'chatgpt']);
    const models = Object.fromEntries((JSON.parse(r.stdout) as { model_id: string }[]).map((m) => [m.model_id, m]));
    assert.deepEqual(Object.keys(models).sort(), ['gpt-3.5-turbo', 'gpt-5.6-luna']);
    assert.deepEqual((models['gpt-5.6-luna'] as { server_side_tools: unknown }).server_side_tools, [
      { name: 'WebSearch', plugin: null },
      { name: 'CodeInterpreter', plugin: null },
      { name: 'ServerSideTool', plugin: null },
    ]);
    assert.deepEqual((models['gpt-3.5-turbo'] as { server_side_tools: unknown }).server_side_tools, []);
  });

  test('-m with an unknown model is an error', async () => {
    const r = await llm(['models', '-m', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Unknown model: nope\n');
  });

  test('default shows and sets the default model (aliases resolved)', async () => {
    assert.equal((await llm(['models', 'default'])).stdout, 'gpt-4o-mini\n');
    const set = await llm(['models', 'default', '4o']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(readFileSync(join(user.dir, 'default_model.txt'), 'utf8'), 'gpt-4o');
    assert.equal((await llm(['models', 'default'])).stdout, 'gpt-4o\n');
    const bad = await llm(['models', 'default', 'nope']);
    assert.equal(bad.stderr, 'Error: Unknown model: nope\n');
    assert.equal(bad.code, 1);
  });

  test('options set / show / list / clear', async () => {
    // Python writes these notes to stderr.
    assert.equal((await llm(['models', 'options', 'list'])).stderr, 'No default options set for any models.\n');
    const set = await llm(['models', 'options', 'set', 'echo', 'example_int', '3']);
    assert.equal(set.code, 0, set.stderr);
    await llm(['models', 'options', 'set', 'echo', 'example_str', 'hi there']);
    assert.deepEqual(JSON.parse(readFileSync(join(user.dir, 'model_options.json'), 'utf8')), {
      echo: { example_int: '3', example_str: 'hi there' },
    });
    assert.equal((await llm(['models', 'options', 'show', 'echo'])).stdout, 'example_int: 3\nexample_str: hi there\n');
    assert.equal((await llm(['models', 'options'])).stdout, 'echo:\n  example_int: 3\n  example_str: hi there\n');
    await llm(['models', 'options', 'clear', 'echo', 'example_int']);
    assert.equal((await llm(['models', 'options', 'show', 'echo'])).stdout, 'example_str: hi there\n');
    await llm(['models', 'options', 'clear', 'echo']);
    assert.equal((await llm(['models', 'options', 'show', 'echo'])).stderr, "No default options set for model 'echo'.\n");
  });

  test('options set validates the value and the name', async () => {
    const bad = await llm(['models', 'options', 'set', 'echo', 'example_int', 'x']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'Error: example_int\n  Input should be a valid integer, unable to parse string as an integer\n');
    const unknown = await llm(['models', 'options', 'set', 'echo', 'nope', '1']);
    assert.equal(unknown.stderr, 'Error: nope\n  Extra inputs are not permitted\n');
    assert.equal(existsSync(join(user.dir, 'model_options.json')), false);
  });
});

describe('llm keys', () => {
  test('list, set (--value and piped), get, path; keys.json is 0600', async () => {
    assert.equal((await llm(['keys'])).stdout, 'No keys found\n');
    assert.equal((await llm(['keys', 'path'])).stdout, join(user.dir, 'keys.json') + '\n');
    const set = await llm(['keys', 'set', 'openai', '--value', 'sk-one']);
    assert.equal(set.code, 0, set.stderr);
    const piped = await llm(['keys', 'set', 'other'], { input: 'sk-two\n' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, '');
    assert.equal((await llm(['keys', 'list'])).stdout, 'openai\nother\n');
    assert.equal((await llm(['keys', 'get', 'other'])).stdout, 'sk-two\n');
    const path = join(user.dir, 'keys.json');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
      '// Note': 'This file stores secret API credentials. Do not share!',
      openai: 'sk-one',
      other: 'sk-two',
    });
  });

  test('get of a missing key is an error', async () => {
    const r = await llm(['keys', 'get', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "Error: No key found with name 'nope'\n");
  });

  test('set with an empty piped value is an error', async () => {
    const r = await llm(['keys', 'set', 'x'], { input: '' });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: No key given: the key was empty\n');
  });

  test('a corrupt keys.json is named and never overwritten', async () => {
    const path = join(user.dir, 'keys.json');
    writeFileSync(path, 'not json');
    for (const args of [['keys', 'list'], ['keys', 'set', 'a', '--value', 'b'], ['keys', 'get', 'a']]) {
      const r = await llm(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /^Error: keys\.json at .*keys\.json is not valid JSON: .*\n$/);
    }
    assert.equal(readFileSync(path, 'utf8'), 'not json');
  });
});

describe('llm aliases', () => {
  test('set, list (text and JSON), remove, path', async () => {
    assert.equal((await llm(['aliases', 'set', 'e', 'echo'])).code, 0);
    const q = await llm(['aliases', 'set', 'mini', '-q', '4o', '-q', 'mini']);
    assert.equal(q.stderr, "Alias 'mini' set to model 'gpt-4o-mini'\n");
    const list = await llm(['aliases']);
    assert.match(list.stdout, /^4o-mini +: gpt-4o-mini$/m);
    assert.match(list.stdout, /^mini +: gpt-4o-mini$/m);
    assert.match(list.stdout, /^e +: echo$/m);
    const widths = new Set(list.stdout.trim().split('\n').map((l) => l.indexOf(' : ')));
    assert.equal(widths.size, 1, 'aliases are padded to one width');
    const json = JSON.parse((await llm(['aliases', 'list', '--json'])).stdout);
    assert.equal(json.e, 'echo');
    assert.equal(json.mini, 'gpt-4o-mini');
    assert.deepEqual(JSON.parse(readFileSync(join(user.dir, 'aliases.json'), 'utf8')), { e: 'echo', mini: 'gpt-4o-mini' });
    assert.equal((await llm(['aliases', 'remove', 'e'])).code, 0);
    assert.equal(JSON.parse((await llm(['aliases', 'list', '--json'])).stdout).e, undefined);
    assert.equal((await llm(['aliases', 'path'])).stdout, join(user.dir, 'aliases.json') + '\n');
    const r = await llm(['-m', 'mini', '--options']);
    assert.match(r.stdout, /^OpenAI Chat: gpt-4o-mini/);
  });

  test('list --json keeps the order of the text listing (an alias such as 4 stays in place) and escapes as Python', async () => {
    assert.equal((await llm(['aliases', 'set', 'été', 'echo'])).code, 0);
    const text = (await llm(['aliases'])).stdout.trimEnd().split('\n').map((line) => line.split(' : ')[0]!.trimEnd());
    const json = (await llm(['aliases', 'list', '--json'])).stdout;
    const keys = [...json.matchAll(/^ {4}"((?:[^"\\]|\\.)*)": /gm)].map((m) => JSON.parse(`"${m[1]}"`));
    assert.deepEqual(keys, text);
    assert.ok(keys.indexOf('4') > keys.indexOf('4o'), 'the alias "4" is not moved first');
    assert.match(json, /^ {4}"\\u00e9t\\u00e9": "echo"/m);
  });

  test('errors: removing a missing alias, set without a model, no match', async () => {
    await llm(['aliases', 'set', 'e', 'echo']);
    const remove = await llm(['aliases', 'remove', 'nope']);
    assert.equal(remove.stderr, 'Error: No such alias: nope\n');
    assert.equal(remove.code, 1);
    const none = await llm(['aliases', 'set', 'x']);
    assert.equal(none.stderr, 'Error: You must provide a model_id or at least one -q option\n');
    const nomatch = await llm(['aliases', 'set', 'x', '-q', 'zzzz']);
    assert.equal(nomatch.stderr, 'Error: No model found matching query: zzzz\n');
  });
});

describe('llm templates', () => {
  test('list, show, path', async () => {
    const dir = join(user.dir, 'templates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'one.yaml'), 'prompt: Summarise $input\n');
    writeFileSync(join(dir, 'second.yaml'), 'system: Be terse\nprompt: |\n  Line one\n  Line two\n');
    writeFileSync(join(dir, 'plain.yaml'), 'Just a prompt string');
    const list = await llm(['templates']);
    assert.equal(
      list.stdout,
      'one    : Summarise $input\nplain  : Just a prompt string\nsecond : system: Be terse prompt: Line one Line two \n',
    );
    const show = await llm(['templates', 'show', 'second']);
    assert.equal(show.stdout, 'name: second\nprompt: |\n    Line one\n    Line two\nsystem: Be terse\n');
    assert.equal((await llm(['templates', 'path'])).stdout, dir + '\n');
  });

  test('list skips a broken template silently, as Python does', async () => {
    const dir = join(user.dir, 'templates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'good.yaml'), 'prompt: fine\n');
    writeFileSync(join(dir, 'bad.yaml'), 'prompt: [unclosed\n');
    const r = await llm(['templates']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'good : fine\n');
    assert.equal(r.stderr, '');
  });

  test('list truncates to the terminal width', async () => {
    const dir = join(user.dir, 'templates');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'long.yaml'), `prompt: ${'x'.repeat(200)}\n`);
    const r = await llm(['templates', 'list'], { env: { COLUMNS: '40' } });
    assert.equal(r.stdout, `long : ${'x'.repeat(30)}...\n`);
  });

  test('edit creates the file and runs $EDITOR; invalid YAML is reported', async () => {
    const editor = join(user.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "prompt: edited\\n" > "$1"\n', { mode: 0o755 });
    const r = await llm(['templates', 'edit', 'fresh'], { env: { EDITOR: editor } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(user.dir, 'templates', 'fresh.yaml'), 'utf8'), 'prompt: edited\n');
    writeFileSync(editor, '#!/bin/sh\nprintf "prompt: [unclosed\\n" > "$1"\n', { mode: 0o755 });
    const bad = await llm(['templates', 'edit', 'fresh'], { env: { EDITOR: editor } });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error: Invalid YAML in template fresh: .+ at line 2, column 1\n$/);
  });

  test('edit with an editor that fails or cannot start is a one-line error', async () => {
    const editor = join(user.dir, 'failing-editor.sh');
    writeFileSync(editor, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const failed = await llm(['templates', 'edit', 'other'], { env: { EDITOR: editor } });
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr, `Error: Editor ${editor} exited with status 3\n`);
    const missing = await llm(['templates', 'edit', 'other'], { env: { EDITOR: '/nonexistent/editor' } });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: Could not run editor \/nonexistent\/editor: .*ENOENT.*\n$/);
  });

  test('show of a missing template, and a template with an unknown key', async () => {
    const missing = await llm(['templates', 'show', 'nope']);
    assert.equal(missing.stderr, 'Error: Invalid template: nope\n');
    mkdirSync(join(user.dir, 'templates'), { recursive: true });
    writeFileSync(join(user.dir, 'templates', 'odd.yaml'), 'prompt: hi\ncolour: blue\n');
    const odd = await llm(['templates', 'show', 'odd']);
    assert.equal(odd.stderr, 'Error: Template odd has an unknown key: colour\n');
  });
});

describe('llm schemas', () => {
  test('dsl prints JSON, --multi wraps it', async () => {
    const r = await llm(['schemas', 'dsl', 'name, age int: years']);
    assert.deepEqual(JSON.parse(r.stdout), {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer', description: 'years' } },
      required: ['name', 'age'],
    });
    const multi = await llm(['schemas', 'dsl', 'name', '--multi']);
    assert.equal(JSON.parse(multi.stdout).properties.items.items.properties.name.type, 'string');
  });

  test('list, --json, --full and show cover schemas used by new turns', async () => {
    await llm(['-m', 'echo', '--schema', 'name, pets int', 'one']);
    await llm(['-m', 'echo', '--schema', 'name, pets int', 'two']);
    const list = await llm(['schemas']);
    assert.match(list.stdout, /^- id: [0-9a-f]{32}\n  summary: \|\n    \{name, pets\}\n  usage: \|\n    2 times, most recently \d{4}-\d\d-\d\dT.+\n$/);
    const [item] = JSON.parse((await llm(['schemas', 'list', '--json'])).stdout);
    assert.equal(item.times_used, 2);
    const show = await llm(['schemas', 'show', item.id]);
    assert.deepEqual(JSON.parse(show.stdout), item.content);
    const full = await llm(['schemas', 'list', '--full']);
    assert.match(full.stdout, /  schema: \|\n    \{\n      "type": "object"/);
    const filtered = await llm(['schemas', 'list', '-q', 'nomatch']);
    assert.equal(filtered.stdout, '');
  });

  test('show of an unknown id is an error', async () => {
    const r = await llm(['schemas', 'show', 'abc']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Invalid schema ID\n');
  });
});
