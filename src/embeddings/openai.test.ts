import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runEmbedCliAsync } from '../../test/helpers/embed-cli.js';
import { startFakeServer, type FakeServer } from '../testing/provider-server.js';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { Collection } from './collection.js';
import { openEmbeddingsDb } from './db.js';

// The OpenAI embedding model through a Collection, against a loopback server.
let server: FakeServer;
let user: ReturnType<typeof tempUserDir>;
const saved = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };

/** A fake 4-dim embedding: [length, vowels, spaces, 1]. */
function fakeVector(text: string): number[] {
  return [text.length, (text.match(/[aeiou]/g) ?? []).length, (text.match(/ /g) ?? []).length, 1];
}

before(async () => {
  user = tempUserDir();
  server = await startFakeServer((request, res) => {
    if (request.json?.input?.includes?.('fail please')) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Bad input', type: 'invalid_request_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        model: request.json.model,
        data: (request.json.input as string[]).map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text) })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
  });
  process.env.OPENAI_BASE_URL = server.url;
  process.env.OPENAI_API_KEY = 'sk-test-embeddings-key';
});
after(async () => {
  await server.close();
  if (saved.base === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = saved.base;
  if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = saved.key;
  user.cleanup();
});

test('a collection of text-embedding-3-small vectors, embedded in batches over HTTP', async () => {
  const db = openEmbeddingsDb(join(user.dir, 'openai.db'));
  const collection = new Collection('docs', { db, modelId: '3-small' });
  assert.equal(collection.modelId, 'text-embedding-3-small');
  const before = server.requests.length;
  await collection.embedMulti(
    Array.from({ length: 150 }, (_, i) => [`doc-${i}`, `text number ${i}`] as const),
    { batchSize: 1000 },
  );
  const calls = server.requests.slice(before);
  assert.deepEqual(calls.map((r) => r.json.input.length), [100, 50], 'capped by the model batch size of 100');
  assert.equal(calls[0]!.path, '/embeddings');
  assert.equal(calls[0]!.headers.authorization, 'Bearer sk-test-embeddings-key');
  assert.equal(calls[0]!.json.model, 'text-embedding-3-small');
  assert.equal(collection.count(), 150);
  const [top] = await collection.similar('text number 7');
  assert.ok(Math.abs(top!.score! - 1) < 1e-9);
  assert.deepEqual(fakeVector(`text number ${top!.id.slice(4)}`), fakeVector('text number 7'));
  assert.equal(server.requests.at(-1)!.json.input[0], 'text number 7');
  db.close();
});

test('an API error while embedding is one line and stores nothing', async () => {
  const collection = new Collection('errors', { modelId: 'text-embedding-3-small' });
  await assert.rejects(collection.embed('1', 'fail please'), (error: Error) => {
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, /Bad input/);
    assert.doesNotMatch(error.message, /sk-test/);
    return true;
  });
  assert.equal(collection.count(), 0);
});

test('llm embed -m 3-small and llm similar through the OpenAI provider', async () => {
  const env = { LLM_USER_PATH: user.dir, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-embeddings-key', LLM_EMBEDDINGS_DB: join(user.dir, 'cli.db') };
  const printed = await runEmbedCliAsync(['embed', '-m', '3-small', '-c', 'hello there'], { env });
  assert.equal(printed.stdout, '[11, 4, 1, 1]\n', printed.stderr);
  assert.equal((await runEmbedCliAsync(['embed', 'c', 'a', '-m', '3-small', '-c', 'hello there'], { env })).code, 0);
  assert.equal((await runEmbedCliAsync(['embed', 'c', 'b', '-c', 'zz'], { env })).code, 0);
  const similar = await runEmbedCliAsync(['similar', 'c', '-c', 'hello there'], { env });
  assert.equal(JSON.parse(similar.stdout.split('\n')[0]!).id, 'a');
  const failed = await runEmbedCliAsync(['embed', '-m', '3-small', '-c', 'fail please'], { env });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^Error: .*Bad input.*\n$/);
});
