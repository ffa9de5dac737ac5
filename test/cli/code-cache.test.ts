// The launcher's V8 code cache (src/cli/launch.ts), through the built binary: where it is
// written, that a second start reads it rather than writing it again, and that a corrupt,
// unwritable or disabled cache never changes what the command does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { BIN, makeUserDir, runLlm } from './run.js';

const DIST = resolve(BIN, '..', '..', 'dist');

describe('the code cache', () => {
  const user = makeUserDir();
  after(user.cleanup);
  const cacheDir = join(user.dir, 'xdg-cache', 'llm-ts');
  const env = { XDG_CACHE_HOME: join(user.dir, 'xdg-cache') };
  const caches = () => (existsSync(cacheDir) ? readdirSync(cacheDir).sort() : []);

  test('the first successful start writes one private file per command group; the next reads it', async () => {
    const failed = await runLlm(user.dir, ['-m', 'no-such-model', 'hello'], { env });
    assert.equal(failed.code, 1);
    assert.deepEqual(caches(), [], 'a run that failed writes no cache');
    const help = await runLlm(user.dir, ['--help'], { env });
    assert.equal(help.code, 0, help.stderr);
    const [helpFile] = caches();
    assert.match(helpFile ?? '', /^help-[0-9a-f]{8}-[0-9a-f]{8}\.v8$/, 'help has its own group');
    rmSync(join(cacheDir, helpFile!));

    const first = await runLlm(user.dir, ['-m', 'echo', 'hello'], { env });
    assert.equal(first.code, 0, first.stderr);
    const [file, ...rest] = caches();
    assert.match(file ?? '', /^prompt-[0-9a-f]{8}-[0-9a-f]{8}\.v8$/);
    assert.deepEqual(rest, []);
    assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    const path = join(cacheDir, file!);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const written = statSync(path);

    const second = await runLlm(user.dir, ['-m', 'echo', 'hello'], { env });
    assert.equal(second.stdout, first.stdout);
    const after = statSync(path);
    assert.deepEqual([after.ino, after.mtimeMs], [written.ino, written.mtimeMs], 'an accepted cache is not written again');

    const models = await runLlm(user.dir, ['models'], { env });
    assert.equal(models.code, 0, models.stderr);
    assert.deepEqual(caches(), [`models-${file!.slice('prompt-'.length)}`, file].sort());
  });

  test('a corrupt cache is rejected, the command works, and the cache is made again', async () => {
    const file = caches().find((name) => name.startsWith('prompt-'))!;
    writeFileSync(join(cacheDir, file), 'not a code cache');
    const run = await runLlm(user.dir, ['-m', 'echo', 'hello'], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /hello/);
    assert.equal(run.stderr, '');
    assert.ok(statSync(join(cacheDir, file)).size > 1000, 'the cache was written again');
  });

  test("a cache for an earlier build of this bundle is replaced; other groups' and other installs' are kept", async () => {
    const current = caches().find((name) => name.startsWith('prompt-'))!;
    const install = current.slice(0, 'prompt-01234567'.length);
    const earlier = `${install}-00000000.v8`;
    const otherInstall = 'prompt-00000000-00000000.v8';
    writeFileSync(join(cacheDir, earlier), 'from an older version');
    writeFileSync(join(cacheDir, otherInstall), 'from another installation');
    writeFileSync(join(cacheDir, current), 'corrupt, so this start writes');
    const run = await runLlm(user.dir, ['-m', 'echo', 'hello'], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!caches().includes(earlier), 'the earlier build is gone');
    assert.ok(caches().includes(otherInstall), "another installation's is kept");
    assert.ok(caches().some((name) => name.startsWith('models-')), "another group's is kept");
  });

  test('an unwritable cache directory or NODE_DISABLE_COMPILE_CACHE changes nothing the user sees', async () => {
    const blocked = join(user.dir, 'not-a-dir');
    writeFileSync(blocked, '');
    const unwritable = await runLlm(user.dir, ['-m', 'echo', 'hello'], { env: { XDG_CACHE_HOME: blocked } });
    assert.equal(unwritable.code, 0, unwritable.stderr);
    assert.equal(unwritable.stderr, '');
    assert.match(unwritable.stdout, /hello/);

    const elsewhere = join(user.dir, 'disabled-cache');
    const disabled = await runLlm(user.dir, ['-m', 'echo', 'hello'], {
      env: { XDG_CACHE_HOME: elsewhere, NODE_DISABLE_COMPILE_CACHE: '1' },
    });
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /hello/);
    assert.ok(!existsSync(elsewhere));
  });

  test('the bundle the launcher compiled is the one `import "llm-ts"` returns in that process', () => {
    const script = `
const { loadBundle } = require(${JSON.stringify(join(DIST, 'launch.cjs'))});
const bundle = loadBundle(${JSON.stringify(join(DIST, 'llm.cjs'))}, 'prompt');
import(${JSON.stringify(join(DIST, 'index.js'))}).then((lib) => {
  process.stdout.write(String(lib.Model === bundle.Model && lib.getModels === bundle.getModels));
});`;
    const out = execFileSync(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH, HOME: user.dir, XDG_CACHE_HOME: join(user.dir, 'xdg-cache') },
      encoding: 'utf8',
    });
    assert.equal(out, 'true');
  });
});
