import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandGroup } from './launch.js';
import { BUILTIN_NAMES } from './main.js';

test('every built-in command has its own code cache group; prompts share one; help has its own', () => {
  for (const name of BUILTIN_NAMES) {
    assert.equal(commandGroup([name, 'x']), name === 'prompt' ? 'prompt' : name, name);
  }
  assert.equal(commandGroup([]), 'prompt', 'no arguments runs the prompt command');
  assert.equal(commandGroup(['Five names for a pelican']), 'prompt');
  assert.equal(commandGroup(['-m', 'echo', 'hi']), 'prompt');
  assert.equal(commandGroup(['--help']), 'help');
  assert.equal(commandGroup(['logs', '-h']), 'help');
});
