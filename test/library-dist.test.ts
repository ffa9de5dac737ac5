// End-to-end checks of the built library (dist/index.js): what importing it loads, and
// error type guards across two copies of the package.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const entry = process.env.LLM_TS_DIST ? resolve(process.env.LLM_TS_DIST) : join(root, 'dist', 'index.js');

describe('built library', () => {
  test('importing it (and calling getModels) loads no heavy module: better-sqlite3, yaml, zod, file-type, openai, ai', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-imports-'));
    try {
      const log = join(dir, 'resolved.txt');
      const hooks = join(dir, 'hooks.mjs');
      writeFileSync(
        hooks,
        `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
      );
      const script = `
import { register, createRequire } from 'node:module';
import { appendFileSync, writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(log)}, '');
register(${JSON.stringify(pathToFileURL(hooks).href)});
const lib = await import(${JSON.stringify(pathToFileURL(entry).href)});
lib.getModels();
lib.schemaDsl('name, age int');
const cjs = Object.keys(createRequire(import.meta.url).cache);
appendFileSync(${JSON.stringify(log)}, cjs.map((p) => 'cjs:' + p).join('\\n') + '\\n');
`;
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, LLM_USER_PATH: dir, LLM_LOAD_PLUGINS: '' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const loaded = execFileSync('cat', [log], { encoding: 'utf8' }).split('\n').filter(Boolean);
      assert.ok(loaded.some((url) => url.endsWith('/dist/llm.cjs')), 'the hook sees the bundle the entry point imports');
      assert.ok(loaded.some((url) => url.includes('dist/index.js')), 'the hook saw the library load');
      for (const heavy of ['better-sqlite3', 'yaml', 'zod', 'file-type', 'openai', '/ai/', '@ai-sdk', 'mime']) {
        const hits = loaded.filter((url) => url.includes(`node_modules/${heavy.replace(/^\/|\/$/g, '')}/`));
        assert.deepEqual(hits, [], `${heavy} was loaded at import`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('error type guards work across two copies of the package', async () => {
    // A second, separate copy of dist/ (its chunks too), as when two versions are installed.
    const copyRoot = mkdtempSync(join(root, 'node_modules', '.llm-copy-'));
    try {
      cpSync(dirname(entry), join(copyRoot, 'dist'), { recursive: true });
      const a = await import(pathToFileURL(entry).href);
      const b = await import(pathToFileURL(join(copyRoot, 'dist', 'index.js')).href);
      assert.notEqual(a.UnknownModelError, b.UnknownModelError, 'two distinct copies');

      const fromB = new b.UnknownModelError('Unknown model: nope');
      assert.equal(a.isLlmError(fromB), true);
      assert.equal(a.UnknownModelError.is(fromB), true);
      assert.equal(a.LlmError.is(fromB), true);
      assert.equal(fromB instanceof a.UnknownModelError, true);
      assert.equal(fromB instanceof a.LlmError, true);
      assert.equal(a.NeedsKeyError.is(fromB), false);
      assert.equal(fromB instanceof a.NeedsKeyError, false);

      const rate = new b.RateLimitError('OpenAI API error 429: slow down', 429, 'OpenAI', 'slow down');
      assert.equal(a.ApiError.is(rate), true, 'a subclass is its parent kind');
      assert.equal(a.RateLimitError.is(rate), true);
      assert.equal(a.AuthenticationError.is(rate), false);
      assert.equal(rate.status, 429);

      assert.equal(a.isLlmError(new Error('plain')), false);
      assert.equal(a.LlmError.is({ message: 'duck' }), false);
      assert.equal(new TypeError('x') instanceof a.LlmError, false);

      // And an error thrown by the other copy's own code.
      const thrown = (() => {
        try {
          b.schemaDsl(': x');
        } catch (error) {
          return error;
        }
      })();
      assert.equal(a.SchemaError.is(thrown), true);
    } finally {
      rmSync(copyRoot, { recursive: true, force: true });
    }
  });

  // Opens a logs.db through the built library in a fresh process; says which copy of
  // better-sqlite3's JavaScript was loaded from disk, if any.
  function sqliteFilesLoaded(distDir: string, dir: string): string[] {
    const script = `
const lib = require(${JSON.stringify(join(distDir, 'llm.cjs'))});
const db = lib.LogsDatabase.open(${JSON.stringify(join(dir, 'logs.db'))});
db.close();
process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((p) => p.includes('better-sqlite3'))));`;
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, LLM_USER_PATH: dir } }));
  }

  test("better-sqlite3's JavaScript comes from the bundle when the installed version is the one it was copied from", () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-sqlite-'));
    try {
      const loaded = sqliteFilesLoaded(dirname(entry), dir);
      assert.deepEqual(loaded.filter((p) => p.endsWith('.js')), [], 'no JavaScript file of the package was required');
      assert.ok(loaded.some((p) => p.endsWith('better_sqlite3.node')), 'the native addon was');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('another installed version of better-sqlite3 is loaded from node_modules, to match its addon', () => {
    // A package laid out as npm installs it, with a better-sqlite3 whose version differs.
    const dir = mkdtempSync(join(tmpdir(), 'llm-sqlite-version-'));
    try {
      const pkg = join(dir, 'node_modules', 'llm-ts');
      cpSync(dirname(entry), join(pkg, 'dist'), { recursive: true });
      cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
      const sqlite = join(dir, 'node_modules', 'better-sqlite3');
      cpSync(join(root, 'node_modules', 'better-sqlite3', 'lib'), join(sqlite, 'lib'), { recursive: true });
      cpSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(sqlite, 'build', 'Release', 'better_sqlite3.node'));
      const manifest = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'));
      writeFileSync(join(sqlite, 'package.json'), JSON.stringify({ ...manifest, version: `${manifest.version}-other` }));
      const loaded = sqliteFilesLoaded(join(pkg, 'dist'), dir);
      assert.ok(loaded.includes(join(sqlite, 'lib', 'database.js')), `the installed JavaScript was required: ${loaded.join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
