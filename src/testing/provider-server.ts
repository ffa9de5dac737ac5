import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { fsPromises, http } from '../util/builtins.js';
import type { AddressInfo } from 'node:net';
import { importModule } from '../util/import-module.js';

/** One request the fake provider received. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

/** A scripted answer. `chunks` are written one at a time (a stream); otherwise `body`. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  chunks?: readonly string[];
  /** Pause between chunks, to let a client see them arrive separately. */
  chunkDelayMs?: number;
  /** Stop after this many chunks and cut the connection (a stream that breaks mid-way). */
  cutAfter?: number;
}

export type ReplySource = Reply | ((request: RecordedRequest) => Reply | Promise<Reply>);

/** A JSON answer. */
export function jsonReply(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/**
 * A server-sent-events stream: each item becomes one `data:` event (objects as JSON,
 * strings as they are); `{ event, data }` items (made with `sseEvent`) carry an event name.
 * `done` appends OpenAI's `data: [DONE]`.
 */
export function sseReply(items: readonly unknown[], options: { done?: boolean; status?: number } = {}): Reply {
  const chunks = items.map((item) => {
    if (item && typeof item === 'object' && NAMED in item) {
      const named = item as unknown as { event: string; data: unknown };
      return `event: ${named.event}\ndata: ${typeof named.data === 'string' ? named.data : JSON.stringify(named.data)}\n\n`;
    }
    return `data: ${typeof item === 'string' ? item : JSON.stringify(item)}\n\n`;
  });
  if (options.done) chunks.push('data: [DONE]\n\n');
  return { status: options.status ?? 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, chunks };
}

const NAMED = Symbol('sse-named-event');
/** A named SSE event (`event: message_start`) for `sseReply`, as Anthropic streams use. */
export function sseEvent(event: string, data: unknown): { event: string; data: unknown } {
  return { event, data, [NAMED]: true } as { event: string; data: unknown };
}

/** A newline-delimited JSON stream, one object per line (as Ollama streams). */
export function ndjsonReply(objects: readonly unknown[], status = 200): Reply {
  return {
    status,
    headers: { 'content-type': 'application/x-ndjson' },
    chunks: objects.map((object) => JSON.stringify(object) + '\n'),
  };
}

/** An error answer in the common `{"error": {"message"}}` shape. */
export function errorReply(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return jsonReply({ error: { message, type: 'error', code: status } }, status, headers);
}

/**
 * Replays a recorded response body byte for byte, split into chunks of `chunkSize`
 * characters (default: one chunk per line group / SSE event), to exercise a decoder on
 * real provider output.
 */
export function replayReply(recorded: string, options: { contentType?: string; status?: number; chunkSize?: number } = {}): Reply {
  const contentType = options.contentType ?? (/^(data|event):/m.test(recorded) ? 'text/event-stream' : 'application/json');
  let chunks: string[];
  if (options.chunkSize) {
    chunks = [];
    for (let i = 0; i < recorded.length; i += options.chunkSize) chunks.push(recorded.slice(i, i + options.chunkSize));
  } else {
    chunks = recorded.split(/(?<=\n\n)/);
  }
  return { status: options.status ?? 200, headers: { 'content-type': contentType }, chunks };
}

/**
 * Reads a VCR-style YAML cassette (as recorded by Python's pytest-recording, e.g. the
 * OpenAI exchanges in simonw/llm's tests) and returns one Reply per interaction, in order.
 */
export async function loadCassette(path: string): Promise<Reply[]> {
  const { parse } = await importModule<typeof import('yaml')>('yaml');
  const data = parse(await fsPromises().readFile(path, 'utf8')) as {
    interactions?: { response?: { status?: { code?: number }; headers?: Record<string, string[] | string>; body?: { string?: string } } }[];
  };
  return (data.interactions ?? []).map((interaction) => {
    const response = interaction.response ?? {};
    const contentType = response.headers?.['Content-Type'] ?? response.headers?.['content-type'];
    return replayReply(response.body?.string ?? '', {
      status: response.status?.code ?? 200,
      contentType: Array.isArray(contentType) ? contentType[0] : contentType,
    });
  });
}

/** Answers one recorded request by writing to the response itself. */
export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/** A loopback HTTP server that records every request. */
export interface FakeServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ProviderServer extends FakeServer {
  /** Queues replies, answered one per request in order (after any given at start). */
  enqueue(...replies: ReplySource[]): void;
}

/**
 * Starts a loopback HTTP server that records each request (its body read, and parsed when
 * it is JSON) and hands it to `handler`, which writes the answer. A handler that throws
 * gets a 500 with the error's text.
 */
export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http().createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body = Buffer.concat(parts).toString('utf8');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
    requests.push(request);
    try {
      await handler(request, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}`, requests, close, [Symbol.asyncDispose]: close };
}

/** Writes a scripted reply: its status and headers, then its body or its chunks one at a time. */
async function writeReply(reply: Reply, res: ServerResponse): Promise<void> {
  res.writeHead(reply.status ?? 200, reply.headers ?? {});
  if (!reply.chunks) {
    res.end(reply.body ?? '');
    return;
  }
  res.flushHeaders();
  let count = 0;
  for (const chunk of reply.chunks) {
    if (reply.cutAfter !== undefined && count >= reply.cutAfter) {
      res.socket?.destroy();
      return;
    }
    await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    count++;
    if (reply.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
  }
  if (reply.cutAfter !== undefined && count >= reply.cutAfter) {
    res.socket?.destroy();
    return;
  }
  res.end();
}

/**
 * Starts a fake provider on loopback. Each request is recorded and answered with the
 * next queued reply, or by `handler` when one is given and the queue is empty. With
 * neither, the answer is a 500 saying no reply was queued.
 */
export async function startProviderServer(
  replies: readonly ReplySource[] | ((request: RecordedRequest) => Reply | Promise<Reply>) = [],
): Promise<ProviderServer> {
  const queue: ReplySource[] = Array.isArray(replies) ? [...replies] : [];
  const handler = typeof replies === 'function' ? replies : undefined;
  const server = await startFakeServer(async (request, res) => {
    const next = queue.shift() ?? handler;
    const reply = next === undefined ? errorReply(500, 'The fake provider has no reply queued') : typeof next === 'function' ? await next(request) : next;
    await writeReply(reply, res);
  });
  return { ...server, enqueue: (...more) => void queue.push(...more) };
}
