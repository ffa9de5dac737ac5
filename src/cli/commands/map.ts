// llm map: one prompt over every row of a dataset, live (in parallel) or through a provider's Batch API.
import type { Command } from 'commander';
import { collect } from '../util.js';

export interface MapFlags {
  prompt?: string;
  template?: string;
  param?: string[];
  system?: string;
  model?: string;
  option?: string[];
  schema?: string;
  schemaMulti?: string;
  format?: string;
  sql?: string;
  keyColumn?: string;
  attachmentColumn?: string;
  fragment?: string[];
  systemFragment?: string[];
  parallel?: string;
  rpm?: string;
  tpm?: string;
  batch?: boolean;
  wait?: boolean;
  interval?: string;
  output?: string;
  outputTable?: string;
  retryFailed?: boolean;
  database?: string;
  key?: string;
  quiet?: boolean;
  json?: boolean;
}

const HELP = `Run a prompt over every row of a dataset

INPUT is a CSV, TSV, JSON or JSONL file, - for standard input, or a SQLite
file with --sql. Each row fills in the prompt's $column variables; every answer
is logged to logs.db as a normal turn. Answers are printed as JSON lines (key,
response) unless --output names a file.

Running the same command again resumes the job: rows already answered (same
model, options and filled-in prompt) are never sent twice.

Examples:

    llm map reviews.csv --prompt 'Sentiment of: $text' -m gpt-4o-mini
    llm map reviews.csv --prompt 'Sentiment of: $text' --parallel 16 --rpm 3000
    llm map reviews.csv -t sentiment --output results.csv
    llm map data.db --sql 'select id, body as text from posts' --prompt '$text' \\
        --output-table summaries
    llm map reviews.csv --prompt '$text' --batch      # OpenAI's Batch API
    llm map wait JOB_ID`;

export function register(program: Command): void {
  const map = program.command('map').description('Run a prompt over every row of a dataset, in parallel or as a batch');
  map
    .command('run', { isDefault: true })
    .summary('Run a prompt over every row of a dataset')
    .description(HELP)
    .argument('[input]', 'Input file, - for stdin, or a SQLite file with --sql')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--prompt <text>', 'Prompt with $column variables')
    .option('-t, --template <name>', 'Template to use (its $variables are filled from each row)')
    .option('-p, --param <key value>', 'Parameters for template', collect)
    .option('-s, --system <text>', 'System prompt to use ($column variables allowed)')
    .addOption(program.createOption('-m, --model <model>', 'Model to use').env('LLM_MODEL'))
    .option('-o, --option <key value>', 'key/value options for the model', collect)
    .option('--schema <text>', 'JSON schema, filepath or ID')
    .option('--schema-multi <text>', 'JSON schema to use for multiple results')
    .option('--format <format>', 'Input format: json, nl, csv, tsv or lines (default: detected)')
    .option('--sql <sql>', 'Read rows from INPUT (a SQLite file) with this query')
    .option('--key-column <column>', 'Column naming each row (default: id, else the row number)')
    .option('--attachment-column <column>', "Column with a path or URL to attach to each row's prompt")
    .option('-f, --fragment <fragment>', 'Fragment (alias, URL, hash or file path) to add to every prompt', collect)
    .option('--sf, --system-fragment <fragment>', 'Fragment to add to every system prompt', collect)
    .option('--parallel <n>', 'Requests in flight at once', '4')
    .option('--rpm <n>', 'At most this many requests a minute')
    .option('--tpm <n>', 'At most this many tokens a minute')
    .option('--batch', "Send the rows through the provider's Batch API")
    .option('--wait', 'With --batch: wait until every batch has finished')
    .option('--interval <seconds>', 'With --wait: seconds between status checks', '30')
    .option('--output <file>', 'Write the results to a .jsonl, .json, .csv or .tsv file')
    .option('--output-table <table>', 'With --sql: write the results into this table of INPUT')
    .option('--retry-failed', 'Send rows that failed in an earlier run again')
    .option('-d, --database <file>', 'Path to log database')
    .option('--key <key>', 'API key to use')
    .option('-q, --quiet', 'No progress on stderr')
    .action(async (input: string | undefined, flags: MapFlags) => {
      const { runMap } = await import('../actions.js');
      await runMap(input, flags);
    });
  map
    .command('status')
    .description('Show where a job stands (asks the provider about its batches)')
    .argument('<id>', 'Job ID')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--json', 'Output as JSON')
    .option('-d, --database <file>', 'Path to log database')
    .option('--key <key>', 'API key to use')
    .action(async (id: string, flags: MapFlags) => {
      const { mapStatus } = await import('../actions.js');
      await mapStatus(id, flags);
    });
  map
    .command('wait')
    .description("Wait for a batch job's batches to finish, then log their answers")
    .argument('<id>', 'Job ID')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--interval <seconds>', 'Seconds between status checks', '30')
    .option('--output <file>', 'Write the results to a .jsonl, .json, .csv or .tsv file')
    .option('-d, --database <file>', 'Path to log database')
    .option('--key <key>', 'API key to use')
    .option('-q, --quiet', 'No progress on stderr')
    .action(async (id: string, flags: MapFlags) => {
      const { mapWait } = await import('../actions.js');
      await mapWait(id, flags);
    });
  map
    .command('resume')
    .description('Carry on with a job: send its unanswered rows (or collect its batches)')
    .argument('<id>', 'Job ID')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--parallel <n>', 'Requests in flight at once', '4')
    .option('--rpm <n>', 'At most this many requests a minute')
    .option('--tpm <n>', 'At most this many tokens a minute')
    .option('--retry-failed', 'Send rows that failed before again')
    .option('--wait', 'For a batch job: wait until every batch has finished')
    .option('--interval <seconds>', 'With --wait: seconds between status checks', '30')
    .option('--output <file>', 'Write the results to a .jsonl, .json, .csv or .tsv file')
    .option('-d, --database <file>', 'Path to log database')
    .option('--key <key>', 'API key to use')
    .option('-q, --quiet', 'No progress on stderr')
    .action(async (id: string, flags: MapFlags) => {
      const { mapResume } = await import('../actions.js');
      await mapResume(id, flags);
    });
  map
    .command('errors')
    .description("List a job's failed rows and why they failed")
    .argument('<id>', 'Job ID')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('-d, --database <file>', 'Path to log database')
    .action(async (id: string, flags: MapFlags) => {
      const { mapErrors } = await import('../actions.js');
      await mapErrors(id, flags);
    });
  map
    .command('list')
    .description('List map jobs, newest first')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--json', 'Output as JSON')
    .option('-d, --database <file>', 'Path to log database')
    .action(async (flags: MapFlags) => {
      const { mapList } = await import('../actions.js');
      await mapList(flags);
    });
}
