import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
// @ts-expect-error plain JS helper shared with the bench
import { makePlugin } from '../../test/helpers/make-plugin.mjs';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { getPlugins } from './info.js';
import { installedPlugins, manifestCachePath, pluginsDir, resetInstalledPlugins } from './installed.js';
import { LazyModel } from './lazy-model.js';
import { getEmbeddingModel, getModel, getModels } from './registry.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** True once this process (not the cache refresh's child) has imported the plugin. */
function importedHere(marker: string): boolean {
  return existsSync(marker) && readFileSync(marker, 'utf8').includes(`run ${process.pid}\n`);
}

/** Lays out `<user dir>/plugins` as `llm install` leaves it, without running npm. */
function install(specs: Parameters<typeof makePlugin>[1][]): void {
  const dir = pluginsDir();
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  const llmLink = join(dir, 'node_modules', 'llm-ts');
  if (!existsSync(llmLink)) symlinkSync(ROOT, llmLink, 'dir');
  const pkgPath = join(dir, 'package.json');
  const pkg = existsSync(pkgPath) ? JSON.parse(readFileSync(pkgPath, 'utf8')) : { dependencies: { 'llm-ts': `file:${ROOT}` } };
  for (const spec of specs) {
    makePlugin(join(dir, 'node_modules', spec.name), spec);
    pkg.dependencies[spec.name] = `^${spec.version ?? '1.0.0'}`;
  }
  writeFileSync(pkgPath, JSON.stringify(pkg));
  resetInstalledPlugins();
}

let user: ReturnType<typeof tempUserDir>;
let stderr: string;
const realWrite = process.stderr.write.bind(process.stderr);

beforeEach(() => {
  user = tempUserDir();
  delete process.env.LLM_LOAD_PLUGINS;
  resetInstalledPlugins();
  stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
});

afterEach(() => {
  process.stderr.write = realWrite;
  delete process.env.LLM_LOAD_PLUGINS;
  resetInstalledPlugins();
  user.cleanup();
});

