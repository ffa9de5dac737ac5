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

const SCHEMA = [
  // One row per priced turn: what `llm logs --json` and `-u` show.
  `CREATE TABLE IF NOT EXISTS ${COST_TABLE} (response_id TEXT PRIMARY KEY, input_cost REAL, output_cost REAL, total_cost REAL, source TEXT)`,
  // Sums per day and model, and per conversation, day and model: what `llm usage` reads.
  `CREATE TABLE IF NOT EXISTS llm_ts_cost_days (day TEXT, model TEXT, turns INTEGER, input_tokens INTEGER, output_tokens INTEGER,
    cost REAL, priced_turns INTEGER, unpriced_turns INTEGER, PRIMARY KEY (day, model)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS llm_ts_cost_conversations (conversation_id TEXT, day TEXT, model TEXT, turns INTEGER, input_tokens INTEGER,
    output_tokens INTEGER, cost REAL, priced_turns INTEGER, unpriced_turns INTEGER, PRIMARY KEY (conversation_id, day, model)) WITHOUT ROWID`,
  // The price list the rows were priced with, and the newest turn and legacy response seen.
  `CREATE TABLE IF NOT EXISTS llm_ts_cost_state (name TEXT PRIMARY KEY, value TEXT)`,
];
const TABLES = [COST_TABLE, 'llm_ts_cost_days', 'llm_ts_cost_conversations', 'llm_ts_cost_state'];

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
  batch: number;
}

// `batch`: answered through a Batch API (`llm map --batch` marks the logged JSON). instr()
// first: most turns are not, and parsing every turn's whole JSON is what a first run over
// a large logs.db would spend its time on.
const TURN_COLUMNS =
  "model, resolved_model, datetime_utc, input_tokens, output_tokens, token_details, " +
  "CASE WHEN instr(response_json, '\"llm_ts_batch\"') > 0 THEN json_extract(response_json, '$.llm_ts_batch') IS NOT NULL ELSE 0 END AS batch";
const TURNS = `SELECT id, thread_id AS conversation_id, ${TURN_COLUMNS} FROM turns`;
const RESPONSES = `SELECT id, conversation_id, ${TURN_COLUMNS} FROM responses`;

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

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The smallest ULID made an hour before `id` was: turns are re-checked from there, so one
 * logged late by a concurrent process (an older id written after a newer one) is not missed.
 */
export function hourBefore(id: string): string {
  if (!/^[0-9a-hjkmnp-tv-z]{26}$/i.test(id)) return '';
  let ms = 0;
  for (const c of id.slice(0, 10).toLowerCase()) ms = ms * 32 + CROCKFORD.indexOf(c);
  let time = Math.max(0, ms - 3_600_000);
  let prefix = '';
  for (let i = 0; i < 10; i++) {
    prefix = CROCKFORD[time % 32] + prefix;
    time = Math.floor(time / 32);
  }
  return id === id.toLowerCase() ? prefix : prefix.toUpperCase();
}

/** One row of sums: its key columns, then turns, input and output tokens, cost, priced and unpriced turns. */
interface Sums {
  key: string[];
  values: [number, number, number, number, number, number];
}

function addTo(sums: Map<string, Sums>, key: string[], row: TurnRow, cost: Cost | null): void {
  const name = key.join('\u0000');
  let entry = sums.get(name);
  if (!entry) sums.set(name, (entry = { key, values: [0, 0, 0, 0, 0, 0] }));
  const v = entry.values;
  v[0] += 1;
  v[1] += row.input_tokens ?? 0;
  v[2] += row.output_tokens ?? 0;
  v[3] += cost?.total ?? 0;
  v[4] += cost ? 1 : 0;
  v[5] += cost === null && (row.input_tokens ?? 0) + (row.output_tokens ?? 0) > 0 ? 1 : 0;
}

class CostCache {
  private readonly state = new Map<string, string>();
  private readonly key = cacheKey();
  private list: ReturnType<typeof loadPriceList> | undefined;
  private readonly pricing = new Map<string, ModelPricing | undefined>();

  constructor(
    private readonly db: Database,
    private readonly pricingOf: PricingOf,
    force: boolean,
  ) {
    for (const sql of SCHEMA) db.exec(sql);
    for (const row of db.prepare('SELECT name, value FROM llm_ts_cost_state').all() as { name: string; value: string }[]) this.state.set(row.name, row.value);
    if (force || this.state.get('price_list') !== this.key) {
      // Another price list (or prices stated in extra-openai-models.yaml changed): price everything again.
      db.transaction(() => {
        for (const table of TABLES) db.exec(`DELETE FROM ${table}`);
        db.prepare("INSERT INTO llm_ts_cost_state (name, value) VALUES ('price_list', ?)").run(this.key);
      })();
      this.state.clear();
      this.state.set('price_list', this.key);
    }
  }

  private costOf(row: TurnRow): Cost | null {
    if (row.input_tokens === null && row.output_tokens === null) return null;
    const model = row.model ?? '';
    if (model && !this.pricing.has(model)) this.pricing.set(model, this.pricingOf(model));
    return priceUsage(
      {
        model,
        resolvedModel: row.resolved_model,
        input: row.input_tokens,
        output: row.output_tokens,
        details: parseDetails(row.token_details),
        datetime: turnDate(row.datetime_utc),
        pricing: this.pricing.get(model),
        batch: row.batch === 1,
      },
      (this.list ??= loadPriceList()),
    );
  }

