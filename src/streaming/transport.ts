import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ResponseTooLargeError, TimeoutError } from '../errors.js';
import * as builtins from '../util/builtins.js';
import { limits, type Timeouts, timeoutMessage, tooLargeMessage } from './limits.js';

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
  /** Seconds; default `limits.timeouts`. */
  timeouts?: Timeouts;
  /** Largest body `text()`, `json()` and `arrayBuffer()` read; default `limits.maxBodyBytes`. */
  maxBodyBytes?: number;
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

/** What a body needs to enforce its limits. */
interface BodyLimits {
  origin: string;
  timeouts: Timeouts;
  maxBodyBytes: number;
  /** Called once the body is finished (read to the end, cancelled or failed): clears timers. */
  onEnd: () => void;
}

class NodeBody {
  private iterator: AsyncIterator<Buffer> | undefined;
  private done = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private waiting = false;

  constructor(
    private readonly stream: Readable,
    private readonly message: IncomingMessage,
    private readonly limits: BodyLimits,
  ) {}

  /** Ends the body with `error`: the read in flight (or the next one) rejects with it. */
  fail(error: Error): void {
    if (this.done) return;
    this.stream.destroy(error);
    if (this.stream !== this.message) this.message.destroy(error);
  }

  private finish(): void {
    this.done = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.limits.onEnd();
  }

  /** The idle timeout runs only while a read waits: a slow reader is not a slow server. */
  private armIdle(): void {
    this.waiting = true;
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      const seconds = this.limits.timeouts.idle;
      this.idleTimer = setTimeout(() => {
        if (this.waiting) this.fail(new TimeoutError(timeoutMessage('idle', seconds, this.limits.origin), 'idle', true));
      }, seconds * 1000);
      this.idleTimer.unref();
    }
  }

  getReader(): ByteReader {
    const iterator = (this.iterator ??= this.stream[Symbol.asyncIterator]());
    return {
      read: async (): Promise<ByteReadResult> => {
        if (this.done) return { done: true };
        this.armIdle();
        let result: IteratorResult<Buffer>;
        try {
          result = await iterator.next();
        } catch (error) {
          this.finish();
          throw error;
        } finally {
          this.waiting = false;
        }
        if (result.done) {
          this.finish();
          return { done: true };
        }
        return { done: false, value: result.value };
      },
      cancel: (reason?: unknown) => this.cancel(reason),
      releaseLock: () => {},
    };
  }

  async cancel(_reason?: unknown): Promise<void> {
    if (!this.done) this.finish();
    this.stream.destroy();
    if (this.stream !== this.message) this.message.destroy();
  }

  /** The whole body, refused (and the connection closed) past `maxBodyBytes` once decoded. */
  async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = this.limits.maxBodyBytes;
    const reader = this.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await this.cancel();
        throw new ResponseTooLargeError(tooLargeMessage(`response from ${this.limits.origin}`, limit));
      }
      chunks.push(value as Buffer);
    }
    return Buffer.concat(chunks, size);
  }
}

class NodeHttpResponse implements HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: HttpHeaders;
  readonly body: NodeBody;

  constructor(message: IncomingMessage, stream: Readable, limits: BodyLimits) {
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
    this.body = new NodeBody(stream, message, limits);
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
 * no response arrives, or with an AbortError when `signal` fires. The request runs under
 * `init.timeouts` (else `limits.timeouts`): past one of them it rejects, or its body's
 * read fails, with a TimeoutError.
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
  const timeouts = init.timeouts ?? limits.timeouts;
  const origin = target.origin;
  return new Promise<HttpResponse>((resolve, reject) => {
    let response: NodeHttpResponse | undefined;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const clearTimers = () => timers.forEach(clearTimeout);
    const after = (seconds: number, onTimeout: () => void) => {
      const timer = setTimeout(onTimeout, seconds * 1000);
      timer.unref();
      timers.push(timer);
      return timer;
    };
    const timeOut = (limit: keyof Timeouts, sent: boolean) => {
      const error = new TimeoutError(timeoutMessage(limit, timeouts[limit], origin), limit, sent);
      if (response) response.body.fail(error);
      else request.destroy(error);
    };
    const request = transport.request(
      target,
      { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined },
      (message) => {
        clearTimeout(waitForHeaders);
        decoded(message).then((stream) => {
          response = new NodeHttpResponse(message, stream, {
            origin,
            timeouts,
            maxBodyBytes: init.maxBodyBytes ?? limits.maxBodyBytes,
            onEnd: clearTimers,
          });
          resolve(response);
        }, reject);
      },
    );
    after(timeouts.total, () => timeOut('total', true));
    // Waiting for the answer to start counts as idle time.
    const waitForHeaders = after(timeouts.idle, () => timeOut('idle', true));
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connecting = after(timeouts.connect, () => timeOut('connect', false));
      socket.once('connect', () => clearTimeout(connecting));
    });
    request.on('error', (error) => {
      clearTimers();
      reject(error);
    });
    request.end(body);
  });
}
