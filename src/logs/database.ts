import { fileProblem, openSqlite } from '../util/sqlite.js';
import { createHash } from '../util/builtins.js';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { userDir } from '../config/user-dir.js';
import { LogsDatabaseError, StreamInterruptedError, AbortedError, isLlmError } from '../errors.js';
import type { Message } from '../models/messages.js';
import type { Fragment } from '../models/prompt.js';
import type { Response } from '../models/response.js';
import { schemaId } from '../models/schema.js';
import { pythonCompactJson } from '../models/schema.js';
import { newId } from '../util/ulid.js';
import { condenseJson, pythonDumps } from './json.js';
import { migrate, pythonNow } from './migrations.js';
import { type Dict, attachmentFromRow, attachmentIdSync, messageHash, messageToDict, partFromDict } from './parts.js';
import { type LoggedTool, type LoggedToolResult, toolDescriptionReplacements, writeToolInstantiations, writeTurnTools } from './tools.js';

/** `<user dir>/logs.db`. */
export function logsDbPath(): string {
  return join(userDir(), 'logs.db');
}

export const CONVERSATION_NAME_LENGTH = 32;

/** Python's `_conversation_name`: whitespace collapsed, at most 32 characters with `…`. */
export function conversationName(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ');
  const chars = [...collapsed];
  if (chars.length <= CONVERSATION_NAME_LENGTH) return collapsed;
  return chars.slice(0, CONVERSATION_NAME_LENGTH - 1).join('') + '…';
}

/** Key under which an incomplete (cut off or aborted) turn is marked inside `turns.response_json`. */
export const INCOMPLETE_KEY = 'llm_ts_incomplete';

export interface LogTurnInput {
  id?: string;
  threadId?: string;
  threadName?: string | null;
  model: string;
  resolvedModel?: string | null;
  /** The whole conversation sent, ending with this turn's prompt. */
  inputMessages: readonly Message[];
  /** What the model answered. */
  outputMessages: readonly Message[];
  /** Fragments given with this prompt, and with its system prompt. */
  fragments?: readonly Fragment[];
  systemFragments?: readonly Fragment[];
  options?: Record<string, unknown>;
  schema?: Record<string, unknown> | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  tokenDetails?: Record<string, unknown> | null;
  durationMs?: number | null;
  datetimeUtc?: string | null;
  responseJson?: Record<string, unknown> | null;
  /** The tools the prompt offered (recorded in `tools` and `turn_tools`). */
  tools?: readonly LoggedTool[];
  /** The tool results sent with this prompt (recorded in `tool_instantiations`). */
  toolResults?: readonly LoggedToolResult[];
  incomplete?: boolean;
  error?: string;
}

