// `llm install ./folder` of a plugin that was never built: it is built first, or refused in
// one line; a plugin that cannot load is never "Installed" and leaves nothing behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
// @ts-expect-error plain JS helper shared with the bench
import { makePlugin } from '../helpers/make-plugin.mjs';
import { makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
let src: { dir: string; cleanup: () => void };
const env = { npm_config_offline: 'true', npm_config_update_notifier: 'false' };
const llm = (args: string[]) => runLlm(user.dir, args, { env });

/**
 * A plugin folder as a TypeScript project has it before its build: package.json points at
 * dist/index.js, the code is in src/, and `build` makes dist/.
 */
function unbuiltPlugin(folder: string, name: string, build: string, extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): string {
  makePlugin(folder, { name, version: '0.1.0', models: [{ id: `${name}-model` }], ...spec });
  mkdirSync(join(folder, 'src'));
  renameSync(join(folder, 'index.js'), join(folder, 'src', 'index.js'));
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  Object.assign(pkg, { main: './dist/index.js', scripts: { build }, ...extra });
  writeFileSync(join(folder, 'package.json'), JSON.stringify(pkg, null, 2));
  return folder;
}

const installedNames = async () => JSON.parse((await llm(['plugins'])).stdout).map((p: { name: string; version: string }) => `${p.name} ${p.version}`);
const pluginsState = () => ({
  json: readFileSync(join(user.dir, 'plugins', 'package.json'), 'utf8'),
  lock: readFileSync(join(user.dir, 'plugins', 'package-lock.json'), 'utf8'),
  modules: readdirSync(join(user.dir, 'plugins', 'node_modules')).sort(),
  tarballs: readdirSync(join(user.dir, 'plugins', 'tarballs')).sort(),
});

/** Every file and link under a folder (node_modules too), with its content or target. */
function folderState(dir: string, at = ''): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of readdirSync(join(dir, at)).sort()) {
    const path = join(at, name);
    const stat = lstatSync(join(dir, path));
    if (stat.isSymbolicLink()) state[path] = `-> ${readlinkSync(join(dir, path))}`;
    else if (stat.isDirectory()) Object.assign(state, { [`${path}/`]: '' }, folderState(dir, path));
    else state[path] = `${readFileSync(join(dir, path), 'utf8')} (mode ${stat.mode.toString(8)}, mtime ${stat.mtimeMs})`;
  }
  return state;
}

before(() => {
  user = makeUserDir();
  src = makeUserDir();
  // A build tool the plugin has as a devDependency (a local package: no network needed).
  mkdirSync(join(src.dir, 'tiny-copier'));
  writeFileSync(join(src.dir, 'tiny-copier', 'package.json'), JSON.stringify({ name: 'tiny-copier', version: '1.0.0', main: 'index.js' }));
  writeFileSync(
    join(src.dir, 'tiny-copier', 'index.js'),
    "const fs = require('node:fs');\nexports.copy = (from, to) => { fs.mkdirSync(require('node:path').dirname(to), { recursive: true }); fs.copyFileSync(from, to); };\n",
  );
  const good = unbuiltPlugin(join(src.dir, 'good'), 'llm-built-plugin', 'node build.mjs', { devDependencies: { 'tiny-copier': 'file:../tiny-copier' } });
  writeFileSync(join(good, 'build.mjs'), "import copier from 'tiny-copier';\ncopier.copy('src/index.js', 'dist/index.js');\n");
  // The same, with its dependencies installed already (as a developer's folder has them).
  const installed = unbuiltPlugin(join(src.dir, 'has-modules'), 'llm-has-modules-plugin', 'node build.mjs', { devDependencies: { 'tiny-copier': 'file:../tiny-copier' } });
  writeFileSync(join(installed, 'build.mjs'), "import copier from 'tiny-copier';\ncopier.copy('src/index.js', 'dist/index.js');\n");
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--legacy-peer-deps'], { cwd: installed, stdio: 'ignore' });
  unbuiltPlugin(join(src.dir, 'fails'), 'llm-fails-plugin', `node -e "console.error('src/index.ts(1,1): error TS2304'); process.exit(2)"`);
  unbuiltPlugin(join(src.dir, 'no-dist'), 'llm-no-dist-plugin', 'node -e 0');
  unbuiltPlugin(join(src.dir, 'no-load'), 'llm-no-load-plugin', "node -e \"require('fs').mkdirSync('dist');require('fs').copyFileSync('src/index.js','dist/index.js')\"", {}, {
    importThrows: 'Cannot find package @acme/runtime',
  });
  makePlugin(join(src.dir, 'no-script'), { name: 'llm-no-script-plugin', models: [{ id: 'x' }] });
  const noScript = JSON.parse(readFileSync(join(src.dir, 'no-script', 'package.json'), 'utf8'));
  writeFileSync(join(src.dir, 'no-script', 'package.json'), JSON.stringify({ ...noScript, main: './dist/index.js' }));
  // A new version of the good plugin that builds but cannot load.
  unbuiltPlugin(join(src.dir, 'good-v2'), 'llm-built-plugin', "node -e \"require('fs').mkdirSync('dist');require('fs').copyFileSync('src/index.js','dist/index.js')\"", { version: '0.2.0' }, {
    importThrows: 'broken in 0.2.0',
  });
});
after(() => {
  user.cleanup();
  src.cleanup();
});

