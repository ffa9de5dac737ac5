import type BetterSqlite3 from 'better-sqlite3';

/** better-sqlite3's JavaScript as the build compiled it into the bundle. */
export interface BundledSqliteDriver {
  /** The better-sqlite3 version the JavaScript came from. */
  version: string;
  load(): typeof BetterSqlite3;
}

/**
 * Undefined here, when running from source; the build replaces this module with one that
 * carries better-sqlite3's JavaScript (see scripts/build.mjs and ./sqlite.ts).
 */
export const bundledSqliteDriver: BundledSqliteDriver | undefined = undefined;
