// A logs.db of many turns, quickly: a few turns written by the library, then cloned by SQL
// (new ids and threads, the same content-addressed messages, their own search text).
import { LogsDatabase } from '../../src/logs/index.js';

/** `count` turns, four per conversation; turn `marked` alone has the word in `word`. */
export function seedLargeLog(path: string, count: number, marked: number, word: string): void {
  const store = LogsDatabase.open(path);
  try {
    const templates: string[] = [];
    for (let i = 0; i < 20; i++) {
      templates.push(
        store.logTurn({
          model: i % 2 ? 'echo' : 'gpt-4o-mini',
          inputMessages: [{ role: 'user', parts: [{ type: 'text', text: `Template question ${i}` }] }],
          outputMessages: [{ role: 'assistant', parts: [{ type: 'text', text: `Template answer ${i}` }] }],
          inputTokens: 3,
          outputTokens: 4,
          datetimeUtc: '2026-01-01T00:00:00.000000+00:00',
        }),
      );
    }
    const db = store.db;
    const template = db.prepare('select parent_message_hash, tip_message_hash, model from turns where id = ?');
    const thread = db.prepare('insert into threads (id, name, tip_message_hash, forked_from, datetime_utc) values (?, ?, ?, null, ?)');
    const turn = db.prepare(
      `insert into turns (id, thread_id, parent_message_hash, tip_message_hash, model, input_tokens, output_tokens, datetime_utc)
       values (?, ?, ?, ?, ?, 3, 4, ?)`,
    );
    const search = db.prepare('insert into turn_search (turn_id, prompt, response) values (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const source = template.get(templates[i % templates.length]) as { parent_message_hash: string; tip_message_hash: string; model: string };
        const id = `01z0${String(i).padStart(22, '0')}`;
        const threadId = `01z0thread${String(Math.floor(i / 4)).padStart(16, '0')}`;
        const when = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace('Z', '000+00:00');
        if (i % 4 === 0) thread.run(threadId, `Conversation ${i / 4} about topic ${i % 997}`, source.tip_message_hash, when);
        turn.run(id, threadId, source.parent_message_hash, source.tip_message_hash, source.model, when);
        search.run(id, `Question ${i} about topic ${i % 997}${i === marked ? ` ${word}` : ''}`, `Answer ${i} with some words`);
      }
    })();
  } finally {
    store.close();
  }
}
