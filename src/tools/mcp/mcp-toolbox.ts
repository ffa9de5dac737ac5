// The built-in MCP toolbox: an MCP server's tools as llm tools. Cheap to load: the SDK and
// the connection code load in prepare(), only when an MCP toolbox is used.
import { getStoredKey } from '../../config/keys.js';
import { UsageError } from '../../errors.js';
import { Tool } from '../../models/tools.js';
import { Toolbox } from '../toolbox.js';
import { type McpServerConfig, loadMcpServers } from './config.js';
import type { McpConnection, McpTarget } from './connect.js';
import { splitCommandLine } from './command-line.js';

export interface McpOptions extends McpServerConfig {
  /** An http(s):// URL, a server named in mcp.json, or a command line for a stdio server. */
  server?: string;
  /** `auto` (Streamable HTTP falling back to SSE for a URL, stdio for a command), `http`, `sse` or `stdio`. */
  mode?: string;
  /** Put before each tool's name, to keep two servers' tools apart. */
  prefix?: string;
  /** Seconds to wait for the server to start and list its tools (default 30). */
  timeout?: number;
}

const MODES = ['auto', 'http', 'sse', 'stdio'];
const DEFAULT_TIMEOUT = 30;

export class MCP extends Toolbox {
  static override toolboxName = 'MCP';
  static override parameters = ['server', 'mode', 'prefix', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'key', 'type', 'timeout'];
  static override signature = "(server, mode='auto', prefix='', command=None, args=None, env=None, url=None, headers=None, key=None, timeout=30)";
  static override description = [
    'Tools from an MCP server: an http(s):// URL (Streamable HTTP, falling back to SSE),',
    'a server named in mcp.json (llm mcp add), or a command line for a local stdio server.',
    '',
    'Examples:',
    '  MCP("https://example.com/mcp")',
    '  MCP("npx -y @modelcontextprotocol/server-everything")',
    '  MCP(command="node", args=["server.js"], env={"TOKEN": "x"}, prefix="local_")',
  ].join('\n');

  private connection: McpConnection | undefined;

  constructor(server: string | McpOptions = {}, options: McpOptions = {}) {
    super(typeof server === 'string' ? { server, ...options } : { ...server, ...options });
    const mode = this.config.mode;
    if (mode !== undefined && !MODES.includes(String(mode))) throw new UsageError(`mode must be one of ${MODES.join(', ')}, not '${String(mode)}'`);
    if (this.config.server === undefined && this.config.command === undefined && this.config.url === undefined) {
      throw new UsageError('needs a server: MCP("https://...") or MCP("command line") or MCP(command="...", args=[...])');
    }
  }

  override async prepare(): Promise<void> {
    const target = this._target();
    const { connectMcp } = await import('./connect.js');
    const connection = await connectMcp(target);
    this.connection = connection;
    const prefix = typeof this.config.prefix === 'string' ? this.config.prefix : '';
    for (const tool of connection.tools) {
      this.addTool(
        new Tool({
          name: prefix + tool.name,
          description: tool.description ?? null,
          inputSchema: tool.inputSchema,
          implementation: (args) => connection.call(tool.name, args),
          plugin: this.plugin,
        }),
      );
    }
  }

  override async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  /** Where the server is and how to reach it, from the configuration (and mcp.json). */
  _target(): McpTarget {
    const options = this.config as McpOptions;
    let config: McpServerConfig = { ...options };
    let label = options.server ?? options.url ?? options.command!;
    const server = options.server;
    if (server !== undefined) {
      if (typeof server !== 'string' || !server.trim()) throw new UsageError('MCP: server must be a URL, a server name or a command line');
      if (/^https?:\/\//i.test(server)) config = { ...config, url: server };
      else {
        const named = /^[\w.-]+$/.test(server) ? loadMcpServers()[server] : undefined;
        if (named) config = { ...named, ...withoutUndefined(options, ['server', 'mode', 'prefix', 'timeout']) };
        else {
          const [command, ...args] = splitCommandLine(server);
          config = { ...config, command: command!, args: [...args, ...(options.args ?? [])] };
        }
      }
    }
    if (config.url) label = config.url;
    const mode = options.mode && options.mode !== 'auto' ? options.mode : modeFromType(config.type);
    const timeoutMs = Math.max(0.1, Number(options.timeout ?? DEFAULT_TIMEOUT)) * 1000;
    if (config.url) {
      if (mode === 'stdio') throw new UsageError(`MCP server ${label}: mode 'stdio' needs a command, not a URL`);
      return { kind: 'http', label, url: config.url, mode: mode === 'sse' ? 'sse' : mode === 'http' ? 'http' : 'auto', headers: headersFor(config, label), timeoutMs };
    }
    if (!config.command) throw new UsageError(`MCP server ${label} has no command or url`);
    if (mode === 'http' || mode === 'sse') throw new UsageError(`MCP server ${label}: mode '${mode}' needs a URL`);
    return { kind: 'stdio', label, command: config.command, args: config.args ?? [], env: config.env, cwd: config.cwd, timeoutMs };
  }
}

function modeFromType(type: string | undefined): string {
  if (type === 'sse') return 'sse';
  if (type === 'http' || type === 'streamable-http' || type === 'streamableHttp') return 'http';
  if (type === 'stdio') return 'stdio';
  return 'auto';
}

function withoutUndefined(options: McpOptions, drop: string[]): McpServerConfig {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => value !== undefined && !drop.includes(key))) as McpServerConfig;
}

/** The headers to send: those configured, and `Authorization: Bearer <key>` for a stored key. */
function headersFor(config: McpServerConfig, label: string): Record<string, string> {
  const headers = { ...(config.headers ?? {}) };
  if (config.key) {
    const key = getStoredKey(config.key) ?? process.env[config.key];
    if (!key) throw new UsageError(`MCP server ${label} needs the key '${config.key}': set it with llm keys set ${config.key}`);
    headers.Authorization = `Bearer ${key}`;
  }
  return headers;
}
