// The page's JSON: conversations newest first, full-text search, one conversation's
// turns (with tool calls, results and usage). Read-only views of logs.db.
import { type LogRow, listLogs } from '../logs/index.js';
import type { LogsDatabase } from '../logs/index.js';

export interface ConversationSummary {
  id: string;
  name: string | null;
  model: string | null;
  turns: number;
  last_id: string;
  datetime_utc: string | null;
}

/**
 * Conversations (threads, and conversations of legacy responses), most recent turn first.
 * Walks the turns newest first until `limit` conversations are found, so a large log costs
 * no more than the page shown.
 */
export function listConversations(store: LogsDatabase, limit: number, before?: string): ConversationSummary[] {
  const db = store.db;
  const newest = (sql: string): Map<string, string> => {
    const found = new Map<string, string>();
    for (const row of db.prepare(sql).iterate({ before: before ?? null }) as Iterable<{ id: string; conversation: string | null }>) {
      if (row.conversation !== null && !found.has(row.conversation)) found.set(row.conversation, row.id);
      if (found.size >= limit) break;
    }
    return found;
  };
  const threads = newest('select id, thread_id as conversation from turns where (:before is null or id < :before) order by id desc');
  const legacy = newest(
    `select id, conversation_id as conversation from responses
     where (:before is null or id < :before) and id not in (select id from turns) order by id desc`,
  );
  const threadInfo = db.prepare(
    `select threads.name, (select count(*) from turns where thread_id = :id) as turns, turns.model, turns.datetime_utc
     from turns left join threads on threads.id = turns.thread_id where turns.id = :last`,
  );
  const legacyInfo = db.prepare(
    `select conversations.name, (select count(*) from responses where conversation_id = :id) as turns, responses.model, responses.datetime_utc
     from responses left join conversations on conversations.id = responses.conversation_id where responses.id = :last`,
  );
  const summaries: ConversationSummary[] = [];
  for (const [entries, info] of [[threads, threadInfo], [legacy, legacyInfo]] as const) {
    for (const [id, last] of entries) {
      if (summaries.some((s) => s.id === id)) continue;
      const row = info.get({ id, last }) as Omit<ConversationSummary, 'id' | 'last_id'>;
      summaries.push({ id, last_id: last, name: row.name, model: row.model, turns: row.turns, datetime_utc: row.datetime_utc });
    }
  }
  return summaries.sort((a, b) => (a.last_id < b.last_id ? 1 : a.last_id > b.last_id ? -1 : 0)).slice(0, limit);
}

export interface SearchHit {
  id: string;
  conversation_id: string | null;
  conversation_name: string | null;
  model: string | null;
  datetime_utc: string | null;
  prompt: string;
  response: string;
}

/** Turns matching a full-text query (logs.db's FTS index), best match first. */
export function searchTurns(store: LogsDatabase, query: string, limit: number): SearchHit[] {
  return listLogs(store, { query, count: limit }).map((row) => ({
    id: row.id,
    conversation_id: row.conversation_id,
    conversation_name: row.conversation_name,
    model: row.model,
    datetime_utc: row.datetime_utc,
    prompt: clip(row.prompt ?? ''),
    response: clip(row.response ?? ''),
  }));
}

export interface TurnView {
  id: string;
  model: string | null;
  datetime_utc: string | null;
  system: string | null;
  prompt: string | null;
  response: string | null;
  reasoning: string | null;
  tool_calls: LogRow['tool_calls'];
  tool_results: LogRow['tool_results'];
  attachments: LogRow['attachments'];
  input_tokens: number | null;
  output_tokens: number | null;
  duration_ms: number | null;
}

/** One conversation, its turns oldest first; undefined when there is none with this id. */
export function conversationView(store: LogsDatabase, id: string): { id: string; name: string | null; model: string | null; turns: TurnView[] } | undefined {
  const rows = listLogs(store, { conversationId: id }).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (!rows.length) return undefined;
  const last = rows[rows.length - 1]!;
  return {
    id,
    name: last.conversation_name,
    model: last.model,
    turns: rows.map((row) => ({
      id: row.id,
      model: row.model,
      datetime_utc: row.datetime_utc,
      system: row.system,
      prompt: row.prompt,
      response: row.response,
      reasoning: row.reasoning,
      tool_calls: row.tool_calls,
      tool_results: row.tool_results,
      attachments: row.attachments,
      input_tokens: row.input_tokens,
      output_tokens: row.output_tokens,
      duration_ms: row.duration_ms,
    })),
  };
}

function clip(text: string, max = 300): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
