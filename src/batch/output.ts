import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { openSqlite } from '../util/sqlite.js';
import type { Job, JobStore } from './job-store.js';

export type OutputRecord = Record<string, unknown>;

/**
 * The job's answers in input order: `{key, response}`, or with a schema the answer's fields
 * as columns (`{key, name, age}`); failed rows carry `error` instead.
 */
export function outputRecords(store: JobStore, job: Job, keyName = 'key'): OutputRecord[] {
  const useFields = Boolean(job.spec.schema);
  return store.rows(job.id).flatMap((row): OutputRecord[] => {
    if (row.status === 'failed') return [{ [keyName]: row.key, error: row.error }];
    if (row.status !== 'done') return [];
    if (useFields) {
      try {
        const parsed = JSON.parse(row.output ?? '');
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return [{ [keyName]: row.key, ...parsed }];
      } catch {
        // not JSON after all: kept as text below
      }
    }
    return [{ [keyName]: row.key, response: row.output }];
  });
}

function columnsOf(records: readonly OutputRecord[]): string[] {
  const columns: string[] = [];
  for (const record of records) for (const name of Object.keys(record)) if (!columns.includes(name)) columns.push(name);
  return columns;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toJsonl(records: readonly OutputRecord[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

export function toCsv(records: readonly OutputRecord[], delimiter = ','): string {
  const columns = columnsOf(records);
  const line = (cells: unknown[]) => cells.map(csvCell).join(delimiter) + '\r\n';
  return line(columns) + records.map((r) => line(columns.map((c) => r[c]))).join('');
}

/** Writes the records to a .jsonl/.json/.csv/.tsv file, chosen by its extension. */
export function writeOutputFile(path: string, records: readonly OutputRecord[]): void {
  const ext = extname(path).toLowerCase();
  let text: string;
  if (ext === '.csv') text = toCsv(records);
  else if (ext === '.tsv') text = toCsv(records, '\t');
  else if (ext === '.json') text = JSON.stringify(records, null, 2) + '\n';
  else if (ext === '.jsonl' || ext === '.ndjson') text = toJsonl(records);
  else throw new UsageError(`--output must end in .jsonl, .json, .csv or .tsv: ${path}`);
  writeFileSync(path, text);
}

/** Writes the records into `table` of a SQLite file (created, or replaced row by row on the key). */
export function writeOutputTable(databasePath: string, table: string, records: readonly OutputRecord[], keyName = 'key'): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new UsageError(`Invalid table name for --output-table: ${table}`);
  const columns = columnsOf(records);
  if (!columns.includes(keyName)) columns.unshift(keyName);
  const db = openSqlite(databasePath);
  try {
    const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
    db.exec(`create table if not exists ${quoted(table)} (${quoted(keyName)} text primary key)`);
    const existing = new Set((db.prepare(`pragma table_info(${quoted(table)})`).all() as { name: string }[]).map((c) => c.name));
    for (const column of columns) if (!existing.has(column)) db.exec(`alter table ${quoted(table)} add column ${quoted(column)}`);
    const insert = db.prepare(
      `insert or replace into ${quoted(table)} (${columns.map(quoted).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    db.transaction(() => {
      for (const record of records) {
        insert.run(...columns.map((c) => {
          const value = record[c];
          if (value === undefined || value === null) return null;
          if (typeof value === 'object') return JSON.stringify(value);
          if (typeof value === 'boolean') return value ? 1 : 0;
          return value as string | number;
        }));
      }
    })();
  } finally {
    db.close();
  }
}
