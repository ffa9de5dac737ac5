import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'node:test';
import { collectGarbage } from './gc.js';

test('collectGarbage frees what nothing refers to', async () => {
  const ref = (() => new WeakRef({ payload: 'x'.repeat(1000) }))();
  // A WeakRef keeps its target until the current job ends.
  await nextTurn();
  collectGarbage();
  assert.equal(ref.deref(), undefined);
  collectGarbage(); // and again, once enabled
});
