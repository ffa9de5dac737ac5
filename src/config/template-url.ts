// `llm -t https://.../prompt.yaml`: a template fetched over HTTP(S), as Python's
// load_template does, but bounded in size and time.
import { LlmError } from '../errors.js';

declare const __LLM_VERSION__: string;

export interface FetchLimits {
  /** The whole request, headers and body. */
  timeoutMs?: number;
  maxBytes?: number;
}

export const TEMPLATE_URL_TIMEOUT_MS = 10_000;
export const TEMPLATE_URL_MAX_BYTES = 1024 * 1024;

/** True for a template name that is a URL. */
export function isTemplateUrl(name: string): boolean {
  return /^https?:\/\//.test(name);
}

/**
 * The text at `url`. A 4xx/5xx answer, a timeout, a body over the size limit or a network
 * failure is one error: `Could not load template <url>: <why>` (the why of an HTTP error
 * is httpx's first line, as Python prints it).
 */
export async function fetchTemplateText(url: string, limits: FetchLimits = {}): Promise<string> {
  const timeoutMs = limits.timeoutMs ?? TEMPLATE_URL_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? TEMPLATE_URL_MAX_BYTES;
  const fail = (why: string): never => {
    throw new LlmError(`Could not load template ${url}: ${why}`);
  };
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => fail(`no answer within ${timeoutMs / 1000} s`);
  let response: globalThis.Response;
  try {
    response = await fetch(url, {
      headers: { 'user-agent': `llm/${typeof __LLM_VERSION__ === 'string' ? __LLM_VERSION__ : '0'} (https://llm.datasette.io/)` },
      signal,
    });
  } catch (error) {
    if (signal.aborted) return timedOut();
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return fail(cause?.code ?? cause?.message ?? (error as Error).message);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    const kind = response.status >= 500 ? 'Server error' : response.status >= 400 ? 'Client error' : 'Redirect response';
    return fail(`${kind} '${response.status} ${response.statusText}' for url '${url}'`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return fail(`larger than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += (chunk as Uint8Array).byteLength;
      if (size > maxBytes) {
        await response.body?.cancel().catch(() => {});
        return fail(`larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Uint8Array);
    }
  } catch (error) {
    if (LlmError.is(error)) throw error;
    if (signal.aborted) return timedOut();
    return fail((error as Error).message);
  }
  return Buffer.concat(chunks).toString('utf8');
}
