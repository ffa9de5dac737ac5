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
  /** Only turns on or after this date (YYYY-MM-DD or an ISO time, UTC). */
  since?: string;
  /** Only this model's turns. */
  model?: string;
}

const KEYS: Record<UsageGrouping, string> = {
  model: "coalesce(c.model, '')",
  day: 'substr(c.datetime_utc, 1, 10)',
  week: "strftime('%G-W%V', c.datetime_utc)",
  month: 'substr(c.datetime_utc, 1, 7)',
  conversation: "coalesce(c.conversation_id, '')",
  total: "'total'",
};

/** Sums the logged turns (pricing any not yet in the cache first). */
export function usageTotals(db: Database, query: UsageQuery, pricingOf: PricingOf): UsageTotal[] {
  refreshCostCache(db, pricingOf);
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.since) {
    where.push('c.datetime_utc >= ?');
    params.push(query.since);
  }
  if (query.model) {
    where.push('c.model = ?');
    params.push(query.model);
  }
  const key = KEYS[query.by];
  const byCost = query.by === 'model' || query.by === 'conversation';
  const name = query.by === 'conversation' ? ', coalesce((SELECT name FROM threads WHERE id = c.conversation_id), (SELECT name FROM conversations WHERE id = c.conversation_id)) AS name' : '';
  const sql = `SELECT ${key} AS key${name}, count(*) AS turns,
      coalesce(sum(c.input_tokens), 0) AS input_tokens, coalesce(sum(c.output_tokens), 0) AS output_tokens,
      coalesce(sum(c.total_cost), 0) AS cost,
      sum(c.total_cost IS NULL AND (coalesce(c.input_tokens, 0) + coalesce(c.output_tokens, 0)) > 0) AS unpriced_turns
    FROM ${COST_TABLE} c ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    GROUP BY 1 ORDER BY ${byCost ? 'cost DESC, key' : 'key'}`;
  const rows = db.prepare(sql).all(...params) as UsageTotal[];
  for (const row of rows) row.cost = row.unpriced_turns === row.turns ? null : Math.round(row.cost! * 1e10) / 1e10;
  return rows;
}

/** Dollars spent on priced turns since a time (for budgets). */
export function spentSince(db: Database, since: string, pricingOf: PricingOf): { cost: number; unpriced_turns: number } {
  const [row] = usageTotals(db, { by: 'total', since }, pricingOf);
  return { cost: row?.cost ?? 0, unpriced_turns: row?.unpriced_turns ?? 0 };
}
