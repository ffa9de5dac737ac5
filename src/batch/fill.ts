import { createHash } from '../util/builtins.js';
import { interpolate } from '../config/templates.js';
import { UsageError } from '../errors.js';
import { pythonDumps } from '../logs/json.js';

export type Row = Record<string, unknown>;

/** The prompt (and system prompt) every row fills in: `$column` or `${column}` variables. */
export interface RowTemplate {
  prompt?: string;
  system?: string;
  /** Values used where a row has no such column (a template's `defaults:`). */
  defaults?: Record<string, unknown>;
}

export interface FilledRow {
  key: string;
  prompt: string;
  system?: string;
  attachments?: string[];
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The key a row is known by in the job and in the output: the `keyColumn` value, else the
 * row's `id`, else its 1-based position.
 */
export function rowKey(row: Row, index: number, keyColumn?: string): string {
  if (keyColumn !== undefined) {
    if (!(keyColumn in row)) throw new UsageError(`Row ${index + 1} has no column '${keyColumn}' for --key`);
    return cellText(row[keyColumn]);
  }
  if ('id' in row && row.id !== null && row.id !== undefined) return cellText(row.id);
  return String(index + 1);
}

/** Fills the template with one row. A variable the row lacks is a one-line error naming it and the row. */
export function fillRow(template: RowTemplate, row: Row, index: number, keyColumn?: string, attachmentColumn?: string): FilledRow {
  const values: Record<string, unknown> = { ...(template.defaults ?? {}) };
  for (const [name, value] of Object.entries(row)) values[name] = cellText(value);
  const key = rowKey(row, index, keyColumn);
  let prompt: string | undefined;
  let system: string | undefined;
  try {
    prompt = interpolate(template.prompt, values);
    system = interpolate(template.system, values);
  } catch (error) {
    throw new UsageError(`Row ${index + 1} (key ${key}): ${(error as Error).message}`);
  }
  const filled: FilledRow = { key, prompt: prompt ?? '', system };
  if (attachmentColumn !== undefined) {
    if (!(attachmentColumn in row)) throw new UsageError(`Row ${index + 1} (key ${key}) has no column '${attachmentColumn}' for attachments`);
    // One path or URL, or several separated by newlines; an empty cell attaches nothing.
    filled.attachments = cellText(row[attachmentColumn]).split(/\r?\n/).map((v) => v.trim()).filter(Boolean);
  }
  return filled;
}

/**
 * What makes two requests the same: model, options, schema and the filled-in prompts.
 * Rows with a hash already answered are not sent again.
 */
export function requestHash(parts: {
  model: string;
  options?: Record<string, unknown>;
  schema?: Record<string, unknown> | null;
  prompt: string;
  system?: string;
  attachments?: string[];
  fragments?: readonly { content: string }[];
  systemFragments?: readonly { content: string }[];
}): string {
  const canonical = pythonDumps({
    model: parts.model,
    options: sortKeys(parts.options ?? {}),
    schema: parts.schema ?? null,
    prompt: parts.prompt,
    system: parts.system ?? null,
    attachments: parts.attachments ?? [],
    fragments: (parts.fragments ?? []).map((f) => f.content),
    system_fragments: (parts.systemFragments ?? []).map((f) => f.content),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]));
}

/** A job's id: the same model, spec and rows give the same id, so running a command again resumes it. */
export function jobId(model: string, specJson: string, rowHashes: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(model).update('\0').update(specJson).update('\0');
  for (const h of rowHashes) hash.update(h);
  return hash.digest('hex').slice(0, 16);
}
