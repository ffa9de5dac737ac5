import type { Database } from './db.js';
import { float32View } from './vector.js';

export interface Hit {
  rowid: number;
  id: string;
  score: number;
}

/**
 * Brute-force cosine similarity over every vector in a collection, keeping the best
 * `number`. Each stored BLOB is read through a Float32Array view (no decode to numbers),
 * and content/metadata are left for the caller to fetch for the winners only.
 * Ties keep the order in which rows were scanned. A negative `number` means all rows.
 */
export function topSimilar(
  db: Database,
  collectionId: number,
  vector: ArrayLike<number>,
  options: { number: number; prefix: string | null; skipId: string | null },
): Hit[] {
  const limit = options.number < 0 ? Infinity : Math.floor(options.number);
  if (limit === 0) return [];
  const query = Float64Array.from(vector as ArrayLike<number>);
  let queryNorm = 0;
  for (let i = 0; i < query.length; i++) queryNorm += query[i]! * query[i]!;
  queryNorm = Math.sqrt(queryNorm);

  const where = ['collection_id = ?'];
  const args: unknown[] = [collectionId];
  if (options.prefix) {
    where.push("id LIKE ? || '%'");
    args.push(options.prefix);
  }
  if (options.skipId) {
    where.push('id != ?');
    args.push(options.skipId);
  }
  // A full scan in table order reads the file sequentially; going through the
  // (collection_id, id) index would visit the rows in random order. Prefer the scan
  // unless the collection is a small part of the table.
  const indexed = useIndex(db, collectionId) ? '' : ' not indexed';
  const statement = db
    .prepare(`select rowid, id, embedding from embeddings${indexed} where ${where.join(' and ')}`)
    .raw(true);

  const scores: number[] = [];
  const hits: Hit[] = [];
  for (const row of statement.iterate(...args) as IterableIterator<[number, string, Uint8Array | null]>) {
    const blob = row[2];
    if (!blob) continue;
    const score = cosine(query, queryNorm, float32View(blob));
    if (Number.isNaN(score)) continue;
    if (hits.length >= limit && score <= scores[hits.length - 1]!) continue;
    // Insert keeping descending order; equal scores stay in scan order.
    let at = hits.length;
    while (at > 0 && scores[at - 1]! < score) at--;
    scores.splice(at, 0, score);
    hits.splice(at, 0, { rowid: row[0], id: row[1], score });
    if (hits.length > limit) {
      scores.pop();
      hits.pop();
    }
  }
  return hits;
}

function useIndex(db: Database, collectionId: number): boolean {
  const stats = db
    .prepare('select (select count(*) from embeddings where collection_id = ?) as mine, (select max(rowid) from embeddings) as top')
    .get(collectionId) as { mine: number; top: number | null };
  return stats.top !== null && stats.mine * 4 < stats.top;
}

function cosine(query: Float64Array, queryNorm: number, row: Float32Array): number {
  const n = Math.min(query.length, row.length);
  let dot = 0;
  let norm = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a0 = row[i]!;
    const a1 = row[i + 1]!;
    const a2 = row[i + 2]!;
    const a3 = row[i + 3]!;
    dot += a0 * query[i]! + a1 * query[i + 1]! + a2 * query[i + 2]! + a3 * query[i + 3]!;
    norm += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
  }
  for (; i < n; i++) {
    const a = row[i]!;
    dot += a * query[i]!;
    norm += a * a;
  }
  if (norm === 0 || queryNorm === 0) return 0;
  // When the row is shorter than the query, only the shared part counts (as Python's zip).
  let qn = queryNorm;
  if (n < query.length) {
    qn = 0;
    for (let j = 0; j < n; j++) qn += query[j]! * query[j]!;
    qn = Math.sqrt(qn);
    if (qn === 0) return 0;
  }
  return dot / (Math.sqrt(norm) * qn);
}
