// The logs page's list over a real logs.db: newest first, a page at a time with no
// conversation twice, and the model, date and tool filters (turns and legacy responses).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LogsDatabase, ensureBrowseIndexes } from '../logs/index.js';
import type { Message } from '../models/messages.js';
import { listConversations, logFacets } from './conversation-list.js';
import { HttpError } from './errors.js';
import { conversationView, searchTurns } from './logs-api.js';

const user = (text: string): Message => ({ role: 'user', parts: [{ type: 'text', text }] });
const answer = (text: string): Message => ({ role: 'assistant', parts: [{ type: 'text', text }] });

let dir: string;
let store: LogsDatabase;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm-conversation-list-'));
  store = LogsDatabase.open(join(dir, 'logs.db'));
  ensureBrowseIndexes(store.db);
  // Ten threads of two turns on ten days (thread i on 2026-03-0i+1), gpt-4o-mini and echo alternating.
  for (let i = 0; i < 10; i++) {
    const day = `2026-03-${String(i + 1).padStart(2, '0')}`;
    const model = i % 2 ? 'echo' : 'gpt-4o-mini';
    const threadId = `thread${i}`;
    const first = [user(`Question ${i}`)];
    store.logTurn({ threadId, model, inputMessages: first, outputMessages: [answer(`Answer ${i}`)], datetimeUtc: `${day}T09:00:00.000000+00:00`, inputTokens: 10, outputTokens: 20 });
    store.logTurn({
      threadId,
      model,
      inputMessages: [...first, answer(`Answer ${i}`), user(`Again ${i}`)],
      outputMessages: [answer(`Answer again ${i}`)],
      datetimeUtc: `${day}T10:00:00.000000+00:00`,
      inputTokens: 10,
      outputTokens: 20,
    });
  }
  // Thread 3 called the weather tool (its first answer is the call).
  const ask = [user('Weather in Paris?')];
  const call: Message = { role: 'assistant', parts: [{ type: 'tool_call', name: 'weather', arguments: { city: 'Paris' }, toolCallId: 'c1' }] };
  store.logTurn({ threadId: 'thread3', model: 'echo', inputMessages: ask, outputMessages: [call], datetimeUtc: '2026-03-04T11:00:00.000000+00:00' });
  // A legacy conversation (Python before 0.32) whose response called `lookup`.
  store.db.prepare("insert into conversations (id, name, model) values ('legacy1', 'Old chat', 'gpt-3.5-turbo')").run();
  store.db
    .prepare("insert into responses (id, model, prompt, response, conversation_id, datetime_utc) values ('01legacyresponse0000000000', 'gpt-3.5-turbo', 'old', 'reply', 'legacy1', '2026-03-05T12:00:00')")
    .run();
  store.db.prepare("insert into tool_calls (response_id, name, arguments, tool_call_id) values ('01legacyresponse0000000000', 'lookup', '{}', 'x')").run();
});

after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (page: { conversations: { id: string }[] }) => page.conversations.map((c) => c.id);

