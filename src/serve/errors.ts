import {
  ApiError,
  AttachmentError,
  AuthenticationError,
  NeedsKeyError,
  OptionsError,
  RateLimitError,
  SchemaError,
  UnknownModelError,
  UsageError,
  isLlmError,
} from '../errors.js';

/** An error answered as OpenAI answers one: `{"error": {message, type, param, code}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/**
 * The HTTP error for anything a request ran into. A library error a client can cause keeps
 * its one-line message; anything else becomes a plain 500 whose message says nothing about
 * the server's insides (no stack, no paths).
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (UnknownModelError.is(error)) return new HttpError(404, (error as Error).message, 'invalid_request_error', 'model', 'model_not_found');
  if (OptionsError.is(error) || SchemaError.is(error) || AttachmentError.is(error) || UsageError.is(error)) {
    return new HttpError(400, (error as Error).message);
  }
  if (NeedsKeyError.is(error)) return new HttpError(400, (error as Error).message, 'invalid_request_error', null, 'missing_api_key');
  if (RateLimitError.is(error)) return new HttpError(429, (error as Error).message, 'rate_limit_error');
  if (AuthenticationError.is(error)) return new HttpError(502, (error as Error).message, 'upstream_error', null, 'upstream_authentication');
  if (ApiError.is(error)) {
    // The provider refused what the client asked for (not our key): the client's status.
    const status = (error as ApiError).status;
    return new HttpError(status >= 400 && status < 500 ? status : 502, (error as Error).message, 'upstream_error');
  }
  if (isLlmError(error)) return new HttpError(500, (error as Error).message, 'server_error');
  return new HttpError(500, 'Internal server error', 'server_error');
}

/** The JSON body of an error, for a client. */
export function errorJson(error: unknown): string {
  return JSON.stringify(toHttpError(error).body());
}
