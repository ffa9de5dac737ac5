import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runEmbedCli } from '../../../test/helpers/embed-cli.js';
import { tempUserDir } from '../../../test/helpers/user-dir.js';
import { sqliteDriver } from '../../embeddings/db.js';
import { pairsFrom } from './embed.js';

// These run the real command definitions (register()) in a child process with the
// embed-demo model registered; see test/helpers/run-embed-cli.ts.
let user: ReturnType<typeof tempUserDir>;
let env: Record<string, string | undefined>;
before(() => {
  user = tempUserDir();
  env = { LLM_USER_PATH: user.dir, LLM_EMBEDDINGS_DB: undefined, LLM_EMBEDDING_MODEL: undefined };
});
after(() => user.cleanup());

function fresh(name: string): string {
  const dir = join(user.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
const cli = (args: string[], input?: string | Buffer, extra: Record<string, string | undefined> = {}) =>
  runEmbedCli(args, { input, env: { ...env, ...extra } });
const query = (path: string, sql: string) => {
  const db = new (sqliteDriver())(path, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

test('llm embed prints the vector in each format, from -c, -i FILE and stdin', () => {
  const dir = fresh('formats');
  writeFileSync(join(dir, 'in.txt'), 'hello world');
  const expected: Record<string, string> = {
    json: '[5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n',
    base64: 'AACgQAAAoEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n',
    hex: `0000a0400000a040${'0'.repeat(112)}\n`,
  };
  for (const [format, out] of Object.entries(expected)) {
    assert.equal(cli(['embed', '-f', format, '-m', 'embed-demo', '-c', 'hello world']).stdout, out);
    assert.equal(cli(['embed', '-f', format, '-m', 'embed-demo', '-i', join(dir, 'in.txt')]).stdout, out);
    assert.equal(cli(['embed', '-f', format, '-m', 'embed-demo', '-i', '-'], 'hello world').stdout, out);
  }
  const blob = cli(['embed', '-f', 'blob', '-m', 'embed-demo', '-c', 'hello world']).stdoutBytes;
  assert.deepEqual(blob.subarray(0, 8), Buffer.from('0000a0400000a040', 'hex'));
  assert.equal(blob.length, 65);
  assert.equal(existsSync(join(user.dir, 'embeddings.db')), false, 'no collection: no database');
});

test('llm embed errors are one line', () => {
  const cases: [string[], string][] = [
    [['embed', '-c', 'Content', 'stories'], 'Must provide both collection and id'],
    [['embed', '-c', 'x', '--store', '-m', 'embed-demo'], 'Must provide collection when using --store'],
    [['embed', '-c', 'x'], 'You need to specify an embedding model (no default model is set)'],
    [['embed', 'c', '1', '-c', 'x'], 'You need to specify an embedding model (no default model is set)'],
    [['embed', '-c', 'x', '-m', 'nope'], 'Unknown model: nope'],
    [['embed', '-m', 'embed-demo', '-i', '-'], 'No content provided'],
  ];
  for (const [args, message] of cases) {
    const result = cli(args);
    assert.equal(result.code, 1, args.join(' '));
    assert.equal(result.stderr, `Error: ${message}\n`, args.join(' '));
  }
  // click's usage errors: the usage line, a hint, the error; exit 2.
  const usage: [string[], string][] = [
    [['embed', '-m', 'embed-demo', 'c', '1', '-c', 'x', '--metadata', '[1, 2, 3]'], "Invalid value for '--metadata': metadata must be a JSON object"],
    [['embed', '-m', 'embed-demo', 'c', '1', '-c', 'x', '--metadata', '{"foo": "incomplete}'], "Invalid value for '--metadata': metadata must be valid JSON"],
    [['embed', '-m', 'embed-demo', '-c', 'x', '-f', 'xml'], "Invalid value for '-f' / '--format': 'xml' is not one of 'json', 'blob', 'base64', 'hex'."],
  ];
  for (const [args, message] of usage) {
    const result = cli(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.stderr, `Usage: llm embed [OPTIONS] [COLLECTION] [ID]\nTry 'llm embed -h' for help.\n\nError: ${message}\n`, args.join(' '));
  }
});

test('llm embed stores into a collection; collections list/--json/delete/path', () => {
  const db = join(fresh('store'), 'embeddings.db');
  const extra = { LLM_EMBEDDINGS_DB: db };
  assert.equal(cli(['embed', '-c', 'hello', '-m', 'embed-demo', 'items', '1', '--metadata', '{"foo": "bar"}'], undefined, extra).code, 0);
  assert.deepEqual(query(db, 'select * from collections'), [{ id: 1, name: 'items', model: 'embed-demo' }]);
  const [row] = query(db, 'select id, embedding, content, metadata, hex(content_hash) as h from embeddings');
  assert.deepEqual(row, {
    id: '1',
    embedding: Buffer.concat([Buffer.from('0000a040', 'hex'), Buffer.alloc(60)]),
    content: null,
    metadata: '{"foo": "bar"}',
    h: '5D41402ABC4B2A76B9719D911017C592',
  });
  // Binary from stdin with --store, and -f prints the stored vector.
  const bin = cli(['embed', 'items', '2', '--binary', '--store', '-f', 'json'], Buffer.from([0, 1, 2]), extra);
  assert.equal(bin.stdout, '[3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n');
  assert.deepEqual(query(db, "select content_blob from embeddings where id = '2'"), [{ content_blob: Buffer.from([0, 1, 2]) }]);

  assert.equal(cli(['collections'], undefined, extra).stdout, 'items: embed-demo\n  2 embeddings\n');
  assert.equal(cli(['collections', 'list', '-d', db]).stdout, 'items: embed-demo\n  2 embeddings\n');
  assert.deepEqual(JSON.parse(cli(['collections', 'list', '--json'], undefined, extra).stdout), [
    { name: 'items', model: 'embed-demo', num_embeddings: 2 },
  ]);
  assert.equal(cli(['collections', 'path'], undefined, extra).stdout, `${db}\n`);
  assert.equal(cli(['collections', 'path']).stdout, `${join(user.dir, 'embeddings.db')}\n`);
  const missing = cli(['collections', 'delete', 'does-not-exist'], undefined, extra);
  assert.deepEqual([missing.code, missing.stderr], [1, 'Error: Collection does not exist\n']);
  assert.equal(cli(['collections', 'delete', 'items'], undefined, extra).code, 0);
  assert.deepEqual(query(db, 'select count(*) as c from embeddings'), [{ c: 0 }]);
  const none = cli(['collections', 'list', '-d', join(user.dir, 'nothing.db')]);
  assert.deepEqual([none.code, none.stderr], [1, `Error: No collections table found in ${join(user.dir, 'nothing.db')}\n`]);
});

test('llm similar: NDJSON, --plain, by ID, -n, --prefix, and its errors', () => {
  const db = join(fresh('similar'), 'embeddings.db');
  const extra = { LLM_EMBEDDINGS_DB: db };
  cli(['embed', 'demo', '1', '-m', 'embed-demo', '-c', 'hello world'], undefined, extra);
  cli(['embed', 'demo', '2', '-m', 'embed-demo', '-c', 'goodbye world', '--store', '--metadata', '{"a": 1}'], undefined, extra);
  const lines = cli(['similar', 'demo', '-c', 'hello world'], undefined, extra).stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^\{"id": "1", "score": (1\.0|0\.99999\d+), "content": null, "metadata": null\}$/);
  assert.match(lines[1]!, /^\{"id": "2", "score": 0\.98639392383214\d*, "content": "goodbye world", "metadata": \{"a": 1\}\}$/);
  assert.equal(cli(['similar', 'demo', '-i', '-'], 'hello world', extra).stdout.trim().split('\n').length, 2);
  const byId = JSON.parse(cli(['similar', 'demo', '1'], undefined, extra).stdout);
  assert.equal(byId.id, '2');
  assert.equal(cli(['similar', 'demo', '-c', 'hello world', '-n', '1'], undefined, extra).stdout.trim().split('\n').length, 1);
  assert.equal(JSON.parse(cli(['similar', 'demo', '-c', 'hello world', '--prefix', '2'], undefined, extra).stdout).id, '2');
  const plain = cli(['similar', 'demo', '1', '-p'], undefined, extra).stdout;
  assert.match(plain, /^2 \(0\.98639\d+\)\n\n  goodbye world\n  \{"a": 1\}\n\n$/);
  const cases: [string[], string][] = [
    [['similar', 'badcollection', '-c', 'content'], 'Collection does not exist'],
    [['similar', 'demo', 'bad-id'], 'ID not found in collection'],
    [['similar', 'demo'], 'Must provide content or an ID for the comparison'],
  ];
  for (const [args, message] of cases) {
    const result = cli(args, undefined, extra);
    assert.deepEqual([result.code, result.stderr], [1, `Error: ${message}\n`], args.join(' '));
  }
  const noDb = cli(['similar', 'demo', '-c', 'x', '-d', join(user.dir, 'none.db')]);
  assert.deepEqual([noDb.code, noDb.stderr], [1, 'Error: No embeddings table found in database\n']);
  assert.equal(existsSync(join(user.dir, 'none.db')), false);
  const missingArg = cli(['similar']);
  assert.equal(missingArg.code, 2);
  assert.equal(missingArg.stderr, "Usage: llm similar [OPTIONS] COLLECTION [ID]\nTry 'llm similar -h' for help.\n\nError: Missing argument 'COLLECTION'.\n");
  const notInt = cli(['similar', 'demo', '-c', 'x', '-n', 'many'], undefined, extra);
  assert.equal(notInt.code, 2);
  assert.match(notInt.stderr, /\n\nError: Invalid value for '-n' \/ '--number': 'many' is not a valid integer\.\n$/);
});

test('llm embed-multi reads CSV, TSV, JSON and newline JSON from a file or stdin, with --prefix', () => {
  const dir = fresh('multi');
  const inputs: Record<string, string> = {
    'phrases.csv': 'id,phrase\n1,hello world\n2,goodbye world',
    'phrases.tsv': 'id\tphrase\n1\thello world\n2\tgoodbye world',
    'phrases.jsonl': '{"id": 1, "phrase": "hello world"}\n{"id": 2, "phrase": "goodbye world"}',
    'phrases.json': '[{"id": 1, "phrase": "hello world"}, {"id": 2, "phrase": "goodbye world"}]',
  };
  let n = 0;
  for (const [name, content] of Object.entries(inputs)) {
    for (const stdin of [false, true]) {
      for (const prefix of [undefined, 'prefix']) {
        const db = join(dir, `e${n++}.db`);
        writeFileSync(join(dir, name), content);
        const args = ['embed-multi', 'phrases', '-d', db, '-m', 'embed-demo', stdin ? '-' : join(dir, name), '--store'];
        if (prefix) args.push('--prefix', prefix);
        const result = cli(args, stdin ? content : undefined);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, '', 'no progress bar when stderr is not a terminal');
        assert.deepEqual(query(db, 'select id, content from embeddings order by id'), [
          { id: `${prefix ?? ''}1`, content: 'hello world' },
          { id: `${prefix ?? ''}2`, content: 'goodbye world' },
        ]);
      }
    }
  }
});

test('llm embed-multi --sql with --attach, --batch-size, --prepend', () => {
  const dir = fresh('sql');
  const other = join(dir, 'other.db');
  const Driver = sqliteDriver();
  const source = new Driver(other);
  source.exec("create table content (id integer primary key, name text, description text); insert into content values (1, 'cli', 'Command line interface'), (2, 'sql', 'Structured query language');");
  source.close();
  const db = join(dir, 'embeddings.db');
  const result = cli(['embed-multi', 'stuff', '-d', db, '--sql', 'select * from other.content', '--attach', 'other', other, '-m', 'embed-demo', '--store', '--prepend', 'x: ']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(query(db, 'select id, content from embeddings order by id'), [
    { id: '1', content: 'x: cli Command line interface' },
    { id: '2', content: 'x: sql Structured query language' },
  ]);
  const big = cli([
    'embed-multi', 'rows', '-d', db, '-m', 'embed-demo', '--batch-size', '8',
    '--sql', "with recursive cte (id) as (select 1 union all select id+1 from cte where id < 100) select id, 'Row ' || cast(id as text) from cte",
  ]);
  assert.equal(big.code, 0, big.stderr);
  assert.deepEqual(query(db, "select count(*) as c from embeddings where collection_id = (select id from collections where name = 'rows')"), [{ c: 100 }]);
});

test('llm embed-multi --files: globs, several pairs, binary, encodings (first decode wins)', () => {
  const dir = fresh('files');
  const files = join(dir, 'files');
  for (const [name, body] of [
    ['file1.txt', 'hello world'],
    ['file2.txt', 'goodbye world'],
    ['nested/one.txt', 'one'],
    ['nested/two.txt', 'two'],
    ['nested/more/three.txt', 'three'],
    ['nested/more/ignored.ini', Buffer.from('Has weird \x96 character', 'latin1')],
    ['nested/more/utf8.ini', 'café'],
  ] as const) {
    mkdirSync(join(files, name, '..'), { recursive: true });
    writeFileSync(join(files, name), body);
  }
  const db1 = join(dir, 'one.db');
  assert.equal(cli(['embed-multi', 'files', '-d', db1, '-m', 'embed-demo', '--store', '--files', files, '**/*.txt']).code, 0);
  assert.deepEqual(
    query(db1, 'select id from embeddings order by id').map((r) => r.id),
    ['file1.txt', 'file2.txt', join('nested', 'more', 'three.txt'), join('nested', 'one.txt'), join('nested', 'two.txt')],
  );
  const db2 = join(dir, 'two.db');
  const two = cli(['embed-multi', 'files', '-d', db2, '-m', 'embed-demo', '--store', '--files', join(files, 'nested', 'more'), '**/*.ini', '--files', `${join(files, 'nested')}=*.txt`]);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(two.stderr, '');
  assert.deepEqual(query(db2, 'select id, content from embeddings order by id'), [
    { id: 'ignored.ini', content: 'Has weird \u0096 character' },
    { id: 'one.txt', content: 'one' },
    { id: 'two.txt', content: 'two' },
    { id: 'utf8.ini', content: 'café' },
  ]);
  const db3 = join(dir, 'three.db');
  const strict = cli(['embed-multi', 'files', '-d', db3, '-m', 'embed-demo', '--files', join(files, 'nested', 'more'), '*.ini', '--encoding', 'utf-8', '--store']);
  assert.equal(strict.code, 0);
  assert.equal(strict.stderr, `Could not decode text in file ${join(files, 'nested', 'more', 'ignored.ini')}\n`);
  assert.deepEqual(query(db3, 'select id from embeddings').map((r) => r.id), ['utf8.ini']);
  const db4 = join(dir, 'four.db');
  assert.equal(cli(['embed-multi', 'bin', '-d', db4, '-m', 'embed-demo', '--files', join(files, 'nested', 'more'), 'ignored.ini', '--binary', '--store']).code, 0);
  assert.deepEqual(query(db4, 'select content, content_blob from embeddings'), [
    { content: null, content_blob: Buffer.from('Has weird \x96 character', 'latin1') },
  ]);
});

test('llm embed-multi errors are one line', () => {
  const dir = fresh('multi-errors');
  const db = join(dir, 'e.db');
  writeFileSync(join(dir, 'in.csv'), 'id,name\n1,hello');
  const cases: [string[], string][] = [
    [['embed-multi', 'c', '-d', db, join(dir, 'in.csv')], 'You need to specify an embedding model (no default model is set)'],
    [['embed-multi', 'c', '-d', db, '-m', 'embed-demo', '--sql', 'select nope from nowhere'], 'SQL error: no such table: nowhere'],
    [['embed-multi', 'c', '-d', db, '-m', 'embed-demo', '--format', 'json', join(dir, 'in.csv')], 'Invalid JSON: Unexpected token \'i\', "id,name 1,hello" is not valid JSON'],
  ];
  for (const [args, message] of cases) {
    const result = cli(args);
    assert.equal(result.code, 1, args.join(' '));
    // The real binary prints a multi-line message on one line.
    assert.equal(result.stderr, `Error: ${message}\n`, args.join(' '));
  }
  // click's usage errors: the usage line, a hint, the error; exit 2.
  const usage: [string[], string][] = [
    [['embed-multi', 'c', '-d', db, '-m', 'embed-demo'], 'Either --sql or input path or --files is required'],
    [['embed-multi', 'c', '-d', db, '--binary', join(dir, 'in.csv')], '--binary must be used with --files'],
    [['embed-multi', 'c', '-d', db, '--files', dir, '*', '--binary', '--encoding', 'utf-8'], '--binary cannot be used with --encoding'],
    [['embed-multi', 'c', '-d', db, '--files', dir, '*', '--sql', 'select 1'], 'Cannot use --files with --sql, input path or --format'],
    [['embed-multi', 'c', '-d', db, '--files', 'not-a-dir', '*.txt'], 'Invalid directory: not-a-dir'],
    [['embed-multi', 'c', '-d', db, '--files', dir], "Option '--files' requires 2 arguments."],
    [['embed-multi', 'c', '-d', db, '-m', 'embed-demo', '--batch-size', '0', join(dir, 'in.csv')], "Invalid value for '--batch-size': '0' is not a positive integer."],
  ];
  for (const [args, message] of usage) {
    const result = cli(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.stderr, `Usage: llm embed-multi [OPTIONS] COLLECTION [INPUT_PATH]\nTry 'llm embed-multi -h' for help.\n\nError: ${message}\n`, args.join(' '));
  }
  const missing = cli(['embed-multi']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, "Usage: llm embed-multi [OPTIONS] COLLECTION [INPUT_PATH]\nTry 'llm embed-multi -h' for help.\n\nError: Missing argument 'COLLECTION'.\n");
});

test('the default embedding model: embed-models default, then embed and embed-multi use it', () => {
  const dir = fresh('defaults');
  const extra = { LLM_USER_PATH: dir, LLM_EMBEDDINGS_DB: join(dir, 'embeddings.db') };
  const none = cli(['embed-models', 'default'], undefined, extra);
  assert.deepEqual([none.code, none.stdout, none.stderr], [0, '', '<No default embedding model set>\n']);
  const bad = cli(['embed-models', 'default', 'nope'], undefined, extra);
  assert.deepEqual([bad.code, bad.stderr], [1, 'Error: Unknown embedding model: nope\n']);
  assert.equal(cli(['embed-models', 'default', 'demo'], undefined, extra).code, 0);
  assert.equal(cli(['embed-models', 'default'], undefined, extra).stdout, 'embed-demo\n');
  assert.equal(cli(['embed', '-c', 'hello world'], undefined, extra).stdout, '[5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n');
  assert.equal(cli(['embed-multi', 'example', '-'], 'id,name\n1,hello', extra).code, 0);
  assert.equal(cli(['embed', 'example2', '1', '-c', 'hello world'], undefined, extra).code, 0);
  assert.equal(cli(['embed-models', 'default', '--remove-default'], undefined, extra).code, 0);
  assert.equal(cli(['embed-models', 'default'], undefined, extra).stderr, '<No default embedding model set>\n');
  // LLM_EMBEDDING_MODEL stands in for -m.
  assert.equal(cli(['embed', '-c', 'hi'], undefined, { ...extra, LLM_EMBEDDING_MODEL: 'embed-demo' }).stdout, '[2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n');
});

test('embed-models list and -q', () => {
  const list = cli(['embed-models']).stdout;
  assert.match(list, /^EmbedDemo: embed-demo \(aliases: demo\)$/m);
  assert.equal(cli(['embed-models', 'list', '-q', 'DEMO', '-q', 'embed']).stdout, 'EmbedDemo: embed-demo (aliases: demo)\n');
  assert.equal(cli(['embed-models', 'list', '-q', 'zzz']).stdout, '\n');
});

test('pairsFrom pairs values and accepts KEY=VALUE', () => {
  const usage = (m: string) => new Error(m);
  assert.deepEqual(pairsFrom(['a', '*.txt', 'b', '*.md'], '--files', usage), [
    ['a', '*.txt'],
    ['b', '*.md'],
  ]);
  assert.deepEqual(pairsFrom(['d=e=*.md', 'x', 'y'], '--files', usage), [
    ['d=e', '*.md'],
    ['x', 'y'],
  ]);
  assert.deepEqual(pairsFrom(['a=b', '*.txt'], '--files', usage, (p) => p === 'a=b'), [['a=b', '*.txt']]);
  assert.deepEqual(pairsFrom(['al=p=q', 'other', 'o.db'], '--attach', usage), [
    ['al', 'p=q'],
    ['other', 'o.db'],
  ]);
  assert.throws(() => pairsFrom(['lonely'], '--attach', usage), /^Error: Option '--attach' requires 2 arguments\.$/);
});
