// `llm schemas list|show`. Reads the schemas used by turns in both generations of tables.
import { UsageError } from '../errors.js';
import { LogsDatabase, logsDbPath, pythonDumps } from '../logs/index.js';

interface Row {
  id: string;
  content: string;
  times_used: number;
  most_recent: string | null;
}

type Db = LogsDatabase['db'];

function openDb(path: string): LogsDatabase {
  return LogsDatabase.open(path);
}

function tableExists(db: Db, name: string): boolean {
  return Boolean(db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name));
}

/** Python's `schema_summary`: `{name, age, items: [{title}]}`. */
export function schemaSummary(schema: unknown): string {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return '';
  const s = schema as Record<string, unknown>;
  if (s.type === 'object') {
    const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
    const parts = Object.entries(props).map(([name, prop]) => {
      if (prop?.type === 'array') return `${name}: [${schemaSummary(prop.items ?? {})}]`;
      if (prop?.type === 'object') return `${name}: ${schemaSummary(prop)}`;
      return name;
    });
    return `{${parts.join(', ')}}`;
  }
  if (s.type === 'array') return schemaSummary(s.items ?? {});
  return '';
}

export async function listSchemas(flags: { database?: string; query?: string[]; full?: boolean; json?: boolean; nl?: boolean }): Promise<void> {
  const store = openDb(flags.database ?? logsDbPath());
  const db = store.db;
  try {
    const uses = ['responses', 'turns']
      .filter((t) => tableExists(db, t))
      .map((t) => `select schema_id, datetime_utc from ${t} where schema_id is not null`)
      .join(' union all ');
    const where = (flags.query ?? []).map(() => 'schemas.content like ?').join(' and ');
    const sql = `with uses as (${uses || 'select null as schema_id, null as datetime_utc where 0'})
      select schemas.id as id, schemas.content as content, count(*) as times_used, max(uses.datetime_utc) as most_recent
      from schemas join uses on uses.schema_id = schemas.id
      ${where ? `where ${where}` : ''}
      group by schemas.id order by most_recent`;
    const rows = db.prepare(sql).all(...(flags.query ?? []).map((q) => `%${q}%`)) as Row[];
    if (flags.json || flags.nl) {
      // Python's keys and layout (output_rows_as_json): the content parsed; nothing at all for no rows.
      const items = rows.map((r) => ({ id: r.id, content: JSON.parse(r.content), recently_used: r.most_recent, times_used: r.times_used }));
      if (!items.length) return;
      if (flags.nl) process.stdout.write(items.map((i) => pythonDumps(i) + '\n').join(''));
      else process.stdout.write('[\n' + items.map((i) => indent(pythonDumps(i, 2), 2)).join(',\n') + '\n]\n');
      return;
    }
    const blocks = rows.map((r) => {
      const schema = JSON.parse(r.content);
      let text = `- id: ${r.id}\n`;
      if (flags.full) text += `  schema: |\n${indent(JSON.stringify(schema, null, 2), 4)}\n`;
      else text += `  summary: |\n    ${schemaSummary(schema)}\n`;
      text += `  usage: |\n    ${r.times_used} time${r.times_used === 1 ? '' : 's'}, most recently ${r.most_recent}`;
      return text;
    });
    if (blocks.length) process.stdout.write(blocks.join('\n') + '\n');
  } finally {
    store.close();
  }
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

export async function showSchema(id: string, database?: string): Promise<void> {
  const store = openDb(database ?? logsDbPath());
  const db = store.db;
  try {
    const row = db.prepare('select content from schemas where id = ?').get(id) as { content: string } | undefined;
    if (!row) throw new UsageError('Invalid schema ID');
    process.stdout.write(JSON.stringify(JSON.parse(row.content), null, 2) + '\n');
  } finally {
    store.close();
  }
}
