// The server's rules, as pure functions over a request's method and headers: who may call
// (bearer token), from where (same origin, or the one --cors origin), through which host
// name (loopback names only when bound to loopback: no DNS rebinding), and the headers
// every answer carries.
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { HttpError } from './errors.js';

export interface Policy {
  /** Required as `Authorization: Bearer <token>` on /v1 and /api when set. */
  token: string | undefined;
  /** The one other origin allowed to call (CORS and state-changing requests). */
  corsOrigin: string | undefined;
  /** Bound to a loopback address: only loopback host names are answered. */
  loopback: boolean;
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** A token for a bind that other machines can reach, when none is given. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Headers = { get(name: string): string | null };

/** The first rule a request breaks, as the error to answer with; undefined when it breaks none. */
export function checkRequest(policy: Policy, method: string, path: string, headers: Headers): HttpError | undefined {
  const host = headers.get('host') ?? '';
  if (policy.loopback && !isLoopbackHost(host.replace(/:\d+$/, ''))) {
    return new HttpError(403, 'This server answers only to localhost host names', 'permission_error', null, 'bad_host');
  }
  const origin = headers.get('origin');
  const allowedOrigin = origin !== null && policy.corsOrigin !== undefined && origin === policy.corsOrigin;
  if (!SAFE_METHODS.has(method)) {
    const sameOrigin = origin === null || origin === `http://${host}` || origin === `https://${host}`;
    const site = headers.get('sec-fetch-site');
    if ((!sameOrigin && !allowedOrigin) || (site === 'cross-site' && !allowedOrigin)) {
      return new HttpError(403, 'Cross-site requests are not allowed', 'permission_error', null, 'cross_site_request');
    }
    const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return new HttpError(415, 'Request bodies must be JSON (Content-Type: application/json)', 'invalid_request_error', null, 'unsupported_media_type');
    }
  }
  if (policy.token !== undefined && (path.startsWith('/v1/') || path.startsWith('/api/')) && method !== 'OPTIONS') {
    const given = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1]?.trim();
    if (given === undefined || !sameSecret(given, policy.token)) {
      return new HttpError(401, 'Missing or invalid bearer token (Authorization: Bearer <token>)', 'invalid_request_error', null, 'invalid_api_key');
    }
  }
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** CORS headers for a request from `origin`: only for the --cors origin. */
export function corsHeaders(policy: Policy, origin: string | null): Record<string, string> {
  if (origin === null || policy.corsOrigin === undefined || origin !== policy.corsOrigin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

/** The page's policy: its own scripts, styles and API only; never framed. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers on every answer. */
export const COMMON_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};
