import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ClickUsageError, CliUsage, collect } from '../util.js';

export interface LogsListFlags {
  count?: string;
  database?: string;
  path?: string;
  model?: string;
  query?: string;
  fragment?: string[];
  tool?: string[];
  tools?: boolean;
  latest?: boolean;
  schema?: string;
  schemaMulti?: string;
  data?: boolean;
  dataArray?: boolean;
  dataKey?: string;
  dataIds?: boolean;
  truncate?: boolean;
  short?: boolean;
  usage?: boolean;
  response?: boolean;
  extract?: boolean;
  extractLast?: boolean;
  current?: boolean;
  cid?: string;
  idGt?: string;
  idGte?: string;
  json?: boolean;
  expand?: boolean;
  md?: boolean;
  raw?: boolean;
  pager?: boolean;
}

const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
};

async function dbPathOr(path: string | undefined): Promise<string> {
  if (path) return path;
  const { logsDbPath } = await import('../actions.js');
  return logsDbPath();
}

/** `llm logs list`: exported so it can be called directly (and tested) without the CLI. */
export async function logsList(flags: LogsListFlags): Promise<void> {
  const logs = await import('../actions.js');
  const path = await dbPathOr(flags.database ?? flags.path);
  if ((flags.database ?? flags.path) && !existsSync(path)) throw new CliUsage(`No log database found at ${path}`);
  let count = flags.count === undefined ? undefined : Number(flags.count.trim());
  if (count !== undefined && (!/^\s*[+-]?\d+\s*$/.test(flags.count!) || !Number.isSafeInteger(count))) {
    throw new ClickUsageError(`Invalid value for '-n' / '--count': '${flags.count}' is not a valid integer.`);
  }
  // As Python: 0 or less means all.
  if (count !== undefined && count < 0) count = 0;
  if (flags.short && (flags.json || flags.response)) {
    const invalid = [flags.json && '--json', flags.response && '--response'].filter(Boolean).join(' or ');
    throw new CliUsage(`Cannot use --short and ${invalid} together`);
  }
  if (flags.response && !flags.cid) flags.current = true;
  if (!existsSync(path)) {
    if (flags.json) out('[]');
    return;
  }
  const db = logs.LogsDatabase.open(path);
  try {
    let conversationId = flags.cid;
    if (flags.current && !conversationId) {
      conversationId = db.loadConversation()?.id;
      if (!conversationId) {
        if (flags.json) out('[]');
        return;
      }
    }
    if (count === undefined) count = flags.cid ? 0 : 3;
    let modelId = flags.model;
    if (modelId) {
      try {
        const { getModel } = await import('../actions.js');
        modelId = getModel(modelId).modelId;
      } catch {
        // An unknown model still filters by the name given.
      }
    }
    let schemaId: string | undefined;
    if (flags.schema || flags.schemaMulti) {
      // As Python: --schema-multi wins over --schema and is wrapped as multi; t:NAME is the
      // template's schema, an id must be one logs.db knows.
      const { schemaId: idOf, multiSchema } = await import('../actions.js');
      const { resolveSchema } = await import('../setup.js');
      const schema = flags.schemaMulti
        ? multiSchema(await resolveSchema(flags.schemaMulti, path, '--schema-multi'))
        : await resolveSchema(flags.schema!, path);
      schemaId = idOf(schema);
    }
    let fragmentHashes: string[] | undefined;
    if (flags.fragment?.length) {
      const { resolveFragments } = await import('../setup.js');
      const { fragmentHash } = await import('../actions.js');
      fragmentHashes = (await resolveFragments(flags.fragment, path)).map((f) => fragmentHash(f.content));
    }
    const rows = logs.listLogs(db, {
      count,
      model: modelId,
      query: flags.query,
      fragmentHashes,
      toolNames: flags.tool,
      anyTools: flags.tools,
      latest: flags.latest,
      conversationId,
      schemaId,
      idGt: flags.idGt,
      idGte: flags.idGte,
    });
    if (flags.data || flags.dataArray || flags.dataKey || flags.dataIds) {
      const { pythonDumps } = await import('../actions.js');
      // Python reverses the rows into reading order for everything but --data (and search).
      if (flags.data && !flags.query) rows.reverse();
      const items: unknown[] = [];
      for (const row of rows) {
        let decoded: unknown;
        try {
          decoded = JSON.parse(row.response ?? '');
        } catch {
          continue;
        }
        const fresh: unknown[] = [];
        const key = flags.dataKey;
        if (key && decoded && typeof decoded === 'object' && Array.isArray((decoded as Record<string, unknown>)[key]) && ((decoded as Record<string, unknown[]>)[key]!).every((i) => i && typeof i === 'object' && !Array.isArray(i))) {
          fresh.push(...(decoded as Record<string, unknown[]>)[key]!);
        } else fresh.push(decoded);
        if (flags.dataIds) {
          for (const item of fresh as Record<string, unknown>[]) {
            item[unusedKey(item, 'response_id')] = row.id;
            item[unusedKey(item, 'conversation_id')] = row.conversation_id;
          }
        }
        items.push(...fresh);
      }
      // As Python's output_rows_as_json: nothing at all for no items, even with --data-array.
      if (flags.dataArray) {
        if (items.length) out('[' + items.map((i) => pythonDumps(i)).join(',\n ') + ']');
      } else for (const item of items) out(pythonDumps(item));
      return;
    }
    if (flags.json || flags.usage) {
      // Costs come from the cache in logs.db (llm_ts_costs); turns not in it are priced now.
      const costs = logs.costsOf(db.db, rows.map((row) => row.id), logs.registryPricing);
      for (const row of rows) row.cost = costs.get(row.id) ?? null;
    }
    if (flags.json) {
      out(logs.renderJson(rows, flags.truncate));
      return;
    }
    if (flags.extract || flags.extractLast) {
      for (const row of rows) {
        const code = logs.extractFencedCodeBlock(row.response, flags.extractLast);
        if (code !== undefined) {
          // click.echo adds a newline after the block's own: a blank line ends it, as in Python.
          process.stdout.write(code + '\n');
          return;
        }
      }
    } else if (flags.response) {
      if (rows.length) process.stdout.write((rows[rows.length - 1]!.response ?? '') + '\n');
      return;
    }
    if (flags.truncate) {
      for (const row of rows) {
        row.prompt = logs.truncateString(row.prompt ?? '');
        row.response = logs.truncateString(row.response ?? '');
      }
    }
    if (flags.short) {
      const text = await logs.renderShort(rows, !!flags.usage);
      if (text) out(text);
      return;
    }
    const text = logs.renderMarkdown(rows, { conversationMode: !!conversationId, usage: flags.usage, expand: flags.expand });
    // On a terminal, rendered (and paged when longer than the screen); piped, as it is.
    if (text) await logs.showMarkdownDocument(text, flags);
  } finally {
    db.close();
  }
}

