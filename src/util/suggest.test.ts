import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames, didYouMean } from './suggest.js';

test('closest names: typos, swapped letters, case; nothing for a word far from all', () => {
  const names = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'o1', 'echo', '4o-mini'];
  assert.equal(closestNames('gpt4o-mini', names)[0], 'gpt-4o-mini', 'the closest first');
  assert.deepEqual(closestNames('ehco', names), ['echo']);
  assert.deepEqual(closestNames('GPT-4O', names), ['gpt-4o', 'gpt-4.1']);
  assert.deepEqual(closestNames('nope', names), []);
  assert.equal(didYouMean('modles', ['models', 'logs', 'keys']), '. Did you mean models?');
  assert.equal(didYouMean('gpt-4o-mino', ['gpt-4o-mini', 'gpt-4o-mina']), '. Did you mean gpt-4o-mina or gpt-4o-mini?');
  assert.equal(didYouMean('zzz', ['models']), '');
});
