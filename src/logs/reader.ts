import { toolDescriptionReplacements } from './tools.js';
import { UsageError } from '../errors.js';
import type { Message, Part } from '../models/messages.js';
import { INCOMPLETE_KEY, type LogsDatabase, payloadReplacements } from './database.js';
import { uncondenseJson } from './json.js';
import { attachmentIdSync } from './parts.js';
import type { Cost } from '../pricing/types.js';

export interface ListOptions {
  /** How many rows (newest); 0 or undefined for all. */
  count?: number;
  model?: string;
  query?: string;
  latest?: boolean;
  conversationId?: string;
  schemaId?: string;
  idGt?: string;
  idGte?: string;
  /** Only turns given every one of these fragments (sha256 hashes), as prompt or system fragments. */
  fragmentHashes?: string[];
  /** Only turns whose inputs include a result from each of these tools (-T). */
  toolNames?: string[];
  /** Only turns whose inputs include a tool result (--tools). */
  anyTools?: boolean;
  /** Only turns logged on or after this `datetime_utc` (e.g. `2026-05-01`). */
  datetimeFrom?: string;
  /** Only turns logged before this `datetime_utc`. */
  datetimeUntil?: string;
  /** Only turns whose answer called this tool. */
  calledTool?: string;
}

export interface AttachmentSummary {
  id: string;
  type: string | null;
  path: string | null;
  url: string | null;
  content: boolean | null;
  content_length: number | null;
}

/** One `llm logs` row; keys in the order `llm logs --json` prints them. */
export interface LogRow {
  id: string;
  /** What the turn cost (src/pricing), null when unknown; set only when asked for (`--json`, `-u`). */
  cost?: Cost | null;
  model: string | null;
  resolved_model: string | null;
  options_json: unknown;
  conversation_id: string | null;
  duration_ms: number | null;
  datetime_utc: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  token_details: unknown;
  conversation_name: string | null;
  conversation_model: string | null;
  schema_json: unknown;
  prompt: string | null;
  system: string | null;
  response: string | null;
  reasoning: string | null;
  prompt_json: unknown;
  response_json: unknown;
  prompt_fragments: { hash: string; content: string; aliases: string[] }[];
  system_fragments: { hash: string; content: string; aliases: string[] }[];
  tools: { id: number; hash: string; name: string; description: string | null; input_schema: unknown; instance?: unknown }[];
  tool_calls: { id: number | null; tool_id: number | null; name: string; arguments: unknown; tool_call_id: string | null }[];
  tool_results: {
    id: number | null;
    tool_id: number | null;
    name: string;
    output: string;
    tool_call_id: string | null;
    exception: string | null;
    instance: unknown;
    attachments: unknown[];
  }[];
  attachments: AttachmentSummary[];
}

type Raw = Record<string, unknown>;

const TURN_COLUMNS = `turns.id, turns.model, turns.resolved_model, turns.options_json, turns.thread_id as conversation_id,
  turns.duration_ms, turns.datetime_utc, turns.input_tokens, turns.output_tokens, turns.token_details,
  turns.parent_message_hash, turns.tip_message_hash, turns.response_json, threads.name as conversation_name,
  turns.model as conversation_model, schemas.content as schema_json`;

const LEGACY_COLUMNS = `responses.id, responses.model, responses.resolved_model, responses.prompt, responses.system,
  responses.prompt_json, responses.options_json, responses.response, responses.reasoning, responses.response_json,
  responses.conversation_id, responses.duration_ms, responses.datetime_utc, responses.input_tokens,
  responses.output_tokens, responses.token_details, conversations.name as conversation_name,
  conversations.model as conversation_model, schemas.content as schema_json`;

/**
 * Rows for `llm logs`, from the message store and the legacy `responses` table merged.
 * Oldest first, except search results, which come most relevant first.
 */
