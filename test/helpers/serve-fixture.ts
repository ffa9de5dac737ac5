// For the tests: a server on a free loopback port with its own user directory and logs.db.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogsDatabase, listLogs, type LogRow } from '../../src/logs/index.js';
import { type RunningServer, type ServeOptions, startServer } from '../../src/serve/server.js';

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
