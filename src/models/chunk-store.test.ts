import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkStore } from './chunk-store.js';

test('hands back every chunk exactly, before and after sealing, across segment boundaries', () => {
  const store = new ChunkStore();
  const chunks: string[] = [];
  for (let i = 0; i < 10_000; i++) chunks.push(i % 7 === 0 ? '' : `c${i}é😀`.slice(0, 1 + (i % 5)));
  chunks.forEach((chunk) => store.push(chunk));
  assert.equal(store.length, chunks.length);
  for (const i of [0, 1, 4095, 4096, 4097, 8191, 8192, 9999]) assert.equal(store.at(i), chunks[i]);
  assert.equal(store.text(), chunks.join(''));
  assert.equal(store.textOf(4090, 4100), chunks.slice(4090, 4100).join(''));
  const whole = store.seal();
  assert.equal(whole, chunks.join(''));
  assert.deepEqual(Array.from({ length: chunks.length }, (_, i) => store.at(i)), chunks);
  assert.throws(() => store.push('x'), /sealed/);
});
