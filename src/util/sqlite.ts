import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
let driver: typeof BetterSqlite3 | undefined;
let binding: string | null | undefined;

/** better-sqlite3, loaded on first use so importing the library stays cheap. */
export function sqliteDriver(): typeof BetterSqlite3 {
  return (driver ??= require('better-sqlite3') as typeof BetterSqlite3);
}

/**
 * Opens a SQLite database. The native addon's path is given to better-sqlite3 directly,
 * which spares it a search of a dozen candidate paths on every start.
 */
export function openSqlite(path: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  const Driver = sqliteDriver();
  if (binding === undefined) {
    try {
      binding = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      binding = null;
    }
  }
  return new Driver(path, binding ? { ...options, nativeBinding: binding } : options);
}
