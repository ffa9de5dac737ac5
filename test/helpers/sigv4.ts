import { createHash, createHmac } from 'node:crypto';
import type { RecordedRequest } from '../../src/testing/provider-server.ts';

/**
 * Checks a request's AWS SigV4 signature the way AWS does: recomputes it from the request
 * as received and the secret key. Returns why it does not match, or undefined.
 */
export interface SigV4Expect {
  accessKey: string;
  secret: string;
  region: string;
  service: string;
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical query string: each name and value decoded, re-encoded per RFC 3986, sorted. */
function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
      const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, '%20'));
      return `${rfc3986(name)}=${rfc3986(value)}`;
    })
    .sort()
    .join('&');
}

export function sigV4Problem(req: RecordedRequest, expect: SigV4Expect): string | undefined {
  const auth = String(req.headers.authorization ?? '');
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!match) return `not a SigV4 Authorization header: ${auth}`;
  const [, accessKey, date, region, service, signedHeaders, signature] = match;
  if (accessKey !== expect.accessKey) return `access key ${accessKey}`;
  if (region !== expect.region || service !== expect.service) return `scope ${region}/${service}`;
  if (!signedHeaders!.split(';').includes('host')) return 'the host header is not signed';
  const amzDate = String(req.headers['x-amz-date']);
  const [path, query = ''] = req.path.split('?');
  const uri = rfc3986(path!.replace(/\/+/g, '/')).replace(/%2F/g, '/');
  const canonicalHeaders = signedHeaders!
    .split(';')
    .map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonical = [req.method, uri, canonicalQuery(query), canonicalHeaders, signedHeaders, sha256(req.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${expect.secret}`, date!), region!), service!), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  return expected === signature ? undefined : 'signature does not match';
}