  /** Prices these turns and adds them to the per-turn table and both sums. */
  record(rows: readonly TurnRow[]): Map<string, Cost | null> {
    const costs = new Map<string, Cost | null>();
    if (!rows.length) return costs;
    const db = this.db;
    const insert = db.prepare(`INSERT OR IGNORE INTO ${COST_TABLE} (response_id, input_cost, output_cost, total_cost, source) VALUES (?, ?, ?, ?, ?)`);
    const sums = `turns = turns + excluded.turns, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
      cost = cost + excluded.cost, priced_turns = priced_turns + excluded.priced_turns, unpriced_turns = unpriced_turns + excluded.unpriced_turns`;
    const day = db.prepare(`INSERT INTO llm_ts_cost_days VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET ${sums}`);
    const conversation = db.prepare(`INSERT INTO llm_ts_cost_conversations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET ${sums}`);
    // Summed here first, then one upsert per day and model (and conversation): a first
    // run over a whole logs.db writes thousands of sums, not two for every turn.
    const days = new Map<string, Sums>();
    const conversations = new Map<string, Sums>();
    db.transaction(() => {
      for (const row of rows) {
        const cost = this.costOf(row);
        costs.set(row.id, cost);
        if (insert.run(row.id, cost?.input ?? null, cost?.output ?? null, cost?.total ?? null, cost?.source ?? null).changes === 0) continue;
        const when = (row.datetime_utc ?? '').slice(0, 10);
        const model = row.model ?? '';
        addTo(days, [when, model], row, cost);
        addTo(conversations, [row.conversation_id ?? '', when, model], row, cost);
      }
      for (const sums of days.values()) day.run(...sums.key, ...sums.values);
      for (const sums of conversations.values()) conversation.run(...sums.key, ...sums.values);
    })();
    return costs;
  }

  /** Prices the turns logged since the last look. */
  refresh(): number {
    const db = this.db;
    const fresh = (table: string, select: string, stateName: string, extra = ''): TurnRow[] => {
      const from = hourBefore(this.state.get(stateName) ?? '');
      const rows = db
        .prepare(`${select} WHERE id >= ? ${extra} AND NOT EXISTS (SELECT 1 FROM ${COST_TABLE} c WHERE c.response_id = ${table}.id) ORDER BY id`)
        .all(from) as TurnRow[];
      return rows;
    };
    const turns = fresh('turns', TURNS, 'turns');
    const responses = fresh('responses', RESPONSES, 'responses', 'AND id NOT IN (SELECT id FROM turns)');
    if (!turns.length && !responses.length) return 0;
    this.record([...turns, ...responses]);
    const newest = db.prepare("INSERT INTO llm_ts_cost_state (name, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = max(value, excluded.value)");
    if (turns.length) newest.run('turns', turns[turns.length - 1]!.id);
    if (responses.length) newest.run('responses', responses[responses.length - 1]!.id);
    return turns.length + responses.length;
  }

  /**
   * The costs of these turns, from the per-turn table, pricing any not in it. A few queries
   * whatever the number of turns (their ids as one JSON array), not one per turn.
   */
  costsOf(ids: readonly string[]): Map<string, Cost | null> {
    const result = new Map<string, Cost | null>();
    const list = JSON.stringify(ids);
    const cached = this.db
      .prepare(`SELECT response_id, input_cost, output_cost, total_cost, source FROM ${COST_TABLE} WHERE response_id IN (SELECT value FROM json_each(?))`)
      .all(list) as { response_id: string; input_cost: number | null; output_cost: number | null; total_cost: number | null; source: string | null }[];
    for (const row of cached) {
      result.set(row.response_id, row.total_cost === null ? null : { input: row.input_cost!, output: row.output_cost!, total: row.total_cost, currency: 'USD', source: row.source ?? '' });
    }
    if (result.size === new Set(ids).size) return result;
    const unpriced = JSON.stringify(ids.filter((id) => !result.has(id)));
    // A turn first; a legacy response only when no turn has its id.
    const turns = this.db.prepare(`${TURNS} WHERE id IN (SELECT value FROM json_each(?))`).all(unpriced) as TurnRow[];
    const found = new Set(turns.map((row) => row.id));
    const responses = (this.db.prepare(`${RESPONSES} WHERE id IN (SELECT value FROM json_each(?))`).all(unpriced) as TurnRow[]).filter((row) => !found.has(row.id));
    for (const [id, cost] of this.record([...turns, ...responses])) result.set(id, cost);
    return result;
  }
}

/**
 * Makes the cache hold every logged turn, priced with the current list: cheap when
 * nothing is new (two indexed lookups). Returns how many turns were priced now.
 */
export function refreshCostCache(db: Database, pricingOf: PricingOf, options: { force?: boolean } = {}): number {
  return new CostCache(db, pricingOf, !!options.force).refresh();
}

/** The costs of these turns (null: unknown), from the cache, pricing those not in it. */
export function costsOf(db: Database, ids: readonly string[], pricingOf: PricingOf): Map<string, Cost | null> {
  if (!ids.length) return new Map();
  return new CostCache(db, pricingOf, false).costsOf(ids);
}