export interface LoadedConversation {
  id: string;
  name: string | null;
  model: string | null;
  messages: Message[];
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code?.startsWith('SQLITE_BUSY') === true || code?.startsWith('SQLITE_LOCKED') === true;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * How long a write waits for another process's lock on logs.db, in ms: SQLite's busy
 * timeout, and the bound on `withBusyRetry` as a whole. `LLM_BUSY_TIMEOUT_MS` changes it
 * (tests use a short one).
 */
function busyTimeoutMs(): number {
  const fromEnv = Number(process.env.LLM_BUSY_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 10_000;
}

/**
 * Retries `fn` when SQLite answers BUSY without waiting (WAL recovery, a read lock that
 * cannot be upgraded), until the busy timeout has passed in all: a process that holds the
 * lock for good ends in an error, not a wait of many busy timeouts.
 */
function withBusyRetry<T>(fn: () => T): T {
  const deadline = Date.now() + busyTimeoutMs();
  for (;;) {
    try {
      return fn();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      sleepSync(10 + Math.random() * 40);
    }
  }
}

/**
 * logs.db: the SQLite database shared with Python llm 0.32. Opening it applies any
 * missing migrations; writes go to the content-addressed message store.
 */
export class LogsDatabase {
  readonly path: string;
  readonly db: Database;

  /** What `llm_ts_search_text(0)` and `(1)` return while a turn_search row is inserted. */
  private searchTexts: [prompt: string, response: string] = ['', ''];
  private searchFunctionRegistered = false;
  private readonly statements = new Map<string, Statement>();

  private constructor(path: string, db: Database) {
    this.path = path;
    this.db = db;
  }

  static open(path: string = logsDbPath(), options: { migrate?: boolean } = {}): LogsDatabase {
    if (path !== ':memory:' && existsSync(path) && statSync(path).isDirectory()) {
      throw new LogsDatabaseError(`${path} is a directory, not a log database`);
    }
    let db: Database;
    try {
      db = openSqlite(path, { timeout: busyTimeoutMs() }) as unknown as Database;
    } catch (error) {
      throw new LogsDatabaseError(`Could not open log database ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      // Reading the header first: a file that is not SQLite fails here, before any write.
      db.prepare('select count(*) from sqlite_master').get();
      if (path !== ':memory:') withBusyRetry(() => db.pragma('journal_mode = WAL'));
      db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
      // SQLite's own default page cache (2 MB, as Python's sqlite3 has), not the 16 MB
      // better-sqlite3 builds with: writing a long answer fills the cache with its pages.
      db.pragma('cache_size = -2000');
      if (options.migrate !== false) withBusyRetry(() => migrate(db));
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_NOTADB' || (error as { code?: string }).code === 'SQLITE_CORRUPT') {
        throw new LogsDatabaseError(`${path} is not a valid SQLite database (it was left untouched)`, { cause: error });
      }
      if (isLlmError(error)) throw error;
      const problem = fileProblem(path, error);
      if (problem) throw new LogsDatabaseError(problem, { cause: error });
      throw new LogsDatabaseError(`Could not use log database ${path}: ${(error as Error).message}`, { cause: error });
    }
    return new LogsDatabase(path, db);
  }

  /**
   * A prepared statement of the write path, prepared once per connection: a turn takes a
   * dozen statements, and preparing them each time costs more than running them
   * (`llm map` logs hundreds of turns a second). Only for statements that are run or
   * read with get(), never iterated, so one in use is never asked for again.
   */
  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Records a response (complete, or cut off with `incomplete`) as a turn. */
  logResponse(response: Response, options: { incomplete?: boolean; error?: string } = {}): void {
    const usage = response.usageSoFar;
    const failure = response.error;
    const incomplete = options.incomplete ?? (failure !== undefined || !response.done);
    let error = options.error;
    if (error === undefined && failure !== undefined) {
      error = StreamInterruptedError.is(failure) || AbortedError.is(failure) || isLlmError(failure) ? (failure as Error).message : String((failure as Error)?.message ?? failure);
    }
    try {
      this.logTurnFor(response, usage, incomplete, error);
    } catch (failure) {
      const problem = fileProblem(this.path, failure);
      if (problem) throw new LogsDatabaseError(problem, { cause: failure });
      throw failure;
    }
  }

  private logTurnFor(response: Response, usage: Response['usageSoFar'], incomplete: boolean, error: string | undefined): void {
    this.logTurn({
      id: response.id,
      threadId: response.conversation?.id,
      threadName: response.conversation?.name,
      model: response.model.modelId,
      resolvedModel: response.resolvedModel ?? null,
      inputMessages: response.prompt.messages,
      outputMessages: response.messagesSoFar,
      fragments: response.prompt.fragments,
      systemFragments: response.prompt.systemFragments,
      options: { ...response.prompt.options },
      schema: response.prompt.schema ?? null,
      inputTokens: usage.input,
      outputTokens: usage.output,
      tokenDetails: usage.details,
      durationMs: response.durationMs() ?? null,
      datetimeUtc: response.datetimeUtc() ?? new Date().toISOString().replace('Z', '+00:00').replace(/\.(\d{3})\+/, '.$1000+'),
      responseJson: response.jsonSoFar,
      // In the order offered; server-side tools are logged as configured instances of their own (Python's ServerSideTool rows).
      tools: response.prompt.offeredTools,
      toolResults: response.prompt.toolResults,
      incomplete,
      error,
    });
  }

  /** Writes one turn, as Python's `LogStore.log` does, in a single transaction. Returns the turn id. */
  logTurn(input: LogTurnInput): string {
    const db = this.db;
    const turnId = input.id ?? newId();
    const write = db.transaction(() => {
      const threadId = input.threadId ?? newId();
      if (!this.statement('select 1 from threads where id = ?').get(threadId)) {
        const firstUser = lastText(input.inputMessages, 'user');
        const firstSystem = lastText(input.inputMessages, 'system');
        const name = input.threadName ?? conversationName(firstUser || firstSystem || '');
        this.statement('insert into threads (id, name, tip_message_hash, forked_from, datetime_utc) values (?, ?, null, null, ?)').run(
          threadId,
          name,
          pythonNow(),
        );
      }
      const fragments = input.fragments ?? [];
      const systemFragments = input.systemFragments ?? [];
      const fragmentMap = fragments.length || systemFragments.length ? this.fragmentMap([...fragments, ...systemFragments]) : undefined;
      const sent = this.writeChain(input.inputMessages, null, fragmentMap);
      const parent = sent.tip;
      const tip = this.ensureChain(input.outputMessages, parent);

      let schemaIdValue: string | null = null;
      if (input.schema && Object.keys(input.schema).length) {
        schemaIdValue = schemaId(input.schema);
        this.statement('insert or ignore into schemas (id, content) values (?, ?)').run(schemaIdValue, pythonCompactJson(input.schema));
      }
      const options = Object.fromEntries(Object.entries(input.options ?? {}).filter(([, v]) => v !== null && v !== undefined));
      let payload: unknown = input.responseJson ?? null;
      if (input.incomplete) {
        const marker = input.error ? { error: input.error } : true;
        payload = { ...((payload as Dict | null) ?? {}), [INCOMPLETE_KEY]: marker };
      }
      this.statement(
        `insert or replace into turns (id, thread_id, parent_message_hash, tip_message_hash, model, resolved_model,
           options_json, schema_id, input_tokens, output_tokens, token_details, duration_ms, datetime_utc, response_json)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        turnId,
        threadId,
        parent,
        tip,
        input.model,
        input.resolvedModel ?? null,
        dumpOrNull(options),
        schemaIdValue,
        input.inputTokens ?? null,
        input.outputTokens ?? null,
        dumpOrNull(input.tokenDetails ?? null),
        input.durationMs ?? null,
        input.datetimeUtc ?? null,
        payload === null ? null : pythonDumps(condenseJson(payload, turnReplacements(input))),
      );
      this.insertTurnFragments(turnId, 'prompt', fragments);
      this.insertTurnFragments(turnId, 'system', systemFragments);
      if (input.tools?.length) writeTurnTools(db, turnId, input.tools);
      if (input.toolResults?.length) writeToolInstantiations(db, turnId, input.toolResults, input.tools ?? []);
      this.statement('delete from turn_search where turn_id = ?').run(turnId);
      const last = input.inputMessages[input.inputMessages.length - 1];
      let prompt = '';
      if (parent && last?.role === 'user') {
        // A message stored before (or just now, with fragments) may hold fragment references.
        prompt = sent.lastWritten && !fragmentMap ? literalText(last) : this.storedLiteralText(last, parent);
      }
      const response = input.outputMessages.filter((m) => m.role === 'assistant').map(literalText).join('');
      if (prompt || response) this.insertSearchRow(turnId, prompt, response);
      this.statement('update threads set tip_message_hash = ? where id = ?').run(tip, threadId);
    });
    withBusyRetry(() => write.immediate());
    return turnId;
  }

  /**
   * The turn_search row, indexed by its FTS5 trigger. The texts reach SQLite as function
   * results cast to text rather than as bound parameters: SQLite holds its own copy of a
   * bound value for the whole statement, and the trigger's FTS5 tokenizer then copies it
   * again to add a NUL terminator; a function's result is that copy, and the cast
   * terminates it in place. A long answer is then held once beside the row's record, not twice.
   */
  private insertSearchRow(turnId: string, prompt: string, response: string): void {
    if (!this.searchFunctionRegistered) {
      this.db.function('llm_ts_search_text', { deterministic: false }, (column) => this.searchTexts[column as 0 | 1]);
      this.searchFunctionRegistered = true;
    }
    this.searchTexts = [prompt, response];
    try {
      this.statement('insert into turn_search (turn_id, prompt, response) values (?, cast(llm_ts_search_text(0) as text), cast(llm_ts_search_text(1) as text))')
        .run(turnId);
    } finally {
      this.searchTexts = ['', ''];
    }
  }

  /** Stores messages as a hash chain below `parent`; returns the hash of the last one. */
  ensureChain(messages: readonly Message[], parent: string | null): string | null {
    return this.writeChain(messages, parent).tip;
  }

  /**
   * Stores messages as a hash chain below `parent`. Text containing the content of a
   * fragment in `fragments` (content to fragments.id) is stored by reference. `lastWritten`
   * says whether the last message was new (and so stored just now).
   */
  private writeChain(
    messages: readonly Message[],
    parent: string | null,
    fragments?: ReadonlyMap<string, number>,
  ): { tip: string | null; lastWritten: boolean } {
    let tip = parent;
    let lastWritten = false;
    for (const message of messages) ({ hash: tip, written: lastWritten } = this.ensureMessage(message, tip, fragments));
    return { tip, lastWritten };
  }

  /** Python's `_fragment_map`: each non-empty fragment's content mapped to its id, storing new ones. */
  private fragmentMap(fragments: readonly Fragment[]): Map<string, number> {
    const map = new Map<string, number>();
    for (const fragment of fragments) if (fragment.content) map.set(fragment.content, this.ensureFragment(fragment));
    return map;
  }

  /** Python's `ensure_fragment`: the id of the fragment with this content's sha256, inserted if new. */
  ensureFragment(fragment: Fragment): number {
    const hash = fragmentHash(fragment.content);
    this.statement(`insert into fragments (hash, content, datetime_utc, source) values (?, ?, datetime('now'), ?) on conflict(hash) do nothing`)
      .run(hash, fragment.content, fragment.source ?? null);
    return (this.statement('select id from fragments where hash = ?').get(hash) as { id: number }).id;
  }

  private insertTurnFragments(turnId: string, kind: 'prompt' | 'system', fragments: readonly Fragment[]): void {
    fragments.forEach((fragment, order) => {
      this.statement('insert or replace into turn_fragments (turn_id, fragment_id, "order", kind) values (?, ?, ?, ?)')
        .run(turnId, this.ensureFragment(fragment), order, kind);
    });
  }

  /**
   * The text parts of a stored message without fragment content: what Python's turn_search
   * rebuild takes. Parts stored by reference contribute their literals; the others are
   * read from `message` (the same content, as the hash matched).
   */
  private storedLiteralText(message: Message, hash: string): string {
    const rows = this.statement(`select position, payload from parts where message_hash = ? and type = 'text' and text is null and payload is not null`)
      .all(hash) as { position: number; payload: string }[];
    if (!rows.length) return literalText(message);
    const literals = new Map(rows.map((row) => [row.position, literalsOf(JSON.parse(row.payload) as Dict)]));
    return message.parts.map((part, position) => (part.type === 'text' ? literals.get(position) ?? part.text : '')).join('');
  }

  private ensureMessage(message: Message, parent: string | null, fragments?: ReadonlyMap<string, number>): { hash: string; written: boolean } {
    const hash = messageHash(message, parent);
    if (this.statement('select 1 from messages where hash = ?').get(hash)) return { hash, written: false };
    const inserted = this
      .statement('insert or ignore into messages (hash, parent_hash, role, provider_metadata) values (?, ?, ?, ?)')
      .run(hash, parent, message.role, dumpOrNull(message.providerMetadata ?? null));
    if (!inserted.changes) return { hash, written: false };
    const dict = messageToDict(message);
    (dict.parts as Dict[]).forEach((partDict, position) => {
      const part = message.parts[position]!;
      const payload: Dict = { ...partDict };
      const type = payload.type as string;
      delete payload.type;
      const attachments = part.type === 'attachment' ? (part.attachment ? [part.attachment] : []) : part.type === 'tool_result' ? (part.attachments ?? []) : [];
      const ids = attachments.map((attachment) => {
        const id = attachmentIdSync(attachment);
        this.statement('insert or replace into attachments (id, type, path, url, content) values (?, ?, ?, ?, ?)').run(
          id,
          attachment.type ?? null,
          attachment.path ?? null,
          attachment.url ?? null,
          attachment.content ? Buffer.from(attachment.content) : null,
        );
        return id;
      });
      if (ids.length && type === 'attachment') payload.attachment = { id: ids[0] };
      else if (ids.length && type === 'tool_result') payload.attachments = ids.map((id) => ({ id }));
      let text: string | null = null;
      let used: number[] = [];
      if ((type === 'text' || type === 'reasoning') && 'text' in payload) {
        const refs = fragments?.size ? textRefs(payload.text as string, fragments) : undefined;
        if (!refs) text = payload.text as string;
        delete payload.text;
        if (refs) {
          payload.text_ref = refs.pieces;
          used = refs.used;
        }
      }
      const partId = this
        .statement('insert into parts (message_hash, position, type, tool_name, text, payload) values (?, ?, ?, ?, ?, ?)')
        .run(hash, position, type, typeof payload.name === 'string' ? payload.name : null, text, Object.keys(payload).length ? pythonDumps(payload) : null)
        .lastInsertRowid;
      ids.forEach((id, order) => {
        this.statement('insert into part_attachments (part_id, attachment_id, "order") values (?, ?, ?)').run(partId, id, order);
      });
      used.forEach((id, order) => {
        this.statement('insert into part_fragments (part_id, fragment_id, "order") values (?, ?, ?)').run(partId, id, order);
      });
    });
    return { hash, written: true };
  }

  /** The chain ending at `tip`, oldest first, with fragments and attachments resolved. */
  loadChain(tip: string | null): Message[] {
    if (!tip) return [];
    const rows: { hash: string; parent_hash: string | null; role: string; provider_metadata: string | null }[] = [];
    const get = this.db.prepare('select hash, parent_hash, role, provider_metadata from messages where hash = ?');
    let hash: string | null = tip;
    const seen = new Set<string>();
    while (hash && !seen.has(hash)) {
      seen.add(hash);
      const row = get.get(hash) as (typeof rows)[number] | undefined;
      if (!row) throw new LogsDatabaseError(`Message ${hash} is missing from ${this.path}`);
      rows.push(row);
      hash = row.parent_hash;
    }
    rows.reverse();
    const parts = this.loadParts(rows.map((r) => r.hash));
    return rows.map((row) => {
      const message: Message = { role: row.role as Message['role'], parts: parts.get(row.hash) ?? [] };
      if (row.provider_metadata) message.providerMetadata = JSON.parse(row.provider_metadata);
      return message;
    });
  }

  private loadParts(hashes: string[]): Map<string, Message['parts']> {
    const out = new Map<string, Message['parts']>();
    if (!hashes.length) return out;
    const rows: { message_hash: string; type: string; text: string | null; payload: string | null }[] = [];
    for (let i = 0; i < hashes.length; i += 500) {
      const chunk = hashes.slice(i, i + 500);
      rows.push(
        ...(this.db
          .prepare(`select message_hash, type, text, payload from parts where message_hash in (${chunk.map(() => '?').join(',')}) order by message_hash, position`)
          .all(...chunk) as typeof rows),
      );
    }
    const fragmentIds = new Set<number>();
    const dicts = rows.map((row) => {
      const d: Dict = row.payload ? JSON.parse(row.payload) : {};
      d.type = row.type;
      if (row.text !== null) d.text = row.text;
      for (const piece of (d.text_ref as Dict[] | undefined) ?? []) if (typeof piece.fragment === 'number') fragmentIds.add(piece.fragment);
      return d;
    });
    const fragments = new Map<number, string>();
    for (const id of fragmentIds) {
      const row = this.db.prepare('select content from fragments where id = ?').get(id) as { content: string } | undefined;
      fragments.set(id, row?.content ?? '');
    }
    const getAttachment = this.db.prepare('select type, path, url, content from attachments where id = ?');
    rows.forEach((row, i) => {
      const d = dicts[i]!;
      if (Array.isArray(d.text_ref)) {
        d.text = (d.text_ref as Dict[]).map((p) => ('literal' in p ? String(p.literal) : fragments.get(p.fragment as number) ?? '')).join('');
        delete d.text_ref;
      }
      const ids: string[] =
        d.type === 'attachment' && d.attachment && typeof (d.attachment as Dict).id === 'string'
          ? [(d.attachment as Dict).id as string]
          : d.type === 'tool_result'
            ? ((d.attachments as Dict[] | undefined) ?? []).map((a) => a.id as string)
            : [];
      const attachments = ids
        .map((id) => getAttachment.get(id) as Parameters<typeof attachmentFromRow>[0] | undefined)
        .filter((r): r is Parameters<typeof attachmentFromRow>[0] => !!r)
        .map(attachmentFromRow);
      const list = out.get(row.message_hash) ?? [];
      list.push(partFromDict(d, attachments));
      out.set(row.message_hash, list);
    });
    return out;
  }

  /**
   * A conversation to continue: the latest one when `id` is undefined. Threads in the
   * message store come first; conversations only in the legacy tables are rebuilt from
   * their `responses` rows.
   */
  /**
   * The tools a continued conversation (-c, --cid) gets when none are named, as Python's
   * `_get_conversation_tools` finds them: the plugin tools of its first legacy response if it
   * has legacy responses, else of its first turn (a configured toolbox as `Name(arguments)`),
   * with the server-side tools among `serverSideNames` (class names the model takes) as configured.
   */
  conversationTools(id: string, serverSideNames: readonly string[] = []): string[] {
    const db = this.db;
    const legacy = db.prepare('select id from responses where conversation_id = ? order by id limit 1').get(id) as { id: string } | undefined;
    if (legacy) {
      const rows = db
        .prepare('select tools.name from tools join tool_responses on tool_responses.tool_id = tools.id where tool_responses.response_id = ? and tools.plugin is not null')
        .all(legacy.id) as { name: string }[];
      return rows.map((row) => row.name);
    }
    const rows = db
      .prepare(
        `select tools.name, tools.plugin, turn_tools.instance_id, tool_instances.name as instance_name, tool_instances.arguments as instance_arguments
         from tools join turn_tools on turn_tools.tool_id = tools.id
         left join tool_instances on tool_instances.id = turn_tools.instance_id
         where turn_tools.turn_id = (select id from turns where thread_id = ? order by id limit 1)`,
      )
      .all(id) as { name: string; plugin: string | null; instance_id: number | null; instance_name: string | null; instance_arguments: string | null }[];
    const names: string[] = [];
    const instances = new Set<number>();
    for (const row of rows) {
      // Plugin tools, and the server-side tools the model still takes (`WebSearch({...})`).
      if (row.plugin === null && !(row.instance_name !== null && serverSideNames.includes(row.instance_name))) continue;
      if (row.instance_id === null) names.push(row.name);
      else if (!instances.has(row.instance_id)) {
        instances.add(row.instance_id);
        const args = row.instance_arguments;
        names.push(args && args !== '{}' ? `${row.instance_name}(${args})` : String(row.instance_name));
      }
    }
    return names;
  }

  loadConversation(id?: string): LoadedConversation | undefined {
    const db = this.db;
    if (id === undefined) {
      const turn = db.prepare('select id, thread_id from turns order by id desc limit 1').get() as { id: string; thread_id: string } | undefined;
      const legacy = db
        .prepare('select id, conversation_id from responses where id not in (select id from turns) order by id desc limit 1')
        .get() as { id: string; conversation_id: string } | undefined;
      if (!turn && !legacy) return undefined;
      id = !legacy || (turn && turn.id >= legacy.id) ? turn!.thread_id : legacy.conversation_id;
      if (!id) return undefined;
    }
    const thread = db.prepare('select id, name, tip_message_hash from threads where id = ?').get(id) as
      | { id: string; name: string | null; tip_message_hash: string | null }
      | undefined;
    if (thread) {
      const model = db.prepare('select model from turns where thread_id = ? order by id desc limit 1').get(id) as { model: string } | undefined;
      return { id: thread.id, name: thread.name, model: model?.model ?? null, messages: this.loadChain(thread.tip_message_hash) };
    }
    const conversation = db.prepare('select id, name, model from conversations where id = ?').get(id) as
      | { id: string; name: string | null; model: string | null }
      | undefined;
    const responses = db
      .prepare('select id, model, prompt, system, response from responses where conversation_id = ? order by id')
      .all(id) as { id: string; model: string | null; prompt: string | null; system: string | null; response: string | null }[];
    if (!conversation && !responses.length) return undefined;
    const messages: Message[] = [];
    let currentSystem: string | null = null;
    const attachmentsFor = db.prepare(
      `select attachments.type, attachments.path, attachments.url, attachments.content from prompt_attachments
       join attachments on attachments.id = prompt_attachments.attachment_id
       where prompt_attachments.response_id = ? order by prompt_attachments."order"`,
    );
    for (const row of responses) {
      if (row.system && row.system !== currentSystem) {
        messages.push({ role: 'system', parts: [{ type: 'text', text: row.system }] });
        currentSystem = row.system;
      }
      const parts: Message['parts'] = [];
      if (row.prompt) parts.push({ type: 'text', text: row.prompt });
      for (const a of attachmentsFor.all(row.id) as Parameters<typeof attachmentFromRow>[0][]) parts.push({ type: 'attachment', attachment: attachmentFromRow(a) });
      if (parts.length) messages.push({ role: 'user', parts });
      if (row.response) messages.push({ role: 'assistant', parts: [{ type: 'text', text: row.response }] });
    }
    return {
      id,
      name: conversation?.name ?? null,
      model: conversation?.model ?? responses[responses.length - 1]?.model ?? null,
      messages,
    };
  }
}

/** A fragment's `hash`: sha256 of its UTF-8 text, in hex. */
export function fragmentHash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

function turnReplacements(input: LogTurnInput): Record<string, unknown> {
  const replacements = payloadReplacements(input.outputMessages);
  return input.tools?.length ? { ...replacements, ...toolDescriptionReplacements(input.tools) } : replacements;
}

function dumpOrNull(value: Record<string, unknown> | null | undefined): string | null {
  return value && Object.keys(value).length ? pythonDumps(value) : null;
}

/**
 * Python's `_encode_text_refs`: `text` as `{fragment: id}` and `{literal: ...}` pieces,
 * taking at each point the fragment that occurs first (the longer one on a tie).
 * Undefined when no fragment occurs in the text.
 */
export function textRefs(text: string, fragments: ReadonlyMap<string, number>): { pieces: Dict[]; used: number[] } | undefined {
  const pieces: Dict[] = [];
  const used: number[] = [];
  let at = 0;
  while (at < text.length) {
    let found = -1;
    let best = '';
    for (const content of fragments.keys()) {
      const index = text.indexOf(content, at);
      if (index !== -1 && (found === -1 || index < found || (index === found && content.length > best.length))) {
        found = index;
        best = content;
      }
    }
    if (found === -1) {
      pieces.push({ literal: text.slice(at) });
      break;
    }
    if (found > at) pieces.push({ literal: text.slice(at, found) });
    const id = fragments.get(best)!;
    pieces.push({ fragment: id });
    used.push(id);
    at = found + best.length;
  }
  return used.length ? { pieces, used } : undefined;
}

function literalsOf(payload: Dict): string {
  return ((payload.text_ref as Dict[] | undefined) ?? []).map((piece) => (typeof piece.literal === 'string' ? piece.literal : '')).join('');
}

function lastText(messages: readonly Message[], role: string): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === role) return literalText(messages[i]!);
  return '';
}

