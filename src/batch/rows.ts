import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { parseRows, type RowsFormat } from '../embeddings/sources.js';
import { openSqlite } from '../util/sqlite.js';
import type { Row } from './fill.js';

/** `llm map`'s input formats: those of `embed-multi`, and `lines` (one row per line, as `text`). */
export type MapInputFormat = RowsFormat | 'lines';

/** Rows from a document: JSON array, JSONL, CSV or TSV (detected unless `format` says), or one per line. */
export function rowsFromText(text: string, format?: MapInputFormat): Row[] {
  if (format === 'lines') {
    return text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => ({ text: line }));
  }
  return parseRows(text, format ?? null).map((row, index) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new UsageError(`Row ${index + 1} is not an object: each row needs named columns`);
    }
    return row;
  });
}

/** Rows from a file (`-` for stdin's text, given as `stdin`). */
export function rowsFromFile(path: string, format?: MapInputFormat, stdin?: string): Row[] {
  if (path === '-') return rowsFromText(stdin ?? '', format);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return rowsFromText(text, format);
}

/** Rows from a SQL query on a SQLite file, opened read-only. */
export function rowsFromSql(databasePath: string, sql: string): Row[] {
  let db;
  try {
    db = openSqlite(databasePath, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new UsageError(`Cannot open SQLite database ${databasePath}: ${(error as Error).message}`);
  }
  try {
    return db.prepare(sql).all() as Row[];
  } catch (error) {
    throw new UsageError(`SQL error: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
