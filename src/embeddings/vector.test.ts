import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosineSimilarity, decode, encode, float32View } from './vector.js';

test('encode writes little-endian float32 bytes as Python llm.encode does', () => {
  const bytes = encode([5, 5, ...new Array(14).fill(0)]);
  assert.equal(Buffer.from(bytes).toString('hex'), `0000a0400000a040${'0'.repeat(112)}`);
  assert.equal(Buffer.from(bytes).toString('base64'), 'AACgQAAAoEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' + 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==');
});

test('decode reverses encode (at float32 precision), also for unaligned bytes', () => {
  const values = [0.5, -1.25, 3.140625, 0];
  assert.deepEqual(decode(encode(values)), values);
  const padded = Buffer.alloc(17);
  Buffer.from(encode(values)).copy(padded, 1);
  assert.deepEqual(Array.from(float32View(padded.subarray(1))), values);
});

test('cosineSimilarity: parallel vectors 1, zero vectors 0, shorter length wins', () => {
  assert.ok(Math.abs(cosineSimilarity([1, 0], [2, 0]) - 1) < 1e-12);
  assert.equal(cosineSimilarity([0, 0], [1, 2]), 0);
  assert.equal(cosineSimilarity([1, 2], [0, 0]), 0);
  assert.ok(Math.abs(cosineSimilarity([5, 5], [7, 5]) - 0.9863939238321437) < 1e-12);
});
