import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Limiter } from './limiter.js';

test('a 429 halves the pool once per wait; successes grow it back one slot at a time', async () => {
  let now = 0;
  const limiter = new Limiter({ parallel: 8, now: () => now });
  limiter.backOff(0);
  assert.equal(limiter.limit, 4);
  limiter.backOff(0); // the same burst of 429s: no second cut
  assert.equal(limiter.limit, 4);
  now += 1000;
  limiter.backOff(0);
  assert.equal(limiter.limit, 2);
  for (let i = 0; i < 2; i++) {
    await limiter.acquire();
    limiter.release({ ok: true });
  }
  assert.equal(limiter.limit, 3);
  for (let i = 0; i < 3; i++) {
    await limiter.acquire();
    limiter.release({ ok: true });
  }
  assert.equal(limiter.limit, 4);
});

test('no more than the pool size in flight; a waiter starts when a slot is released', async () => {
  const limiter = new Limiter({ parallel: 2 });
  await limiter.acquire();
  await limiter.acquire();
  let third = false;
  const waiting = limiter.acquire().then(() => (third = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(third, false);
  assert.equal(limiter.inFlight, 2);
  limiter.release({ ok: true });
  await waiting;
  assert.equal(third, true);
  assert.equal(limiter.inFlight, 2);
});

test('an abort rejects a waiting acquire', async () => {
  const limiter = new Limiter({ parallel: 1 });
  await limiter.acquire();
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(waiting, /stop/);
});

test('--rpm spaces the starts: with a slot free, the second start still waits for its turn', async () => {
  const limiter = new Limiter({ parallel: 4, rpm: 60 }); // one start a second
  await limiter.acquire();
  let second = false;
  const waiting = limiter.acquire().then(() => (second = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(second, false, 'a free slot alone does not start it');
  await waiting;
  assert.equal(limiter.inFlight, 2);
});
