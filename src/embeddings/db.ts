import { createHash } from '../util/builtins.js';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { userDir } from '../config/user-dir.js';
import { fileProblem, openSqlite, sqliteDriver } from '../util/sqlite.js';
import { LlmError } from '../errors.js';

export type Database = BetterSqlite3.Database;

export { sqliteDriver };

/** `$LLM_EMBEDDINGS_DB`, else `embeddings.db` in the user directory. */
export function embeddingsDbPath(): string {
  return process.env.LLM_EMBEDDINGS_DB || join(userDir(), 'embeddings.db');
}

/**
 * Opens (creating if needed) an embeddings database, in WAL mode with a busy timeout,
 * and brings its schema up to date. `":memory:"` gives a private in-memory database.
 */
export function openEmbeddingsDb(path: string = embeddingsDbPath(), options: { migrate?: boolean } = {}): Database {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  let db: Database;
  try {
    db = openSqlite(path);
  } catch (error) {
    const problem = fileProblem(path, error);
    throw problem ? new LlmError(problem, { cause: error }) : error;
  }
  try {
    configure(db);
    if (options.migrate !== false) migrateEmbeddings(db);
  } catch (error) {
    db.close();
    const problem = fileProblem(path, error);
    throw problem ? new LlmError(problem, { cause: error }) : error;
  }
  return db;
}

