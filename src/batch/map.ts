import { LogsDatabase } from '../logs/database.js';
import type { Model } from '../models/model.js';
import type { Fragment } from '../models/prompt.js';
import { type SchemaInput, toJsonSchema } from '../models/schema.js';
import { type Row, type RowTemplate, fillRow, jobId, requestHash } from './fill.js';
import { type Job, type JobMode, JobStore } from './job-store.js';
import { type MapResult, type RunOptions, runLocal } from './run-local.js';

export interface MapOptions extends RunOptions {
  /** The prompt each row fills in (`$column`), or a template's prompt, system and defaults. */
  template: RowTemplate | string;
  /** The column whose value names each row (default: `id`, else the row's position). */
  keyColumn?: string;
  /** A column holding a path or URL (or several, one per line) to attach to each row's prompt. */
  attachmentColumn?: string;
  /** Fragments sent with every row (before its prompt), and with its system prompt. */
  fragments?: Fragment[];
  systemFragments?: Fragment[];
  options?: Record<string, unknown>;
  schema?: SchemaInput;
  /**
   * Where the job and every answer are kept: a logs.db path or an open LogsDatabase. With
   * none, an in-memory database is used (nothing is logged, and the job cannot be resumed).
   */
  database?: string | LogsDatabase;
  /** Failed rows of an earlier run of the same job are tried again. */
  retryFailed?: boolean;
  /** Where the rows came from, recorded with the job. */
  source?: string;
}

/** Builds (or finds again) the job for these rows: same model, spec and rows, same id. */
export async function prepareJob(
  model: Model,
  rows: readonly Row[],
  options: Omit<MapOptions, keyof RunOptions> & { mode: JobMode },
  store: JobStore,
): Promise<{ job: Job; created: boolean }> {
  const template: RowTemplate = typeof options.template === 'string' ? { prompt: options.template } : options.template;
  const validated = model.validate(options.options ?? {});
  const schema = options.schema === undefined ? null : await toJsonSchema(options.schema);
  if (schema && !model.supportsSchema) {
    const { SchemaError } = await import('../errors.js');
    throw new SchemaError(`${model.modelId} does not support schemas`);
  }
  const filled = rows.map((row, index) => fillRow(template, row, index, options.keyColumn, options.attachmentColumn));
  const fragments = options.fragments?.length ? options.fragments.map(plainFragment) : undefined;
  const systemFragments = options.systemFragments?.length ? options.systemFragments.map(plainFragment) : undefined;
  const newRows = filled.map((row) => ({
    ...row,
    hash: requestHash({ model: model.modelId, options: validated, schema, ...row, fragments, systemFragments }),
  }));
  const spec = { prompt: template.prompt, system: template.system, options: validated, schema, fragments, systemFragments, source: options.source };
  const id = jobId(model.modelId, JSON.stringify({ ...spec, source: undefined, mode: options.mode }), newRows.map((r) => r.hash));
  const result = store.createJob({ id, model: model.modelId, mode: options.mode, spec }, newRows);
  if (options.retryFailed) store.resetFailed(id);
  return result;
}

function plainFragment(fragment: Fragment | string): Fragment {
  return typeof fragment === 'string' ? { content: fragment } : { content: fragment.content, source: fragment.source ?? null };
}

function openStore(database: MapOptions['database']): { store: JobStore; close: () => void } {
  if (database instanceof LogsDatabase) return { store: new JobStore(database), close: () => {} };
  const logs = LogsDatabase.open(database ?? ':memory:');
  return { store: new JobStore(logs), close: () => logs.close() };
}

/**
 * Runs one prompt over every row with up to `parallel` requests at once and yields each
 * row's result, with its key, in completion order. With a `database`, every answer is
 * logged there as a turn and the job can be resumed: running the same map again sends
 * only the rows not yet answered.
 */
export async function* mapRows(model: Model, rows: Iterable<Row> | AsyncIterable<Row>, options: MapOptions): AsyncGenerator<MapResult> {
  const collected: Row[] = [];
  for await (const row of rows as AsyncIterable<Row>) collected.push(row);
  const { store, close } = openStore(options.database);
  try {
    const { job } = await prepareJob(model, collected, { ...options, mode: 'local' }, store);
    yield* runLocal(job, model, store, { ...options, log: options.log ?? options.database !== undefined });
  } finally {
    close();
  }
}
