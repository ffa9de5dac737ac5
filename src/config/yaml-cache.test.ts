import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { readYamlFile } from './yaml-cache.js';

let user: ReturnType<typeof tempUserDir>;
const savedXdg = process.env.XDG_CACHE_HOME;
beforeEach(() => {
  user = tempUserDir();
  process.env.XDG_CACHE_HOME = join(user.dir, 'cache');
});
afterEach(() => {
  if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedXdg;
  user.cleanup();
});

test('a YAML file is parsed once; while its mtime and size hold, the cached parse is read', () => {
  const path = join(user.dir, 'extra-openai-models.yaml');
  writeFileSync(path, '- model_id: a\n  model_name: b\n');
  assert.deepEqual(readYamlFile(path), { value: [{ model_id: 'a', model_name: 'b' }], warnings: [] });
  const [name] = readdirSync(join(user.dir, 'cache', 'llm-ts'));
  const cacheFile = join(user.dir, 'cache', 'llm-ts', name!);
  // The cache is what the next read returns (here altered, to show it is read).
  const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
  writeFileSync(cacheFile, JSON.stringify({ ...cached, value: ['from the cache'] }));
  assert.deepEqual(readYamlFile(path).value, ['from the cache']);
  // A changed file is parsed again.
  writeFileSync(path, '- model_id: changed\n  model_name: b\n');
  assert.deepEqual(readYamlFile(path).value, [{ model_id: 'changed', model_name: 'b' }]);
});

test('warnings come back one line each; errors are thrown', () => {
  const path = join(user.dir, 'x.yaml');
  writeFileSync(path, 'a: !weird tag\n');
  assert.deepEqual(readYamlFile(path), { value: { a: 'tag' }, warnings: ['Unresolved tag: !weird at line 1, column 4:'] });
  writeFileSync(path, 'a: [unclosed\n');
  assert.throws(() => readYamlFile(path));
});
