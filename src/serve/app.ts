// The HTTP application: the rules of security.ts in front, then the OpenAI-compatible API
// under /v1, the page's JSON under /api, and the page itself.
import type { Context, Hono } from 'hono';
import { getDefaultModel } from '../plugins/registry.js';
import { importModule } from '../util/import-module.js';
import { chatCompletions } from './chat-completions.js';
import { embeddings } from './embeddings.js';
import { HttpError, toHttpError } from './errors.js';
import type { Gateway } from './gateway.js';
import { type LogFilter, listConversations, logFacets } from './conversation-list.js';
import { conversationView, searchTurns } from './logs-api.js';
import { modelsList } from './models-list.js';
import { pageChat } from './page-chat.js';
import { responses } from './responses-api.js';
import { COMMON_HEADERS, PAGE_CSP, type Policy, checkRequest, corsHeaders } from './security.js';
import type { Asset } from './static-assets.js';

export interface AppSettings {
  policy: Policy;
  gateway: Gateway;
  assets: Map<string, Asset>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Longest a request may run, in ms (a stream is cut off after it). */
  timeoutMs: number;
  /** Aborted when the server stops waiting for requests in flight. */
  shutdown: AbortSignal;
}

type Json = Record<string, any>;
type Handler = (body: Json, signal: AbortSignal, gateway: Gateway) => Promise<Response>;

export async function createApp(settings: AppSettings): Promise<Hono> {
  const { Hono } = await importModule<typeof import('hono')>('hono');
  const { policy, gateway } = settings;
  const app = new Hono();

  app.onError((error, c) => {
    const http = toHttpError(error);
    // The server's own failures are told on its stderr (the client gets no details).
    if (http.message === 'Internal server error') process.stderr.write(`Error: ${(error as Error)?.message ?? String(error)}\n`);
    return c.json(http.body(), http.status as 500);
  });
  app.notFound((c) => c.json(new HttpError(404, `No route for ${c.req.method} ${c.req.path}`, 'invalid_request_error', null, 'not_found').body(), 404));

  app.use('*', async (c, next) => {
    const origin = c.req.header('origin') ?? null;
    const extra = { ...COMMON_HEADERS, ...corsHeaders(policy, origin) };
    const refused = checkRequest(policy, c.req.method, c.req.path, c.req.raw.headers);
    if (refused) return c.json(refused.body(), refused.status as 403, extra);
    if (c.req.method === 'OPTIONS') return c.body(null, corsHeaders(policy, origin)['access-control-allow-origin'] ? 204 : 403, extra);
    await next();
    for (const [name, value] of Object.entries(extra)) if (!c.res.headers.has(name) || name === 'cache-control') c.res.headers.set(name, value);
  });

  const post = (path: string, handler: Handler) =>
    app.post(path, async (c) => {
      const body = await readJson(c, settings.maxBodyBytes);
      const signal = requestSignal(c, settings);
      try {
        return await handler(body, signal, gateway);
      } catch (error) {
        if ((signal.reason as Error | undefined)?.name === 'TimeoutError') {
          throw new HttpError(504, `The request took longer than the server allows (${settings.timeoutMs / 1000} s, llm serve --timeout)`, 'timeout_error');
        }
        throw error;
      }
    });
  post('/v1/chat/completions', chatCompletions);
  post('/v1/responses', responses);
  post('/v1/embeddings', (body, signal) => embeddings(body, signal));
  post('/api/chat', pageChat);
  app.get('/v1/models', (c) => c.json(modelsList()));

  app.get('/api/info', (c) => c.json({ default_model: getDefaultModel(), token_required: policy.token !== undefined }));
  const filterOf = (c: Context): LogFilter => {
    const value = (name: string) => c.req.query(name)?.trim() || undefined;
    return { model: value('model'), from: value('from'), to: value('to'), tool: value('tool') };
  };
  app.get('/api/conversations', (c) => {
    const limit = boundedInt(c.req.query('limit'), 50, 500);
    return c.json(listConversations(gateway.db(), limit, c.req.query('before') || undefined, filterOf(c)));
  });
  app.get('/api/facets', (c) => c.json(logFacets(gateway.db())));
  app.get('/api/conversations/:id', (c) => {
    const view = conversationView(gateway.db(), c.req.param('id'));
    if (!view) throw new HttpError(404, `No conversation found with id=${c.req.param('id')}`, 'invalid_request_error', null, 'not_found');
    return c.json(view);
  });
  app.get('/api/search', (c) => {
    const query = (c.req.query('q') ?? '').trim();
    if (!query) return c.json({ results: [] });
    return c.json({ results: searchTurns(gateway.db(), query, boundedInt(c.req.query('limit'), 50, 500), filterOf(c)) });
  });

  for (const [path, asset] of settings.assets) {
    app.get(path, (c) => {
      const headers: Record<string, string> = { 'content-type': asset.type };
      if (path === '/') headers['content-security-policy'] = PAGE_CSP;
      return c.body(asset.body as never, 200, headers);
    });
  }
  return app;
}

/** The request's body as a JSON object: 413 past the size bound, 400 when it is not JSON. */
async function readJson(c: Context, max: number): Promise<Json> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > max) throw tooLarge(max);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const body = c.req.raw.body;
  if (body) {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > max) throw tooLarge(max);
      chunks.push(chunk);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HttpError(400, 'The request body must be a JSON object');
  return parsed as Json;
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, `The request body is larger than ${max} bytes`, 'invalid_request_error', null, 'request_too_large');
}

/** Aborted when the client goes away, the request runs past its time, or the server stops. */
function requestSignal(c: Context, settings: AppSettings): AbortSignal {
  return AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(settings.timeoutMs), settings.shutdown]);
}

function boundedInt(value: string | undefined, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}
