import { createHash } from '../util/builtins.js';
import { CollectionNotFoundError, EmbeddingNotFoundError, UsageError } from '../errors.js';
import type { EmbeddingInput, EmbeddingModel } from '../models/embedding-model.js';
import { getEmbeddingModel } from '../plugins/registry.js';
import { type Database, migrateEmbeddings, openEmbeddingsDb } from './db.js';
import { pythonJsonDumps } from './python-json.js';
import { topSimilar } from './similarity.js';
import { decode, encode } from './vector.js';

export type Metadata = Record<string, unknown>;

/** One result of a similarity search. */
export interface Entry {
  id: string;
  score: number | null;
  content: string | null;
  metadata: Metadata | null;
}

export interface CollectionOptions {
  /** A path to an embeddings.db, or an open better-sqlite3 database. Default: a new in-memory database. */
  db?: string | Database;
  /** The embedding model, for a collection that is created now. */
  model?: EmbeddingModel;
  /** Or the id (or alias) of the embedding model. */
  modelId?: string;
  /** Create the collection if it does not exist (default true); false throws CollectionNotFoundError. */
  create?: boolean;
}

export interface EmbedOptions {
  metadata?: Metadata | null;
  /** Store the content itself (text in `content`, bytes in `content_blob`). */
  store?: boolean;
  key?: string;
  signal?: AbortSignal;
}

export interface EmbedMultiOptions {
  store?: boolean;
  batchSize?: number;
  key?: string;
  signal?: AbortSignal;
  /** Called after each batch is written, with the number of entries handled so far. */
  onProgress?: (done: number) => void;
}

export interface SimilarOptions {
  /** How many results (default 10). */
  number?: number;
  /** Only IDs starting with this prefix (SQL `LIKE prefix || '%'`, as Python llm). */
  prefix?: string | null;
}

export type EntryInput = readonly [id: string, value: EmbeddingInput];
export type EntryWithMetadataInput = readonly [id: string, value: EmbeddingInput, metadata?: Metadata | null];

/**
 * A named set of embeddings in an embeddings.db, all made by one embedding model: the
 * TypeScript form of Python llm's `Collection`. Database work is synchronous (SQLite);
 * anything that calls the model is async.
 */
export class Collection {
  readonly name: string;
  readonly db: Database;
  readonly id: number;
  readonly modelId: string;
  private resolvedModel: EmbeddingModel | undefined;

  constructor(name: string, options: CollectionOptions = {}) {
    this.name = name;
    this.db = typeof options.db === 'object' ? options.db : openEmbeddingsDb(options.db ?? ':memory:');
    if (typeof options.db === 'object') migrateEmbeddings(this.db);
    const row = this.db.prepare('select id, model from collections where name = ?').get(name) as
      | { id: number; model: string }
      | undefined;
    if (row) {
      this.id = row.id;
      this.modelId = row.model;
      this.resolvedModel = options.model && options.model.modelId === row.model ? options.model : undefined;
      return;
    }
    if (options.create === false) throw new CollectionNotFoundError(`Collection '${name}' does not exist`);
    let model = options.model;
    if (options.modelId) model = getEmbeddingModel(options.modelId);
    if (!model) throw new UsageError('Either model or modelId must be provided when creating a new collection');
    this.resolvedModel = model;
    this.modelId = model.modelId;
    const result = this.db
      .prepare('insert into collections (name, model) values (?, ?) on conflict(name) do nothing')
      .run(name, this.modelId);
    this.id = result.changes
      ? Number(result.lastInsertRowid)
      : (this.db.prepare('select id from collections where name = ?').get(name) as { id: number }).id;
  }

  /** Opens a collection; the async-friendly spelling of `new Collection(...)`. */
  static async open(name: string, options: CollectionOptions = {}): Promise<Collection> {
    return new Collection(name, options);
  }

  /** Whether a collection of this name exists in the database. */
  static exists(db: string | Database, name: string): boolean {
    const handle = typeof db === 'object' ? db : openEmbeddingsDb(db);
    try {
      const found = handle.prepare("select 1 from sqlite_master where type = 'table' and name = 'collections'").get();
      return found !== undefined && handle.prepare('select 1 from collections where name = ?').get(name) !== undefined;
    } finally {
      if (typeof db !== 'object') handle.close();
    }
  }

  /** The md5 digest that decides whether content has been embedded already (UTF-8 for text). */
  static contentHash(input: EmbeddingInput): Buffer {
    return createHash('md5')
      .update(typeof input === 'string' ? Buffer.from(input, 'utf8') : input)
      .digest();
  }

  /** The collection's embedding model, resolved on first use. */
  model(): EmbeddingModel {
    return (this.resolvedModel ??= getEmbeddingModel(this.modelId));
  }

  /** Number of stored embeddings. */
  count(): number {
    return (this.db.prepare('select count(*) as c from embeddings where collection_id = ?').get(this.id) as { c: number }).c;
  }

  /**
   * Embeds one value and stores it under `id`. Content already stored under this ID is
   * not embedded again; content stored under another ID reuses that vector.
   */
  async embed(id: string, value: EmbeddingInput, options: EmbedOptions = {}): Promise<void> {
    await this.embedMultiWithMetadata([[id, value, options.metadata ?? null]], {
      store: options.store,
      key: options.key,
      signal: options.signal,
    });
  }

  /** Embeds many `[id, value]` pairs in batches. */
  async embedMulti(
    entries: Iterable<EntryInput> | AsyncIterable<EntryInput>,
    options: EmbedMultiOptions = {},
  ): Promise<void> {
    async function* withMetadata(): AsyncGenerator<EntryWithMetadataInput> {
      for await (const [id, value] of entries) yield [id, value, null];
    }
    await this.embedMultiWithMetadata(withMetadata(), options);
  }

