import type { Database } from 'better-sqlite3';
import { pythonDumps } from './json.js';

/** What logs.db records of a tool (a Tool has all of it). */
export interface LoggedTool {
  name: string;
  description: string | null;
  inputSchema: Record<string, unknown>;
  plugin: string | null;
  /** The configured toolbox the tool belongs to (Python's `implementation.__self__`). */
  instance?: LoggedInstance;
  hash(): string;
}

/** A configured toolbox as logs.db records it in `tool_instances`. */
export interface LoggedInstance {
  toolboxName: string;
  config: Record<string, unknown>;
}

/** A tool result, for `tool_instantiations`: which configured toolbox served the call. */
export interface LoggedToolResult {
  name: string;
  toolCallId?: string;
  instance?: LoggedInstance;
}

/** Python's `ensure_tool`: the `tools` row for this definition (by hash), inserted if new. */
export function ensureTool(db: Database, tool: LoggedTool): number {
  const hash = tool.hash();
  db.prepare(
    'insert into tools (hash, name, description, input_schema, plugin) values (?, ?, ?, ?, ?) on conflict(hash) do nothing',
  ).run(hash, tool.name, tool.description, pythonDumps(tool.inputSchema), tool.plugin);
  return (db.prepare('select id from tools where hash = ?').get(hash) as { id: number }).id;
}

/**
 * Python's `ensure_tool_instance`: the `tool_instances` row for this (name, plugin,
 * arguments), each distinct configuration stored once. Arguments are `json.dumps(config)`.
 */
export function ensureToolInstance(db: Database, instance: LoggedInstance, plugin: string | null): number {
  const args = pythonDumps(instance.config);
  const found = db
    .prepare('select id from tool_instances where name is ? and plugin is ? and arguments is ?')
    .get(instance.toolboxName, plugin, args) as { id: number } | undefined;
  if (found) return found.id;
  return Number(db.prepare('insert into tool_instances (name, plugin, arguments) values (?, ?, ?)').run(instance.toolboxName, plugin, args).lastInsertRowid);
}

/**
 * The turn's `turn_tools` rows. A plain tool has no configured instance, so instance_id is
 * null; a toolbox's tool points at its `tool_instances` row, from which `-c` rebuilds it.
 */
export function writeTurnTools(db: Database, turnId: string, tools: readonly LoggedTool[]): void {
  for (const tool of tools) {
    const instanceId = tool.instance ? ensureToolInstance(db, tool.instance, tool.plugin) : null;
    db.prepare('insert or replace into turn_tools (turn_id, tool_id, instance_id) values (?, ?, ?)').run(turnId, ensureTool(db, tool), instanceId);
  }
}

/** Python's `tool_instantiations`: for each result a configured toolbox produced, that toolbox, by call id. */
export function writeToolInstantiations(db: Database, turnId: string, results: readonly LoggedToolResult[], tools: readonly LoggedTool[]): void {
  for (const result of results) {
    if (!result.instance || !result.toolCallId) continue;
    const plugin = tools.find((tool) => tool.name === result.name)?.plugin ?? null;
    db.prepare('insert or replace into tool_instantiations (turn_id, tool_call_id, instance_id) values (?, ?, ?)').run(
      turnId,
      result.toolCallId,
      ensureToolInstance(db, result.instance, plugin),
    );
  }
}

/**
 * Tool descriptions offered when condensing a turn's provider payload, as Python's
 * `_payload_replacements` does: `tool.<name>.description` for descriptions of 64 characters
 * or more, dropped when one name carries two different descriptions.
 */
export function toolDescriptionReplacements(tools: readonly Pick<LoggedTool, 'name' | 'description'>[]): Record<string, string> {
  const descriptions = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const { name, description } of tools) {
    if (!name || typeof description !== 'string' || description.length < 64) continue;
    const known = descriptions.get(name);
    if (known !== undefined && known !== description) conflicting.add(name);
    else descriptions.set(name, description);
  }
  const out: Record<string, string> = {};
  for (const [name, description] of descriptions) if (!conflicting.has(name)) out[`tool.${name}.description`] = description;
  return out;
}
