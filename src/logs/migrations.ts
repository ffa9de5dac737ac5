import type { Database } from 'better-sqlite3';
import { FRESH_SCHEMA, MIGRATION_NAMES } from './fresh-schema.js';

/**
 * Brings a logs.db to the schema Python llm 0.32 creates, recording the same migration
 * names in `_llm_migrations`, so either tool can open the file afterwards.
 *
 * - An empty file gets the exact DDL of a fresh Python-made DB (`FRESH_SCHEMA`).
 * - A DB made by an older llm (any of m010 … m026 applied) is upgraded in place: every
 *   missing table, index, trigger, FTS table and view is created in its final form,
 *   missing columns are added, the m016 primary-key change and the m024
 *   tool_instantiations reshaping are done by rebuilding those tables, and FTS indexes
 *   created on existing data are rebuilt.
 * - Pre-m010 `log`/`logs` tables (llm < 0.4) are left as they are; Python's reader no
 *   longer reads them either.
 */
export function migrate(db: Database): void {
  const applied = appliedMigrations(db);
  if (applied.size >= MIGRATION_NAMES.length && MIGRATION_NAMES.every((n) => applied.has(n))) return;
  db.transaction(() => {
    const again = appliedMigrations(db);
    if (MIGRATION_NAMES.every((n) => again.has(n))) return;
    const objectCount = (db.prepare("select count(*) as c from sqlite_master where name not like 'sqlite_%'").get() as { c: number }).c;
    if (objectCount === 0) {
      for (const sql of FRESH_SCHEMA) db.exec(sql);
    } else {
      upgrade(db);
    }
    const now = pythonNow();
    const insert = db.prepare('insert or ignore into _llm_migrations (name, applied_at) values (?, ?)');
    for (const name of MIGRATION_NAMES) if (!again.has(name)) insert.run(name, now);
  }).immediate();
}

function appliedMigrations(db: Database): Set<string> {
  const exists = db.prepare("select 1 from sqlite_master where type = 'table' and name = '_llm_migrations'").get();
  if (!exists) return new Set();
  return new Set((db.prepare('select name from _llm_migrations').all() as { name: string }[]).map((r) => r.name));
}

/** `str(datetime.datetime.now(datetime.timezone.utc))`, as sqlite-utils' migrations record it. */
export function pythonNow(date = new Date()): string {
  return date.toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

function objectName(sql: string): { type: string; name: string } {
  const m = /^CREATE (?:UNIQUE )?(TABLE|INDEX|TRIGGER|VIEW|VIRTUAL TABLE) "?([\w]+)"?/i.exec(sql)!;
  const kind = m[1]!.toUpperCase();
  return { type: kind === 'VIRTUAL TABLE' ? 'table' : kind.toLowerCase(), name: m[2]! };
}

function upgrade(db: Database): void {
  const existing = new Map<string, SchemaObject>();
  for (const row of db.prepare('select type, name, tbl_name, sql from sqlite_master').all() as SchemaObject[]) existing.set(row.name, row);

  // The final column lists, read from a scratch in-memory copy of the fresh schema.
  const Ctor = db.constructor as unknown as new (path: string) => Database;
  const scratch = new Ctor(':memory:');
  for (const sql of FRESH_SCHEMA) scratch.exec(sql);
  const columnsOf = (d: Database, table: string) =>
    d.prepare(`select name, type from pragma_table_info(?)`).all(table) as { name: string; type: string }[];

  const rebuild = (table: string) => {
    const ddl = FRESH_SCHEMA.find((s) => objectName(s).name === table)!;
    const keep = columnsOf(db, table)
      .map((c) => c.name)
      .filter((c) => columnsOf(scratch, table).some((f) => f.name === c));
    db.exec(`alter table "${table}" rename to "_old_${table}"`);
    db.exec(ddl);
    const cols = keep.map((c) => `"${c}"`).join(', ');
    db.exec(`insert or ignore into "${table}" (${cols}) select ${cols} from "_old_${table}"`);
    db.exec(`drop table "_old_${table}"`);
  };

  // m016: fragment join tables keyed by (response_id, fragment_id, order).
  for (const table of ['prompt_fragments', 'system_fragments']) {
    const current = existing.get(table);
    if (current && !/PRIMARY KEY \("response_id", "fragment_id", "order"\)/.test(current.sql)) rebuild(table);
  }
  // m024: tool_instantiations loses name/plugin/arguments, gains instance_id.
  if (existing.has('tool_instantiations') && !columnsOf(db, 'tool_instantiations').some((c) => c.name === 'instance_id')) {
    rebuild('tool_instantiations');
  }

  const rebuildFts: string[] = [];
  for (const sql of FRESH_SCHEMA) {
    const { type, name } = objectName(sql);
    if (existing.has(name)) {
      if (type === 'table' && !/VIRTUAL TABLE/i.test(sql)) {
        const have = new Set(columnsOf(db, name).map((c) => c.name));
        for (const column of columnsOf(scratch, name)) {
          if (!have.has(column.name)) db.exec(`alter table "${name}" add column "${column.name}" ${column.type}`);
        }
      }
      continue;
    }
    if (name === '_llm_migrations' || type !== 'table' || !/VIRTUAL TABLE/i.test(sql)) {
      db.exec(sql);
    } else {
      db.exec(sql);
      rebuildFts.push(name);
    }
    existing.set(name, { type, name, tbl_name: name, sql });
  }
  for (const fts of rebuildFts) db.exec(`insert into "${fts}" ("${fts}") values ('rebuild')`);
  scratch.close();
}
