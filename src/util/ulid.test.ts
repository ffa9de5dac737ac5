import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId, ulidTime } from './ulid.js';

test('ids are 26 lower-case Crockford base32 characters carrying the time', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);
  const id = newId(now);
  assert.match(id, /^[0-9a-hjkmnp-tv-z]{26}$/);
  assert.equal(ulidTime(id), now);
  assert.equal(ulidTime('01ARYZ6S41TSV4RRFFQ69G5FAV'), 1469918176385);
});

test('ids made in the same millisecond (or with the clock going back) still increase', () => {
  const now = Date.now() + 1000;
  const ids = Array.from({ length: 1000 }, () => newId(now));
  ids.push(newId(now - 5));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});
