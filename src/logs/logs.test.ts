import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import { LogsDatabaseError } from '../errors.js';
import type { ModelEvent } from '../models/events.js';
import { type ExecuteContext, Model } from '../models/model.js';
import type { Prompt } from '../models/prompt.js';
import { Conversation } from '../models/conversation.js';
import { LogsDatabase, MIGRATION_NAMES, listLogs, logsEnabled, messageHash, renderJson, renderMarkdown, setLogsEnabled } from './index.js';
import { FRESH_SCHEMA } from './fresh-schema.js';

const FIXTURE = new URL('../../test/fixtures/python-logs/logs.db', import.meta.url).pathname;
const SCHEMA_SQL = '/work/shared/reference/logs-schema.sql';

class Scripted extends Model {
  readonly modelId = 'scripted';
  override supportsSchema = true;
  override readonly optionsSpec = { temperature: { type: 'number' as const } };
  constructor(private readonly script: (prompt: Prompt) => ModelEvent[], private readonly failAfter?: number) {
    super();
  }
  async *execute(prompt: Prompt, _context: ExecuteContext): AsyncIterable<ModelEvent> {
    const events = this.script(prompt);
    for (let i = 0; i < events.length; i++) {
      if (this.failAfter !== undefined && i === this.failAfter) throw new Error('socket hang up');
      yield events[i]!;
    }
  }
}

function masterOf(db: LogsDatabase) {
  return (db.db.prepare("select type, name, tbl_name, sql from sqlite_master order by type, name").all() as Record<string, string>[]).map(
    (r) => `${r.type}|${r.name}|${r.tbl_name}|${r.sql}`,
  );
}