/** Opens an existing database read-only (no schema changes). */
export function openEmbeddingsDbReadonly(path: string): Database {
  let db: Database;
  try {
    db = openSqlite(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    const problem = fileProblem(path, error);
    throw problem ? new LlmError(problem, { cause: error }) : error;
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('mmap_size = 2147418112');
    db.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    db.close();
    const problem = fileProblem(path, error);
    throw problem ? new LlmError(problem, { cause: error }) : error;
  }
  return db;
}

function configure(db: Database): void {
  db.pragma('busy_timeout = 5000');
  if (db.memory) return;
  const fresh = (db.pragma('page_count', { simple: true }) as number) === 0;
  // Larger pages hold a 1536-dim vector (6 KB) without a chain of overflow pages.
  if (fresh) db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  // Memory-mapped reads roughly halve the time of a similarity scan over a large collection.
  db.pragma('mmap_size = 2147418112');
}

export const MIGRATION_SET = 'llm.embeddings';
export const MIGRATIONS = [
  'm001_create_tables',
  'm002_foreign_key',
  'm003_add_updated',
  'm004_store_content_hash',
  'm005_add_content_blob',
] as const;

// The statements below reproduce, byte for byte, the sqlite_master text that Python
// llm 0.32 (through sqlite-utils) leaves behind, so either tool can open the file.
const CREATE_MIGRATIONS = `CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
)`;
const CREATE_MIGRATIONS_INDEX = `CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name")`;
const CREATE_COLLECTIONS = `CREATE TABLE "collections" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT,
   "model" TEXT
)`;
const CREATE_COLLECTIONS_INDEX = `CREATE UNIQUE INDEX "idx_collections_name"
    ON "collections" ("name")`;
const embeddingsTable = (name: string) => `CREATE TABLE "${name}" (
   "collection_id" INTEGER REFERENCES "collections"("id"),
   "id" TEXT,
   "embedding" BLOB,
   "content" TEXT,
   "content_blob" BLOB,
   "content_hash" BLOB,
   "metadata" TEXT,
   "updated" INTEGER,
   PRIMARY KEY ("collection_id", "id")
)`;
const CREATE_EMBEDDINGS_INDEX = `CREATE INDEX "idx_embeddings_content_hash"
    ON "embeddings" ("content_hash")`;
const EMBEDDING_COLUMNS = ['collection_id', 'id', 'embedding', 'content', 'content_blob', 'content_hash', 'metadata', 'updated'];

/** `str(datetime.now(timezone.utc))` in Python: `2026-08-05 12:34:56.789000+00:00`. */
function pythonUtcNow(): string {
  const iso = new Date().toISOString(); // 2026-08-05T12:34:56.789Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00:00`;
}

function tableExists(db: Database, name: string): boolean {
  return db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

function columns(db: Database, table: string): string[] {
  return (db.prepare(`pragma table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
}

function appliedMigrations(db: Database): Set<string> {
  if (!tableExists(db, '_sqlite_migrations')) return new Set();
  const rows = db.prepare('select name from _sqlite_migrations where migration_set = ?').all(MIGRATION_SET) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * Applies whatever of the five `llm.embeddings` migrations the database lacks, recording
 * each in `_sqlite_migrations` as sqlite-utils does. A new database gets the final
 * schema at once; an older one has its `embeddings` table rebuilt to that shape.
 */
export function migrateEmbeddings(db: Database): void {
  if (MIGRATIONS.every((name) => appliedMigrations(db).has(name))) return;
  const run = db.transaction(() => {
    const applied = appliedMigrations(db);
    const pending = MIGRATIONS.filter((name) => !applied.has(name));
    if (pending.length === 0) return;
    ensureMigrationsTable(db);
    if (!applied.has('m001_create_tables') && !tableExists(db, 'collections')) {
      db.exec(CREATE_COLLECTIONS);
      db.exec(CREATE_COLLECTIONS_INDEX);
    }
    if (!tableExists(db, 'embeddings')) {
      db.exec(embeddingsTable('embeddings'));
      db.exec(CREATE_EMBEDDINGS_INDEX);
    } else if (pending.some((name) => name !== 'm001_create_tables')) {
      rebuildEmbeddings(db, applied);
    }
    const record = db.prepare('insert into _sqlite_migrations (migration_set, name, applied_at) values (?, ?, ?)');
    for (const name of pending) record.run(MIGRATION_SET, name, pythonUtcNow());
  });
  run.immediate();
}

/** The sqlite-utils migrations table, upgraded from the older sqlite-migrate shape if needed. */
function ensureMigrationsTable(db: Database): void {
  if (!tableExists(db, '_sqlite_migrations')) {
    db.exec(CREATE_MIGRATIONS);
    db.exec(CREATE_MIGRATIONS_INDEX);
    return;
  }
  if (columns(db, '_sqlite_migrations').includes('id')) return;
  db.exec('alter table "_sqlite_migrations" rename to "_sqlite_migrations_old"');
  db.exec(CREATE_MIGRATIONS);
  db.exec(
    'insert into "_sqlite_migrations" (migration_set, name, applied_at) select migration_set, name, applied_at from "_sqlite_migrations_old"',
  );
  db.exec('drop table "_sqlite_migrations_old"');
  db.exec(CREATE_MIGRATIONS_INDEX);
}

/** Rebuilds an older `embeddings` table into the final column order, backfilling new columns. */
function rebuildEmbeddings(db: Database, applied: Set<string>): void {
  const existing = new Set(columns(db, 'embeddings'));
  const keep = EMBEDDING_COLUMNS.filter((c) => existing.has(c)).map((c) => `"${c}"`);
  const temp = `embeddings_new_${Date.now().toString(16)}`;
  db.exec(embeddingsTable(temp));
  db.exec(`insert into "${temp}" (${keep.join(', ')}) select ${keep.join(', ')} from "embeddings"`);
  db.exec('drop table "embeddings"');
  db.exec(`alter table "${temp}" rename to "embeddings"`);
  db.exec('drop index if exists "idx_embeddings_content_hash"');
  db.exec(CREATE_EMBEDDINGS_INDEX);
  if (!applied.has('m003_add_updated')) {
    db.prepare('update embeddings set updated = ? where updated is null').run(Math.floor(Date.now() / 1000));
  }
  if (!applied.has('m004_store_content_hash')) {
    const rows = db.prepare('select rowid, content from embeddings where content_hash is null').all() as {
      rowid: number;
      content: string | null;
    }[];
    const update = db.prepare('update embeddings set content_hash = ? where rowid = ?');
    for (const row of rows) {
      const source = row.content ?? `${Date.now() / 1000}-${row.rowid}-${Math.random()}`;
      update.run(createHash('md5').update(source, 'utf8').digest(), row.rowid);
    }
  }
}
