import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userDir } from 'llm-ts';

/**
 * The list of models on the Ollama server, cached in `<llm user dir>/llm-ts-ollama/models.json`.
 *
 * Registration hooks are synchronous and must be cheap, so they read this file. It is
 * refreshed by `llm ollama refresh` (and `llm ollama models`), and automatically, in a
 * short-lived child process, when it is missing, was made for another OLLAMA_HOST, is
 * older than CACHE_TTL_MS, or recorded a failure more than FAILURE_TTL_MS ago.
 */
export interface CachedModel {
  name: string;
  digest: string;
  /** From /api/show: completion, vision, tools, thinking, embedding… null when unknown. */
  capabilities: string[] | null;
}

export interface ModelCache {
  host: string;
  checkedAt: number;
  models: CachedModel[];
  /** Why the last refresh failed, if it did (the models are then the last good list). */
  error?: string;
}

export const CACHE_TTL_MS = 60 * 60 * 1000;
export const FAILURE_TTL_MS = 10 * 60 * 1000;
/** How long a synchronous refresh may take; LLM_OLLAMA_REFRESH_TIMEOUT_MS overrides it. */
function syncTimeoutMs(): number {
  const fromEnv = Number(process.env.LLM_OLLAMA_REFRESH_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 5000;
}

/** OLLAMA_HOST as the ollama client reads it: scheme defaults to http, port to 11434. */
export function ollamaHost(): string {
  const raw = (process.env.OLLAMA_HOST || '').trim();
  if (!raw) return 'http://127.0.0.1:11434';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const url = new URL(withScheme);
    if (!url.port && !/:\d+(\/|$)/.test(withScheme.replace(/^[a-z]+:\/\//i, ''))) {
      if (url.protocol === 'http:') url.port = '11434';
    }
    if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return withScheme.replace(/\/+$/, '');
  }
}

export function cachePath(): string {
  return join(userDir(), 'llm-ts-ollama', 'models.json');
}

export function readCache(): ModelCache | undefined {
  try {
    const data = JSON.parse(readFileSync(cachePath(), 'utf8')) as ModelCache;
    if (typeof data.host !== 'string' || !Array.isArray(data.models)) return undefined;
    return data;
  } catch {
    return undefined;
  }
}

function writeCache(cache: ModelCache): void {
  const path = cachePath();
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(cache, null, 2) + '\n');
  renameSync(temp, path);
}

/**
 * The body of an async function of `host` that lists the server's models: GET
 * /api/tags, then POST /api/show for each model's capabilities. Kept as source text so
 * the very same code runs in-process (refresh command) and in the child process of a
 * synchronous refresh.
 */
const LIST_MODELS_BODY = `
  const call = async (path, init) => {
    const response = await fetch(host + path, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      let message = response.statusText;
      try { const body = await response.json(); message = body.error || message; } catch {}
      throw new Error('HTTP ' + response.status + ': ' + message);
    }
    return response.json();
  };
  const tags = await call('/api/tags');
  const list = Array.isArray(tags.models) ? tags.models : [];
  return Promise.all(list.map(async (model) => {
    const name = model.model || model.name;
    let capabilities = null;
    try {
      const shown = await call('/api/show', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: name }),
      });
      if (Array.isArray(shown.capabilities)) capabilities = shown.capabilities;
    } catch {}
    return { name, digest: String(model.digest || ''), capabilities };
  }));
`;

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (host: string, timeoutMs: number) => Promise<CachedModel[]>;
const listModelsAt = new AsyncFunction('host', 'timeoutMs', LIST_MODELS_BODY);

function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}

function saveResult(host: string, models: CachedModel[] | undefined, error: string | undefined): ModelCache {
  const previous = readCache();
  const cache: ModelCache = {
    host,
    checkedAt: Date.now(),
    models: models ?? (previous?.host === host ? previous.models : []),
  };
  if (error) cache.error = error;
  writeCache(cache);
  memo = undefined;
  return cache;
}

/** Asks the server for its models now and rewrites the cache; the cache says whether it failed. */
export async function refreshModelCache(): Promise<ModelCache> {
  const host = ollamaHost();
  try {
    return saveResult(host, await listModelsAt(host, syncTimeoutMs()), undefined);
  } catch (error) {
    return saveResult(host, undefined, describeFailure(error));
  }
}

/** The same refresh, done synchronously in a child process (registration cannot await). */
export function refreshModelCacheSync(): ModelCache {
  const host = ollamaHost();
  const script =
    `const host = process.argv[1];` +
    `(async (host, timeoutMs) => {${LIST_MODELS_BODY}})(host, Number(process.argv[2]))` +
    `.then((models) => process.stdout.write(JSON.stringify({ models })))` +
    `.catch((e) => process.stdout.write(JSON.stringify({ error: (e.cause && e.cause.code) || e.message })));`;
  let result: { models?: CachedModel[]; error?: string };
  const timeout = syncTimeoutMs();
  try {
    const output = execFileSync(process.execPath, ['-e', script, host, String(Math.max(100, timeout - 500))], {
      encoding: 'utf8',
      timeout,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    result = JSON.parse(output) as typeof result;
  } catch (error) {
    result = { error: describeFailure(error) };
  }
  return saveResult(host, result.models, result.error);
}

let memo: { key: string; cache: ModelCache } | undefined;

/** The cached list, refreshed first if it is missing, for another host, or stale. */
export function currentModels(now = Date.now()): CachedModel[] {
  const host = ollamaHost();
  const key = `${cachePath()}\n${host}`;
  if (memo?.key === key && now - memo.cache.checkedAt <= (memo.cache.error ? FAILURE_TTL_MS : CACHE_TTL_MS)) {
    return memo.cache.models;
  }
  let cache = readCache();
  const stale =
    !cache ||
    cache.host !== host ||
    now - cache.checkedAt > (cache.error ? FAILURE_TTL_MS : CACHE_TTL_MS);
  if (stale) cache = refreshModelCacheSync();
  memo = { key, cache: cache! };
  return cache!.models;
}