describe('installed plugins', () => {
  it('lists cached models as lazy proxies and imports the plugin only to run a prompt', async () => {
    const marker = join(user.dir, 'marker');
    install([{ name: 'llm-lazy-one', models: [{ id: 'lazy-a', aliases: ['la'] }, { id: 'lazy-b' }], marker }]);
    installedPlugins(); // builds the cache in a child process
    assert.match(readFileSync(marker, 'utf8'), /^harvest \d+$/m);
    resetInstalledPlugins();

    const model = getModel('la');
    assert.ok(model instanceof LazyModel);
    assert.equal(model.modelId, 'lazy-a');
    assert.equal(String(model), 'Fake Chat: lazy-a');
    assert.equal(model.supportsSchema, true);
    assert.deepEqual([...model.attachmentTypes], ['image/png']);
    assert.deepEqual(Object.keys(model.optionsSpec), ['temperature']);
    assert.ok(getModels().some((m) => m.modelId === 'lazy-b'));
    assert.equal(importedHere(marker), false, 'listing models must not import the plugin');

    assert.throws(() => model.prompt('x', { temperature: 5 }), /Invalid value for option temperature/);
    const response = model.prompt('hello there');
    assert.equal(importedHere(marker), false, 'a lazy response sends nothing before it is read');
    assert.equal(await response.text(), 'lazy-a says: hello there');
    assert.deepEqual(await response.usage(), { input: 1, output: 2, details: null });
    assert.equal(importedHere(marker), true);
  });

  it('passes the key resolved from the cached needsKey/keyEnvVar to the real model', async () => {
    install([{ name: 'llm-keyed', models: [{ id: 'keyed', needsKey: 'keyed', keyEnvVar: 'KEYED_TEST_KEY' }] }]);
    const model = getModel('keyed');
    assert.equal(model.needsKey, 'keyed');
    assert.throws(() => model.getKey(), /No key found - add one using 'llm keys set keyed' or set the KEYED_TEST_KEY environment variable/);
    assert.equal(await model.prompt('hi', { key: 'abcd' }).text(), 'keyed says: hi (key 4)');
  });

  it('lazily proxies embedding models', async () => {
    const marker = join(user.dir, 'marker');
    install([{ name: 'llm-embed-plugin', embeddingModels: [{ id: 'fake-embed', aliases: ['fe'] }], marker }]);
    const model = getEmbeddingModel('fe');
    assert.equal(String(model), 'Fake Embedding: fake-embed');
    assert.equal(importedHere(marker), false);
    assert.deepEqual(await model.embed('hello'), [5, 1, 0]);
    assert.equal(importedHere(marker), true);
  });

  it('reports plugins as the Python tool does, from the cache', () => {
    install([{ name: 'llm-listed', version: '2.3.4', models: [{ id: 'listed' }], commands: [{ name: 'listed-cmd', description: 'x' }] }]);
    assert.deepEqual(getPlugins(), [{ name: 'llm-listed', hooks: ['register_commands', 'register_models'], version: '2.3.4' }]);
    const all = getPlugins({ all: true }).map((p) => p.name);
    assert.ok(all.includes('llm-echo') && all.includes('llm-listed'));
  });

  it('refreshes the cache when a plugin changes', () => {
    install([{ name: 'llm-changing', version: '1.0.0', models: [{ id: 'old-model' }] }]);
    assert.ok(getModels().some((m) => m.modelId === 'old-model'));
    install([{ name: 'llm-changing', version: '1.1.0', models: [{ id: 'new-model' }] }]);
    // Same second, maybe the same size: the version bump must still be seen.
    const pkg = join(pluginsDir(), 'node_modules', 'llm-changing', 'package.json');
    utimesSync(pkg, new Date(), new Date(Date.now() + 5000));
    resetInstalledPlugins();
    const ids = getModels().map((m) => m.modelId);
    assert.ok(ids.includes('new-model'), stderr + ids.join(','));
    assert.ok(!ids.includes('old-model'));
    const cache = JSON.parse(readFileSync(manifestCachePath(), 'utf8'));
    assert.equal(cache.plugins['llm-changing'].version, '1.1.0');
  });

  it('LLM_LOAD_PLUGINS limits which plugins load; empty loads none', () => {
    install([
      { name: 'llm-first', models: [{ id: 'first-model' }] },
      { name: 'llm-second', models: [{ id: 'second-model' }] },
    ]);
    process.env.LLM_LOAD_PLUGINS = 'llm-second,llm-missing';
    let ids = getModels().map((m) => m.modelId);
    assert.ok(ids.includes('second-model'));
    assert.ok(!ids.includes('first-model'));
    assert.ok(ids.includes('echo'), 'built-in plugins always load');
    assert.match(stderr, /^Plugin llm-missing could not be found$/m);
    process.env.LLM_LOAD_PLUGINS = '';
    ids = getModels().map((m) => m.modelId);
    assert.ok(!ids.includes('second-model') && !ids.includes('first-model'));
    assert.deepEqual(getPlugins(), []);
  });

  it('a plugin whose import throws prints one warning; the others keep working', async () => {
    install([
      { name: 'llm-broken-import', models: [{ id: 'never' }], importThrows: 'boom at import' },
      { name: 'llm-healthy', models: [{ id: 'healthy' }] },
    ]);
    getModels();
    getModels();
    const model = getModel('healthy');
    assert.equal(await model.prompt('ok').text(), 'healthy says: ok');
    assert.equal(stderr.match(/llm-broken-import/g)?.length, 1, stderr);
    assert.match(stderr, /^Warning: plugin llm-broken-import failed to load: boom at import$/m);
    assert.throws(() => getModel('never'), /Unknown model: never/);
  });

  it('a plugin whose hook throws prints one warning; what it registered before still works', async () => {
    install([
      { name: 'llm-broken-hook', models: [{ id: 'half' }], hookThrows: 'boom in registerModels' },
      { name: 'llm-fine', models: [{ id: 'fine' }] },
    ]);
    const ids = getModels().map((m) => m.modelId);
    getModels();
    assert.ok(ids.includes('fine') && ids.includes('half'));
    assert.match(stderr, /^Warning: plugin llm-broken-hook failed to load: boom in registerModels$/m);
    assert.equal(stderr.match(/llm-broken-hook/g)?.length, 1, stderr);
    assert.equal(await getModel('fine').prompt('x').text(), 'fine says: x');
  });

  it('a package without an "llm" field is not a plugin', () => {
    install([{ name: 'llm-not-plugin', models: [{ id: 'np' }] }]);
    const pkgPath = join(pluginsDir(), 'node_modules', 'llm-not-plugin', 'package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    delete pkg.llm;
    writeFileSync(pkgPath, JSON.stringify(pkg));
    resetInstalledPlugins();
    assert.equal(installedPlugins().length, 0);
    assert.ok(!getModels().some((m) => m.modelId === 'np'));
  });

  it('a dynamic plugin computes its models at run time', async () => {
    install([{ name: 'llm-dynamic', dynamic: true, models: [{ id: 'dyn' }] }]);
    const cache = () => JSON.parse(readFileSync(manifestCachePath(), 'utf8')).plugins['llm-dynamic'];
    getModels();
    assert.equal(stderr, '');
    const model = getModel('dyn');
    assert.deepEqual(cache().models, []);
    assert.ok(!(model instanceof LazyModel));
    assert.equal(await model.prompt('now').text(), 'dyn says: now');
  });

  it('template and fragment loaders are lazy wrappers around the real ones', async () => {
    install([{ name: 'llm-loaders', templateLoaders: ['tpl'], fragmentLoaders: ['frag'] }]);
    const [plugin] = installedPlugins();
    const loaders: Record<string, (arg: string) => unknown> = {};
    plugin!.registerTemplateLoaders!((prefix, loader) => (loaders[`t:${prefix}`] = loader));
    plugin!.registerFragmentLoaders!((prefix, loader) => (loaders[`f:${prefix}`] = loader));
    assert.deepEqual(await loaders['t:tpl']!('x'), { prompt: 'tpl:x' });
    assert.equal(await loaders['f:frag']!('y'), 'frag fragment y');
  });
});
