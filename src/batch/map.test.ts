import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogsDatabase } from '../logs/database.js';
import { listLogs } from '../logs/reader.js';
import { MockModel } from '../testing/mock-model.js';
import type { MapResult } from './run-local.js';

async function collect(results: AsyncIterable<MapResult>): Promise<MapResult[]> {
  const all: MapResult[] = [];
  for await (const result of results) all.push(result);
  return all;
}

test('model.map(): each row fills the template; results carry the row key; a database makes the job resumable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-map-'));
  try {
    const model = new MockModel();
    model.enqueue(['one']).enqueue(['two']).enqueue(['three']);
    const rows = [
      { id: 'a', name: 'Ada' },
      { id: 'b', name: 'Bob' },
      { id: 'c', name: 'Cy' },
    ];
    const database = join(dir, 'logs.db');
    const first = await collect(model.map(rows, { template: { prompt: 'Hello $name', system: 'Be $mood' , defaults: { mood: 'kind' } }, parallel: 2, database }));
    assert.deepEqual(first.map((r) => r.key).sort(), ['a', 'b', 'c']);
    assert.deepEqual(model.history.map((c) => [c.prompt, c.system]).sort(), [
      ['Hello Ada', 'Be kind'],
      ['Hello Bob', 'Be kind'],
      ['Hello Cy', 'Be kind'],
    ]);
    const logs = LogsDatabase.open(database);
    assert.equal(listLogs(logs, { count: 0 }).length, 3);
    logs.close();
    // The same map again: nothing is sent, every row comes back from the job.
    const again = await collect(model.map(rows, { template: { prompt: 'Hello $name', system: 'Be $mood', defaults: { mood: 'kind' } }, database }));
    assert.equal(model.history.length, 3);
    assert.ok(again.every((r) => r.reused));
    assert.deepEqual(again.map((r) => r.text).sort(), ['one', 'three', 'two']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('model.map() without a database logs nothing and still answers every row; a failing row is reported, not thrown', async () => {
  const model = new MockModel();
  model.enqueue(['fine']);
  const results = (await collect(model.map([{ text: 'x' }, { text: 'y' }], { template: '$text', parallel: 1 }))).sort((a, b) => a.index - b.index);
  assert.equal(results.length, 2);
  assert.deepEqual(results[0], { key: '1', index: 0, text: 'fine', turnId: null });
  assert.equal(results[1]!.key, '2');
  assert.match(results[1]!.error!, /^MockModel mock has no reply queued/);
});
