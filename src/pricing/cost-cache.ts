// The costs of logged turns, cached in a side table of logs.db (`llm_ts_costs`) that
// Python llm never reads or migrates. Each row is computed once per price list from the
// usage the turn logged; `llm usage` then only sums this one table.
import { existsSync, statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { extraModelsPath } from '../providers/openai/plugin.js';
import { priceUsage } from './cost.js';
import { loadPriceList, priceListInfo } from './price-list.js';
import type { Cost, ModelPricing } from './types.js';

export const COST_TABLE = 'llm_ts_costs';

const CREATE = `CREATE TABLE IF NOT EXISTS ${COST_TABLE} (
  response_id TEXT PRIMARY KEY,
  price_list TEXT NOT NULL,
  model TEXT,
  datetime_utc TEXT,
  conversation_id TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  input_cost REAL,
  output_cost REAL,
  total_cost REAL,
  source TEXT
)`;

/** Finds how a logged model id is priced (its plugin's `pricing`), or undefined. */
export type PricingOf = (modelId: string) => ModelPricing | undefined;

/** The price list's id, with the prices users state in extra-openai-models.yaml: a change to either recomputes. */
export function cacheKey(): string {
  const extra = extraModelsPath();
  return `${priceListInfo().id}|${existsSync(extra) ? statSync(extra).mtimeMs : 0}`;
}

interface TurnRow {
  id: string;
  model: string | null;
  resolved_model: string | null;
  datetime_utc: string | null;
  conversation_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  token_details: string | null;
}

/**
 * Every logged turn: Python llm 0.32's `turns` (in threads), and the legacy `responses`
 * rows of older databases that have no turn.
 */
const ALL_TURNS = `(SELECT id, model, resolved_model, datetime_utc, thread_id AS conversation_id, input_tokens, output_tokens, token_details FROM turns
  UNION ALL
  SELECT id, model, resolved_model, datetime_utc, conversation_id, input_tokens, output_tokens, token_details FROM responses
  WHERE id NOT IN (SELECT id FROM turns))`;
const TURN_COLUMNS = 'r.id, r.model, r.resolved_model, r.datetime_utc, r.conversation_id, r.input_tokens, r.output_tokens, r.token_details';

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** When the turn was made, from Python's `datetime_utc` (ISO, no zone: UTC). */
export function turnDate(datetime: string | null): Date | undefined {
  if (!datetime) return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(datetime) ? datetime : `${datetime}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function costOfTurn(row: TurnRow, pricingOf: PricingOf, list: () => ReturnType<typeof loadPriceList>): Cost | null {
  if (row.input_tokens === null && row.output_tokens === null) return null;
  const model = row.model ?? '';
  return priceUsage(
    {
      model,
      resolvedModel: row.resolved_model,
      input: row.input_tokens,
      output: row.output_tokens,
      details: parseDetails(row.token_details),
      datetime: turnDate(row.datetime_utc),
      pricing: model ? pricingOf(model) : undefined,
    },
    list(),
  );
}

function fill(db: Database, rows: TurnRow[], key: string, pricingOf: PricingOf): Map<string, Cost | null> {
  const costs = new Map<string, Cost | null>();
  let list: ReturnType<typeof loadPriceList> | undefined;
  const lazyList = () => (list ??= loadPriceList());
  const memo = new Map<string, ModelPricing | undefined>();
  const memoPricing: PricingOf = (id) => {
    if (!memo.has(id)) memo.set(id, pricingOf(id));
    return memo.get(id);
  };
  const insert = db.prepare(
    `INSERT OR REPLACE INTO ${COST_TABLE} (response_id, price_list, model, datetime_utc, conversation_id, input_tokens, output_tokens, input_cost, output_cost, total_cost, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const row of rows) {
      const cost = costOfTurn(row, memoPricing, lazyList);
      costs.set(row.id, cost);
      insert.run(row.id, key, row.model, row.datetime_utc, row.conversation_id, row.input_tokens, row.output_tokens, cost?.input ?? null, cost?.output ?? null, cost?.total ?? null, cost?.source ?? null);
    }
  })();
  return costs;
}

/**
 * Makes the cache hold a cost for every logged turn, priced with the current list.
 * Cheap when nothing changed: two counts. Returns how many turns were priced now.
 */
export function refreshCostCache(db: Database, pricingOf: PricingOf, options: { force?: boolean } = {}): number {
  db.exec(CREATE);
  const key = cacheKey();
  if (options.force) db.prepare(`DELETE FROM ${COST_TABLE}`).run();
  const count = (sql: string, ...params: unknown[]): number => (db.prepare(sql).pluck().get(...params) as number) ?? 0;
  const turns = count('SELECT count(*) FROM turns') + count('SELECT count(*) FROM responses WHERE id NOT IN (SELECT id FROM turns)');
  const cached = count(`SELECT count(*) FROM ${COST_TABLE}`);
  if (turns === cached && count(`SELECT count(*) FROM ${COST_TABLE} WHERE price_list = ?`, key) === cached) return 0;
  db.prepare(`DELETE FROM ${COST_TABLE} WHERE price_list != ? OR (response_id NOT IN (SELECT id FROM turns) AND response_id NOT IN (SELECT id FROM responses))`).run(key);
  const missing = db
    .prepare(`SELECT ${TURN_COLUMNS} FROM ${ALL_TURNS} r WHERE NOT EXISTS (SELECT 1 FROM ${COST_TABLE} c WHERE c.response_id = r.id)`)
    .all() as TurnRow[];
  fill(db, missing, key, pricingOf);
  return missing.length;
}

/** The costs of these turns (null: unknown), from the cache, pricing those not in it. */
export function costsOf(db: Database, ids: readonly string[], pricingOf: PricingOf): Map<string, Cost | null> {
  const result = new Map<string, Cost | null>();
  if (!ids.length) return result;
  db.exec(CREATE);
  const key = cacheKey();
  const read = db.prepare(`SELECT input_cost, output_cost, total_cost, source FROM ${COST_TABLE} WHERE response_id = ? AND price_list = ?`);
  const turn = db.prepare(`SELECT ${TURN_COLUMNS} FROM ${ALL_TURNS} r WHERE r.id = ?`);
  const missing: TurnRow[] = [];
  for (const id of ids) {
    const row = read.get(id, key) as { input_cost: number | null; output_cost: number | null; total_cost: number | null; source: string | null } | undefined;
    if (row) {
      result.set(id, row.total_cost === null ? null : { input: row.input_cost!, output: row.output_cost!, total: row.total_cost, currency: 'USD', source: row.source ?? '' });
    } else {
      const found = turn.get(id) as TurnRow | undefined;
      if (found) missing.push(found);
    }
  }
  for (const [id, cost] of fill(db, missing, key, pricingOf)) result.set(id, cost);
  return result;
}
