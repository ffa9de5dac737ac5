// `llm serve`: starts the server, says where it is, and stops it on Ctrl-C (or SIGTERM)
// after requests in flight finish (up to 5 s); a second Ctrl-C stops at once.
import { UsageError } from '../errors.js';
import { startServer } from '../index.js';

/** How long Ctrl-C waits for requests in flight. */
const DRAIN_MS = 5000;
import type { ServeFlags } from './commands/serve.js';

export async function runServe(flags: ServeFlags): Promise<void> {
  const port = wholeNumber(flags.port, '--port');
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  const maxBody = positiveNumber(flags.maxBody ?? '25', '--max-body');
  const timeout = positiveNumber(flags.timeout ?? '600', '--timeout');
  if (flags.cors !== undefined && !/^https?:\/\/[^/\s]+$/.test(flags.cors)) {
    throw new UsageError('--cors must be an origin such as http://localhost:3000 (scheme, host and port, no path)');
  }
  let server;
  try {
    server = await startServer({
      host: flags.host,
      port,
      token: flags.token,
      cors: flags.cors,
      database: flags.database,
      maxBodyBytes: Math.round(maxBody * 1024 * 1024),
      timeoutMs: Math.round(timeout * 1000),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Port ${port} on ${flags.host} is already in use (try --port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') {
      throw new UsageError(`Cannot listen on ${flags.host}:${port} (${code})`);
    }
    throw error;
  }
  // One write: a reader of the first line gets the token line with it.
  let banner = `Serving on ${server.url}/ (OpenAI API at ${server.url}/v1)\n`;
  if (server.tokenGenerated) banner += `Listening beyond this machine: send Authorization: Bearer ${server.token}\n`;
  process.stdout.write(`${banner}Press Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(130);
      stopping = true;
      const waiting = server.inFlight();
      if (waiting) process.stderr.write(`Stopping: waiting for ${waiting} request(s) in flight (up to ${DRAIN_MS / 1000} s)\n`);
      void server.close(DRAIN_MS).then(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function wholeNumber(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

function positiveNumber(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, not ${JSON.stringify(value)}`);
  return n;
}
