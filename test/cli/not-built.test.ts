// A clone whose dist/ was never built, or was deleted: `llm` says to build, in one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { BIN, makeUserDir } from './run.js';

const ROOT = resolve(BIN, '..', '..');

/** Runs the copy's bin/llm.cjs with `home` as its user directory. */
function runCopy(copy: string, home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, [join(copy, 'bin', 'llm.cjs'), ...args], {
    env: { PATH: process.env.PATH, HOME: home, LLM_USER_PATH: home, NO_COLOR: '1' },
    cwd: home,
    encoding: 'utf8',
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('llm without a build', () => {
  const user = makeUserDir();
  after(user.cleanup);
  // A copy of the package's bin/ and package.json, without dist/.
  const copy = join(user.dir, 'llm-ts');
  mkdirSync(join(copy, 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'llm.cjs'), join(copy, 'bin', 'llm.cjs'));
  copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));

  const expected = `Error: llm-ts is not built (its dist/ folder is missing or incomplete): run \`npm run build\` in ${copy}\n`;

  test('no dist/ at all: one line saying to run npm run build, exit 1', async () => {
    const result = runCopy(copy, user.dir, ['-m', 'echo', 'hi']);
    assert.equal(result.stderr, expected);
    assert.equal(result.stdout, '');
    assert.equal(result.code, 1);
  });

  test('a dist/ with the launcher but not the bundle: the same line', async () => {
    mkdirSync(join(copy, 'dist'), { recursive: true });
    copyFileSync(join(ROOT, 'dist', 'launch.cjs'), join(copy, 'dist', 'launch.cjs'));
    const result = runCopy(copy, user.dir, ['models']);
    assert.equal(result.stderr, expected);
    assert.equal(result.code, 1);
  });

  test('--version still answers from package.json', async () => {
    const result = runCopy(copy, user.dir, ['--version']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^llm, version \d+\.\d+\.\d+/);
  });
});
