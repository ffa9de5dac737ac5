import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { ConfigFileError, NeedsKeyError, UnknownModelError, UsageError } from '../errors.js';
import { type ExecuteContext, Model } from '../models/model.js';
import {
  getDefaultEmbeddingModel,
  getDefaultModel,
  getModel,
  registerPlugin,
  removeAlias,
  setAlias,
  setDefaultEmbeddingModel,
  setDefaultModel,
  unregisterPlugin,
} from '../plugins/registry.js';
import type { LlmPlugin } from '../plugins/types.js';
import { loadAliases } from './aliases.js';
import { getKey, loadKeys, setKey } from './keys.js';
import { userDir } from './user-dir.js';

class KeyedModel extends Model {
  readonly modelId = 'keyed-test-model';
  override needsKey = 'keyedprovider';
  override keyEnvVar = 'KEYED_TEST_API_KEY';
  async *execute(_prompt: unknown, context: ExecuteContext) {
    yield { type: 'text' as const, text: `key=${context.key}` };
  }
}

const keyed = new KeyedModel();
const plugin: LlmPlugin = { name: 'config-test', registerModels: (register) => register(keyed, null, ['keyed']) };

describe('user directory files', () => {
  let user: ReturnType<typeof tempUserDir>;
  beforeEach(() => {
    user = tempUserDir();
    registerPlugin(plugin);
    delete process.env.KEYED_TEST_API_KEY;
    keyed.key = undefined;
  });
  afterEach(() => {
    unregisterPlugin(plugin);
    user.cleanup();
  });

  test('a user directory that cannot be created is one clear error naming it', () => {
    const blocker = join(user.dir, 'a-file');
    writeFileSync(blocker, '');
    const saved = process.env.LLM_USER_PATH;
    process.env.LLM_USER_PATH = blocker;
    try {
      assert.throws(
        () => userDir(),
        (error: unknown) =>
          ConfigFileError.is(error) &&
          (error as Error).message === `Could not create the LLM user directory ${blocker}: a file of that name is in the way`,
      );
    } finally {
      process.env.LLM_USER_PATH = saved;
    }
  });

  test('userDir honours LLM_USER_PATH', () => {
    assert.equal(userDir(), user.dir);
  });

  test('keys.json: written as Python writes it, mode 0600, note first', () => {
    setKey('openai', 'sk-one');
    setKey('café', 'ü🦊');
    const path = join(user.dir, 'keys.json');
    assert.equal(
      readFileSync(path, 'utf8'),
      '{\n  "// Note": "This file stores secret API credentials. Do not share!",\n  "openai": "sk-one",\n  "caf\\u00e9": "\\u00fc\\ud83e\\udd8a"\n}\n',
    );
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(loadKeys(), { openai: 'sk-one', café: 'ü🦊' });
  });

  test('a corrupt keys.json is reported by name and never overwritten', () => {
    const path = join(user.dir, 'keys.json');
    writeFileSync(path, '{"openai": "sk-');
    assert.throws(() => loadKeys(), (e: unknown) => ConfigFileError.is(e) && (e as Error).message.startsWith(`keys.json at ${path} is not valid JSON`));
    assert.throws(() => setKey('openai', 'sk-new'), (e: unknown) => ConfigFileError.is(e));
    assert.equal(readFileSync(path, 'utf8'), '{"openai": "sk-');
  });

  test('key resolution: model.key, then the key option (name, then literal), keys.json, env var', async () => {
    process.env.KEYED_TEST_API_KEY = 'from-env';
    writeFileSync(join(user.dir, 'keys.json'), JSON.stringify({ keyedprovider: 'from-keys-file', other: 'other-key' }));
    assert.equal(await keyed.prompt('x').text(), 'key=from-keys-file');
    assert.equal(await keyed.prompt('x', { key: 'other' }).text(), 'key=other-key');
    assert.equal(await keyed.prompt('x', { key: 'literal-key' }).text(), 'key=literal-key');
    writeFileSync(join(user.dir, 'keys.json'), '{}');
    assert.equal(await keyed.prompt('x').text(), 'key=from-env');
    keyed.key = 'on-the-model';
    assert.equal(await keyed.prompt('x', { key: 'literal-key' }).text(), 'key=on-the-model');
    assert.equal(getKey({ explicit: null, alias: 'nothing', envVar: 'KEYED_TEST_API_KEY' }), 'from-env');
  });

  test('no key anywhere: NeedsKeyError naming both ways to set one, before any request', async () => {
    const response = keyed.prompt('x');
    await assert.rejects(response.text(), (e: unknown) => {
      assert.ok(NeedsKeyError.is(e));
      assert.equal(
        (e as Error).message,
        "No key found - add one using 'llm keys set keyedprovider' or set the KEYED_TEST_API_KEY environment variable",
      );
      return true;
    });
  });

  test('aliases: set to a model id, to an alias (resolved), to an unknown id (stored as given)', () => {
    assert.throws(() => getModel('my-alias'), (e: unknown) => UnknownModelError.is(e) && (e as Error).message === 'Unknown model: my-alias');
    setAlias('my-alias', 'keyed-test-model');
    assert.equal(getModel('my-alias'), keyed);
    setAlias('alias-of-alias', 'my-alias');
    setAlias('alias-of-plugin-alias', 'keyed');
    setAlias('future', 'not-installed-yet');
    assert.deepEqual(loadAliases(), {
      'my-alias': 'keyed-test-model',
      'alias-of-alias': 'keyed-test-model',
      'alias-of-plugin-alias': 'keyed-test-model',
      future: 'not-installed-yet',
    });
    assert.equal(
      readFileSync(join(user.dir, 'aliases.json'), 'utf8'),
      '{\n    "my-alias": "keyed-test-model",\n    "alias-of-alias": "keyed-test-model",\n    "alias-of-plugin-alias": "keyed-test-model",\n    "future": "not-installed-yet"\n}\n',
    );
  });

  test('aliases: a missing aliases.json is created; an invalid one is named and left untouched', () => {
    const path = join(user.dir, 'aliases.json');
    rmSync(path, { force: true });
    setAlias('k', 'keyed');
    assert.equal(readFileSync(path, 'utf8'), '{\n    "k": "keyed-test-model"\n}\n');
    writeFileSync(path, '{"kept": "gpt-4o", oops');
    assert.throws(
      () => setAlias('k2', 'keyed'),
      (e: unknown) => ConfigFileError.is(e) && (e as Error).message.startsWith(`aliases.json at ${path} is not valid JSON: `),
    );
    assert.equal(readFileSync(path, 'utf8'), '{"kept": "gpt-4o", oops');
  });

  test('removeAlias: removes, and says which alias is missing', () => {
    const path = join(user.dir, 'aliases.json');
    assert.throws(() => removeAlias('nope'), (e: unknown) => UsageError.is(e) && (e as Error).message === 'No aliases.json file exists');
    writeFileSync(path, '{oops');
    assert.throws(() => removeAlias('nope'), { message: 'aliases.json file is not valid JSON' });
    writeFileSync(path, '{}');
    setAlias('gone-soon', 'keyed');
    assert.throws(() => removeAlias('nope'), { message: 'No such alias: nope' });
    removeAlias('gone-soon');
    assert.equal(readFileSync(path, 'utf8'), '{}\n');
    assert.throws(() => getModel('gone-soon'), (e: unknown) => UnknownModelError.is(e));
  });

  test('default_model.txt and default_embedding_model.txt: bare ids, no newline; null removes', () => {
    assert.equal(getDefaultModel(), 'gpt-4o-mini');
    assert.equal(getDefaultModel({ default: null }), null);
    setDefaultModel('keyed');
    assert.equal(readFileSync(join(user.dir, 'default_model.txt'), 'utf8'), 'keyed');
    assert.equal(getDefaultModel(), 'keyed');
    assert.equal(getModel(), keyed);
    writeFileSync(join(user.dir, 'default_model.txt'), '  keyed-test-model\n');
    assert.equal(getDefaultModel(), 'keyed-test-model');
    setDefaultModel(null);
    assert.equal(existsSync(join(user.dir, 'default_model.txt')), false);
    assert.equal(getDefaultModel(), 'gpt-4o-mini');

    assert.equal(getDefaultEmbeddingModel(), null);
    setDefaultEmbeddingModel('3-small');
    assert.equal(readFileSync(join(user.dir, 'default_embedding_model.txt'), 'utf8'), '3-small');
    assert.equal(getDefaultEmbeddingModel(), '3-small');
    setDefaultEmbeddingModel(null);
    assert.equal(getDefaultEmbeddingModel({ default: 'x' }), 'x');
  });
});
