// For the tests: a server on a free loopback port with its own user directory and logs.db.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, beforeEach } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogsDatabase, listLogs, type LogRow } from '../../src/logs/index.js';
import { type RunningServer, type ServeOptions, startServer } from '../../src/serve/server.js';
import { type FakeServer, type Handler, startFakeServer } from '../../src/testing/provider-server.js';

export interface Served {
  server: RunningServer;
  url: string;
  dir: string;
  /** Every logged turn, oldest first. */
  logged(): LogRow[];
  close(): Promise<void>;
}

/** A user directory (LLM_USER_PATH) and a server over it; a tiny page so `/` exists. */
export async function serveForTest(options: ServeOptions = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-serve-test-'));
  const previous = process.env.LLM_USER_PATH;
  process.env.LLM_USER_PATH = dir;
  const assets = join(dir, 'web');
  mkdirSync(assets);
  writeFileSync(join(assets, 'index.html'), '<!doctype html><title>llm</title><script src="/assets/app.js"></script>');
  writeFileSync(join(assets, 'app.js'), 'document.title = "llm";');
  const server = await startServer({ port: 0, assetsDir: assets, ...options });
  return {
    server,
    url: server.url,
    dir,
    logged() {
      const db = LogsDatabase.open(join(dir, 'logs.db'));
      try {
        return listLogs(db).sort((a, b) => (a.id < b.id ? -1 : 1));
      } finally {
        db.close();
      }
    },
    async close() {
      await server.close(0);
      if (previous === undefined) delete process.env.LLM_USER_PATH;
      else process.env.LLM_USER_PATH = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServedOverUpstream {
  /** This test's server (a fresh user directory and logs.db for each test). */
  served: Served;
  /** The file's loopback fake of OpenAI, which the server's OpenAI models call. */
  upstream: FakeServer;
  /** Answers the upstream's requests; a test may set its own. */
  handler: Handler;
}

const unanswered: Handler = (_req, res) => {
  res.writeHead(500, { 'content-type': 'text/plain' });
  res.end('this test set no upstream handler');
};

/**
 * The usual setup of an `llm serve` test file whose OpenAI models call a loopback fake:
 * one upstream for the file (OPENAI_BASE_URL and OPENAI_API_KEY point at it while the file
 * runs), answering with `handler` (set back to `defaultHandler` before each test); for each
 * test a fresh server and the upstream's recorded requests forgotten.
 */
export function serveOverUpstream(apiKey: string, defaultHandler: Handler = unanswered): ServedOverUpstream {
  const fx = { handler: defaultHandler } as ServedOverUpstream;
  before(async () => {
    fx.upstream = await startFakeServer((req, res) => fx.handler(req, res));
    process.env.OPENAI_BASE_URL = fx.upstream.url;
    process.env.OPENAI_API_KEY = apiKey;
  });
  after(async () => {
    await fx.served?.close();
    await fx.upstream.close();
    delete process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_API_KEY;
  });
  beforeEach(async () => {
    await fx.served?.close();
    fx.served = await serveForTest();
    fx.upstream.requests.length = 0;
    fx.handler = defaultHandler;
  });
  return fx;
}
