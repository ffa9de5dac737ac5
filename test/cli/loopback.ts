import { after, before, beforeEach } from 'node:test';
import { type FakeServer, type Handler, startFakeServer } from '../../src/testing/provider-server.js';
import { makeUserDir, type RunOptions, type RunResult, runLlm } from './run.js';

export interface LoopbackCli {
  /** The file's loopback server (started before its first test). */
  server: FakeServer;
  /** This test's user directory. */
  user: { dir: string; cleanup: () => void };
  /** Answers the server's requests; a test may set its own. */
  handler: Handler;
  /**
   * Runs the built binary in this test's user directory with OpenAI pointed at the server
   * (OPENAI_BASE_URL, and OPENAI_API_KEY set to the file's key); `options.env` adds to or
   * overrides those (undefined removes one).
   */
  llm(args: string[], options?: RunOptions): Promise<RunResult>;
}

export interface LoopbackOptions {
  /** The OPENAI_API_KEY `llm` sends; `sk-test` unless given. */
  apiKey?: string;
}

const unanswered: Handler = (_req, res) => {
  res.writeHead(500, { 'content-type': 'text/plain' });
  res.end('this test set no handler');
};

/**
 * The usual setup of a CLI test file: one loopback server for the file, answering with
 * `cli.handler` (set back to `defaultHandler` before each test), and for each test a fresh
 * user directory and the server's recorded requests forgotten.
 */
export function loopbackCli(defaultHandler: Handler = unanswered, options: LoopbackOptions = {}): LoopbackCli {
  const cli = {
    handler: defaultHandler,
    llm: (args, run = {}) =>
      runLlm(cli.user.dir, args, { ...run, env: { OPENAI_BASE_URL: cli.server.url, OPENAI_API_KEY: options.apiKey ?? 'sk-test', ...run.env } }),
  } as LoopbackCli;
  before(async () => {
    cli.server = await startFakeServer((req, res) => cli.handler(req, res));
  });
  after(async () => {
    await cli.server.close();
    cli.user?.cleanup();
  });
  beforeEach(() => {
    cli.user?.cleanup();
    cli.user = makeUserDir();
    cli.server.requests.length = 0;
    cli.handler = defaultHandler;
  });
  return cli;
}