/** Python's find_unused_key: `conversation_id` taken, so `conversation_id_`, then `conversation_id__`. */
function unusedKey(item: Record<string, unknown>, key: string): string {
  let candidate = key;
  while (candidate in item) candidate += '_';
  return candidate;
}

export function register(program: Command): void {
  const logs = program.command('logs').description('Tools for exploring logged prompts and responses');
  logs
    .command('list', { isDefault: true })
    .description('Show logged prompts and their responses')
    .option('-n, --count <count>', 'Number of entries to show - defaults to 3, use 0 for all')
    .option('-d, --database <path>', 'Path to log database')
    .addOption(program.createOption('-p, --path <path>', 'Path to log database').hideHelp())
    .option('-m, --model <model>', 'Filter by model or model alias')
    .option('-q, --query <query>', 'Search for logs matching this string')
    .option('-f, --fragment <fragment>', 'Filter for prompts using these fragments', collect)
    .option('-T, --tool <name>', 'Filter for prompts with results from these tools', collect)
    .option('--tools', 'Filter for prompts with results from any tools')
    .option('-l, --latest', 'Return latest results matching search query')
    .option('--schema <schema>', 'JSON schema, filepath or ID')
    .option('--schema-multi <schema>', 'JSON schema used for multiple results')
    .option('--data', 'Output newline-delimited JSON data for schema')
    .option('--data-array', 'Output JSON array of data for schema')
    .option('--data-key <key>', 'Return JSON objects from array in this key')
    .option('--data-ids', 'Attach corresponding IDs to JSON objects')
    .option('-t, --truncate', 'Truncate long strings in output')
    .option('-s, --short', 'Shorter YAML output with truncated prompts')
    .option('-u, --usage', 'Include token usage')
    .option('-r, --response', 'Just output the last response')
    .option('-x, --extract', 'Extract first fenced code block')
    .option('--xl, --extract-last', 'Extract last fenced code block')
    .option('-c, --current', 'Show logs from the current conversation')
    .option('--cid, --conversation <id>', 'Show logs for this conversation ID')
    .option('--id-gt <id>', 'Return responses with ID > this')
    .option('--id-gte <id>', 'Return responses with ID >= this')
    .option('--json', 'Output logs as JSON')
    .option('-e, --expand', 'Expand fragments to show their content')
    .option('--md', 'Render as Markdown (default on a terminal)')
    .option('--no-md', 'Do not render Markdown')
    .option('--raw', 'Same as --no-md')
    .option('--no-pager', 'Do not use a pager, even when the output is longer than the screen')
    .action(async (flags: LogsListFlags & { conversation?: string }) => {
      await logsList({ ...flags, cid: flags.conversation ?? flags.cid });
    });
  logs
    .command('path')
    .description('Output the path to the logs.db file')
    .action(async () => out(await dbPathOr(undefined)));
  logs
    .command('status')
    .description('Show current status of database logging')
    .action(async () => out(await logsStatus()));
  logs
    .command('on')
    .description('Turn on logging for all prompts')
    .action(async () => {
      (await import('../actions.js')).setLogsEnabled(true);
    });
  logs
    .command('off')
    .description('Turn off logging for all prompts')
    .action(async () => {
      (await import('../actions.js')).setLogsEnabled(false);
    });
  logs
    .command('backup')
    .description('Backup your logs database to this file')
    .argument('<path>', 'Destination file')
    .action(async (target: string) => {
      out(await logsBackup(target));
    });
}


