export { ResponseTooLargeError, TimeoutError } from '../errors.js';

/**
 * The limits every provider request runs under: how long to wait (to connect, between
 * two reads, in all) and how much to decode. A server, however hostile, cannot hold the
 * process forever or fill its memory.
 */

/** Seconds. */
export interface Timeouts {
  /** To open the connection. */
  connect: number;
  /** Between two reads: for the response to start, then between any two pieces of it. */
  idle: number;
  /** For the whole exchange, from the request to the last byte. */
  total: number;
}

/** A number is the idle timeout (the connect timeout is never longer); an object sets any of the three. */
export type TimeoutInput = number | Partial<Timeouts>;

/** Environment numbers: a positive finite number, else undefined. */
function positive(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

const MB = 1024 * 1024;

export interface Limits {
  /** The timeouts a request has when neither the call nor the model sets them. */
  timeouts: Timeouts;
  /** Largest body read whole (JSON answers, error bodies, URL attachments), after decompression. */
  maxBodyBytes: number;
  /** Largest single streamed event (one SSE event, one NDJSON line). */
  maxEventBytes: number;
}

/** The defaults; `LLM_TIMEOUT` (seconds) and `LLM_MAX_RESPONSE_MB` change them. Apps may too. */
export const limits: Limits = {
  timeouts: applyTimeout({ connect: 30, idle: 300, total: 1800 }, positive(process.env.LLM_TIMEOUT)),
  maxBodyBytes: (positive(process.env.LLM_MAX_RESPONSE_MB) ?? 64) * MB,
  maxEventBytes: (positive(process.env.LLM_MAX_RESPONSE_MB) ?? 16) * MB,
};

/** `base` with `input` laid over it. */
export function applyTimeout(base: Timeouts, input: TimeoutInput | undefined | null): Timeouts {
  if (input === undefined || input === null) return base;
  if (typeof input === 'number') {
    if (!(input > 0)) return base;
    return { connect: Math.min(base.connect, input), idle: input, total: Math.max(base.total, input) };
  }
  const result = { ...base };
  for (const name of ['connect', 'idle', 'total'] as const) {
    const value = input[name];
    if (typeof value === 'number' && value > 0) result[name] = value;
  }
  return result;
}

/**
 * Reads a `timeout` setting (a number of seconds, or a mapping of connect/idle/total):
 * the value, or a message saying what is wrong with it.
 */
export function parseTimeout(value: unknown): TimeoutInput | string {
  const isSeconds = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (typeof value === 'string' && value.trim() !== '' && isSeconds(Number(value))) return Number(value);
  if (isSeconds(value)) return value as number;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const result: Partial<Timeouts> = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (name !== 'connect' && name !== 'idle' && name !== 'total') return `unknown timeout "${name}" (use connect, idle or total)`;
      if (!isSeconds(item)) return `timeout ${name} must be a positive number of seconds`;
      result[name] = item as number;
    }
    return result;
  }
  return 'timeout must be a positive number of seconds, or a mapping of connect, idle and total';
}

export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

export function formatBytes(bytes: number): string {
  return bytes >= MB ? `${Number((bytes / MB).toFixed(1))} MB` : `${bytes} bytes`;
}

export function timeoutMessage(limit: keyof Timeouts, seconds: number, origin: string): string {
  const what =
    limit === 'connect'
      ? `could not connect to ${origin} within ${formatSeconds(seconds)}`
      : limit === 'idle'
        ? `${origin} sent nothing for ${formatSeconds(seconds)}`
        : `${origin} had not finished after ${formatSeconds(seconds)}`;
  return `Timed out: ${what} (the ${limit} timeout; change it with --timeout, LLM_TIMEOUT or a model's timeout setting)`;
}

export function tooLargeMessage(what: string, limit: number): string {
  return `The ${what} is larger than the ${formatBytes(limit)} limit (raise it with LLM_MAX_RESPONSE_MB)`;
}