function literalText(message: Message): string {
  return message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

const CONDENSE_MIN_LENGTH = 64;

/**
 * The string replacements Python's `_payload_replacements` derives from a turn's own
 * output messages (text, tool output, tool arguments); structural (dict) values are
 * offered on read only.
 */
export function payloadReplacements(messages: readonly Message[], structural = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string' && value.length >= CONDENSE_MIN_LENGTH) out[key] = value;
  };
  const addValue = (key: string, value: unknown) => {
    if (!structural || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0) return;
    if (JSON.stringify(value).length >= CONDENSE_MIN_LENGTH) out[key] = value;
  };
  const walk = (prefix: string, value: unknown) => {
    if (Array.isArray(value)) {
      addValue(prefix, value);
      value.forEach((v, i) => walk(`${prefix}.${i}`, v));
    } else if (typeof value === 'object' && value !== null) {
      addValue(prefix, value);
      for (const [k, v] of Object.entries(value)) walk(`${prefix}.${k}`, v);
    } else add(prefix, value);
  };
  messages.forEach((message, mi) => {
    const dict = messageToDict(message);
    (dict.parts as Dict[]).forEach((part, pi) => {
      const base = `${mi}.${pi}`;
      add(`${base}.text`, part.text);
      add(`${base}.output`, part.output);
      const args = part.arguments as Dict | undefined;
      if (args && Object.keys(args).length) {
        const compact = pythonCompactJson(args);
        const spaced = pythonDumps(args);
        add(`${base}.args`, compact);
        if (spaced !== compact) add(`${base}.args2`, spaced);
        addValue(`${base}.argsv`, args);
      }
      walk(`${base}.pm`, part.provider_metadata ?? {});
    });
    walk(`${mi}.pm`, dict.provider_metadata ?? {});
  });
  return out;
}
