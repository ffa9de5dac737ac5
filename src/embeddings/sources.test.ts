import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { decodeText, fileEntries, globFiles, parseRows, rowToEntry } from './sources.js';

test('parseRows detects JSON, newline JSON, CSV and TSV', () => {
  const expected = [
    { id: 1, phrase: 'hello world' },
    { id: 2, phrase: 'goodbye world' },
  ];
  assert.deepEqual(parseRows('[{"id": 1, "phrase": "hello world"}, {"id": 2, "phrase": "goodbye world"}]'), expected);
  assert.deepEqual(parseRows('{"id": 1, "phrase": "hello world"}\n{"id": 2, "phrase": "goodbye world"}\n'), expected);
  assert.deepEqual(parseRows('{"id": 1, "phrase": "hello world"}'), [expected[0]]);
  assert.deepEqual(parseRows('\ufeffid,phrase\n1,hello world\r\n2,"goodbye, ""world"""\n'), [
    { id: '1', phrase: 'hello world' },
    { id: '2', phrase: 'goodbye, "world"' },
  ]);
  assert.deepEqual(parseRows('id\tphrase\n1\thello world\n2\tgoodbye world'), [
    { id: '1', phrase: 'hello world' },
    { id: '2', phrase: 'goodbye world' },
  ]);
  assert.deepEqual(parseRows('a,b\n1', 'csv'), [{ a: '1', b: null }]);
  assert.throws(() => parseRows('[1, 2', 'json'), /^UsageError: Invalid JSON/);
  assert.throws(() => parseRows('"x"', 'json'), /JSON must be a list or a dictionary/);
});

test('rowToEntry: first value is the ID, the rest joined with spaces', () => {
  assert.deepEqual(rowToEntry([1, 'cli', 'Command line', null]), ['1', 'cli Command line ']);
  assert.deepEqual(rowToEntry(['a', 'b'], { prefix: 'p/', prepend: 'search: ' }), ['p/a', 'search: b']);
});

test('decodeText: the first encoding that decodes wins (UTF-8 text is not turned into latin-1 mojibake)', () => {
  const utf8 = Buffer.from('café', 'utf8');
  assert.equal(decodeText(utf8, ['utf-8', 'latin-1']), 'café');
  assert.equal(decodeText(utf8, ['latin-1', 'utf-8']), 'cafÃ©');
  const latin = Buffer.from([0x48, 0x61, 0x73, 0x20, 0x96]);
  assert.equal(decodeText(latin, ['utf-8']), null);
  assert.equal(decodeText(latin, ['utf-8', 'latin-1']), 'Has \u0096');
  assert.throws(() => decodeText(latin, ['klingon']), /Unknown encoding: klingon/);
});

test('globFiles: *, ** and nested directories, relative IDs, directories skipped', () => {
  const { dir, cleanup } = tempUserDir();
  try {
    for (const [name, body] of [
      ['file1.txt', 'hello world'],
      ['file2.txt', 'goodbye world'],
      ['nested/one.txt', 'one'],
      ['nested/more/three.txt', 'three'],
      ['nested/more/ignored.ini', Buffer.from([0x48, 0x96])],
    ] as const) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    mkdirSync(join(dir, 'dir.txt'));
    const rel = (files: string[]) => files.map((f) => f.slice(dir.length + 1));
    assert.deepEqual(rel(globFiles(dir, '*.txt')), ['file1.txt', 'file2.txt']);
    assert.deepEqual(rel(globFiles(dir, '**/*.txt')), ['file1.txt', 'file2.txt', 'nested/more/three.txt', 'nested/one.txt']);
    assert.deepEqual(rel(globFiles(dir, 'nested/*.{txt,ini}')), ['nested/one.txt']);
    assert.throws(() => globFiles(join(dir, 'missing'), '*'), /Invalid directory: .*missing/);
    const undecodable: string[] = [];
    const entries = [...fileEntries([[join(dir, 'nested'), '**/*.ini']], { encodings: ['utf-8'], onUndecodable: (p) => undecodable.push(p) })];
    assert.deepEqual(entries, []);
    assert.equal(undecodable.length, 1);
    assert.deepEqual([...fileEntries([[join(dir, 'nested'), '**/*.ini']])], [[join('more', 'ignored.ini'), 'H\u0096']]);
  } finally {
    cleanup();
  }
});
