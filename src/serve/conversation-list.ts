// The logs page's list: conversations (threads, and conversations of legacy responses) by
// their newest turn, newest first, filtered by model, date and tool, a page at a time.
//
// One walk down an index per table (llm_ts_turns_datetime, src/logs/browse-indexes.ts)
// that stops once a page of conversations is found: a large log costs what the page
// shown costs. No COUNT over the log; the turn counts of the page's conversations come
// from one grouped, indexed query, their costs from their turns' ids (one indexed query)
// priced through the cost cache, for the page's conversations only.
import type { LogsDatabase } from '../logs/index.js';
import { costsOf, formatCost, registryPricing, sumCosts } from '../pricing/index.js';
import { HttpError } from './errors.js';
import type { ConversationPage } from './logs-json.js';

/** How many conversations the page asks for at first (web/src/logs-view.ts). */
export const FIRST_PAGE = 100;

export interface LogFilter {
  model?: string;
  /** First day shown, `YYYY-MM-DD` (UTC). */
  from?: string;
  /** Last day shown, `YYYY-MM-DD` (UTC), included. */
  to?: string;
  /** Only conversations with a turn whose answer called this tool. */
  tool?: string;
}

interface Walked {
  id: string;
  conversation: string | null;
  model: string | null;
  datetime_utc: string | null;
}

interface Table {
  name: 'turns' | 'responses';
  conversation: string;
  /** Only rows of this table that are its own (legacy responses also logged as turns are left to turns). */
  own: string;
  tool: string;
  counts: string;
  names: string;
  /** The ids of the conversations' turns (those the conversation view shows). */
  turnIds: string;
}

