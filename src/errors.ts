/**
 * Every error this library throws on purpose extends LlmError. `isLlmError()` and each
 * class's static `is()` recognise errors by a registry-wide symbol brand rather than by
 * `instanceof`, so they also work when two copies of the package are loaded.
 */
const BRAND = Symbol.for('llm-ts.error');

export class LlmError extends Error {
  /** Stable machine-readable code, e.g. `unknown_model`. */
  readonly code: string = 'llm_error';
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  static is<T extends abstract new (...args: never[]) => LlmError>(this: T, value: unknown): value is InstanceType<T> {
    if (!isLlmError(value)) return false;
    if ((this as unknown) === LlmError) return true;
    // Walk the prototype chain by class name so copies of the package agree.
    let proto = Object.getPrototypeOf(value);
    while (proto && proto !== Object.prototype) {
      if (proto.constructor?.name === this.name) return true;
      proto = Object.getPrototypeOf(proto);
    }
    return false;
  }
}

export function isLlmError(value: unknown): value is LlmError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** `getModel('x')` for an id or alias nobody registered. */
export class UnknownModelError extends LlmError {
  override readonly code = 'unknown_model';
}

/** A model needs an API key and none of the places it looks holds one. */
export class NeedsKeyError extends LlmError {
  override readonly code = 'needs_key';
}

/** An option that is unknown, of the wrong type, out of range or given twice. */
export class OptionsError extends LlmError {
  override readonly code = 'invalid_options';
}

/** An attachment that cannot be read, typed, or sent to this model. */
export class AttachmentError extends LlmError {
  override readonly code = 'invalid_attachment';
}

/** A schema that cannot be parsed or that the model cannot use. */
export class SchemaError extends LlmError {
  override readonly code = 'invalid_schema';
}

/** A file in the user directory that exists but cannot be parsed. */
export class ConfigFileError extends LlmError {
  override readonly code = 'config_file';
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Anything else a caller got wrong: a missing alias, a bad argument. */
export class UsageError extends LlmError {
  override readonly code = 'usage';
}

/** The provider answered with an HTTP error. */
export class ApiError extends LlmError {
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
  override readonly code = 'rate_limited';
}

export class AuthenticationError extends ApiError {
  override readonly code = 'authentication';
}

/** The provider could not be reached, or the connection dropped before any answer. */
export class ConnectionError extends LlmError {
  override readonly code = 'connection';
}

/** The stream ended before the provider said it was complete. The text so far is kept. */
export class StreamInterruptedError extends LlmError {
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
  override readonly code = 'aborted';
}
