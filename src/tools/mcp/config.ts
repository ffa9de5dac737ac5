// mcp.json in the user directory: MCP servers named once, in the shape Claude Desktop and
// VS Code use ({"mcpServers": {...}}, or VS Code's {"servers": {...}}), so a file can be copied in.
import { ConfigFileError, UsageError } from '../../errors.js';
import { readJsonObject, writeJsonFile } from '../../config/json-file.js';
import { userDir } from '../../config/user-dir.js';
import { join } from 'node:path';

/** One server: a command for stdio, or a URL for HTTP. */
export interface McpServerConfig {
  /** `stdio`, `http` (Streamable HTTP) or `sse`; guessed from `command`/`url` when absent. */
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  /** A key stored with `llm keys set` (or an environment variable's name) sent as `Authorization: Bearer`. */
  key?: string;
}

export function mcpConfigPath(): string {
  return join(userDir(), 'mcp.json');
}

/** The named servers, from `mcpServers` (or VS Code's `servers`). Missing file: none. */
export function loadMcpServers(path = mcpConfigPath()): Record<string, McpServerConfig> {
  const file = readJsonObject(path, 'The MCP servers file');
  if (!file) return {};
  const servers = file.mcpServers ?? file.servers ?? {};
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new ConfigFileError(`The MCP servers file at ${path} must have an "mcpServers" object`, path);
  }
  for (const [name, server] of Object.entries(servers)) {
    if (typeof server !== 'object' || server === null || (typeof server.command !== 'string' && typeof server.url !== 'string')) {
      throw new ConfigFileError(`MCP server "${name}" in ${path} needs a "command" or a "url"`, path);
    }
  }
  return servers as Record<string, McpServerConfig>;
}

/** Adds (or replaces) a server, keeping everything else in the file as it was. */
export function saveMcpServer(name: string, server: McpServerConfig, path = mcpConfigPath()): void {
  const file = readJsonObject(path, 'The MCP servers file') ?? {};
  const key = file.mcpServers === undefined && file.servers !== undefined ? 'servers' : 'mcpServers';
  const servers = { ...((file[key] as Record<string, unknown>) ?? {}), [name]: server };
  writeJsonFile(path, { ...file, [key]: servers }, 2);
}

/** Removes a server; an unknown name is an error. */
export function removeMcpServer(name: string, path = mcpConfigPath()): void {
  const file = readJsonObject(path, 'The MCP servers file') ?? {};
  const key = file.mcpServers === undefined && file.servers !== undefined ? 'servers' : 'mcpServers';
  const servers = { ...((file[key] as Record<string, unknown>) ?? {}) };
  if (!(name in servers)) throw new UsageError(`No MCP server named "${name}" in ${path}`);
  delete servers[name];
  writeJsonFile(path, { ...file, [key]: servers }, 2);
}
