// The page's JSON: full-text search, one conversation's turns (with tool calls, results,
// usage and cost). Read-only views of logs.db (the list is conversation-list.ts).
import { listLogs } from '../logs/index.js';
import type { LogsDatabase } from '../logs/index.js';
import { type Cost, costsOf, formatCost, registryPricing, sumCosts } from '../pricing/index.js';
import { type LogFilter, dateBounds } from './conversation-list.js';
import type { ConversationView, SearchHit } from './logs-json.js';

/** Turns matching a full-text query (logs.db's FTS index) and the filter, best match first. */
export function searchTurns(store: LogsDatabase, query: string, limit: number, filter: LogFilter = {}): SearchHit[] {
  const { from, until } = dateBounds(filter);
  const options = { query, count: limit, model: filter.model, datetimeFrom: from, datetimeUntil: until, calledTool: filter.tool };
  return listLogs(store, options).map((row) => ({
    id: row.id,
    conversation_id: row.conversation_id,
    conversation_name: row.conversation_name,
    model: row.model,
    datetime_utc: row.datetime_utc,
    prompt: clip(row.prompt ?? ''),
    response: clip(row.response ?? ''),
  }));
}

/** One conversation, its turns oldest first; undefined when there is none with this id. */
export function conversationView(store: LogsDatabase, id: string): ConversationView | undefined {
  const rows = listLogs(store, { conversationId: id }).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (!rows.length) return undefined;
  const last = rows[rows.length - 1]!;
  // As `llm logs --json`: from the cost cache in logs.db, turns not in it priced now.
  const costs = costsOf(store.db, rows.map((row) => row.id), registryPricing);
  return {
    id,
    name: last.conversation_name,
    model: last.model,
    ...withText(sumCosts(rows.map((row) => costs.get(row.id) ?? null))),
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
      ...withText(costs.get(row.id) ?? null),
    })),
  };
}

function withText(cost: Cost | null): { cost: Cost | null; cost_text: string } {
  return { cost, cost_text: formatCost(cost) };
}

function clip(text: string, max = 300): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
