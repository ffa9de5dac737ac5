// `llm -f/--sf` through the built binary: what lands in logs.db, what `llm logs` shows,
// `-c` continuing, and `llm logs -f` filtering.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LogsDatabase } from '../../src/logs/index.js';
import { makeUserDir, runLlm } from './run.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('fragments through the CLI', () => {
  let user: { dir: string; cleanup: () => void };
  let novel: string;
  let style: string;
  const llm = (args: string[], options: Parameters<typeof runLlm>[2] = {}) => runLlm(user.dir, args, options);
  before(() => {
    user = makeUserDir();
    novel = join(user.dir, 'novel.txt');
    style = join(user.dir, 'style.txt');
    writeFileSync(novel, 'It was a dark night.\n');
    writeFileSync(style, 'Reply in French.');
  });
  after(() => user.cleanup());

  test('-f and --sf are logged as fragments; logs shows them; -c sends the resolved history', async () => {
    const first = await llm(['-m', 'echo', '-f', novel, '--sf', style, 'Who is there?']);
    assert.equal(first.code, 0, first.stderr);

    const db = LogsDatabase.open(join(user.dir, 'logs.db'));
    try {
      assert.deepEqual(db.db.prepare('select id, hash, source from fragments order by id').all(), [
        { id: 1, hash: sha256('It was a dark night.\n'), source: realpathSync(novel) },
        { id: 2, hash: sha256('Reply in French.'), source: realpathSync(style) },
      ]);
      assert.deepEqual(
        db.db.prepare("select payload from parts where type = 'text' and text is null order by id").all(),
        [
          { payload: '{"text_ref": [{"fragment": 2}]}' },
          { payload: '{"text_ref": [{"fragment": 1}, {"literal": "\\nWho is there?"}]}' },
        ],
      );
    } finally {
      db.close();
    }

    const json = await llm(['logs', '--json', '-n', '1']);
    assert.equal(json.code, 0, json.stderr);
    const [row] = JSON.parse(json.stdout);
    assert.equal(row.prompt, 'It was a dark night.\n\nWho is there?');
    assert.equal(row.system, 'Reply in French.');
    assert.deepEqual(row.prompt_fragments, [{ hash: sha256('It was a dark night.\n'), content: 'It was a dark night.\n', aliases: [] }]);
    assert.deepEqual(row.system_fragments, [{ hash: sha256('Reply in French.'), content: 'Reply in French.', aliases: [] }]);

    const markdown = await llm(['logs', '-n', '1']);
    assert.ok(markdown.stdout.includes(`### Prompt fragments\n\n- ${sha256('It was a dark night.\n')}\n`), markdown.stdout);
    assert.ok(markdown.stdout.includes(`### System fragments\n\n- ${sha256('Reply in French.')}\n`), markdown.stdout);

    // Continuing: the stored text_ref parts come back as the text first sent.
    const next = await llm(['-m', 'echo', '-c', 'And then?']);
    assert.equal(next.code, 0, next.stderr);
    const sent = JSON.parse(next.stdout);
    assert.deepEqual(sent.previous[0], { prompt: 'It was a dark night.\n\nWho is there?' });
  });

  test('-f by hash reuses the stored fragment; logs -f filters by file, hash or alias', async () => {
    const byHash = await llm(['-m', 'echo', '-f', sha256('It was a dark night.\n'), 'Summarise']);
    assert.equal(byHash.code, 0, byHash.stderr);
    assert.equal(JSON.parse(byHash.stdout).prompt, 'It was a dark night.\n\nSummarise');
    const other = await llm(['-m', 'echo', 'No fragments here']);
    assert.equal(other.code, 0, other.stderr);

    const prompts = async (args: string[]) => {
      const r = await llm(['logs', '--json', '-n', '0', ...args]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).map((row: { prompt: string }) => row.prompt);
    };
    assert.deepEqual(await prompts(['-f', novel]), ['It was a dark night.\n\nWho is there?', 'It was a dark night.\n\nSummarise']);
    assert.deepEqual(await prompts(['-f', style]), ['It was a dark night.\n\nWho is there?']);
    assert.deepEqual(await prompts(['-f', novel, '-f', style]), ['It was a dark night.\n\nWho is there?']);

    const db = LogsDatabase.open(join(user.dir, 'logs.db'));
    db.db.prepare("insert into fragment_aliases (alias, fragment_id) values ('night', 1)").run();
    db.close();
    assert.deepEqual(await prompts(['-f', 'night']), ['It was a dark night.\n\nWho is there?', 'It was a dark night.\n\nSummarise']);
    const missing = await llm(['logs', '-f', 'nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "Error: Fragment 'nope' not found\n");
  });
});
