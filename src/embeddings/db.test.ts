import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { MIGRATIONS, embeddingsDbPath, openEmbeddingsDb, sqliteDriver } from './db.js';

/** The CREATE statements of the reference schema, in order. */
function referenceStatements(): string[] {
  const text = readFileSync(new URL('../../test/fixtures/embeddings-schema.sql', import.meta.url), 'utf8');
  const body = text
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n');
  return body
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

function masterSql(db: import('./db.js').Database): string[] {
  return (db.prepare('select sql from sqlite_master where sql is not null order by rowid').all() as { sql: string }[]).map((r) => r.sql);
}

test('a new embeddings.db has exactly the schema Python llm 0.32 creates', () => {
  const { dir, cleanup } = tempUserDir();
  try {
    const db = openEmbeddingsDb(join(dir, 'embeddings.db'));
    assert.deepEqual(masterSql(db), referenceStatements());
    const rows = db.prepare('select migration_set, name, applied_at from _sqlite_migrations order by id').all() as {
      migration_set: string;
      name: string;
      applied_at: string;
    }[];
    assert.deepEqual(
      rows.map((r) => [r.migration_set, r.name]),
      MIGRATIONS.map((name) => ['llm.embeddings', name]),
    );
    assert.match(rows[0]!.applied_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    // Opening again changes nothing.
    const again = openEmbeddingsDb(join(dir, 'embeddings.db'));
    assert.equal((again.prepare('select count(*) as c from _sqlite_migrations').get() as { c: number }).c, 5);
    again.close();
  } finally {
    cleanup();
  }
});

test('an embeddings.db from an older llm (m001, m002 only) is migrated to the final shape with hashes backfilled', () => {
  const { dir, cleanup } = tempUserDir();
  try {
    const path = join(dir, 'old.db');
    const Driver = sqliteDriver();
    const old = new Driver(path);
    old.exec(`CREATE TABLE [_sqlite_migrations] ([migration_set] TEXT, [name] TEXT, [applied_at] TEXT, PRIMARY KEY ([migration_set], [name]));
      INSERT INTO _sqlite_migrations VALUES ('llm.embeddings', 'm001_create_tables', 'x'), ('llm.embeddings', 'm002_foreign_key', 'x');
      CREATE TABLE [collections] ([id] INTEGER PRIMARY KEY, [name] TEXT, [model] TEXT);
      CREATE UNIQUE INDEX [idx_collections_name] ON [collections] ([name]);
      CREATE TABLE [embeddings] ([collection_id] INTEGER REFERENCES [collections]([id]), [id] TEXT, [embedding] BLOB, [content] TEXT, [metadata] TEXT, PRIMARY KEY ([collection_id], [id]));
      INSERT INTO collections VALUES (1, 'old', 'embed-demo');
      INSERT INTO embeddings VALUES (1, 'a', x'0000a040', 'hello', NULL), (1, 'b', x'0000a040', NULL, '{"k": 1}');`);
    old.close();
    const db = openEmbeddingsDb(path);
    const embeddingsSql = masterSql(db).find((s) => s.startsWith('CREATE TABLE "embeddings"'));
    assert.equal(embeddingsSql, referenceStatements().find((s) => s.startsWith('CREATE TABLE "embeddings"')));
    const rows = db.prepare('select id, content, hex(content_hash) as h, metadata, updated from embeddings order by id').all() as {
      id: string;
      content: string | null;
      h: string;
      metadata: string | null;
      updated: number;
    }[];
    assert.equal(rows[0]!.h, '5D41402ABC4B2A76B9719D911017C592'); // md5("hello")
    assert.equal(rows[1]!.h.length, 32);
    assert.equal(rows[1]!.metadata, '{"k": 1}');
    assert.ok(rows.every((r) => r.updated > 0));
    const names = (db.prepare("select name from _sqlite_migrations where migration_set = 'llm.embeddings' order by id").all() as { name: string }[]).map(
      (r) => r.name,
    );
    assert.deepEqual([...names].sort(), [...MIGRATIONS]);
    assert.ok(masterSql(db).includes(referenceStatements().find((s) => s.includes('idx_embeddings_content_hash'))!));
    db.close();
  } finally {
    cleanup();
  }
});

test('embeddingsDbPath: the user directory, unless LLM_EMBEDDINGS_DB is set', () => {
  const { dir, cleanup } = tempUserDir();
  const previous = process.env.LLM_EMBEDDINGS_DB;
  try {
    delete process.env.LLM_EMBEDDINGS_DB;
    assert.equal(embeddingsDbPath(), join(dir, 'embeddings.db'));
    process.env.LLM_EMBEDDINGS_DB = join(dir, 'other.db');
    assert.equal(embeddingsDbPath(), join(dir, 'other.db'));
  } finally {
    if (previous === undefined) delete process.env.LLM_EMBEDDINGS_DB;
    else process.env.LLM_EMBEDDINGS_DB = previous;
    cleanup();
  }
});
