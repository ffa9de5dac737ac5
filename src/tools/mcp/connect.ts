// A connection to one MCP server through the official SDK's client: stdio (a child process)
// or HTTP (Streamable HTTP, falling back to SSE). Loaded only when an MCP toolbox is prepared.
import { LlmError } from '../../errors.js';
import { Attachment } from '../../models/attachment.js';
import { ToolOutput } from '../../models/tools.js';
import { importModule } from '../../util/import-module.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

declare const __LLM_VERSION__: string;

export type McpTarget =
  | { kind: 'stdio'; label: string; command: string; args: string[]; env?: Record<string, string>; cwd?: string; timeoutMs: number }
  | { kind: 'http'; label: string; url: string; mode: 'auto' | 'http' | 'sse'; headers: Record<string, string>; timeoutMs: number };

export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export interface McpConnection {
  tools: McpToolInfo[];
  /** Calls a tool: its text as the output, images as attachments. An MCP error is thrown, for the model to see. */
  call(name: string, args: Record<string, unknown>): Promise<ToolOutput | string>;
  close(): Promise<void>;
}

const SDK = '@modelcontextprotocol/sdk';

/** Stdio servers still running: killed when the process exits, however it exits. */
const running = new Set<StdioClientTransport>();
let exitHooks = false;

function killRunning(): void {
  for (const child of running) {
    const pid = child.pid;
    if (!pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * A signal that would end the process (no other handler for it) kills the servers first:
 * Node runs no 'exit' handlers when a signal ends it.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killRunning();
  process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
}

function watchForExit(transport: StdioClientTransport): void {
  running.add(transport);
  if (exitHooks) return;
  exitHooks = true;
  process.once('exit', killRunning);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

/** Connects, lists the server's tools, and returns the connection; one line naming the server on failure. */
export async function connectMcp(target: McpTarget): Promise<McpConnection> {
  if (target.kind === 'stdio') return connectStdio(target);
  if (target.mode === 'sse') return connectWith(target, await sseTransport(target));
  try {
    return await connectWith(target, await streamableTransport(target));
  } catch (error) {
    if (target.mode === 'http' || isTimeout(error)) throw error;
    // An older server: the HTTP+SSE transport of protocol 2024-11-05.
    try {
      return await connectWith(target, await sseTransport(target));
    } catch {
      throw error;
    }
  }
}

async function connectStdio(target: Extract<McpTarget, { kind: 'stdio' }>): Promise<McpConnection> {
  const { StdioClientTransport, getDefaultEnvironment } = await importModule<typeof import('@modelcontextprotocol/sdk/client/stdio.js')>(`${SDK}/client/stdio.js`);
  const transport = new StdioClientTransport({
    command: target.command,
    args: target.args,
    env: { ...getDefaultEnvironment(), ...(target.env ?? {}) },
    cwd: target.cwd,
    stderr: 'pipe',
  });
  // The server's own messages are kept (the last few lines), to explain a failure to start.
  let stderrTail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  watchForExit(transport);
  const close = async () => {
    await transport.close();
    running.delete(transport);
  };
  try {
    return await connectWith(target, transport, close);
  } catch (error) {
    const lastLine = stderrTail.trim().split('\n').pop()?.trim();
    if (lastLine && error instanceof LlmError && !isTimeout(error)) throw new LlmError(`${error.message} (it said: ${lastLine})`);
    throw error;
  }
}

async function streamableTransport(target: Extract<McpTarget, { kind: 'http' }>): Promise<Transport> {
  const { StreamableHTTPClientTransport } = await importModule<typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js')>(
    `${SDK}/client/streamableHttp.js`,
  );
  return new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers: target.headers } });
}

async function sseTransport(target: Extract<McpTarget, { kind: 'http' }>): Promise<Transport> {
  const { SSEClientTransport } = await importModule<typeof import('@modelcontextprotocol/sdk/client/sse.js')>(`${SDK}/client/sse.js`);
  return new SSEClientTransport(new URL(target.url), { requestInit: { headers: target.headers } });
}

class TimeoutError extends LlmError {
  readonly timedOut = true;
}
const isTimeout = (error: unknown): boolean => error instanceof TimeoutError;

/** Initialises the session and lists the tools, all within the target's timeout. */
async function connectWith(target: McpTarget, transport: Transport, close: () => Promise<void> = () => transport.close()): Promise<McpConnection> {
  const { Client } = await importModule<typeof import('@modelcontextprotocol/sdk/client/index.js')>(`${SDK}/client/index.js`);
  const client = new Client({ name: 'llm-ts', version: typeof __LLM_VERSION__ === 'string' ? __LLM_VERSION__ : '0.0.0' });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`MCP server ${target.label} did not answer within ${target.timeoutMs / 1000}s`)),
      target.timeoutMs,
    );
  });
  try {
    const tools = await Promise.race([startAndList(client, transport, target.timeoutMs), timeout]);
    return connection(client, tools, close);
  } catch (error) {
    await close().catch(() => {});
    if (error instanceof LlmError) throw error;
    const status = (error as { code?: unknown })?.code;
    const http = typeof status === 'number' && status >= 400 && status < 600 ? ` (HTTP ${status})` : '';
    const verb = target.kind === 'stdio' ? 'started' : 'reached';
    throw new LlmError(`MCP server ${target.label} could not be ${verb}: ${oneLine(error)}${http}`);
  } finally {
    clearTimeout(timer);
  }
}

async function startAndList(client: Client, transport: Transport, timeoutMs: number): Promise<McpToolInfo[]> {
  await client.connect(transport, { timeout: timeoutMs });
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
    for (const tool of page.tools) tools.push({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema as Record<string, unknown> });
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

function connection(client: Client, tools: McpToolInfo[], close: () => Promise<void>): McpConnection {
  return {
    tools,
    async call(name, args) {
      const result = await client.callTool({ name, arguments: args });
      return toolOutput(result as CallResult);
    },
    close,
  };
}

interface ContentItem {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri: string; text?: string; blob?: string; mimeType?: string };
}

interface CallResult {
  content?: ContentItem[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  toolResult?: unknown;
}

/**
 * A tool's result as llm tool output: its text (and embedded text resources) joined by
 * newlines, else its structured content as JSON; images and audio as attachments. A result
 * flagged `isError` is thrown, so the model sees `Error: <text>`.
 */
export function toolOutput(result: CallResult): ToolOutput | string {
  if (result.toolResult !== undefined && !result.content) return JSON.stringify(result.toolResult);
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  for (const item of result.content ?? []) {
    if (item.type === 'text' && item.text !== undefined) texts.push(item.text);
    else if ((item.type === 'image' || item.type === 'audio') && item.data) {
      attachments.push(new Attachment({ content: Buffer.from(item.data, 'base64'), type: item.mimeType }));
    } else if (item.type === 'resource' && item.resource) {
      if (item.resource.text !== undefined) texts.push(item.resource.text);
      else if (item.resource.blob) attachments.push(new Attachment({ content: Buffer.from(item.resource.blob, 'base64'), type: item.resource.mimeType }));
    } else if (item.type === 'resource_link' && item.uri) texts.push(item.name ? `${item.name}: ${item.uri}` : item.uri);
  }
  let output = texts.join('\n');
  if (!output && result.structuredContent !== undefined) output = JSON.stringify(result.structuredContent);
  if (result.isError) throw new Error(output || 'the MCP server reported an error');
  return attachments.length ? new ToolOutput(output, attachments) : output;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/^MCP error -?\d+: /, '');
}
