import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheFile, commandGroup } from './launch.js';
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

test('the cache lives in $XDG_CACHE_HOME/llm-ts when that is absolute, else in ~/.cache/llm-ts', () => {
  const bundle = new URL(import.meta.url).pathname;
  assert.match(cacheFile(bundle, 'prompt', { XDG_CACHE_HOME: '/var/cache/me' })!, /^\/var\/cache\/me\/llm-ts\/prompt-[0-9a-f]{8}-[0-9a-f]{8}\.v8$/);
  const home = cacheFile(bundle, 'logs', { XDG_CACHE_HOME: 'relative/dir' })!;
  assert.ok(home.startsWith(`${process.env.HOME ?? ''}/.cache/llm-ts/logs-`), home);
  assert.notEqual(cacheFile(bundle, 'prompt', {}), cacheFile(bundle, 'logs', {}));
});
