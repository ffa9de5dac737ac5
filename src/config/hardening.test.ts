// What the user directory's files withstand: crafted template names, failed writes, modes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { loadTemplate, saveTemplate, TemplateError, templatePath } from './templates.js';
import { userDir } from './user-dir.js';

let user: ReturnType<typeof tempUserDir>;
beforeEach(() => {
  user = tempUserDir();
});
afterEach(() => user.cleanup());

describe('template names stay inside templates/', () => {
  test('a name with /, \\, .. or NUL is refused by every way in', async () => {
    writeFileSync(join(user.dir, 'outside.yaml'), 'prompt: secret outside');
    for (const name of ['../outside', '..', 'a/b', 'a\\b', 'x\0y']) {
      await assert.rejects(loadTemplate(name), (e: unknown) => TemplateError.is(e) && /^Invalid template name: /.test((e as Error).message));
      assert.throws(() => templatePath(name), /a name may not contain \/, \\, \.\. or NUL/);
      await assert.rejects(saveTemplate(name, { prompt: 'x' }), /Invalid template name/);
    }
    assert.deepEqual(readdirSync(user.dir).filter((f) => f !== 'templates'), ['outside.yaml']);
    assert.ok(!existsSync(join(user.dir, 'x.yaml')) && !existsSync(join(user.dir, 'b.yaml')));
  });

  test('an existing YAML file given by its path still loads, as in Python llm', async () => {
    const file = join(user.dir, 'outside.yaml');
    writeFileSync(file, 'prompt: from a path');
    assert.equal((await loadTemplate(file)).prompt, 'from a path');
    await saveTemplate('plain', { prompt: 'stored' });
    assert.equal((await loadTemplate('plain')).prompt, 'stored');
  });
});

describe('the user directory', () => {
  test('is created private (0700)', () => {
    process.env.LLM_USER_PATH = join(user.dir, 'fresh');
    userDir();
    assert.equal(statSync(join(user.dir, 'fresh')).mode & 0o777, 0o700);
  });

  test('a write that fails (EFBIG) leaves neither a temp file holding the key nor a changed keys.json', () => {
    const keys = join(user.dir, 'keys.json');
    writeFileSync(keys, '{"old": "sk-old"}');
    // Files may not grow at all in the child: every write fails with EFBIG.
    const script = `import('${new URL('./keys.ts', import.meta.url).pathname}').then((m) => { try { m.setKey('openai', 'sk-new-secret-key'); } catch (e) { console.log(e.message); } })`;
    const child = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 0; exec "${process.execPath}" --import tsx -e "$0"`, script], {
      env: { ...process.env, LLM_USER_PATH: user.dir },
      encoding: 'utf8',
    });
    assert.equal(child.stdout, `Could not write ${keys} (it was left as it was): the file is larger than this system allows (EFBIG); free some space or raise the limit\n`, child.stderr);
    assert.deepEqual(readdirSync(user.dir), ['keys.json']);
    assert.equal(readFileSync(keys, 'utf8'), '{"old": "sk-old"}');
    assert.ok(!existsSync(`${keys}.tmp`));
  });
});