const TABLES: Table[] = [
  {
    name: 'turns',
    conversation: 'thread_id',
    own: '',
    tool: "tip_message_hash in (select message_hash from parts where type = 'tool_call' and tool_name = :tool)",
    counts: 'select thread_id as id, count(*) as n from turns where thread_id in (select value from json_each(?)) group by thread_id',
    names: 'select id, name from threads where id in (select value from json_each(?))',
    turnIds: 'select thread_id as conversation, id from turns where thread_id in (select value from json_each(?))',
  },
  {
    name: 'responses',
    conversation: 'conversation_id',
    own: 'id not in (select id from turns)',
    tool: 'id in (select response_id from tool_calls where name = :tool)',
    counts: 'select conversation_id as id, count(*) as n from responses where conversation_id in (select value from json_each(?)) group by conversation_id',
    names: 'select id, name from conversations where id in (select value from json_each(?))',
    turnIds:
      'select conversation_id as conversation, id from responses where conversation_id in (select value from json_each(?)) and id not in (select id from turns)',
  },
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` checked (a 400 otherwise); `to` becomes the next day, the first one left out. */
export function dateBounds(filter: LogFilter): { from?: string; until?: string } {
  const check = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const date = new Date(`${value}T00:00:00Z`);
    if (!DAY.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      throw new HttpError(400, `${name} must be a date as YYYY-MM-DD, not ${JSON.stringify(value)}`, 'invalid_request_error', name);
    }
    return date;
  };
  const from = check('from', filter.from);
  const to = check('to', filter.to);
  return {
    from: from?.toISOString().slice(0, 10),
    until: to ? new Date(to.getTime() + 86_400_000).toISOString().slice(0, 10) : undefined,
  };
}

/** The WHERE conditions a filter puts on one table, and their parameters. */
function conditions(table: Table, filter: LogFilter): { where: string[]; params: Record<string, string> } {
  const where: string[] = table.own ? [table.own] : [];
  const params: Record<string, string> = {};
  const { from, until } = dateBounds(filter);
  if (from) {
    where.push('datetime_utc >= :from');
    params.from = from;
  }
  if (until) {
    where.push('datetime_utc < :until');
    params.until = until;
  }
  if (filter.model) {
    where.push('(model = :model or resolved_model = :model)');
    params.model = filter.model;
  }
  if (filter.tool) {
    where.push(table.tool);
    params.tool = filter.tool;
  }
  return { where, params };
}

/** Where the previous page ended: the newest turn of its last conversation. */
function cursorOf(store: LogsDatabase, before: string | undefined): { datetime: string; id: string } | undefined {
  if (!before) return undefined;
  const row = store.db
    .prepare('select datetime_utc from turns where id = :id union all select datetime_utc from responses where id = :id limit 1')
    .get({ id: before }) as { datetime_utc: string | null } | undefined;
  if (!row) throw new HttpError(400, `before must be the last_id of a listed conversation; no turn has id=${before}`, 'invalid_request_error', 'before');
  return { datetime: row.datetime_utc ?? '', id: before };
}

export function listConversations(store: LogsDatabase, limit: number, before?: string, filter: LogFilter = {}): ConversationPage {
  const db = store.db;
  const cursor = cursorOf(store, before);
  const found: (Walked & { table: Table })[] = [];
  for (const table of TABLES) {
    const { where, params } = conditions(table, filter);
    const all = [...where];
    if (cursor) all.push('(datetime_utc, id) < (:cursor_time, :cursor_id)');
    const walk = db.prepare(
      `select id, ${table.conversation} as conversation, model, datetime_utc from ${table.name}
       ${all.length ? `where ${all.join(' and ')}` : ''} order by datetime_utc desc, id desc`,
    );
    // A conversation with a matching turn after the cursor was on an earlier page.
    const listedBefore = cursor
      ? db.prepare(
          `select 1 from ${table.name} where ${table.conversation} = :conversation and (datetime_utc, id) >= (:cursor_time, :cursor_id)
           ${where.map((w) => ` and ${w}`).join('')} limit 1`,
        )
      : undefined;
    const cursorParams = cursor ? { cursor_time: cursor.datetime, cursor_id: cursor.id } : {};
    const seen = new Set<string>();
    let mine = 0;
    for (const row of walk.iterate({ ...params, ...cursorParams }) as Iterable<Walked>) {
      if (row.conversation === null || seen.has(row.conversation)) continue;
      seen.add(row.conversation);
      if (listedBefore?.get({ ...params, ...cursorParams, conversation: row.conversation })) continue;
      found.push({ ...row, table });
      if (++mine > limit) break; // one more than a page: tells whether there is a next page
    }
  }
  const newestFirst = (a: Walked, b: Walked) =>
    (b.datetime_utc ?? '').localeCompare(a.datetime_utc ?? '') || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  found.sort(newestFirst);
  // One conversation id in both tables (a legacy conversation continued as a thread) is listed once.
  const page: (Walked & { table: Table })[] = [];
  const ids = new Set<string>();
  for (const row of found) {
    if (ids.has(row.conversation!)) continue;
    ids.add(row.conversation!);
    page.push(row);
    if (page.length > limit) break;
  }
  const more = page.length > limit;
  const shown = page.slice(0, limit);
  const counts = new Map<string, number>();
  const names = new Map<string, string | null>();
  const turnIds = new Map<string, string[]>();
  for (const table of TABLES) {
    const mine = JSON.stringify(shown.map((row) => row.conversation));
    for (const row of db.prepare(table.counts).all(mine) as { id: string; n: number }[]) counts.set(row.id, (counts.get(row.id) ?? 0) + row.n);
    for (const row of db.prepare(table.names).all(mine) as { id: string; name: string | null }[]) if (!names.get(row.id)) names.set(row.id, row.name);
    for (const row of db.prepare(table.turnIds).all(mine) as { conversation: string; id: string }[]) {
      const list = turnIds.get(row.conversation);
      if (list) list.push(row.id);
      else turnIds.set(row.conversation, [row.id]);
    }
  }
  // As the conversation view: from the cost cache in logs.db, turns not in it priced now.
  const costs = costsOf(db, [...turnIds.values()].flat(), registryPricing);
  return {
    conversations: shown.map((row) => {
      const cost = sumCosts((turnIds.get(row.conversation!) ?? []).map((id) => costs.get(id) ?? null));
      return {
        id: row.conversation!,
        name: names.get(row.conversation!) ?? null,
        model: row.model,
        turns: counts.get(row.conversation!) ?? 0,
        last_id: row.id,
        datetime_utc: row.datetime_utc,
        cost,
        cost_text: formatCost(cost),
      };
    }),
    next: more ? shown[shown.length - 1]!.id : null,
  };
}

/**
 * The distinct values of an indexed column, read by jumping from one value to the next
 * down the index (a few lookups per value, not a scan of the table).
 */
function distinctValues(db: LogsDatabase['db'], table: string, column: string, where = ''): string[] {
  const more = where ? ` and ${where}` : '';
  return db
    .prepare(
      `with recursive v(value) as (
         select min(${column}) from ${table} where ${column} is not null${more}
         union all select (select min(${column}) from ${table} where ${column} > v.value${more}) from v where v.value is not null
       ) select value from v where value is not null`,
    )
    .pluck()
    .all() as string[];
}

/** The models and tools of the log, for the filters' choices. */
export function logFacets(store: LogsDatabase): { models: string[]; tools: string[] } {
  const db = store.db;
  const merged = (...lists: string[][]) => [...new Set(lists.flat())].filter(Boolean).sort();
  return {
    models: merged(distinctValues(db, 'turns', 'model'), distinctValues(db, 'responses', 'model')),
    tools: merged(distinctValues(db, 'parts', 'tool_name', "type = 'tool_call'"), db.prepare('select distinct name from tool_calls').pluck().all() as string[]),
  };
}
