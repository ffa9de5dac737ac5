// `llm install` gives npm packages, never options.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
let bin: { dir: string; cleanup: () => void };
const record = () => join(bin.dir, 'npm-args');
const npmCalls = () => (existsSync(record()) ? readFileSync(record(), 'utf8').trim().split('\n') : []);

before(() => {
  user = makeUserDir();
  bin = makeUserDir();
  // An npm that writes down its arguments and fails (what npm does with them is npm's business).
  writeFileSync(join(bin.dir, 'npm'), `#!/bin/sh\necho "$*" >> '${record()}'\nexit 1\n`);
  chmodSync(join(bin.dir, 'npm'), 0o755);
});
after(() => {
  user.cleanup();
  bin.cleanup();
});

const llm = (args: string[]) =>
  runLlm(user.dir, args, { env: { PATH: `${bin.dir}:${process.env.PATH}`, npm_config_offline: 'true', npm_config_update_notifier: 'false' } });

describe('llm install package specs', () => {
  test('a spec starting with - is refused before npm runs', async () => {
    const r = await llm(['install', '--', '--version']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'Error: Not a package: --version (give a name, name@version, a folder, a tarball or a git URL; options go before the packages)\n',
    );
    assert.deepEqual(npmCalls(), []);
  });

  test('a spec that is no package name, path, tarball or git URL is refused', async () => {
    const r = await llm(['install', 'llm-x; rm -rf ~']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Not a package: "llm-x; rm -rf ~" (give a name, name@version, a folder, a tarball or a git URL)\n');
    assert.deepEqual(npmCalls(), []);
  });

  test('packages reach npm after --, so none can be read as an option', async () => {
    const r = await llm(['install', 'llm-no-such-plugin-xyz@^1.0.0']);
    assert.equal(r.stderr, 'Error: npm install failed (exit code 1)\n');
    const calls = npmCalls();
    assert.equal(calls.length, 1);
    assert.match(calls[0]!, /^install --save .* -- llm-no-such-plugin-xyz@\^1\.0\.0$/);
  });
});