export async function logsStatus(): Promise<string> {
  const logs = await import('../actions.js');
  const path = logs.logsDbPath();
  if (!existsSync(path)) return 'No log database found at ' + path;
  const lines = [logs.logsEnabled() ? 'Logging is ON for all prompts' : 'Logging is OFF'];
  lines.push(`Found log database at ${path}`);
  const db = logs.LogsDatabase.open(path);
  try {
    const count = (sql: string) => (db.db.prepare(sql).get() as { c: number }).c;
    lines.push(`Number of threads logged:\t${count('select count(*) as c from threads')}`);
    lines.push(`Number of turns logged:\t\t${count('select count(*) as c from turns')}`);
    const conversations = count('select count(*) as c from conversations');
    const responses = count('select count(*) as c from responses');
    if (conversations || responses) {
      lines.push(`Number of legacy conversations:\t${conversations}`);
      lines.push(`Number of legacy responses:\t${responses}`);
    }
  } finally {
    db.close();
  }
  lines.push(`Database file size: \t\t${humanReadableSize(statSync(path).size)}`);
  return lines.join('\n');
}

export async function logsBackup(target: string): Promise<string> {
  const logs = await import('../actions.js');
  const path = logs.logsDbPath();
  if (!existsSync(path)) throw new CliUsage('No log database found');
  const destination = resolve(target);
  if (existsSync(destination)) throw new CliUsage(`${target} already exists`);
  const db = logs.LogsDatabase.open(path);
  try {
    db.db.prepare('vacuum into ?').run(destination);
  } finally {
    db.close();
  }
  const size = statSync(destination).size;
  return `Backed up ${size.toLocaleString('en-US')} bytes to ${destination}`;
}

/** Python's `_human_readable_size`: `0B`, else the size in the largest unit under 1024, two decimals. */
function humanReadableSize(bytes: number): string {
  if (bytes === 0) return '0B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let size = bytes;
  let i = 0;
  while (size >= 1024 && i < units.length - 1) {
    size /= 1024;
    i++;
  }
  return `${size.toFixed(2)}${units[i]}`;
}
