import type { Command } from 'commander';

export interface ServeFlags {
  host: string;
  port: string;
  token?: string;
  cors?: string;
  database?: string;
  maxBody?: string;
  timeout?: string;
}

/** `llm serve`: its code (and hono) load only when it runs. */
export function register(program: Command): void {
  program
    .command('serve')
    .description(
      `Serve models over an OpenAI-compatible API, with a web page

A web page at / chats with any model and browses the logs. Binds 127.0.0.1 unless --host says otherwise; any other address requires a bearer
token (--token, or one generated and printed). Every exchange is logged to
logs.db. Ctrl-C lets requests in flight finish (up to 5 seconds), then stops.`,
    )
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--host <host>', 'Address to bind', '127.0.0.1')
    .option('-p, --port <port>', 'Port to listen on (0 picks a free one)', '8000')
    .option('--token <token>', 'Require this bearer token on the API')
    .option('--cors <origin>', 'Allow this origin to call the API from a browser')
    .option('-d, --database <file>', 'Path to a logs.db to write and browse')
    .option('--max-body <mb>', 'Largest request body accepted, in MB', '25')
    .option('--timeout <seconds>', 'Longest a request may run', '600')
    .action(async (flags: ServeFlags) => {
      const { runServe } = await import('../serve-impl.js');
      await runServe(flags);
    });
}
