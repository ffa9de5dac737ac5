// `llm fragments list|set|show|remove|loaders`: the fragments stored in logs.db.
import { UsageError } from '../errors.js';
import { FRAGMENT_ALIAS, LogsDatabase, listFragments, logsDbPath, pythonDumps, removeFragmentAlias, setFragmentAlias, truncateString } from '../logs/index.js';
import { importModule } from '../util/import-module.js';
import { resolveFragments } from './setup.js';

function checkAlias(alias: string): void {
  if (!FRAGMENT_ALIAS.test(alias)) throw new UsageError("Invalid value for 'ALIAS': Fragment alias must be alphanumeric");
}

/** Python's listing: one YAML list item per fragment (content truncated), or `--json`. */
export async function fragmentsList(flags: { query?: string[]; aliases?: boolean; json?: boolean }): Promise<void> {
  const store = LogsDatabase.open(logsDbPath());
  let rows;
  try {
    rows = listFragments(store, { queries: flags.query, aliasesOnly: flags.aliases });
  } finally {
    store.close();
  }
  if (flags.json) {
    process.stdout.write(`${pythonDumps(rows, 4)}\n`);
    return;
  }
  const YAML = await importModule<typeof import('yaml')>('yaml');
  for (const row of rows) {
    const shown = { ...row, content: truncateString(row.content) };
    const text = YAML.stringify([shown], { version: '1.1', indentSeq: false, lineWidth: 0, singleQuote: true, blockQuote: 'literal' });
    process.stdout.write(`${text.trim()}\n`);
  }
}

/** Points `alias` at a fragment given as a file, URL, hash, alias or `-`. */
export async function fragmentsSet(alias: string, value: string): Promise<void> {
  checkAlias(alias);
  const path = logsDbPath();
  const [fragment] = await resolveFragments([value], path);
  const store = LogsDatabase.open(path);
  try {
    setFragmentAlias(store, alias, fragment!);
  } finally {
    store.close();
  }
}

export async function fragmentsShow(aliasOrHash: string): Promise<void> {
  const [fragment] = await resolveFragments([aliasOrHash], logsDbPath());
  process.stdout.write(`${fragment!.content}\n`);
}

export function fragmentsRemove(alias: string): void {
  checkAlias(alias);
  const store = LogsDatabase.open(logsDbPath());
  try {
    removeFragmentAlias(store, alias);
  } finally {
    store.close();
  }
}
