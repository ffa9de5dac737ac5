// `llm fragments`: listing, aliasing, showing and removing the fragments stored in logs.db.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeUserDir, runLlm } from './run.js';

let user: { dir: string; cleanup: () => void };
before(() => {
  user = makeUserDir();
});
after(() => user.cleanup());
const llm = (args: string[], options: Parameters<typeof runLlm>[2] = {}) => runLlm(user.dir, args, options);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('llm fragments', () => {
  test('an empty database lists nothing', async () => {
    const r = await llm(['fragments']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('fragments used in prompts are listed as YAML and JSON; -q and --aliases filter', async () => {
    const notes = join(user.dir, 'notes.txt');
    writeFileSync(notes, 'Pelicans have pouches.');
    const long = join(user.dir, 'long.txt');
    writeFileSync(long, `first line\n${'x'.repeat(150)}\n`);
    assert.equal((await llm(['-m', 'echo', '-f', notes, '-f', long, 'hi'])).code, 0);

    const r = await llm(['fragments', 'list']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `- hash: ${sha256('Pelicans have pouches.')}`);
    assert.equal(lines[1], '  aliases: []');
    assert.match(lines[2]!, /^ {2}datetime_utc: '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'$/);
    assert.equal(lines[3], `  source: ${notes}`);
    assert.equal(lines[4], '  content: Pelicans have pouches.');
    assert.equal(lines[5], `- hash: ${sha256(`first line\n${'x'.repeat(150)}\n`)}`);
    // Content is cut to 100 characters, as Python's truncate_string does; a multi-line one is a block.
    assert.equal(lines.slice(9).join('\n'), `  content: |-\n    first line\n    ${'x'.repeat(86)}...\n`);

    const json = JSON.parse((await llm(['fragments', '--json'])).stdout) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(json[0]!), ['hash', 'aliases', 'datetime_utc', 'source', 'content']);
    assert.equal(json[1]!.content, `first line\n${'x'.repeat(150)}\n`, 'JSON keeps the whole content');

    const found = await llm(['fragments', '-q', 'pouches', '--json']);
    assert.deepEqual((JSON.parse(found.stdout) as { source: string }[]).map((f) => f.source), [notes]);
    assert.equal((await llm(['fragments', '--aliases'])).stdout, '');
  });

  test('set, show, use, and remove an alias', async () => {
    const notes = join(user.dir, 'notes.txt');
    let r = await llm(['fragments', 'set', 'birds', notes]);
    assert.equal(r.code, 0, r.stderr);
    r = await llm(['fragments', 'show', 'birds']);
    assert.equal(r.stdout, 'Pelicans have pouches.\n');
    r = await llm(['fragments', 'list', '--aliases']);
    assert.match(r.stdout, /^- hash: [0-9a-f]{64}\n {2}aliases:\n {2}- birds\n/);
    r = await llm(['-m', 'echo', '-f', 'birds', 'tell me']);
    assert.equal((JSON.parse(r.stdout) as { prompt: string }).prompt, 'Pelicans have pouches.\ntell me');
    r = await llm(['fragments', 'show', sha256('Pelicans have pouches.')]);
    assert.equal(r.stdout, 'Pelicans have pouches.\n', 'by hash too');

    r = await llm(['fragments', 'remove', 'birds']);
    assert.equal(r.code, 0, r.stderr);
    r = await llm(['fragments', 'show', 'birds']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "Error: Fragment 'birds' not found\n");
  });

  test('a bad alias or a missing fragment is a one-line error', async () => {
    let r = await llm(['fragments', 'set', 'not ok', 'x']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "Error: Invalid value for 'ALIAS': Fragment alias must be alphanumeric\n");
    r = await llm(['fragments', 'set', 'fine', join(user.dir, 'missing.txt')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error: Fragment '${join(user.dir, 'missing.txt')}' not found\n`);
    r = await llm(['fragments', 'loaders']);
    assert.equal(r.stdout, 'No fragment loaders found\n');
  });
});
