import type { RunningServer, ServeOptions } from './server.js';

export type { RunningServer, ServeOptions };

/**
 * Starts the server `llm serve` runs (the OpenAI-compatible API and the page) and resolves
 * once it listens. Its code, and hono, load on this first call.
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const server = await import('./server.js');
  return server.startServer(options);
}
