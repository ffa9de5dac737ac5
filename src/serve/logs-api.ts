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

/** Conversations (threads, and conversations of legacy responses), most recent turn first. */
export function listConversations(store: LogsDatabase, limit: number, before?: string): ConversationSummary[] {
  const rows = store.db
    .prepare(
      `with latest as (
         select thread_id as id, max(id) as last_id, count(*) as turns from turns group by thread_id
         union all
         select conversation_id, max(id), count(*) from responses
           where conversation_id is not null and id not in (select id from turns) group by conversation_id
       )
       select latest.id, latest.last_id, latest.turns,
         coalesce(threads.name, conversations.name) as name,
         coalesce((select model from turns where id = latest.last_id), (select model from responses where id = latest.last_id)) as model,
         coalesce((select datetime_utc from turns where id = latest.last_id), (select datetime_utc from responses where id = latest.last_id)) as datetime_utc
       from latest
       left join threads on threads.id = latest.id
       left join conversations on conversations.id = latest.id
       where (:before is null or latest.last_id < :before)
       order by latest.last_id desc limit :limit`,
    )
    .all({ limit, before: before ?? null }) as ConversationSummary[];
  return rows;
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