describe('the conversation list', () => {
  test('newest first, with names, turn counts and the newest turn', () => {
    const page = listConversations(store, 3);
    assert.deepEqual(ids(page), ['thread9', 'thread8', 'thread7']);
    assert.deepEqual(page.conversations[0], {
      id: 'thread9', name: 'Question 9', model: 'echo', turns: 2, last_id: page.conversations[0]!.last_id, datetime_utc: '2026-03-10T10:00:00.000000+00:00',
      cost: null, cost_text: 'unknown',
    });
    assert.equal(page.next, page.conversations[2]!.last_id);
  });

  test("each conversation's cost: the sum of its turns' costs, as the conversation view says it", () => {
    const page = listConversations(store, 20);
    // gpt-4o-mini: two turns of 10 input and 20 output tokens at $0.15 and $0.60 per million.
    const thread8 = page.conversations.find((c) => c.id === 'thread8')!;
    assert.equal(thread8.cost!.total, 0.000027);
    assert.equal(thread8.cost_text, '$0.000027');
    assert.match(thread8.cost!.source, /gpt-4o-mini/);
    // echo has no price; the legacy response logged no tokens: unknown.
    for (const id of ['thread9', 'thread3', 'legacy1']) assert.deepEqual(page.conversations.filter((c) => c.id === id).map((c) => [c.cost, c.cost_text]), [[null, 'unknown']]);
    for (const listed of page.conversations) {
      const view = conversationView(store, listed.id)!;
      assert.deepEqual([listed.cost, listed.cost_text], [view.cost, view.cost_text], listed.id);
    }
  });

  test('pages follow on from each other: every conversation once, the last page says so', () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = listConversations(store, 4, before);
      seen.push(...ids(page));
      if (!page.next) break;
      before = page.next;
    }
    assert.deepEqual(seen, ['thread9', 'thread8', 'thread7', 'thread6', 'thread5', 'legacy1', 'thread4', 'thread3', 'thread2', 'thread1', 'thread0']);
    assert.equal(listConversations(store, 3).conversations.find((c) => c.id === 'thread3'), undefined);
    assert.equal(listConversations(store, 20).conversations.find((c) => c.id === 'thread3')!.turns, 3);
  });

  test('filtered by date: from and to are whole UTC days, both included', () => {
    assert.deepEqual(ids(listConversations(store, 50, undefined, { from: '2026-03-03', to: '2026-03-05' })), ['legacy1', 'thread4', 'thread3', 'thread2']);
    assert.deepEqual(ids(listConversations(store, 50, undefined, { to: '2026-03-01' })), ['thread0']);
    assert.deepEqual(ids(listConversations(store, 50, undefined, { from: '2026-03-10' })), ['thread9']);
  });

  test('filtered by model, and by the tool a turn called (turns and legacy responses)', () => {
    assert.deepEqual(ids(listConversations(store, 3, undefined, { model: 'gpt-4o-mini' })), ['thread8', 'thread6', 'thread4']);
    assert.deepEqual(ids(listConversations(store, 50, undefined, { tool: 'weather' })), ['thread3']);
    assert.deepEqual(ids(listConversations(store, 50, undefined, { tool: 'lookup' })), ['legacy1']);
    assert.deepEqual(ids(listConversations(store, 50, undefined, { tool: 'weather', to: '2026-03-02' })), []);
  });

  test('a date that is not YYYY-MM-DD is a 400 naming the field', () => {
    for (const bad of ['2026-3-1', '2026-02-30', 'yesterday']) {
      assert.throws(
        () => listConversations(store, 5, undefined, { from: bad }),
        (error: unknown) => error instanceof HttpError && error.status === 400 && error.message === `from must be a date as YYYY-MM-DD, not ${JSON.stringify(bad)}`,
      );
    }
    assert.throws(() => listConversations(store, 5, 'nope'), /before must be the last_id of a listed conversation; no turn has id=nope/);
  });

  test('the filters offer the models and tools the log has', () => {
    assert.deepEqual(logFacets(store), { models: ['echo', 'gpt-3.5-turbo', 'gpt-4o-mini'], tools: ['lookup', 'weather'] });
  });

  test('search takes the same filters', () => {
    assert.deepEqual(searchTurns(store, 'again', 50, { from: '2026-03-08' }).map((hit) => hit.prompt).sort(), ['Again 7', 'Again 8', 'Again 9']);
    assert.deepEqual(searchTurns(store, 'paris', 50, { tool: 'weather' }).map((hit) => hit.conversation_id), ['thread3']);
    assert.deepEqual(searchTurns(store, 'paris', 50, { tool: 'lookup' }), []);
    assert.deepEqual(searchTurns(store, 'again', 50, { model: 'echo', to: '2026-03-04' }).map((hit) => hit.prompt).sort(), ['Again 1', 'Again 3']);
  });
});

describe('a conversation', () => {
  test("each turn's cost and the conversation's total, as llm logs prices them", () => {
    const view = conversationView(store, 'thread0')!;
    // gpt-4o-mini: $0.15 input, $0.60 output per million tokens.
    assert.deepEqual(view.turns.map((t) => [t.cost?.total, t.cost_text]), [[0.0000135, '$0.000013'], [0.0000135, '$0.000013']]);
    assert.equal(view.cost!.total, 0.000027);
    assert.equal(view.cost_text, '$0.000027');
    assert.match(view.cost!.source, /gpt-4o-mini/);
  });

  test('a model with no known price: the cost is unknown (null), and so is the total', () => {
    const view = conversationView(store, 'thread1')!;
    assert.deepEqual(view.turns.map((t) => [t.cost, t.cost_text]), [[null, 'unknown'], [null, 'unknown']]);
    assert.deepEqual([view.cost, view.cost_text], [null, 'unknown']);
  });
});
