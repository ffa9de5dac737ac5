import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EmbedDemo, embedDemoPlugin } from '../../test/helpers/embed-demo.js';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { CollectionNotFoundError, EmbeddingNotFoundError, UsageError } from '../errors.js';
import { registerPlugin, unregisterPlugin } from '../plugins/registry.js';
import { Collection } from './collection.js';
import { openEmbeddingsDb } from './db.js';
import { encode } from './vector.js';

const plugin = embedDemoPlugin();
let user: ReturnType<typeof tempUserDir>;
before(() => {
  user = tempUserDir();
  registerPlugin(plugin);
});
after(() => {
  unregisterPlugin(plugin);
  user.cleanup();
});

async function demoCollection(): Promise<Collection> {
  const collection = new Collection('test', { modelId: 'embed-demo' });
  await collection.embed('1', 'hello world');
  await collection.embed('2', 'goodbye world');
  return collection;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

test('a collection stores vectors, hashes and timestamps as Python llm does', async () => {
  const collection = await demoCollection();
  assert.equal(collection.id, 1);
  assert.equal(collection.modelId, 'embed-demo');
  assert.equal(collection.count(), 2);
  const rows = collection.db.prepare('select * from embeddings order by id').all() as Record<string, unknown>[];
  assert.deepEqual(rows[0]!.embedding, Buffer.from(encode([5, 5, ...new Array(14).fill(0)])));
  assert.deepEqual(rows[1]!.embedding, Buffer.from(encode([7, 5, ...new Array(14).fill(0)])));
  assert.deepEqual(rows[0]!.content_hash, Collection.contentHash('hello world'));
  assert.equal(rows[0]!.content, null);
  assert.equal(rows[0]!.content_blob, null);
  assert.equal(rows[0]!.metadata, null);
  assert.ok(typeof rows[0]!.updated === 'number' && (rows[0]!.updated as number) > 0);
});

test('contentHash is the md5 digest of the UTF-8 text or the bytes', () => {
  assert.equal(Collection.contentHash('hello').toString('hex'), '5d41402abc4b2a76b9719d911017c592');
  assert.equal(Collection.contentHash(new Uint8Array([0, 1, 2])).toString('hex'), 'b95f67f61ebb03619622d798f45fc2d3');
});

test('similar, similar with a prefix, similarById', async () => {
  const collection = await demoCollection();
  const results = await collection.similar('hello world');
  assert.deepEqual(
    results.map((e) => e.id),
    ['1', '2'],
  );
  assert.ok(close(results[0]!.score!, 1));
  assert.ok(close(results[1]!.score!, 0.9863939238321437));
  assert.deepEqual(
    (await collection.similar('hello world', { prefix: '2' })).map((e) => e.id),
    ['2'],
  );
  const byId = collection.similarById('1');
  assert.deepEqual(byId.map((e) => [e.id, e.content, e.metadata]), [['2', null, null]]);
  assert.deepEqual(collection.similarById('1', { number: 0 }), []);
  assert.equal((await collection.similar('hello world', { number: 1 })).length, 1);
  assert.throws(() => collection.similarById('nope'), (e: unknown) => EmbeddingNotFoundError.is(e) && (e as Error).message === 'ID not found: nope');
});

test('store and metadata come back from similar', async () => {
  const collection = await demoCollection();
  await collection.embed('3', 'hello yet again', { metadata: { foo: 'bar', n: [1, 2] }, store: true });
  const row = collection.db.prepare("select content, metadata from embeddings where id = '3'").get() as { content: string; metadata: string };
  assert.equal(row.content, 'hello yet again');
  assert.equal(row.metadata, '{"foo": "bar", "n": [1, 2]}'); // json.dumps spacing
  const [top] = await collection.similar('hello yet again');
  assert.deepEqual({ id: top!.id, content: top!.content, metadata: top!.metadata }, { id: '3', content: 'hello yet again', metadata: { foo: 'bar', n: [1, 2] } });
});

test('binary content is stored in content_blob', async () => {
  const collection = new Collection('bin', { modelId: 'embed-demo' });
  await collection.embed('b', new Uint8Array([0, 1, 2]), { store: true });
  const row = collection.db.prepare('select embedding, content, content_blob from embeddings').get() as Record<string, Buffer | null>;
  assert.deepEqual(row.content_blob, Buffer.from([0, 1, 2]));
  assert.equal(row.content, null);
  assert.deepEqual(row.embedding, Buffer.from(encode([3, ...new Array(15).fill(0)])));
});

test('unchanged content is not embedded twice; the same text under a new ID reuses the vector', async () => {
  const model = new EmbedDemo();
  const db = openEmbeddingsDb(':memory:');
  const collection = new Collection('dups', { db, model });
  await collection.embed('1', 'hello world');
  await collection.embed('2', 'goodbye world');
  assert.equal(model.embedded.length, 2);
  await collection.embed('1', 'hello world');
  assert.equal(model.embedded.length, 2);
  assert.equal(collection.count(), 2);
  await collection.embed('9', 'hello world');
  assert.equal(model.embedded.length, 2);
  assert.equal(collection.count(), 3);
  const other = new Collection('other', { db, model });
  await other.embed('1', 'hello world');
  assert.equal(model.embedded.length, 3);
  await collection.embedMulti([
    ['1', 'hello world'],
    ['2', 'goodbye world'],
    ['3', 'this is new'],
  ]);
  assert.equal(model.embedded.length, 4);
  assert.equal(collection.count(), 4);
  // Changed content under an existing ID is embedded again.
  await collection.embed('1', 'changed text');
  assert.equal(model.embedded.length, 5);
  assert.deepEqual(collection.vector('1')!.slice(0, 2), [7, 4]);
});

for (const [batchSize, expected] of [
  [undefined, 100],
  [5, 200],
] as const) {
  for (const withMetadata of [false, true]) {
    test(`embedMulti of 1000 items, batch size ${batchSize ?? 'default'}, metadata ${withMetadata}`, async () => {
      const model = new EmbedDemo();
      const collection = new Collection('multi', { model });
      const entries = Array.from({ length: 1000 }, (_, i) => [String(i), `hello ${i}`] as const);
      let progress = 0;
      if (withMetadata) {
        await collection.embedMultiWithMetadata(
          entries.map(([id, text]) => [id, text, { meta: id }] as const),
          { batchSize, onProgress: (n) => (progress = n) },
        );
      } else {
        await collection.embedMulti(entries, { store: true, batchSize, onProgress: (n) => (progress = n) });
      }
      assert.equal(progress, 1000);
      assert.equal(collection.count(), 1000);
      const withMeta = collection.db.prepare('select count(*) as c from embeddings where metadata is not null').get() as { c: number };
      const withContent = collection.db.prepare('select count(*) as c from embeddings where content is not null').get() as { c: number };
      assert.equal(withMeta.c, withMetadata ? 1000 : 0);
      assert.equal(withContent.c, withMetadata ? 0 : 1000);
      assert.equal(model.batchCount, expected);
    });
  }
}

test('exists, create: false, delete, and the errors', async () => {
  const path = join(user.dir, 'collections.db');
  const collection = new Collection('items', { db: path, modelId: 'embed-demo' });
  await collection.embed('1', 'hello');
  assert.equal(Collection.exists(path, 'items'), true);
  assert.equal(Collection.exists(path, 'nope'), false);
  assert.throws(
    () => new Collection('nope', { db: path, create: false }),
    (e: unknown) => CollectionNotFoundError.is(e) && (e as Error).message === "Collection 'nope' does not exist",
  );
  assert.throws(
    () => new Collection('nope', { db: path }),
    (e: unknown) => UsageError.is(e) && (e as Error).message === 'Either model or modelId must be provided when creating a new collection',
  );
  const reopened = await Collection.open('items', { db: path });
  assert.equal(reopened.model().modelId, 'embed-demo');
  reopened.delete();
  assert.equal(Collection.exists(path, 'items'), false);
  assert.equal((collection.db.prepare('select count(*) as c from embeddings').get() as { c: number }).c, 0);
  await assert.rejects(
    new Collection('x', { modelId: 'embed-demo' }).embedMulti([['1', 'a']], { batchSize: 0 }),
    (e: unknown) => UsageError.is(e) && (e as Error).message === 'Batch size must be a positive integer',
  );
  collection.db.close();
  reopened.db.close();
});

test('a text-only model rejects bytes with a one-line error', async () => {
  const model = new EmbedDemo();
  model.supportsBinary = false;
  const collection = new Collection('t', { model });
  await assert.rejects(collection.embed('1', new Uint8Array([1])), /This model does not support binary data, only text strings/);
});
