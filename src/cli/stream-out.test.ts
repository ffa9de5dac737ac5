import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelEvent } from '../models/events.js';
import { Model } from '../models/model.js';
import { streamOut } from './run-prompt.js';

class Thinker extends Model {
  readonly modelId = 'thinker';
  async *execute(): AsyncIterable<ModelEvent> {
    yield { type: 'reasoning', text: 'Let me ' };
    yield { type: 'reasoning', text: 'think.' };
    yield { type: 'text', text: 'The ' };
    yield { type: 'text', text: 'answer.' };
  }
}

async function capture(fn: () => Promise<void>): Promise<{ stdout: string; stderr: string; order: string[] }> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  const order: string[] = [];
  process.stdout.write = ((chunk: string) => ((stdout += chunk), order.push(`out:${chunk}`), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), order.push(`err:${chunk}`), true)) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { stdout, stderr, order };
}

test('reasoning streams to stderr, text to stdout, a newline on stderr where they switch', async () => {
  const result = await capture(() => streamOut(new Thinker().prompt('q'), true));
  assert.equal(result.stdout, 'The answer.\n');
  assert.equal(result.stderr, 'Let me think.\n');
  assert.deepEqual(result.order.slice(0, 4), ['err:Let me ', 'err:think.', 'err:\n', 'out:The ']);
});

test('hidden reasoning (-R) writes nothing to stderr', async () => {
  const result = await capture(() => streamOut(new Thinker().prompt('q'), false));
  assert.equal(result.stdout, 'The answer.\n');
  assert.equal(result.stderr, '');
});