describe('llm install of a plugin folder that is not built', () => {
  test('its devDependencies are installed and its build runs, in a copy; then it is installed and works', async () => {
    const folder = join(src.dir, 'good');
    const as = folderState(folder);
    const r = await llm(['install', folder]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^Installing the dependencies of ${folder} to build it$`, 'm'));
    assert.match(r.stderr, new RegExp(`^Building ${folder} \\(npm run build\\)$`, 'm'));
    assert.match(r.stderr, /^Installed llm-built-plugin 0\.1\.0$/m);
    assert.equal(r.stdout, '');
    // Built in a copy: the folder is as it was, byte for byte (no dist/, node_modules or lock).
    assert.deepEqual(folderState(folder), as);
    assert.deepEqual(readdirSync(join(user.dir, 'plugins', 'tarballs')), ['llm-built-plugin-0.1.0.tgz'], 'the copy is gone');
    assert.deepEqual(await installedNames(), ['llm-built-plugin 0.1.0']);
    const answer = await llm(['-m', 'llm-built-plugin-model', 'hello', '--no-log']);
    assert.equal(answer.code, 0, answer.stderr);
    assert.equal(answer.stdout.trim(), 'llm-built-plugin-model says: hello');
    // The folder is still not built: a second install builds a copy again.
    const again = await llm(['install', folder]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^Building .* \(npm run build\)$/m);
    assert.match(again.stderr, /^Installed llm-built-plugin 0\.1\.0$/m);
    assert.deepEqual(folderState(folder), as);
  });

  test('a folder with its dependencies installed: they are used, not installed again, and left as they were', async () => {
    const folder = join(src.dir, 'has-modules');
    const as = folderState(folder);
    assert.ok(as['node_modules/tiny-copier'], 'npm install linked the build tool');
    const r = await llm(['install', folder]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Installing the dependencies/);
    assert.match(r.stderr, new RegExp(`^Building ${folder} \\(npm run build\\)$`, 'm'));
    assert.match(r.stderr, /^Installed llm-has-modules-plugin 0\.1\.0$/m);
    assert.deepEqual(folderState(folder), as);
    const answer = await llm(['-m', 'llm-has-modules-plugin-model', 'hi', '--no-log']);
    assert.equal(answer.stdout.trim(), 'llm-has-modules-plugin-model says: hi');
    const removed = await llm(['uninstall', 'llm-has-modules-plugin', '-y']);
    assert.equal(removed.code, 0, removed.stderr);
  });

  test('a build that fails: one line, exit 1, the plugins folder untouched', async () => {
    const before = pluginsState();
    const folder = join(src.dir, 'fails');
    const as = folderState(folder);
    const r = await llm(['install', folder]);
    assert.equal(r.code, 1);
    const last = r.stderr.trim().split('\n').pop();
    assert.equal(last, `Error: Building ${folder} failed (npm run build exited with code 2): fix its build, then run llm install again`);
    assert.match(r.stderr, /error TS2304/, "the build's own output is shown above");
    assert.doesNotMatch(r.stderr, /Installed/);
    assert.deepEqual(pluginsState(), before);
    assert.deepEqual(folderState(folder), as);
  });

  test('a build that does not make the main module, and a folder with no build script', async () => {
    let folder = join(src.dir, 'no-dist');
    let r = await llm(['install', folder]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim().split('\n').pop(),
      `Error: Building ${folder} (npm run build) did not make its main module dist/index.js: check "main"/"exports" in its package.json and its build, then run llm install again`,
    );
    folder = join(src.dir, 'no-script');
    r = await llm(['install', folder]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `Error: ${folder} is not built: its main module dist/index.js is missing and its package.json has no "prepare" or "build" script to make it; build it, then run llm install again\n`,
    );
    assert.deepEqual(await installedNames(), ['llm-built-plugin 0.1.0']);
  });

  test('a plugin that builds but cannot load is not installed: the folder is as it was, later commands quiet', async () => {
    const before = pluginsState();
    const r = await llm(['install', join(src.dir, 'no-load')]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim().split('\n').pop(),
      'Error: plugin llm-no-load-plugin failed to load: Cannot find package @acme/runtime: nothing was installed (fix the plugin, then run llm install again)',
    );
    assert.doesNotMatch(r.stderr, /Installed/);
    assert.deepEqual(pluginsState(), before);
    const models = await llm(['models']);
    assert.equal(models.code, 0);
    assert.equal(models.stderr, '');
    assert.match(models.stdout, /llm-built-plugin-model/);
  });

  test('a new version that cannot load leaves the working version installed', async () => {
    const r = await llm(['install', join(src.dir, 'good-v2')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: plugin llm-built-plugin failed to load: broken in 0\.2\.0: nothing was installed/m);
    assert.deepEqual(await installedNames(), ['llm-built-plugin 0.1.0']);
    const answer = await llm(['-m', 'llm-built-plugin-model', 'still here', '--no-log']);
    assert.equal(answer.code, 0, answer.stderr);
    assert.equal(answer.stderr, '');
    assert.equal(answer.stdout.trim(), 'llm-built-plugin-model says: still here');
  });
});
