/**
 * Every error this library throws on purpose extends LlmError. `isLlmError()`, each
 * class's static `is()` and `instanceof` recognise errors by a registry-wide symbol
 * brand and a per-class kind rather than by object identity, so they also work when two
 * copies of the package are loaded (and survive minifiers that rename classes).
 */
const BRAND = Symbol.for('llm-ts.error');
const KIND = Symbol.for('llm-ts.error.kind');

type ErrorClass = abstract new (...args: never[]) => LlmError;

/** The kind a class declares for itself: its own static `kind`, else its name. */
function kindOf(constructor: unknown): string | undefined {
  if (typeof constructor !== 'function') return undefined;
  const own = Object.prototype.hasOwnProperty.call(constructor, KIND)
    ? (constructor as unknown as Record<symbol, unknown>)[KIND]
    : undefined;
  return typeof own === 'string' ? own : (constructor as { name?: string }).name;
}

export class LlmError extends Error {
  static readonly [KIND]: string = 'LlmError';
  /** Stable machine-readable code, e.g. `unknown_model`. */
  readonly code: string = 'llm_error';
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /**
   * True when `value` is an error of this class (or a subclass), from this copy of the
   * package or any other.
   */
  static is<T extends ErrorClass>(this: T, value: unknown): value is InstanceType<T> {
    if (!isLlmError(value)) return false;
    const wanted = kindOf(this);
    if (wanted === 'LlmError') return true;
    let proto = Object.getPrototypeOf(value);
    while (proto && proto !== Object.prototype) {
      if (kindOf(proto.constructor) === wanted) return true;
      proto = Object.getPrototypeOf(proto);
    }
    return false;
  }

  /** Makes `instanceof` agree with `is()`, across copies of the package too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (this as unknown as { is(v: unknown): boolean }).is(value);
  }
}

export function isLlmError(value: unknown): value is LlmError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** `getModel('x')` for an id or alias nobody registered. */
export class UnknownModelError extends LlmError {
  static override readonly [KIND]: string = 'UnknownModelError';
  override readonly code = 'unknown_model';
}

/** A model needs an API key and none of the places it looks holds one. */
export class NeedsKeyError extends LlmError {
  static override readonly [KIND]: string = 'NeedsKeyError';
  override readonly code = 'needs_key';
}

/** An option that is unknown, of the wrong type, out of range or given twice. */
export class OptionsError extends LlmError {
  static override readonly [KIND]: string = 'OptionsError';
  override readonly code = 'invalid_options';
}

/** An attachment that cannot be read, typed, or sent to this model. */
export class AttachmentError extends LlmError {
  static override readonly [KIND]: string = 'AttachmentError';
  override readonly code = 'invalid_attachment';
}

/** A schema that cannot be parsed or that the model cannot use. */
export class SchemaError extends LlmError {
  static override readonly [KIND]: string = 'SchemaError';
  override readonly code = 'invalid_schema';
}

/** A file in the user directory that exists but cannot be parsed. */
export class ConfigFileError extends LlmError {
  static override readonly [KIND]: string = 'ConfigFileError';
  override readonly code = 'config_file';
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request not sent because it would pass a cost limit (`--max-cost`, a budget). */
export class CostLimitError extends LlmError {
  static override readonly [KIND]: string = 'CostLimitError';
  override readonly code = 'cost_limit';
}

/** Anything else a caller got wrong: a missing alias, a bad argument. */
export class UsageError extends LlmError {
  static override readonly [KIND]: string = 'UsageError';
  override readonly code = 'usage';
}

/** The provider answered with an HTTP error. */
export class ApiError extends LlmError {
  static override readonly [KIND]: string = 'ApiError';
  override readonly code: string = 'api_error';
  constructor(
    message: string,
    readonly status: number,
    readonly provider: string,
    readonly providerMessage?: string,
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class RateLimitError extends ApiError {
  static override readonly [KIND]: string = 'RateLimitError';
  override readonly code = 'rate_limited';
}

export class AuthenticationError extends ApiError {
  static override readonly [KIND]: string = 'AuthenticationError';
  override readonly code = 'authentication';
}

/** The provider could not be reached, or the connection dropped before any answer. */
export class ConnectionError extends LlmError {
  static override readonly [KIND]: string = 'ConnectionError';
  override readonly code = 'connection';
}

/** The stream ended before the provider said it was complete. The text so far is kept. */
export class StreamInterruptedError extends LlmError {
  static override readonly [KIND]: string = 'StreamInterruptedError';
  override readonly code = 'stream_interrupted';
  constructor(
    message: string,
    readonly partialText: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends LlmError {
  static override readonly [KIND]: string = 'AbortedError';
  override readonly code = 'aborted';
}

/** logs.db exists but cannot be used: not a database, or of a shape this version cannot read. */
export class LogsDatabaseError extends LlmError {
  static override readonly [KIND]: string = 'LogsDatabaseError';
  override readonly code = 'logs_database';
}

/** An embeddings collection that does not exist (and was not to be created). */
export class CollectionNotFoundError extends LlmError {
  static override readonly [KIND]: string = 'CollectionNotFoundError';
  override readonly code = 'collection_not_found';
}

/** An ID that is not stored in an embeddings collection. */
export class EmbeddingNotFoundError extends LlmError {
  static override readonly [KIND]: string = 'EmbeddingNotFoundError';
  override readonly code = 'embedding_not_found';
}

/** A provider request took longer than one of its timeouts (connect, idle or total). */
export class TimeoutError extends LlmError {
  static override readonly [KIND]: string = 'TimeoutError';
  override readonly code = 'timeout';
  constructor(
    message: string,
    /** Which limit: `connect`, `idle` or `total`. */
    readonly limit: 'connect' | 'idle' | 'total',
    /** True when the request had been sent (the server may have acted on it). */
    readonly sent: boolean,
  ) {
    super(message);
  }
}

/** A response body, or one streamed event, larger than the limit. */
export class ResponseTooLargeError extends LlmError {
  static override readonly [KIND]: string = 'ResponseTooLargeError';
  override readonly code = 'response_too_large';
}