export function listLogs(store: LogsDatabase, options: ListOptions = {}): LogRow[] {
  const db = store.db;
  const limit = options.count && options.count > 0 ? ` limit ${Math.floor(options.count)}` : '';
  const search = !!options.query;
  const byRank = search && !options.latest;

  const filters = (table: 'turns' | 'responses') => {
    const where: string[] = [];
    const params: Raw = {};
    const conv = table === 'turns' ? 'turns.thread_id' : 'responses.conversation_id';
    if (options.model) {
      where.push(`(${table}.model = :model or ${table}.resolved_model = :model)`);
      params.model = options.model;
    }
    if (options.conversationId) {
      where.push(`${conv} = :cid`);
      params.cid = options.conversationId;
    }
    if (options.idGt) {
      where.push(`${table}.id > :id_gt`);
      params.id_gt = options.idGt;
    }
    if (options.idGte) {
      where.push(`${table}.id >= :id_gte`);
      params.id_gte = options.idGte;
    }
    if (options.schemaId) {
      where.push(`${table}.schema_id = :schema_id`);
      params.schema_id = options.schemaId;
    }
    (options.fragmentHashes ?? []).forEach((hash, i) => {
      where.push(table === 'turns' ? turnUsesFragment(`:fragment_${i}`) : responseUsesFragment(`:fragment_${i}`));
      params[`fragment_${i}`] = hash;
    });
    if (options.anyTools) where.push(table === 'turns' ? turnHasToolResult('') : responseHasToolResult(''));
    (options.toolNames ?? []).forEach((name, i) => {
      where.push(table === 'turns' ? turnHasToolResult(` and parts.tool_name = :tool_${i}`) : responseHasToolResult(` and tools.name = :tool_${i}`));
      params[`tool_${i}`] = name;
    });
    if (options.datetimeFrom) {
      where.push(`${table}.datetime_utc >= :datetime_from`);
      params.datetime_from = options.datetimeFrom;
    }
    if (options.datetimeUntil) {
      where.push(`${table}.datetime_utc < :datetime_until`);
      params.datetime_until = options.datetimeUntil;
    }
    if (options.calledTool) {
      where.push(
        table === 'turns'
          ? "turns.tip_message_hash in (select message_hash from parts where type = 'tool_call' and tool_name = :called_tool)"
          : 'responses.id in (select response_id from tool_calls where name = :called_tool)',
      );
      params.called_tool = options.calledTool;
    }
    if (search) params.query = options.query;
    return { where, params };
  };

  let turnRows: Raw[];
  let legacyRows: Raw[];
  try {
    const t = filters('turns');
    const turnWhere = t.where.length ? 'where ' + t.where.join(' and ') : '';
    if (search && !byRank) {
      // Latest first: the FTS table hands back its matches newest first (by the search row's
      // id, the order turns were logged), so the LIMIT stops the search early instead of
      // ranking or sorting every match.
      turnRows = db
        .prepare(
          `select ${TURN_COLUMNS} from turn_search_fts
           join turn_search on turn_search.id = turn_search_fts.rowid
           join turns on turns.id = turn_search.turn_id
           left join threads on turns.thread_id = threads.id
           left join schemas on turns.schema_id = schemas.id
           where turn_search_fts match :query${t.where.map((w) => ` and ${w}`).join('')}
           order by turn_search_fts.rowid desc${limit}`,
        )
        .all(t.params) as Raw[];
    } else {
      let join = '';
      let rank = '';
      if (search) {
        // The FTS5 match and its ranking run first, in the FTS table's own subquery, so only
        // the matching rows are joined; with no other filter the LIMIT is applied there too.
        // (bm25() called directly costs about half what the same ranking through FTS5's
        // `rank` column does.)
        const inner = t.where.length || !limit ? '' : ` order by _rank${limit}`;
        join = ` join (select rowid as search_rowid, bm25(turn_search_fts, 10.0, 1.0) as _rank from turn_search_fts
          where turn_search_fts match :query${inner}) as hits
          join turn_search on turn_search.id = hits.search_rowid and turn_search.turn_id = turns.id`;
        rank = ', hits._rank as _rank';
      }
      turnRows = db
        .prepare(
          `select ${TURN_COLUMNS}${rank} from turns left join threads on turns.thread_id = threads.id
           left join schemas on turns.schema_id = schemas.id${join}
           ${turnWhere}
           order by ${byRank ? '_rank' : 'turns.id desc'}${limit}`,
        )
        .all(t.params) as Raw[];
    }

    const l = filters('responses');
    const legacyWhere = `responses.id not in (select id from turns)${l.where.map((w) => ` and ${w}`).join('')}`;
    if (search && !byRank) {
      legacyRows = db
        .prepare(
          `select ${LEGACY_COLUMNS} from responses_fts
           join responses on responses.rowid = responses_fts.rowid
           left join schemas on responses.schema_id = schemas.id
           left join conversations on responses.conversation_id = conversations.id
           where responses_fts match :query and ${legacyWhere}
           order by responses_fts.rowid desc${limit}`,
        )
        .all(l.params) as Raw[];
    } else {
      let join = '';
      let rank = '';
      if (search) {
        join = ` join (select rowid as search_rowid, bm25(responses_fts, 10.0, 1.0) as _rank from responses_fts
          where responses_fts match :query) as hits on hits.search_rowid = responses.rowid`;
        rank = ', hits._rank as _rank';
      }
      legacyRows = db
        .prepare(
          `select ${LEGACY_COLUMNS}${rank} from responses left join schemas on responses.schema_id = schemas.id
           left join conversations on responses.conversation_id = conversations.id${join}
           where ${legacyWhere}
           order by ${byRank ? '_rank' : 'responses.id desc'}${limit}`,
        )
        .all(l.params) as Raw[];
    }
  } catch (error) {
    if (search && (error as { code?: string }).code === 'SQLITE_ERROR') {
      throw new UsageError(`Invalid search query ${JSON.stringify(options.query)}: ${(error as Error).message}`);
    }
    throw error;
  }

  const rows: Raw[] = [...turnRows, ...legacyRows.map((r) => ({ ...r, _legacy: true }))];
  if (byRank) rows.sort((a, b) => (a._rank as number) - (b._rank as number));
  else rows.sort((a, b) => (String(a.id) < String(b.id) ? 1 : String(a.id) > String(b.id) ? -1 : 0));
  const chosen = options.count && options.count > 0 ? rows.slice(0, options.count) : rows;
  if (!search) chosen.reverse();
  return chosen.map((row) => (row._legacy ? buildLegacyRow(store, row) : buildTurnRow(store, row)));
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function textOf(parts: Part[], type: 'text' | 'reasoning'): string {
  return parts.map((p) => (p.type === type && p.text ? p.text : '')).join('');
}

function toolTable(store: LogsDatabase, turnId: string) {
  return (
    store.db
      .prepare(
        `select tools.id, tools.hash, tools.name, tools.description, tools.input_schema from tools
         join turn_tools on turn_tools.tool_id = tools.id where turn_tools.turn_id = ?`,
      )
      .all(turnId) as { id: number; hash: string; name: string; description: string | null; input_schema: string | null }[]
  ).map((t) => ({ ...t, input_schema: parseJson(t.input_schema ?? '{}') }));
}

function turnUsesFragment(hash: string): string {
  return `turns.id in (select turn_fragments.turn_id from turn_fragments
    join fragments on fragments.id = turn_fragments.fragment_id where fragments.hash = ${hash})`;
}

function responseUsesFragment(hash: string): string {
  return `exists (select 1 from prompt_fragments where prompt_fragments.response_id = responses.id
      and prompt_fragments.fragment_id in (select id from fragments where hash = ${hash})
    union select 1 from system_fragments where system_fragments.response_id = responses.id
      and system_fragments.fragment_id in (select id from fragments where hash = ${hash}))`;
}

/**
 * Python's test of whether a turn "used" a tool: a tool result is among its inputs, in its
 * parent message, or one further up when a user message followed the results.
 */
function turnHasToolResult(extra: string): string {
  return `(turns.parent_message_hash in (select parts.message_hash from parts where parts.type = 'tool_result'${extra})
    or turns.parent_message_hash in (select messages.hash from messages join parts on parts.message_hash = messages.parent_hash
      where messages.role = 'user' and parts.type = 'tool_result'${extra}))`;
}

function responseHasToolResult(extra: string): string {
  const join = extra ? ' join tools on tools.id = tool_results.tool_id' : '';
  return `exists (select 1 from tool_results${join} where tool_results.response_id = responses.id${extra})`;
}

function fragmentsOf(store: LogsDatabase, sql: string, id: string) {
  return (store.db.prepare(sql).all(id) as { kind?: string; hash: string; content: string; aliases: string }[]).map((f) => ({
    kind: f.kind,
    hash: f.hash,
    content: f.content,
    aliases: JSON.parse(f.aliases ?? '[]') as string[],
  }));
}

function attachmentSummary(part: Extract<Part, { type: 'attachment' }>['attachment']): AttachmentSummary {
  const content = part.content ?? null;
  return {
    id: attachmentIdSync(part),
    type: part.type ?? null,
    path: part.path ?? null,
    url: part.url ?? null,
    content: content && content.length ? true : null,
    content_length: content && content.length ? content.length : null,
  };
}

function buildTurnRow(store: LogsDatabase, row: Raw): LogRow {
  const inputs = store.loadChain((row.parent_message_hash as string) ?? null);
  const outputs = store.loadChain((row.tip_message_hash as string) ?? null).slice(inputs.length);
  let boundary = inputs.length;
  while (boundary && (inputs[boundary - 1]!.role === 'user' || inputs[boundary - 1]!.role === 'tool')) boundary--;
  const own = inputs.slice(boundary);
  const promptParts = own.filter((m) => m.role === 'user').flatMap((m) => m.parts);
  const inputParts = own.flatMap((m) => m.parts);
  const systemParts = inputs[0]?.role === 'system' ? inputs[0].parts : [];
  const outParts = outputs.flatMap((m: Message) => m.parts);

  let responseJson: unknown = null;
  if (typeof row.response_json === 'string' && row.response_json) {
    try {
      responseJson = uncondenseJson(JSON.parse(row.response_json), {
        ...payloadReplacements(outputs, true),
        ...toolDescriptions(store, row.id as string),
        ...(row.schema_json ? { schema: parseJson(row.schema_json) } : {}),
      });
    } catch {
      responseJson = null;
    }
  }
  const tools = toolTable(store, row.id as string);
  const toolIds = new Map(tools.map((t) => [t.name, t.id]));
  const fragments = fragmentsOf(
    store,
    `select turn_fragments.kind, fragments.hash, fragments.content,
       (select json_group_array(alias) from fragment_aliases where fragment_aliases.fragment_id = fragments.id) as aliases
     from turn_fragments join fragments on fragments.id = turn_fragments.fragment_id
     where turn_fragments.turn_id = ? order by turn_fragments."order"`,
    row.id as string,
  );
  const partIds = (hashes: (string | null)[], type: string): Map<string | undefined, number> => {
    const list = hashes.filter((h): h is string => !!h);
    if (!list.length) return new Map();
    const found = store.db
      .prepare(`select id, payload from parts where message_hash in (${list.map(() => '?').join(',')}) and type = ?`)
      .all(...list, type) as { id: number; payload: string | null }[];
    return new Map(found.map((p) => [(parseJson(p.payload) as Raw | null)?.tool_call_id as string | undefined, p.id]));
  };
  const callIds = partIds([row.tip_message_hash as string], 'tool_call');
  const resultIds = partIds(inputHashes(store, row.parent_message_hash as string | null), 'tool_result');
  return {
    ...commonColumns(row, parseJson((row.options_json as string) || '{}')),
    prompt: textOf(promptParts, 'text'),
    system: textOf(systemParts, 'text') || null,
    response: textOf(outParts, 'text'),
    reasoning: textOf(outParts, 'reasoning') || null,
    prompt_json: null,
    response_json: responseJson,
    prompt_fragments: fragments.filter((f) => f.kind === 'prompt').map(({ hash, content, aliases }) => ({ hash, content, aliases })),
    system_fragments: fragments.filter((f) => f.kind === 'system').map(({ hash, content, aliases }) => ({ hash, content, aliases })),
    tools,
    tool_calls: outParts
      .filter((p): p is Extract<Part, { type: 'tool_call' }> => p.type === 'tool_call')
      .map((p) => ({
        id: callIds.get(p.toolCallId) ?? null,
        tool_id: toolIds.get(p.name) ?? null,
        name: p.name,
        arguments: p.arguments,
        tool_call_id: p.toolCallId ?? null,
      })),
    tool_results: inputParts
      .filter((p): p is Extract<Part, { type: 'tool_result' }> => p.type === 'tool_result')
      .map((p) => ({
        id: resultIds.get(p.toolCallId) ?? null,
        tool_id: toolIds.get(p.name) ?? null,
        name: p.name,
        output: p.output,
        tool_call_id: p.toolCallId ?? null,
        exception: p.exception ?? null,
        instance: null,
        attachments: (p.attachments ?? []).map(attachmentSummary),
      })),
    attachments: inputParts
      .filter((p): p is Extract<Part, { type: 'attachment' }> => p.type === 'attachment' && !!p.attachment)
      .map((p) => attachmentSummary(p.attachment)),
  };
}

function toolDescriptions(store: LogsDatabase, turnId: string): Raw {
  return toolDescriptionReplacements(toolTable(store, turnId));
}

function inputHashes(store: LogsDatabase, parent: string | null): string[] {
  const hashes: string[] = [];
  const get = store.db.prepare('select parent_hash, role from messages where hash = ?');
  let hash = parent;
  while (hash) {
    const row = get.get(hash) as { parent_hash: string | null; role: string } | undefined;
    if (!row || (row.role !== 'user' && row.role !== 'tool')) break;
    hashes.push(hash);
    hash = row.parent_hash;
  }
  return hashes.reverse();
}

function buildLegacyRow(store: LogsDatabase, row: Raw): LogRow {
  const db = store.db;
  const id = row.id as string;
  const fragmentSql = (table: string) =>
    `select fragments.hash, fragments.content,
       (select json_group_array(alias) from fragment_aliases where fragment_aliases.fragment_id = fragments.id) as aliases
     from ${table} join fragments on ${table}.fragment_id = fragments.id where ${table}.response_id = ? order by ${table}."order"`;
  const strip = (list: { hash: string; content: string; aliases: string[] }[]) => list.map(({ hash, content, aliases }) => ({ hash, content, aliases }));
  const tools = (
    db
      .prepare('select t.id, t.hash, t.name, t.description, t.input_schema from tools t join tool_responses tr on t.id = tr.tool_id where tr.response_id = ?')
      .all(id) as { id: number; hash: string; name: string; description: string | null; input_schema: string | null }[]
  ).map((t) => ({ ...t, input_schema: parseJson(t.input_schema ?? '{}') }));
  const toolCalls = (
    db.prepare('select id, tool_id, name, arguments, tool_call_id from tool_calls where response_id = ?').all(id) as {
      id: number;
      tool_id: number | null;
      name: string;
      arguments: string;
      tool_call_id: string | null;
    }[]
  ).map((c) => ({ ...c, arguments: parseJson(c.arguments) }));
  const toolResults = (
    db
      .prepare(
        `select tr.id, tr.tool_id, tr.name, tr.output, tr.tool_call_id, tr.exception,
           case when ti.id is not null then json_object('name', ti.name, 'plugin', ti.plugin, 'arguments', ti.arguments) end as instance
         from tool_results tr left join tool_instances ti on tr.instance_id = ti.id where tr.response_id = ?`,
      )
      .all(id) as { id: number; tool_id: number | null; name: string; output: string; tool_call_id: string | null; exception: string | null; instance: string | null }[]
  ).map((r) => ({
    ...r,
    instance: parseJson(r.instance),
    attachments: db
      .prepare(
        `select a.id, a.type, a.path, a.url, case when a.content is not null then 1 end as content, length(a.content) as content_length
         from tool_results_attachments tra join attachments a on tra.attachment_id = a.id where tra.tool_result_id = ?`,
      )
      .all(r.id) as unknown[],
  }));
  const attachments = (
    db
      .prepare(
        `select attachments.id, attachments.type, attachments.path, attachments.url, length(attachments.content) as content_length
         from attachments join prompt_attachments on attachments.id = prompt_attachments.attachment_id
         where prompt_attachments.response_id = ? order by prompt_attachments."order"`,
      )
      .all(id) as { id: string; type: string | null; path: string | null; url: string | null; content_length: number | null }[]
  ).map((a) => ({ id: a.id, type: a.type, path: a.path, url: a.url, content: a.content_length ? true : null, content_length: a.content_length }));
  return {
    ...commonColumns({ ...row, id }, parseJson(row.options_json)),
    prompt: (row.prompt as string) ?? null,
    system: (row.system as string) ?? null,
    response: (row.response as string) ?? null,
    reasoning: (row.reasoning as string) ?? null,
    prompt_json: parseJson(row.prompt_json),
    response_json: parseJson(row.response_json),
    prompt_fragments: strip(fragmentsOf(store, fragmentSql('prompt_fragments'), id)),
    system_fragments: strip(fragmentsOf(store, fragmentSql('system_fragments'), id)),
    tools,
    tool_calls: toolCalls,
    tool_results: toolResults,
    attachments,
  };
}

/** True when the turn was logged incomplete (stream cut off, aborted). */
export function incompleteMarker(row: LogRow): { error?: string } | undefined {
  const json = row.response_json as Raw | null;
  const marker = json && typeof json === 'object' ? json[INCOMPLETE_KEY] : undefined;
  if (!marker) return undefined;
  return typeof marker === 'object' ? (marker as { error?: string }) : {};
}

/** The columns both generations of tables (turns and the legacy responses) share, in Python's order. */
function commonColumns(row: Raw, optionsJson: unknown) {
  return {
    id: row.id as string,
    model: row.model as string,
    resolved_model: (row.resolved_model as string) ?? null,
    options_json: optionsJson,
    conversation_id: (row.conversation_id as string) ?? null,
    duration_ms: (row.duration_ms as number) ?? null,
    datetime_utc: (row.datetime_utc as string) ?? null,
    input_tokens: (row.input_tokens as number) ?? null,
    output_tokens: (row.output_tokens as number) ?? null,
    token_details: parseJson(row.token_details),
    conversation_name: (row.conversation_name as string) ?? null,
    conversation_model: (row.conversation_model as string) ?? null,
    schema_json: parseJson(row.schema_json),
  };
}
