// Starts and stops the server: binds (127.0.0.1 unless told otherwise, a token required
// elsewhere), counts requests in flight, and on stop lets them finish for up to a few
// seconds before cutting them off (their turns are logged as incomplete).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogsDatabase, ensureBrowseIndexes, logsDbPath } from '../logs/index.js';
import { importModule } from '../util/import-module.js';
import { createApp } from './app.js';
import { FIRST_PAGE, listConversations } from './conversation-list.js';
import { Gateway } from './gateway.js';
import { generateToken, isLoopbackHost } from './security.js';
import { defaultAssetsDir, loadAssets } from './static-assets.js';

export interface ServeOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Bearer token required on the API; generated when binding beyond loopback without one. */
  token?: string;
  /** The one origin allowed to call across origins (CORS). */
  cors?: string;
  /** logs.db to write and browse (default: the user directory's). */
  database?: string;
  maxBodyBytes?: number;
  timeoutMs?: number;
  /** Where the page's built files are (default: dist/web). */
  assetsDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  /** The token clients must send, when one is required. */
  token: string | undefined;
  /** True when the token was made up here (so the caller should show it). */
  tokenGenerated: boolean;
  inFlight(): number;
  /** Stops accepting, waits up to `drainMs` for requests in flight, then cuts them off. */
  close(drainMs?: number): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
export const DRAIN_MS = 5000;

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  let token = options.token || undefined;
  const tokenGenerated = !token && !loopback;
  if (tokenGenerated) token = generateToken();
  const database = options.database ?? logsDbPath();
  const gateway = new Gateway(() => LogsDatabase.open(database));
  // Fail now, not on the first request, when logs.db cannot be used; and add the indexes
  // the logs page walks (once per logs.db), so its first view waits for neither.
  ensureBrowseIndexes(gateway.db().db);
  // The logs page's first view read once now: its index pages are in SQLite's cache when
  // the page asks (a few ms; on 100,000 turns the first request otherwise pays ~100 ms).
  listConversations(gateway.db(), FIRST_PAGE);
  const shutdown = new AbortController();
  const app = await createApp({
    policy: { token, corsOrigin: options.cors, loopback },
    gateway,
    assets: loadAssets(options.assetsDir ?? defaultAssetsDir()),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    shutdown: shutdown.signal,
  });
  const { createAdaptorServer } = await importModule<typeof import('@hono/node-server')>('@hono/node-server');
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  let active = 0;
  server.on('request', (_req, res) => {
    active++;
    res.once('close', () => active--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    host,
    token,
    tokenGenerated,
    inFlight: () => active,
    close(drainMs = DRAIN_MS) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        const deadline = Date.now() + drainMs;
        while (active > 0 && Date.now() < deadline) {
          server.closeIdleConnections();
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        shutdown.abort();
        // Streams cut off now end (and are logged) before the connections go.
        await new Promise((resolve) => setTimeout(resolve, active > 0 ? 100 : 0));
        server.closeAllConnections();
        await closed;
        gateway.close();
      })();
      return closing;
    },
  };
}