describe('logs.db', () => {
  let user: ReturnType<typeof tempUserDir>;
  let dir: string;
  before(() => {
    user = tempUserDir();
    dir = mkdtempSync(join(tmpdir(), 'llm-logs-'));
  });
  after(() => {
    user.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a fresh DB has exactly the schema Python llm 0.32 creates', () => {
    const db = LogsDatabase.open(join(dir, 'fresh.db'));
    // Reference: the fixture made by Python, and the statements in logs-schema.sql.
    const copy = join(dir, 'python.db');
    copyFileSync(FIXTURE, copy);
    const reference = LogsDatabase.open(copy, { migrate: false });
    assert.deepEqual(masterOf(db), masterOf(reference));
    const sqlFile = readFileSync(SCHEMA_SQL, 'utf8');
    for (const statement of FRESH_SCHEMA) assert.ok(sqlFile.includes(statement), statement.slice(0, 60));
    const names = (db.db.prepare('select name from _llm_migrations order by rowid').all() as { name: string }[]).map((r) => r.name);
    assert.deepEqual(names, [...MIGRATION_NAMES]);
    assert.equal(names.length, 30);
    assert.equal(db.db.pragma('journal_mode', { simple: true }), 'wal');
    reference.close();
    db.close();
  });

  test('message hashes match the ones Python wrote in the fixture', () => {
    const copy = join(dir, 'hash.db');
    copyFileSync(FIXTURE, copy);
    const db = LogsDatabase.open(copy);
    const rows = db.db.prepare('select hash, parent_hash from messages').all() as { hash: string; parent_hash: string | null }[];
    assert.equal(rows.length, 7);
    for (const row of rows) {
      const [message] = db.loadChain(row.hash).slice(-1);
      assert.equal(messageHash(message!, row.parent_hash), row.hash);
    }
    // And a changed message hashes differently.
    assert.notEqual(messageHash({ role: 'user', parts: [{ type: 'text', text: 'What is the capital of France!' }] }, null), rows[0]!.hash);
    db.close();
  });

  test('continues a conversation the Python tool logged', () => {
    const copy = join(dir, 'continue.db');
    copyFileSync(FIXTURE, copy);
    const db = LogsDatabase.open(copy);
    const latest = db.loadConversation();
    assert.equal(latest?.id, '01kfixconv1000000000000000');
    assert.deepEqual(
      latest?.messages.map((m) => [m.role, m.parts.map((p) => (p.type === 'text' ? p.text : p.type)).join('')]),
      [
        ['system', 'Answer in one word.'],
        ['user', 'Largest planet?'],
        ['assistant', 'Jupiter'],
      ],
    );
    const first = db.loadConversation('01kfixconv0000000000000000')!;
    assert.equal(first.name, 'What is the capital of France?');
    assert.equal(first.model, 'gpt-4o-mini');
    assert.equal(first.messages.length, 4);
    assert.equal(db.loadConversation('nope'), undefined);
    // Logging a follow-up appends to the same thread, sharing the stored prefix.
    db.logTurn({
      threadId: first.id,
      model: 'gpt-4o-mini',
      inputMessages: [...first.messages, { role: 'user', parts: [{ type: 'text', text: 'And of Spain?' }] }],
      outputMessages: [{ role: 'assistant', parts: [{ type: 'text', text: 'Madrid.' }] }],
    });
    assert.equal((db.db.prepare('select count(*) as c from messages').get() as { c: number }).c, 9);
    assert.equal(db.loadConversation()!.id, first.id);
    const rows = listLogs(db, { count: 0 });
    assert.deepEqual(rows.map((r) => r.prompt), ['What is the capital of France?', 'And of Italy?', 'Largest planet?', 'And of Spain?']);
    assert.equal(rows[2]!.system, 'Answer in one word.');
    assert.deepEqual(rows[0]!.response_json, { model: 'gpt-4o-mini-2024-07-18', content: 'Paris is the capital of France.' });
    db.close();
  });

  test('write → read round trip of a real Response, with usage, options, schema and search', async () => {
    const db = LogsDatabase.open(join(dir, 'roundtrip.db'));
    const long = 'A long answer that repeats itself so that it is well over sixty-four characters in length.';
    const model = new Scripted(() => [
      { type: 'text', text: long },
      { type: 'usage', input: 5, output: 20, details: { cached_tokens: 2 } },
      { type: 'response_json', json: { id: 'x', output: long } },
      { type: 'resolved_model', model: 'scripted-2026' },
    ]);
    const conversation = new Conversation(model);
    const response = conversation.prompt('Tell me about pelicans and their beaks', {
      system: 'Be brief',
      schema: { type: 'object', properties: { a: { type: 'string' } } },
    });
    await response.text();
    db.logResponse(response);
    const turn = db.db.prepare('select * from turns').get() as Record<string, unknown>;
    assert.equal(turn.id, response.id);
    assert.equal(turn.thread_id, conversation.id);
    assert.equal(turn.resolved_model, 'scripted-2026');
    assert.equal(turn.input_tokens, 5);
    assert.equal(turn.token_details, '{"cached_tokens": 2}');
    assert.equal(turn.options_json, null);
    assert.equal(turn.response_json, '{"id": "x", "output": {"$": "0.0.text"}}');
    assert.ok(String(turn.schema_id).length === 32);
    const thread = db.db.prepare('select * from threads').get() as Record<string, unknown>;
    assert.equal(thread.name, 'Tell me about pelicans and thei…');
    const [row] = listLogs(db, { count: 3 });
    assert.equal(row!.prompt, 'Tell me about pelicans and their beaks');
    assert.equal(row!.system, 'Be brief');
    assert.equal(row!.response, long);
    assert.deepEqual(row!.response_json, { id: 'x', output: long });
    assert.deepEqual(row!.schema_json, { type: 'object', properties: { a: { type: 'string' } } });
    assert.deepEqual(Object.keys(row!), [
      'id', 'model', 'resolved_model', 'options_json', 'conversation_id', 'duration_ms', 'datetime_utc',
      'input_tokens', 'output_tokens', 'token_details', 'conversation_name', 'conversation_model', 'schema_json',
      'prompt', 'system', 'response', 'reasoning', 'prompt_json', 'response_json',
      'prompt_fragments', 'system_fragments', 'tools', 'tool_calls', 'tool_results', 'attachments',
    ]);
    const second = conversation.prompt('What about herons?', { temperature: 0.5 });
    await second.text();
    db.logResponse(second);
    assert.equal((db.db.prepare('select options_json from turns where id = ?').get(second.id) as { options_json: string }).options_json, '{"temperature": 0.5}');
    const hits = listLogs(db, { query: 'herons' });
    assert.deepEqual(hits.map((r) => r.prompt), ['What about herons?']);
    assert.deepEqual(listLogs(db, { query: 'pelicans' }).map((r) => r.prompt), ['Tell me about pelicans and their beaks']);
    assert.equal(listLogs(db, { query: 'zebra' }).length, 0);
    const loaded = db.loadConversation(conversation.id)!;
    assert.deepEqual(loaded.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user', 'assistant']);
    const md = renderMarkdown(listLogs(db, { count: 1 }), { usage: true });
    assert.match(md, /^# \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d    conversation: \w+ id: \w+\n\nModel: \*\*scripted\*\* \(resolved: \*\*scripted-2026\*\*\)\n/);
    assert.match(md, /## Prompt\n\nWhat about herons\?\n\n## Options\n\n- temperature: 0.5\n\n## System\n\nBe brief\n\n## Response\n\nA long/);
    assert.match(md, /## Token usage\n\n5 input, 20 output, `\{"cached_tokens": 2\}`\n\n$/);
    db.close();
  });

  test('search latest first: the newest matches of both generations, with filters, newest first', async () => {
    const db = LogsDatabase.open(join(dir, 'latest.db'));
    db.db
      .prepare("insert into responses (id, model, prompt, response, datetime_utc) values ('01aaaaaaaaaaaaaaaaaaaaaaaa', 'gpt-3.5-turbo', 'pelican legacy', 'old', '2023-07-01T10:00:00')")
      .run();
    const log = async (model: Model, prompt: string) => {
      const response = model.prompt(prompt);
      await response.text();
      db.logResponse(response);
      return response.id;
    };
    const scripted = new Scripted(() => [{ type: 'text', text: 'ok' }]);
    const other = new (class extends Scripted {
      override readonly modelId = 'other';
    })(() => [{ type: 'text', text: 'ok' }]);
    const one = await log(scripted, 'pelican one');
    await log(scripted, 'heron two');
    const three = await log(scripted, 'pelican three');
    const four = await log(other, 'pelican four');
    const ids = (options: Parameters<typeof listLogs>[1]) => listLogs(db, options).map((r) => r.id);
    assert.deepEqual(ids({ query: 'pelican', latest: true, count: 2 }), [four, three]);
    assert.deepEqual(ids({ query: 'pelican', latest: true, count: 0 }), [four, three, one, '01aaaaaaaaaaaaaaaaaaaaaaaa']);
    assert.deepEqual(ids({ query: 'pelican', latest: true, count: 2, model: 'scripted' }), [three, one]);
    assert.deepEqual(ids({ query: 'heron', latest: true }), [ids({ query: 'heron' })[0]]);
    // Ranked: a match in the prompt weighs ten times one in the response, as in Python.
    const inResponse = await log(new Scripted(() => [{ type: 'text', text: 'the pelican, a pelican' }]), 'a bird with a pouch');
    const ranked = ids({ query: 'pelican', count: 0 });
    assert.equal(ranked.at(-1), inResponse, 'the response-only match ranks last');
    assert.deepEqual(ids({ query: 'pelican', latest: true, count: 1 }), [inResponse], 'and is the latest');
    db.db.prepare('delete from turn_search where turn_id = ?').run(inResponse);
    assert.deepEqual(
      ids({ query: 'pelican', count: 0 }).sort(),
      [four, three, one, '01aaaaaaaaaaaaaaaaaaaaaaaa'].sort(),
      'ranked search finds the same rows',
    );
    db.close();
  });

  test('turn_search holds the prompt and response as TEXT, indexed by FTS5, turn after turn', () => {
    const db = LogsDatabase.open(join(dir, 'search.db'));
    const turns = [
      { prompt: 'Grüße aus Köln 😀', response: 'Ein langer Text über Kölner Dom '.repeat(1000) + 'Ende 😀' },
      { prompt: 'second question', response: 'zebra\u0000stripes' },
    ];
    const ids = turns.map(({ prompt, response }) =>
      db.logTurn({
        model: 'scripted',
        inputMessages: [{ role: 'user', parts: [{ type: 'text', text: prompt }] }],
        outputMessages: [{ role: 'assistant', parts: [{ type: 'text', text: response }] }],
      }),
    );
    const rows = db.db
      .prepare('select turn_id, typeof(prompt) as pt, typeof(response) as rt, prompt, response from turn_search order by id')
      .all() as { turn_id: string; pt: string; rt: string; prompt: string; response: string }[];
    assert.deepEqual(rows, turns.map((turn, i) => ({ turn_id: ids[i], pt: 'text', rt: 'text', ...turn })));
    const match = (query: string) =>
      (db.db.prepare('select turn_search.turn_id from turn_search_fts join turn_search on turn_search.id = turn_search_fts.rowid where turn_search_fts match ?').all(query) as { turn_id: string }[]).map((r) => r.turn_id);
    assert.deepEqual(match('kölner'), [ids[0]]);
    assert.deepEqual(match('grüße'), [ids[0]]);
    assert.deepEqual(match('zebra'), [ids[1]]);
    assert.deepEqual(match('pelican'), []);
    // The index agrees with the rows it was built from.
    db.db.exec("insert into turn_search_fts(turn_search_fts) values ('integrity-check')");
    db.close();
  });

  test('an incomplete response is logged with what arrived and marked', async () => {
    const db = LogsDatabase.open(join(dir, 'incomplete.db'));
    const model = new Scripted(() => [{ type: 'text', text: 'Half an ans' }, { type: 'text', text: 'wer' }], 1);
    const response = model.prompt('Go');
    await assert.rejects(response.text());
    db.logResponse(response);
    const [row] = listLogs(db);
    assert.equal(row!.response, 'Half an ans');
    assert.match(JSON.stringify(row!.response_json), /llm_ts_incomplete/);
    assert.match(renderMarkdown([row!]), /\*\*Incomplete\*\*: The response stream was cut off after 11 characters: socket hang up/);
    assert.match(renderJson([row!]), /"llm_ts_incomplete"/);
    db.close();
  });

  test('a file that is not a database is reported by name and left untouched', () => {
    const path = join(dir, 'corrupt.db');
    writeFileSync(path, 'this is not sqlite at all, just some text that is long enough to look like a header'.repeat(20));
    const before = readFileSync(path);
    assert.throws(() => LogsDatabase.open(path), (error: unknown) => {
      assert.ok(LogsDatabaseError.is(error));
      assert.equal((error as Error).message, `${path} is not a valid SQLite database (it was left untouched)`);
      return true;
    });
    assert.deepEqual(readFileSync(path), before);
  });

  test('upgrades a DB made by an older llm (legacy tables only) and reads its rows', () => {
    const path = join(dir, 'old.db');
    const fresh = LogsDatabase.open(join(dir, 'scratch.db'));
    const Ctor = fresh.db.constructor as unknown as new (p: string) => LogsDatabase['db'];
    fresh.close();
    const old = new Ctor(path);
    old.exec(`create table _llm_migrations (name text primary key, applied_at text);
      create table conversations (id text primary key, name text, model text);
      create table responses (id text primary key, model text, prompt text, system text, prompt_json text, options_json text,
        response text, response_json text, conversation_id text references conversations(id), duration_ms integer, datetime_utc text);`);
    for (const name of MIGRATION_NAMES.slice(0, 12)) old.prepare('insert into _llm_migrations values (?, ?)').run(name, 'x');
    old.prepare("insert into conversations values ('01aaa', 'old chat', 'gpt-3.5-turbo')").run();
    old.prepare("insert into responses (id, model, prompt, system, options_json, response, conversation_id, datetime_utc) values ('01aab', 'gpt-3.5-turbo', 'hello old world', 'sys', '{}', 'hi there', '01aaa', '2023-07-01T10:00:00.000')").run();
    old.close();
    const db = LogsDatabase.open(path);
    assert.equal((db.db.prepare('select count(*) as c from _llm_migrations').get() as { c: number }).c, 30);
    const [row] = listLogs(db);
    assert.equal(row!.prompt, 'hello old world');
    assert.equal(row!.conversation_name, 'old chat');
    assert.deepEqual(listLogs(db, { query: 'world' }).map((r) => r.id), ['01aab']);
    const conv = db.loadConversation()!;
    assert.equal(conv.id, '01aaa');
    assert.deepEqual(conv.messages.map((m) => m.role), ['system', 'user', 'assistant']);
    db.close();
  });

  test('logs-off marker', () => {
    assert.equal(logsEnabled(), true);
    setLogsEnabled(false);
    assert.equal(logsEnabled(), false);
    setLogsEnabled(true);
    assert.equal(logsEnabled(), true);
  });
});
