// End-to-end: plugins installed with the built CLI from a folder and from a tarball.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
// @ts-expect-error plain JS helper shared with the bench
import { makePlugin } from '../helpers/make-plugin.mjs';
import { makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
let src: { dir: string; cleanup: () => void };
const env = { npm_config_offline: 'true', npm_config_update_notifier: 'false' };
const llm = (args: string[], extra: Record<string, string | undefined> = {}) => runLlm(user.dir, args, { env: { ...env, ...extra } });
const marker = () => join(src.dir, 'marker');
/** Lines `run PID` are imports by an llm command; `harvest PID` the cache refresh. */
const runImports = () => (existsSync(marker()) ? readFileSync(marker(), 'utf8').split('\n').filter((l) => l.startsWith('run ')).length : 0);

before(() => {
  user = makeUserDir();
  src = makeUserDir();
  makePlugin(join(src.dir, 'folder-plugin'), {
    name: 'llm-folder-plugin',
    version: '0.3.0',
    models: [{ id: 'folder-model', aliases: ['fm'] }],
    commands: [{ name: 'folder-cmd', description: 'Says what it was given' }],
    marker: marker(),
  });
  makePlugin(join(src.dir, 'tar-plugin'), {
    name: 'llm-tar-plugin',
    version: '1.2.0',
    models: [{ id: 'tar-model' }],
    embeddingModels: [{ id: 'tar-embed' }],
  });
  execFileSync('npm', ['pack', '--pack-destination', src.dir, join(src.dir, 'tar-plugin')], { stdio: 'ignore', env: { ...process.env, ...env } });
  makePlugin(join(src.dir, 'broken-plugin'), { name: 'llm-broken-plugin', models: [{ id: 'b' }], importThrows: 'cannot start' });
});
after(() => {
  user.cleanup();
  src.cleanup();
});

describe('llm install / plugins / uninstall', () => {
  test('install from a folder and a tarball; llm plugins lists them', async () => {
    let r = await llm(['install', join(src.dir, 'folder-plugin')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Installed llm-folder-plugin 0\.3\.0$/m);
    r = await llm(['install', join(src.dir, 'llm-tar-plugin-1.2.0.tgz')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Installed llm-tar-plugin 1\.2\.0$/m);
    r = await llm(['plugins']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      { name: 'llm-folder-plugin', hooks: ['register_commands', 'register_models'], version: '0.3.0' },
      { name: 'llm-tar-plugin', hooks: ['register_embedding_models', 'register_models'], version: '1.2.0' },
    ]);
    r = await llm(['plugins', '--all']);
    assert.ok(JSON.parse(r.stdout).some((p: { name: string }) => p.name === 'llm-echo'));
    r = await llm(['plugins', '--hook', 'register_embedding_models']);
    assert.deepEqual(JSON.parse(r.stdout).map((p: { name: string }) => p.name), ['llm-tar-plugin']);
    // The installed copy does not depend on the source folder.
    assert.ok(existsSync(join(user.dir, 'plugins', 'node_modules', 'llm-folder-plugin', 'index.js')));
  });

  test('models are listed without importing the plugin; a prompt imports it', async () => {
    const before = runImports();
    let r = await llm(['models']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Fake Chat: folder-model \(aliases: fm\)$/m);
    assert.match(r.stdout, /^Fake Chat: tar-model$/m);
    assert.equal(runImports(), before, 'llm models imported the plugin');
    r = await llm(['--help']);
    assert.equal(runImports(), before, 'llm --help imported the plugin');
    r = await llm(['-m', 'fm', 'hello plugin', '--no-log']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'folder-model says: hello plugin');
    assert.equal(runImports(), before + 1);
  });

  test('a plugin command runs through its cached placeholder', async () => {
    const r = await llm(['folder-cmd', 'a', 'b', '--shout']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'FOLDER-CMD RAN: A B\n');
  });

  test('LLM_LOAD_PLUGINS limits which plugins load', async () => {
    let r = await llm(['plugins'], { LLM_LOAD_PLUGINS: 'llm-tar-plugin' });
    assert.deepEqual(JSON.parse(r.stdout).map((p: { name: string }) => p.name), ['llm-tar-plugin']);
    r = await llm(['models'], { LLM_LOAD_PLUGINS: '' });
    assert.doesNotMatch(r.stdout, /Fake Chat/);
    assert.match(r.stdout, /^Echo: echo$/m);
    r = await llm(['plugins'], { LLM_LOAD_PLUGINS: 'llm-nope' });
    assert.equal(r.stdout.trim(), '[]');
    assert.match(r.stderr, /^Plugin llm-nope could not be found$/m);
  });

  test('a plugin that cannot load is refused; one that breaks later prints one warning and everything else keeps working', async () => {
    let r = await llm(['install', join(src.dir, 'broken-plugin')]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim().split('\n').pop(),
      'Error: plugin llm-broken-plugin failed to load: cannot start: nothing was installed (fix the plugin, then run llm install again)',
    );
    // Installed while it worked, broken since (its code changed under it).
    makePlugin(join(src.dir, 'breaks-later'), { name: 'llm-broken-plugin', models: [{ id: 'b' }] });
    r = await llm(['install', join(src.dir, 'breaks-later')]);
    assert.equal(r.code, 0, r.stderr);
    const installedCode = join(user.dir, 'plugins', 'node_modules', 'llm-broken-plugin', 'index.js');
    writeFileSync(installedCode, "throw new Error('cannot start');\n" + readFileSync(installedCode, 'utf8'));
    r = await llm(['models']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Fake Chat: tar-model$/m);
    assert.equal(r.stderr, 'Warning: plugin llm-broken-plugin failed to load: cannot start\n');
    r = await llm(['-m', 'tar-model', 'still fine', '--no-log']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'tar-model says: still fine');
    assert.equal(r.stderr.match(/llm-broken-plugin/g)?.length ?? 0, 1, r.stderr);
  });

  test('uninstall removes a plugin (and the tarball install kept); errors name what is wrong', async () => {
    const tarballs = () => readdirSync(join(user.dir, 'plugins', 'tarballs')).filter((f) => f.includes('broken'));
    assert.equal(tarballs().length, 1);
    let r = await llm(['uninstall', 'llm-broken-plugin', '-y']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tarballs(), []);
    r = await llm(['plugins']);
    assert.deepEqual(JSON.parse(r.stdout).map((p: { name: string }) => p.name), ['llm-folder-plugin', 'llm-tar-plugin']);
    r = await llm(['uninstall', 'llm-broken-plugin']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Plugin llm-broken-plugin is not installed\n');
    r = await llm(['install', './no-such-folder']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: No such file or folder: ./no-such-folder\n');
    r = await llm(['install']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Give at least one package to install (a name, a folder or a tarball)\n');
  });
});

describe("plugins' template and fragment loaders", () => {
  const echoed = (stdout: string) => JSON.parse(stdout) as { prompt: string; system: string; attachments: unknown[] };

  test('-f prefix:rest and -t prefix:rest go to the loaders a plugin registers', async () => {
    makePlugin(join(src.dir, 'loaders-plugin'), { name: 'llm-loaders-plugin', templateLoaders: ['tl'], fragmentLoaders: ['fl'] });
    let r = await llm(['install', join(src.dir, 'loaders-plugin')]);
    assert.equal(r.code, 0, r.stderr);

    r = await llm(['-m', 'echo', '-f', 'fl:abc', '-f', 'fl:two', '--sf', 'fl:sys', 'the question']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'fl fragment abc\nfl one\nfl two\nthe question');
    assert.equal(echoed(r.stdout).system, 'fl fragment sys');
    const [logged] = JSON.parse((await llm(['logs', '-n', '1', '--json'])).stdout) as { prompt_fragments: { content: string }[] }[];
    assert.deepEqual(logged!.prompt_fragments.map((f) => f.content), ['fl fragment abc', 'fl one', 'fl two']);

    r = await llm(['-m', 'echo', '-f', 'fl:image', 'describe']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(echoed(r.stdout).attachments.map((a: { type: string; path: null }) => [a.type, a.path]), [['image/png', null]]);

    r = await llm(['-m', 'echo', '-t', 'tl:greeting']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(echoed(r.stdout).prompt, 'tl:greeting');

    r = await llm(['templates', 'loaders']);
    assert.equal(r.stdout, 'tl:\n  Undocumented\n');
  });

  test('an unknown prefix, a loader that fails, or an attachment for --sf is a one-line error', async () => {
    const cases: [string[], string][] = [
      [['-f', 'zz:abc', 'q'], 'Error: Unknown fragment prefix: zz\n'],
      [['-f', 'fl:fail', 'q'], 'Error: Could not load fragment fl:fail: no such thing\n'],
      [['--sf', 'fl:image', 'q'], 'Error: Could not load fragment fl:image: Fragment loader fl returned a disallowed attachment\n'],
      [['-t', 'zz:abc'], 'Error: Unknown template prefix: zz\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await llm(['-m', 'echo', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, stderr);
    }
  });
});
