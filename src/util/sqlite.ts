import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { bundledSqliteDriver } from './sqlite-bundled.js';

const require = createRequire(import.meta.url);

interface Driver {
  Database: typeof BetterSqlite3;
  /** The native addon's path, given to better-sqlite3 so it need not search for it. */
  binding: string | undefined;
}
let driver: Driver | undefined;

/**
 * better-sqlite3, loaded on first use so importing the library stays cheap. The bundle
 * carries a copy of its JavaScript (a dozen small files, about 5 ms to load from
 * node_modules), used only when the installed package is the very version it was copied
 * from, so that it always matches the native addon; otherwise the installed one is loaded.
 */
function loadDriver(): Driver {
  let packageDir: string | undefined;
  try {
    packageDir = dirname(require.resolve('better-sqlite3/package.json'));
  } catch {
    packageDir = undefined;
  }
  const addon = packageDir === undefined ? undefined : join(packageDir, 'build', 'Release', 'better_sqlite3.node');
  const binding = addon !== undefined && existsSync(addon) ? addon : undefined;
  if (bundledSqliteDriver && binding && packageDir !== undefined) {
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string };
    if (version === bundledSqliteDriver.version) return { Database: bundledSqliteDriver.load(), binding };
  }
  return { Database: require('better-sqlite3') as typeof BetterSqlite3, binding };
}

export function sqliteDriver(): typeof BetterSqlite3 {
  return (driver ??= loadDriver()).Database;
}

/** Opens a SQLite database. */
export function openSqlite(path: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  const { Database, binding } = (driver ??= loadDriver());
  return new Database(path, binding ? { ...options, nativeBinding: binding } : options);
}

/**
 * The one line to show for a SQLite or file-system error on the file at `path`, naming
 * the file and what to do; undefined for errors that are not about the file itself.
 */
export function fileProblem(path: string, error: unknown): string | undefined {
  const code = String((error as { code?: unknown })?.code ?? '');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return `${path} is not a valid SQLite database (it was left untouched): move it aside to start a new one`;
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `Could not write ${path}: the disk is full; free some space and try again`;
  if (code === 'EFBIG') return `Could not write ${path}: the file is larger than this system allows (EFBIG); free some space or raise the limit`;
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return `Could not write ${path}: disk I/O error (${code}); check that the disk is not full or failing, then try again`;
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return `Could not open ${path} as a SQLite database (${code}): check that it is a file, in a folder you can write to`;
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `${path} is locked by another process (${code}); try again once it is done`;
  }
  if (code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return `Could not write ${path}: permission denied or read-only (${code})`;
  }
  return undefined;
}