  /** Embeds many `[id, value, metadata]` triples in batches (default 100, capped by the model's batch size). */
  async embedMultiWithMetadata(
    entries: Iterable<EntryWithMetadataInput> | AsyncIterable<EntryWithMetadataInput>,
    options: EmbedMultiOptions = {},
  ): Promise<void> {
    const requested = options.batchSize ?? 100;
    if (!Number.isInteger(requested) || requested < 1) throw new UsageError('Batch size must be a positive integer');
    const model = this.model();
    const batchSize = Math.min(requested, model.batchSize ?? requested);
    let batch: EntryWithMetadataInput[] = [];
    let done = 0;
    for await (const entry of entries) {
      batch.push(entry);
      if (batch.length >= batchSize) {
        await this.embedBatch(batch, model, batchSize, options);
        done += batch.length;
        options.onProgress?.(done);
        batch = [];
      }
    }
    if (batch.length) {
      await this.embedBatch(batch, model, batchSize, options);
      done += batch.length;
      options.onProgress?.(done);
    }
  }

  private async embedBatch(
    batch: EntryWithMetadataInput[],
    model: EmbeddingModel,
    batchSize: number,
    options: EmbedMultiOptions,
  ): Promise<void> {
    const hashes = batch.map(([, value]) => Collection.contentHash(value));
    const placeholders = hashes.map(() => '?').join(', ');
    const known = this.db
      .prepare(`select id, content_hash, embedding from embeddings where collection_id = ? and content_hash in (${placeholders})`)
      .all(this.id, ...hashes) as { id: string; content_hash: Buffer; embedding: Buffer }[];
    const unchanged = new Set(known.map((row) => `${row.id}\0${row.content_hash.toString('hex')}`));
    const vectorsByHash = new Map(known.map((row) => [row.content_hash.toString('hex'), row.embedding]));

    // Last write wins for an ID given twice in one batch, as with `insert or replace`.
    const todo: { id: string; value: EmbeddingInput; metadata: Metadata | null | undefined; hash: Buffer }[] = [];
    batch.forEach(([id, value, metadata], i) => {
      const hash = hashes[i]!;
      if (!unchanged.has(`${id}\0${hash.toString('hex')}`)) todo.push({ id, value, metadata, hash });
    });
    if (todo.length === 0) return;

    const needModel = todo.filter((item) => !vectorsByHash.has(item.hash.toString('hex')));
    const unique = new Map<string, EmbeddingInput>();
    for (const item of needModel) unique.set(item.hash.toString('hex'), item.value);
    if (unique.size) {
      const vectors = await model.embedMulti(unique.values(), { batchSize, key: options.key, signal: options.signal });
      let i = 0;
      for (const hex of unique.keys()) vectorsByHash.set(hex, Buffer.from(encode(vectors[i++]!)));
    }

    const now = Math.floor(Date.now() / 1000);
    const insert = this.db.prepare(
      `insert or replace into embeddings (collection_id, id, embedding, content, content_blob, content_hash, metadata, updated)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = this.db.transaction(() => {
      for (const item of todo) {
        const isText = typeof item.value === 'string';
        insert.run(
          this.id,
          item.id,
          vectorsByHash.get(item.hash.toString('hex'))!,
          options.store && isText ? item.value : null,
          options.store && !isText ? Buffer.from(item.value as Uint8Array) : null,
          item.hash,
          item.metadata && Object.keys(item.metadata).length ? pythonJsonDumps(item.metadata) : null,
          now,
        );
      }
    });
    write.immediate();
  }

  /** The `number` entries most similar to a vector, best first. */
  similarByVector(vector: ArrayLike<number>, options: SimilarOptions & { skipId?: string | null } = {}): Entry[] {
    const hits = topSimilar(this.db, this.id, vector, {
      number: options.number ?? 10,
      prefix: options.prefix || null,
      skipId: options.skipId || null,
    });
    const fetch = this.db.prepare('select content, metadata from embeddings where rowid = ?');
    return hits.map((hit) => {
      const row = fetch.get(hit.rowid) as { content: string | null; metadata: string | null };
      return {
        id: hit.id,
        score: hit.score,
        content: row.content,
        metadata: row.metadata ? (JSON.parse(row.metadata) as Metadata) : null,
      };
    });
  }

  /** The stored vector for `id`, or null when the ID is not in the collection. */
  vector(id: string): number[] | null {
    const row = this.db.prepare('select embedding from embeddings where collection_id = ? and id = ?').get(this.id, id) as
      | { embedding: Buffer }
      | undefined;
    return row ? decode(row.embedding) : null;
  }

  /** Entries most similar to the stored entry `id` (which is left out). */
  similarById(id: string, options: SimilarOptions = {}): Entry[] {
    const vector = this.vector(id);
    if (!vector) throw new EmbeddingNotFoundError(`ID not found: ${id}`);
    return this.similarByVector(vector, { ...options, skipId: id });
  }

  /** Embeds `value` with the collection's model, then finds the most similar entries. */
  async similar(value: EmbeddingInput, options: SimilarOptions & { key?: string; signal?: AbortSignal } = {}): Promise<Entry[]> {
    const vector = await this.model().embed(value, { key: options.key, signal: options.signal });
    return this.similarByVector(vector, options);
  }

  /** Deletes the collection and all its embeddings. */
  delete(): void {
    this.db.transaction(() => {
      this.db.prepare('delete from embeddings where collection_id = ?').run(this.id);
      this.db.prepare('delete from collections where id = ?').run(this.id);
    })();
  }
}
