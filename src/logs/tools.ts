import type { Database } from 'better-sqlite3';
import { pythonDumps } from './json.js';

/** What logs.db records of a tool (a Tool has all of it). */
export interface LoggedTool {
  name: string;
  description: string | null;
  inputSchema: Record<string, unknown>;
  plugin: string | null;
  hash(): string;
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
 * The turn's `turn_tools` rows. A plain tool has no configured instance, so instance_id is
 * null and no tool_instances row is written (Python writes one only for toolboxes).
 */
export function writeTurnTools(db: Database, turnId: string, tools: readonly LoggedTool[]): void {
  for (const tool of tools) {
    db.prepare('insert or replace into turn_tools (turn_id, tool_id, instance_id) values (?, ?, null)').run(turnId, ensureTool(db, tool));
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
