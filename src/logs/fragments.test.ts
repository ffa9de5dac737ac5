// Fragments in logs.db: the rows expected here are those Python llm 0.32's LogStore writes
// for the same prompt (llm/logs.py: _fragment_map, _encode_text_refs, turn_fragments,
// TURN_SEARCH_INSERT_SQL).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import type { ModelEvent } from '../models/events.js';
import type { Message } from '../models/messages.js';
import { type ExecuteContext, Model } from '../models/model.js';
import type { Prompt } from '../models/prompt.js';
import { textRefs } from './database.js';
import { LogsDatabase, listLogs, messageHash } from './index.js';

const FIXTURE = new URL('../../test/fixtures/python-logs/logs.db', import.meta.url).pathname;

class Answers extends Model {
  readonly modelId = 'answers';
  seen: Prompt[] = [];
  async *execute(prompt: Prompt, _context: ExecuteContext): AsyncIterable<ModelEvent> {
    this.seen.push(prompt);
    yield { type: 'text', text: 'It is short.' };
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const text = (message: Message) => message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');

describe('fragments in logs.db', () => {
  let user: ReturnType<typeof tempUserDir>;
  let dir: string;
  before(() => {
    user = tempUserDir();
    dir = mkdtempSync(join(tmpdir(), 'llm-fragments-'));
  });
  after(() => {
    user.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('textRefs: earliest match first, the longer on a tie, literals between, repeats kept', () => {
    const map = new Map([
      ['ab', 1],
      ['abc', 2],
      ['x', 3],
    ]);
    assert.deepEqual(textRefs('zzabcxab', map), {
      pieces: [{ literal: 'zz' }, { fragment: 2 }, { fragment: 3 }, { fragment: 1 }],
      used: [2, 3, 1],
    });
    assert.deepEqual(textRefs('x, then x', map)?.used, [3, 3]);
    assert.deepEqual(textRefs('é x é', map)?.pieces, [{ literal: 'é ' }, { fragment: 3 }, { literal: ' é' }]);
    assert.equal(textRefs('nothing here', map), undefined);
  });

  test('a prompt with fragments writes the rows Python writes, and hashes as if there were none', async () => {
    const path = join(dir, 'write.db');
    const db = LogsDatabase.open(path);
    const model = new Answers();
    const response = model.prompt('Summarise', {
      fragments: [{ content: 'Chapter one.', source: '/books/novel.txt' }],
      systemFragments: ['Be terse.'],
      system: 'Answer in English.',
    });
    await response.text();
    // What was sent: Python's Prompt.prompt and Prompt.system.
    assert.equal(model.seen[0]!.prompt, 'Chapter one.\nSummarise');
    assert.equal(model.seen[0]!.system, 'Be terse.\n\nAnswer in English.');
    db.logResponse(response);

    const fragments = db.db.prepare('select id, hash, content, datetime_utc, source from fragments order by id').all() as Record<string, unknown>[];
    assert.deepEqual(
      fragments.map(({ datetime_utc, ...rest }) => rest),
      [
        { id: 1, hash: sha256('Chapter one.'), content: 'Chapter one.', source: '/books/novel.txt' },
        { id: 2, hash: sha256('Be terse.'), content: 'Be terse.', source: null },
      ],
    );
    assert.match(String(fragments[0]!.datetime_utc), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.deepEqual(db.db.prepare('select turn_id, fragment_id, "order", kind from turn_fragments order by rowid').all(), [
      { turn_id: response.id, fragment_id: 1, order: 0, kind: 'prompt' },
      { turn_id: response.id, fragment_id: 2, order: 0, kind: 'system' },
    ]);
    const parts = db.db
      .prepare('select parts.id, messages.role, parts.text, parts.payload from parts join messages on messages.hash = parts.message_hash order by parts.id')
      .all() as { id: number; role: string; text: string | null; payload: string | null }[];
    assert.deepEqual(
      parts.map(({ id, ...rest }) => rest),
      [
        { role: 'system', text: null, payload: '{"text_ref": [{"fragment": 2}, {"literal": "\\n\\nAnswer in English."}]}' },
        { role: 'user', text: null, payload: '{"text_ref": [{"fragment": 1}, {"literal": "\\nSummarise"}]}' },
        { role: 'assistant', text: 'It is short.', payload: null },
      ],
    );
    assert.deepEqual(db.db.prepare('select part_id, fragment_id, "order" from part_fragments order by rowid').all(), [
      { part_id: parts[0]!.id, fragment_id: 2, order: 0 },
      { part_id: parts[1]!.id, fragment_id: 1, order: 0 },
    ]);

    // The hashes cover the resolved text: the same as for the same messages without fragments.
    const turn = db.db.prepare('select parent_message_hash, tip_message_hash from turns').get() as Record<string, string>;
    const plain: Message[] = [
      { role: 'system', parts: [{ type: 'text', text: 'Be terse.\n\nAnswer in English.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Chapter one.\nSummarise' }] },
    ];
    assert.equal(turn.parent_message_hash, messageHash(plain[1]!, messageHash(plain[0]!, null)));
    const chain = db.loadChain(turn.tip_message_hash!);
    assert.deepEqual(chain.map(text), ['Be terse.\n\nAnswer in English.', 'Chapter one.\nSummarise', 'It is short.']);

    // Search sees the literal text only.
    assert.deepEqual(db.db.prepare('select prompt, response from turn_search').all(), [{ prompt: '\nSummarise', response: 'It is short.' }]);
    assert.equal(listLogs(db, { query: 'Chapter' }).length, 0);
    assert.equal(listLogs(db, { query: 'Summarise' }).length, 1);

    const [row] = listLogs(db, {});
    assert.equal(row!.prompt, 'Chapter one.\nSummarise');
    assert.deepEqual(row!.prompt_fragments, [{ hash: sha256('Chapter one.'), content: 'Chapter one.', aliases: [] }]);
    assert.deepEqual(row!.system_fragments, [{ hash: sha256('Be terse.'), content: 'Be terse.', aliases: [] }]);
    db.close();
  });

  test('a fragment is stored once; a message stored before keeps its references and search text', async () => {
    const db = LogsDatabase.open(join(dir, 'dedup.db'));
    const model = new Answers();
    for (let i = 0; i < 2; i++) {
      const response = model.prompt('Why?', { fragments: ['Some context.'] });
      await response.text();
      db.logResponse(response);
    }
    // The same text typed in full, with no fragment: the stored message is reused as it is.
    const typed = model.prompt('Some context.\nWhy?');
    await typed.text();
    db.logResponse(typed);
    assert.equal((db.db.prepare('select count(*) as c from fragments').get() as { c: number }).c, 1);
    assert.equal((db.db.prepare('select count(*) as c from turn_fragments').get() as { c: number }).c, 2);
    assert.equal((db.db.prepare('select count(*) as c from part_fragments').get() as { c: number }).c, 1);
    assert.deepEqual(
      (db.db.prepare('select prompt from turn_search order by id').all() as { prompt: string }[]).map((r) => r.prompt),
      ['\nWhy?', '\nWhy?', '\nWhy?'],
    );
    db.close();
  });

  test('continuing a conversation sends the resolved history and references new fragments only', async () => {
    const db = LogsDatabase.open(join(dir, 'continue.db'));
    const model = new Answers();
    const first = model.prompt('Q1', { fragments: ['Long document.'] });
    await first.text();
    db.logResponse(first);
    const loaded = db.loadConversation()!;
    const conversation = model.conversation({ id: loaded.id, name: loaded.name ?? undefined, messages: loaded.messages });
    const second = conversation.prompt('Q2');
    await second.text();
    assert.deepEqual(model.seen[1]!.messages.map(text), ['Long document.\nQ1', 'It is short.', 'Q2']);
    db.logResponse(second);
    const rows = listLogs(db, { conversationId: loaded.id });
    assert.deepEqual(rows.map((r) => [r.prompt, r.prompt_fragments.length]), [
      ['Long document.\nQ1', 1],
      ['Q2', 0],
    ]);
    assert.deepEqual(db.db.prepare('select text, payload from parts where payload is not null').all(), [
      { text: null, payload: '{"text_ref": [{"fragment": 1}, {"literal": "\\nQ1"}]}' },
    ]);
    db.close();
  });

  test('reads fragments as Python writes them into a database it made', () => {
    const copy = join(dir, 'python.db');
    copyFileSync(FIXTURE, copy);
    const db = LogsDatabase.open(copy);
    const content = 'A whole novel.';
    const user: Message = { role: 'user', parts: [{ type: 'text', text: `${content}\nWho dies?` }] };
    const reply: Message = { role: 'assistant', parts: [{ type: 'text', text: 'Nobody.' }] };
    const userHash = messageHash(user, null);
    const replyHash = messageHash(reply, userHash);
    const id = db.db
      .prepare("insert into fragments (hash, content, datetime_utc, source) values (?, ?, '2025-01-01 00:00:00', 'novel.txt')")
      .run(sha256(content), content).lastInsertRowid;
    db.db.prepare("insert into fragment_aliases (alias, fragment_id) values ('novel', ?)").run(id);
    db.db.prepare("insert into messages (hash, parent_hash, role) values (?, null, 'user'), (?, ?, 'assistant')").run(userHash, replyHash, userHash);
    const partId = db.db
      .prepare("insert into parts (message_hash, position, type, text, payload) values (?, 0, 'text', null, ?)")
      .run(userHash, JSON.stringify({ text_ref: [{ fragment: Number(id) }, { literal: '\nWho dies?' }] })).lastInsertRowid;
    db.db.prepare('insert into part_fragments (part_id, fragment_id, "order") values (?, ?, 0)').run(partId, id);
    db.db.prepare("insert into parts (message_hash, position, type, text) values (?, 0, 'text', 'Nobody.')").run(replyHash);
    db.db.prepare("insert into threads (id, name, tip_message_hash) values ('01kfixconv9000000000000000', 'A whole novel. Who dies?', ?)").run(replyHash);
    db.db
      .prepare(
        "insert into turns (id, thread_id, parent_message_hash, tip_message_hash, model, datetime_utc) values ('01kfixturn9000000000000000', '01kfixconv9000000000000000', ?, ?, 'gpt-4o-mini', '2025-01-01T00:00:00+00:00')",
      )
      .run(userHash, replyHash);
    db.db.prepare("insert into turn_fragments (turn_id, fragment_id, \"order\", kind) values ('01kfixturn9000000000000000', ?, 0, 'prompt')").run(id);

    const [row] = listLogs(db, { conversationId: '01kfixconv9000000000000000' });
    assert.equal(row!.prompt, 'A whole novel.\nWho dies?');
    assert.deepEqual(row!.prompt_fragments, [{ hash: sha256(content), content, aliases: ['novel'] }]);
    const conversation = db.loadConversation()!;
    assert.deepEqual(conversation.messages.map(text), ['A whole novel.\nWho dies?', 'Nobody.']);
    assert.equal(messageHash(conversation.messages[0]!, null), userHash);
    db.close();
  });
});
