import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import * as builtins from '../util/builtins.js';

/**
 * HTTP for providers over node:http/node:https rather than the global fetch. Node 20's
 * fetch loads and compiles undici on first use (about 25 ms of every `llm 'prompt'`) and
 * streams through web streams; this is the small part of fetch that providers need.
 */

export type ByteReadResult = { done: true; value?: undefined } | { done: false; value: Uint8Array };

/** The reader side of a body: what `sseEvents()`, `ndjsonLines()` and providers read. */
export interface ByteReader {
  read(): Promise<ByteReadResult>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

/** A response body. A WHATWG `ReadableStream<Uint8Array>` fits this shape too. */
export interface ByteStream {
  getReader(): ByteReader;
}

export interface HttpHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: HttpHeaders;
  readonly body: ByteStream & { cancel(reason?: unknown): Promise<void> };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string> | [string, string][] | { forEach(cb: (value: string, key: string) => void): void };
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
}

function normalizeHeaders(input: HttpRequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!input) return headers;
  if (Array.isArray(input)) for (const [key, value] of input) headers[key.toLowerCase()] = value;
  else if (typeof (input as { forEach?: unknown }).forEach === 'function') {
    (input as { forEach(cb: (value: string, key: string) => void): void }).forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
  } else for (const [key, value] of Object.entries(input)) headers[key.toLowerCase()] = value;
  return headers;
}

class NodeBody {
  private iterator: AsyncIterator<Buffer> | undefined;
  private done = false;

  constructor(private readonly stream: Readable) {}

  getReader(): ByteReader {
    const iterator = (this.iterator ??= this.stream[Symbol.asyncIterator]());
    return {
      read: async (): Promise<ByteReadResult> => {
        if (this.done) return { done: true };
        const result = await iterator.next();
        if (result.done) {
          this.done = true;
          return { done: true };
        }
        return { done: false, value: result.value };
      },
      cancel: (reason?: unknown) => this.cancel(reason),
      releaseLock: () => {},
    };
  }

  async cancel(_reason?: unknown): Promise<void> {
    this.done = true;
    this.stream.destroy();
  }

  async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const reader = this.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value as Buffer);
    }
    return Buffer.concat(chunks);
  }
}

class NodeHttpResponse implements HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: HttpHeaders;
  readonly body: NodeBody;

  constructor(message: IncomingMessage, stream: Readable) {
    this.status = message.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.statusText = message.statusMessage ?? '';
    const raw = message.headers;
    this.headers = {
      get(name: string): string | null {
        const value = raw[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    };
    this.body = new NodeBody(stream);
  }

  async text(): Promise<string> {
    return (await this.body.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.body.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
}

/** Undoes `content-encoding` (gzip, deflate, br), as fetch does. */
async function decoded(message: IncomingMessage): Promise<Readable> {
  const encoding = (message.headers['content-encoding'] ?? '').toString().trim().toLowerCase();
  if (!encoding || encoding === 'identity') return message;
  const zlib = builtins.zlib();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : encoding === 'deflate'
        ? zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return message;
  message.on('error', (error) => decoder.destroy(error));
  return message.pipe(decoder);
}

/**
 * Sends one HTTP request and resolves when the response headers arrive. The body is
 * left unread. Rejects with the socket error (with its `code`, e.g. ECONNREFUSED) when
 * no response arrives, or with an AbortError when `signal` fires.
 */
export async function httpRequest(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new TypeError(`Unsupported URL protocol: ${target.protocol}`);
  }
  const transport = target.protocol === 'https:' ? builtins.https() : builtins.http();
  const headers = normalizeHeaders(init.headers);
  headers['accept-encoding'] ??= 'gzip, deflate, br';
  headers['user-agent'] ??= 'llm-ts';
  const body = init.body === null || init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  return new Promise<HttpResponse>((resolve, reject) => {
    const request = transport.request(
      target,
      { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined },
      (message) => {
        decoded(message).then((stream) => resolve(new NodeHttpResponse(message, stream)), reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
