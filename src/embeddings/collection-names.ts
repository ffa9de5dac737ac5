import { existsSync } from 'node:fs';
import { openEmbeddingsDbReadonly } from './db.js';

/**
 * The names of the collections in an embeddings.db, sorted; none when the file or its
 * collections table does not exist. Read-only: one query, no migration (for completion).
 */
export function collectionNames(path: string): string[] {
  if (!existsSync(path)) return [];
  const db = openEmbeddingsDbReadonly(path);
  try {
    const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'collections'").get();
    if (!table) return [];
    return (db.prepare('select name from collections order by name').all() as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}
