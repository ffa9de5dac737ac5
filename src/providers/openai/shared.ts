import { ApiError, isLlmError, StreamInterruptedError } from '../../errors.js';
import type { Timeouts } from '../../streaming/limits.js';
import type { Attachment } from '../../models/attachment.js';
import { providerFetch } from '../../streaming/http.js';
import type { HttpResponse } from '../../streaming/transport.js';
import type { OpenAIModelConfig } from './models.js';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The model's api_base, else OPENAI_BASE_URL, else api.openai.com. No trailing slash. */
export function baseUrl(config: Pick<OpenAIModelConfig, 'apiBase'>): string {
  const base = config.apiBase || process.env.OPENAI_BASE_URL || DEFAULT_BASE_URL;
  return base.endsWith('/') ? base.slice(0, -1) : base;
}

export function requestHeaders(key: string | undefined, extra?: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (extra) for (const [name, value] of Object.entries(extra)) headers[name] = String(value);
  return headers;
}

/** POSTs JSON with the shared retry rules; resolves with the OK response. */
export function postJson(
  url: string,
  body: Record<string, unknown>,
  options: { key: string | undefined; headers?: Record<string, string>; signal?: AbortSignal; timeouts?: Timeouts },
): Promise<HttpResponse> {
  return providerFetch(
    url,
    { method: 'POST', headers: requestHeaders(options.key, options.headers), body: JSON.stringify(body), timeouts: options.timeouts },
    { provider: 'OpenAI', secrets: [options.key], signal: options.signal },
  );
}

const INTERRUPTED = 'the connection closed before the response was complete';

/**
 * The error for a stream that ended early. A limit of ours that ended it (a timeout, an
 * event too large) is named as it is; anything else is a closed connection.
 */
export function interrupted(cause?: unknown): StreamInterruptedError {
  const reason = isLlmError(cause) ? cause.message : cause instanceof Error ? `${INTERRUPTED} (${cause.message})` : INTERRUPTED;
  return new StreamInterruptedError(reason, '', { cause });
}

/**
 * A streaming request answered with an HTML page (a proxy's login or error page, a web
 * server at the wrong address): says so, with the start of the page's text, rather than
 * reading it as an event stream that never completes.
 */
export async function refuseHtml(response: HttpResponse): Promise<void> {
  if (!/\btext\/html\b/i.test(response.headers.get('content-type') ?? '')) return;
  const page = await response.text().catch(() => '');
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(page)?.[1];
  const text = (title ?? page.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  throw new ApiError(
    `OpenAI answered with an HTML page instead of an event stream (HTTP ${response.status}${text ? `: ${text}` : ''}); check the model's api_base`,
    response.status,
    'OpenAI',
  );
}

/** Reads a JSON body, turning a non-JSON answer into a clear error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(response: HttpResponse, what: string): Promise<Record<string, any>> {
  const text = await response.text();
  try {
    const value = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  if (!text.trim()) throw new ApiError(`OpenAI API returned an empty ${what} (HTTP ${response.status})`, response.status, 'OpenAI');
  throw new ApiError(`OpenAI API returned a ${what} that is not a JSON object: ${text.slice(0, 200)}`, response.status, 'OpenAI');
}

/** The request body with its top-level keys in alphabetical order, as the Python SDK sends them. */
export function sortedBody(body: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(body).sort()) if (body[name] !== undefined) sorted[name] = body[name];
  return sorted;
}

/** Python's `remove_dict_none_values`: drops nulls, and dicts left empty by that; lists are mapped. */
export function removeNullValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(removeNullValues);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === null || item === undefined) continue;
    if (typeof item === 'object' && !Array.isArray(item)) {
      const nested = removeNullValues(item) as Record<string, unknown>;
      if (Object.keys(nested).length) result[name] = nested;
    } else {
      result[name] = removeNullValues(item);
    }
  }
  return result;
}

function isZeroish(value: unknown): boolean {
  // Python's `v != 0` is also false for False and 0.0.
  return value === 0 || value === false;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** Python's `simplify_usage_dict`: drops zeros, nulls and empty objects, recursively. */
export function simplifyUsage(value: Record<string, unknown>): Record<string, unknown> {
  const clean = (obj: unknown): unknown => {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return obj;
    const result: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(obj as Record<string, unknown>)) {
      if (isZeroish(item) || isEmptyObject(item)) continue;
      const cleaned = clean(item);
      if (cleaned === null || cleaned === undefined || isEmptyObject(cleaned)) continue;
      result[name] = cleaned;
    }
    return result;
  };
  return clean(value) as Record<string, unknown>;
}

export async function dataUrl(attachment: Attachment, type: string, signal?: AbortSignal): Promise<string> {
  return `data:${type};base64,${await attachment.base64Content(signal)}`;
}

/** One attachment as a Chat Completions content part. */
export async function chatAttachment(
  attachment: Attachment,
  imageDetail: string | undefined,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const type = await attachment.resolveType(signal);
  if (type === 'application/pdf') {
    return {
      type: 'file',
      file: { filename: `${await attachment.id()}.pdf`, file_data: await dataUrl(attachment, type, signal) },
    };
  }
  if (type.startsWith('image/')) {
    const imageUrl: Record<string, unknown> = { url: attachment.url ?? (await dataUrl(attachment, type, signal)) };
    if (imageDetail) imageUrl.detail = imageDetail;
    return { type: 'image_url', image_url: imageUrl };
  }
  return {
    type: 'input_audio',
    input_audio: { data: await attachment.base64Content(signal), format: type === 'audio/wav' ? 'wav' : 'mp3' },
  };
}

/** One attachment as a Responses API content part. */
export async function responsesAttachment(
  attachment: Attachment,
  imageDetail: string | undefined,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const type = await attachment.resolveType(signal);
  if (type === 'application/pdf') {
    return { type: 'input_file', filename: `${await attachment.id()}.pdf`, file_data: await dataUrl(attachment, type, signal) };
  }
  const url = attachment.url && !type.startsWith('audio/') ? attachment.url : await dataUrl(attachment, type, signal);
  const item: Record<string, unknown> = { type: 'input_image', image_url: url };
  if (imageDetail && type.startsWith('image/')) item.detail = imageDetail;
  return item;
}

/** The options that are ours, not the API's: removed before the rest are sent. */
export function apiOptions(options: Readonly<Record<string, unknown>>, drop: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === null || value === undefined || drop.includes(name)) continue;
    result[name] = value;
  }
  return result;
}
