import { createRequire } from 'node:module';

/**
 * Where a URL attachment's redirects may lead. A URL the user gives is fetched wherever it
 * points; a redirect is followed onto a loopback, private or link-local address (the
 * machine itself, the local network, a cloud metadata service at 169.254.169.254) only
 * when the URL given was at an address of that same kind.
 */
export type AddressKind = 'loopback' | 'private' | 'link-local' | 'public';

const load = createRequire(import.meta.url);

function ipv4Kind(ip: string): AddressKind {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  if (a === 127 || a === 0) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
  return 'public';
}

/** The kind of one IP address (v4 or v6). */
export function addressKind(ip: string): AddressKind {
  const address = ip.replace(/^\[|\]$/g, '').toLowerCase();
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return ipv4Kind(address);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return ipv4Kind(mapped[1]!);
  if (address === '::1' || address === '::') return 'loopback';
  if (/^fe[89ab]/.test(address)) return 'link-local';
  if (/^f[cd]/.test(address)) return 'private';
  return 'public';
}

/** The least public kind among the addresses a host name resolves to. */
export async function hostKind(hostname: string): Promise<AddressKind> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const { isIP } = load('node:net') as typeof import('node:net');
  let addresses: string[];
  if (isIP(bare)) addresses = [bare];
  else {
    const { lookup } = load('node:dns/promises') as typeof import('node:dns/promises');
    try {
      addresses = (await lookup(bare, { all: true })).map((entry) => entry.address);
    } catch {
      return 'public'; // unresolvable: the fetch itself will fail
    }
  }
  const kinds = addresses.map(addressKind);
  for (const kind of ['loopback', 'link-local', 'private'] as const) if (kinds.includes(kind)) return kind;
  return 'public';
}

/** Why a redirect from a URL at `from` to one at `to` is refused, or undefined when it may be followed. */
export function redirectRefusal(from: AddressKind, to: AddressKind): string | undefined {
  if (to === 'public' || to === from) return undefined;
  return `it leads to a ${to} address and the URL given was not at one (give that URL itself to fetch it)`;
}
