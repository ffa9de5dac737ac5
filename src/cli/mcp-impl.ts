// `llm mcp list|add|remove`.
import { UsageError } from '../errors.js';
import { pythonDumps } from '../logs/json.js';
import { splitCommandLine } from '../tools/mcp/command-line.js';
import { type McpServerConfig, loadMcpServers, saveMcpServer } from '../tools/mcp/config.js';

export { mcpConfigPath, removeMcpServer } from '../tools/mcp/config.js';

export function mcpList(flags: { json?: boolean }): void {
  const servers = loadMcpServers();
  if (flags.json) {
    process.stdout.write(pythonDumps(servers, 2) + '\n');
    return;
  }
  const names = Object.keys(servers);
  if (!names.length) {
    process.stdout.write('No MCP servers: add one with llm mcp add NAME URL-OR-COMMAND\n');
    return;
  }
  for (const name of names) {
    const server = servers[name]!;
    const target = server.url ?? [server.command, ...(server.args ?? [])].map(shellWord).join(' ');
    process.stdout.write(`${name}: ${target}\n`);
  }
}

function shellWord(word: string | undefined): string {
  if (word === undefined) return '';
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function mcpAdd(name: string, server: string, args: string[], flags: { env?: string[]; header?: string[]; key?: string; type?: string }): void {
  if (!/^[\w.-]+$/.test(name)) throw new UsageError(`An MCP server name takes letters, digits, '.', '-' and '_': '${name}'`);
  if (flags.type && !['http', 'sse', 'stdio'].includes(flags.type)) throw new UsageError(`--type must be http, sse or stdio, not '${flags.type}'`);
  const config: McpServerConfig = {};
  if (flags.type) config.type = flags.type;
  if (/^https?:\/\//i.test(server)) {
    if (args.length) throw new UsageError('A URL server takes no arguments');
    if (flags.env?.length) throw new UsageError('--env is for stdio servers (a command), not a URL');
    config.url = server;
    if (flags.header?.length) config.headers = Object.fromEntries(flags.header.map(headerPair));
    if (flags.key) config.key = flags.key;
  } else {
    if (flags.header?.length || flags.key) throw new UsageError('--header and --key are for HTTP servers (a URL), not a command');
    const [command, ...rest] = splitCommandLine(server);
    config.command = command!;
    if (rest.length || args.length) config.args = [...rest, ...args];
    if (flags.env?.length) config.env = Object.fromEntries(flags.env.map(envPair));
  }
  saveMcpServer(name, config);
}

function envPair(pair: string): [string, string] {
  const at = pair.indexOf('=');
  if (at < 1) throw new UsageError(`--env takes KEY=VALUE, not '${pair}'`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function headerPair(pair: string): [string, string] {
  const at = pair.indexOf(':');
  if (at < 1) throw new UsageError(`--header takes 'Name: value', not '${pair}'`);
  return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
}
