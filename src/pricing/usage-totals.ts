// `llm usage`: tokens and dollars summed from the cost cache, by model, period or conversation.
import type { Database } from 'better-sqlite3';
import { COST_TABLE, refreshCostCache, type PricingOf } from './cost-cache.js';

export type UsageGrouping = 'model' | 'day' | 'week' | 'month' | 'conversation' | 'total';

export interface UsageTotal {
  /** The model, the period (`2026-11-29`, `2026-W48`, `2026-11`) or the conversation id; `total` for one row. */
  key: string;
  /** The conversation's name, when grouped by conversation. */
  name?: string | null;
  turns: number;
  input_tokens: number;
  output_tokens: number;
  /** Dollars for the turns with a known price; null when none of them has one. */
  cost: number | null;
  /** Turns with usage but no known price: their cost is not in `cost`. */
  unpriced_turns: number;
}

export interface UsageQuery {
  by: UsageGrouping;
  /** Only turns on or after this day (YYYY-MM-DD, UTC). */
  since?: string;
  /** Only this model's turns. */
  model?: string;
}

const KEYS: Record<UsageGrouping, string> = {
  model: 'model',
  day: 'day',
  week: "strftime('%G-W%V', day)",
  month: 'substr(day, 1, 7)',
  conversation: 'conversation_id',
  total: "'total'",
};

/** Sums the logged turns (pricing any not yet in the cache first). */
export function usageTotals(db: Database, query: UsageQuery, pricingOf: PricingOf): UsageTotal[] {
  refreshCostCache(db, pricingOf);
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.since) {
    where.push('day >= ?');
    params.push(query.since.slice(0, 10));
  }
  if (query.model) {
    where.push('model = ?');
    params.push(query.model);
  }
  const byConversation = query.by === 'conversation';
  const table = byConversation ? 'llm_ts_cost_conversations' : 'llm_ts_cost_days';
  const key = KEYS[query.by];
  const byCost = query.by === 'model' || byConversation;
  const sql = `SELECT ${key} AS key, sum(turns) AS turns, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      CASE WHEN sum(priced_turns) > 0 THEN sum(cost) END AS cost, sum(unpriced_turns) AS unpriced_turns
    FROM ${table} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    GROUP BY 1 ORDER BY ${byCost ? 'coalesce(cost, 0) DESC, key' : 'key'}`;
  const named = byConversation
    ? `SELECT t.key, coalesce(th.name, cv.name) AS name, t.turns, t.input_tokens, t.output_tokens, t.cost, t.unpriced_turns
       FROM (${sql}) t LEFT JOIN threads th ON th.id = t.key LEFT JOIN conversations cv ON cv.id = t.key
       ORDER BY coalesce(t.cost, 0) DESC, t.key`
    : sql;
  const rows = db.prepare(named).all(...params) as UsageTotal[];
  for (const row of rows) {
    if (row.cost !== null) row.cost = Math.round(row.cost * 1e10) / 1e10;
  }
  return rows;
}

/** Dollars spent on priced turns since a day (YYYY-MM-DD, for budgets). */
export function spentSince(db: Database, since: string, pricingOf: PricingOf): { cost: number; unpriced_turns: number } {
  const [row] = usageTotals(db, { by: 'total', since }, pricingOf);
  return { cost: row?.cost ?? 0, unpriced_turns: row?.unpriced_turns ?? 0 };
}
