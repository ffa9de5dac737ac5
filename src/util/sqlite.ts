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
