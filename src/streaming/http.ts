import { AbortedError, ApiError, AuthenticationError, ConnectionError, RateLimitError, TimeoutError } from '../errors.js';
import { formatSeconds } from './limits.js';
import { type HttpHeaders, type HttpRequestInit, type HttpResponse, httpRequest } from './transport.js';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** First backoff delay; doubled each retry, with jitter. */
  baseDelayMs: number;
  /**
   * No wait is longer than this. A server that asks for a longer one (`retry-after`) is
   * not retried: its error is raised at once, saying how long it asked for.
   */
  maxDelayMs: number;
  /**
   * Called as each wait before a retry begins; what it returns is called when the wait
   * ends. The CLI shows the wait on a terminal with this.
   */
  onWait?: (wait: RetryWait) => (() => void) | void;
}


/** The retry policy every provider request uses (`LLM_MAX_ATTEMPTS` sets the attempts). Tests and apps may change it. */
export const retryPolicy: RetryPolicy = {
  maxAttempts: Number(process.env.LLM_MAX_ATTEMPTS) || 5,
  baseDelayMs: process.env.LLM_RETRY_BASE_MS ? Number(process.env.LLM_RETRY_BASE_MS) : 500,
  maxDelayMs: 60_000,
};

export interface ProviderRequest {
  /** Shown in errors, e.g. `OpenAI`. */
  provider: string;
  /** Secrets to scrub from every error message. */
  secrets?: (string | undefined)[];
  signal?: AbortSignal;
}

/** Replaces each secret with a marker, so no key reaches an error message or a log. */
export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  }
  return result;
}

/** The wait a response asks for: `retry-after-ms`, else `retry-after` (seconds or a date). */
export function retryAfterMs(headers: HttpHeaders): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  if (Number.isFinite(Number(after))) return Math.max(0, Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The wait before retry number `attempt`: what the server asked for, else exponential backoff with jitter; capped. */
export function backoffMs(attempt: number, headers: HttpHeaders | undefined): number {
  const asked = headers ? retryAfterMs(headers) : undefined;
  const computed = retryPolicy.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
  return Math.min(asked ?? computed, retryPolicy.maxDelayMs);
}

/** Waits before a retry, telling `retryPolicy.onWait` about it. */
async function waitToRetry(wait: RetryWait, signal: AbortSignal | undefined): Promise<void> {
  announce(wait);
  const done = retryPolicy.onWait?.(wait);
  try {
    await sleep(wait.waitMs, signal);
  } finally {
    if (typeof done === 'function') done();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('The request was aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError('The request was aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What a listener hears before providerFetch waits to retry: the status (null for a failed connection) and the wait. */
export interface RetryWait {
  provider: string;
  status: number | null;
  /** The attempt that failed (1 for the first); the next is `attempt + 1`. */
  attempt: number;
  /** The most attempts there will be. */
  maxAttempts: number;
  waitMs: number;
}

const retryListeners = new Set<(wait: RetryWait) => void>();

/**
 * Calls `listener` each time a request is about to wait and retry (a 429 honouring
 * retry-after, a 5xx, a failed connection): `llm map` backs its whole pool off on a 429.
 * Returns a function that removes the listener.
 */
export function onRetryWait(listener: (wait: RetryWait) => void): () => void {
  retryListeners.add(listener);
  return () => retryListeners.delete(listener);
}

function announce(wait: RetryWait): void {
  for (const listener of retryListeners) listener(wait);
}

/** 429 and 5xx are worth another try; any other 4xx would fail the same way again. */
export const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

/** Reads a provider's error message out of an error body (OpenAI, Anthropic, Gemini, Ollama shapes). */
export function providerMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const error = record.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as Record<string, unknown>).message === 'string') {
      return (error as Record<string, string>).message!;
    }
    if (typeof record.message === 'string') return record.message;
    if (typeof record.detail === 'string') return record.detail;
  }
  return fallback;
}

async function errorFor(response: HttpResponse, request: ProviderRequest): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const fallback = text.trim().slice(0, 300) || response.statusText || 'no details';
  const message = redact(providerMessage(body, fallback), request.secrets);
  const line = `${request.provider} API error ${response.status}: ${message}`;
  const safeBody = typeof body === 'string' ? redact(body, request.secrets) : JSON.parse(redact(JSON.stringify(body), request.secrets));
  const Kind = response.status === 429 ? RateLimitError : response.status === 401 || response.status === 403 ? AuthenticationError : ApiError;
  return new Kind(line, response.status, request.provider, message, safeBody);
}

/**
 * An HTTP request with the retry rules every provider shares: 429, 5xx and failed
 * connections are retried with exponential backoff that honours `retry-after-ms` and
 * `retry-after`, in at most `retryPolicy.maxAttempts` attempts; a server asking for a
 * wait longer than `retryPolicy.maxDelayMs` (60 s) gets no retry. Other 4xx fail at once.
 * A connect timeout is retried; a request that timed out once sent is not. Resolves with an OK response; its body is not read.
 * Requests go over node:http(s) (see transport.ts), not the global fetch.
 */
export async function providerFetch(url: string, init: HttpRequestInit, request: ProviderRequest): Promise<HttpResponse> {
  const signal = request.signal ?? init.signal ?? undefined;
  if (!/^https?:\/\//i.test(url)) {
    throw new ConnectionError(`Could not connect to ${request.provider} at ${url}: only http:// and https:// URLs can be used (check the model's api_base)`);
  }
  const maxAttempts = Math.max(1, Math.floor(retryPolicy.maxAttempts) || 1);
  for (let attempt = 1; ; attempt++) {
    let response: HttpResponse;
    try {
      signal?.throwIfAborted();
      response = await httpRequest(url, { ...init, signal });
    } catch (error) {
      if (signal?.aborted) throw new AbortedError('The request was aborted', { cause: error });
      // A request that was sent and then timed out is not sent again: the server may be
      // at work on it, and the wait would start over.
      if (TimeoutError.is(error) && (error.sent || attempt >= maxAttempts)) throw error;
      const failure = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
      const reason = redact(failure.code ?? failure.cause?.code ?? failure.message ?? String(error), request.secrets);
      if (attempt >= maxAttempts) {
        throw new ConnectionError(`Could not connect to ${request.provider} at ${new URL(url).origin}: ${reason}`, {
          cause: error,
        });
      }
      await waitToRetry({ provider: request.provider, status: null, attempt, maxAttempts, waitMs: backoffMs(attempt, undefined) }, signal);
      continue;
    }
    if (response.ok) return response;
    const asked = retryAfterMs(response.headers);
    const tooLong = asked !== undefined && asked > retryPolicy.maxDelayMs;
    if (isRetryableStatus(response.status) && attempt < maxAttempts && !tooLong) {
      await response.body.cancel().catch(() => undefined);
      await waitToRetry({ provider: request.provider, status: response.status, attempt, maxAttempts, waitMs: backoffMs(attempt, response.headers) }, signal);
      continue;
    }
    const error = await errorFor(response, request);
    if (tooLong && isRetryableStatus(response.status)) {
      error.message += ` (it asked to retry after ${formatSeconds(asked / 1000)}, longer than the ${formatSeconds(retryPolicy.maxDelayMs / 1000)} llm waits: try again later)`;
    }
    throw error;
  }
}
