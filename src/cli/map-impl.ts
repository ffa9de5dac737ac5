// llm map and its subcommands: parse, call src/batch, render. Loaded only when `llm map` runs.
import { setMaxListeners } from 'node:events';
import { LlmError, UsageError } from '../errors.js';
import { loadTemplate } from '../config/templates.js';
import { LogsDatabase, logsDbPath } from '../logs/index.js';
import { getModel } from '../plugins/registry.js';
import type { Model } from '../models/model.js';
import { JobStore, type Job, type JobCounts } from '../batch/job-store.js';
import { prepareJob } from '../batch/map.js';
import { type MapProgress, type MapResult, runLocal } from '../batch/run-local.js';
import { pollBatches, requireBatchApi, submitPending } from '../batch/run-batch.js';
import { type MapInputFormat, rowsFromFile, rowsFromSql } from '../batch/rows.js';
import { outputRecords, writeOutputFile, writeOutputTable } from '../batch/output.js';
import type { Row } from '../batch/fill.js';
import type { MapFlags } from './commands/map.js';
import { mergedOptions, pairsToObject, resolveFragments, schemaFromFlags } from './setup.js';
import { readPipedStdin } from './util.js';

const FORMATS = new Set(['json', 'nl', 'csv', 'tsv', 'lines']);

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number: ${value}`);
  return n;
}

function openStore(flags: MapFlags): JobStore {
  return new JobStore(LogsDatabase.open(flags.database ?? logsDbPath()));
}

async function readInput(input: string | undefined, flags: MapFlags): Promise<{ rows: Row[]; source: string }> {
  const format = flags.format as MapInputFormat | undefined;
  if (format !== undefined && !FORMATS.has(format)) throw new UsageError(`Invalid --format: ${format} (json, nl, csv, tsv or lines)`);
  if (flags.sql) {
    if (!input || input === '-') throw new UsageError('--sql needs INPUT to be a SQLite file');
    return { rows: rowsFromSql(input, flags.sql), source: `${input}: ${flags.sql}` };
  }
  if (flags.outputTable) throw new UsageError('--output-table needs --sql (the results go back into that database)');
  if (!input || input === '-') {
    const text = await readPipedStdin();
    if (text === undefined) throw new UsageError('No input: give a file, or pipe rows to llm map -');
    return { rows: rowsFromFile('-', format, text), source: 'stdin' };
  }
  return { rows: rowsFromFile(input, format), source: input };
}

/** A line on stderr that rewrites itself on a terminal, and a line every tenth of the way otherwise. */
function progressLine(quiet: boolean | undefined, label: string) {
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p: MapProgress, startedDone: number) {
      if (quiet) return;
      const finished = p.done + p.failed;
      const fresh = finished - startedDone;
      const elapsed = (Date.now() - started) / 1000;
      const left = p.total - finished;
      const eta = fresh > 0 ? Math.round((left * elapsed) / fresh) : undefined;
      const parts = [
        `${label} ${finished}/${p.total}`,
        `${p.failed} failed`,
        `${p.inFlight} in flight`,
        `${(p.inputTokens + p.outputTokens).toLocaleString('en-US')} tokens`,
      ];
      if (eta !== undefined && left > 0) parts.push(`ETA ${formatSeconds(eta)}`);
      const line = parts.join(' · ');
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        const tenth = p.total ? Math.floor((finished * 10) / p.total) : 10;
        if (tenth > lastTenth) {
          lastTenth = tenth;
          process.stderr.write(line + '\n');
        }
      }
    },
    end() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function countsLine(job: Job, counts: JobCounts): string {
  const parts = [`${counts.done} done`, `${counts.failed} failed`];
  if (counts.pending) parts.push(`${counts.pending} pending`);
  if (counts.submitted) parts.push(`${counts.submitted} in batches`);
  return `Job ${job.id}: ${counts.total} rows, ${parts.join(', ')}`;
}

function writeResults(store: JobStore, job: Job, flags: MapFlags, input?: string): void {
  if (flags.output) writeOutputFile(flags.output, outputRecords(store, job));
  if (flags.outputTable) writeOutputTable(input!, flags.outputTable, outputRecords(store, job));
}

export async function runMap(input: string | undefined, flags: MapFlags): Promise<void> {
  if (!flags.prompt && !flags.template) throw new UsageError('Give the prompt with --prompt or -t/--template');
  if (flags.prompt && flags.template) throw new UsageError('--prompt and --template cannot be used together');
  if (flags.wait && !flags.batch) throw new UsageError('--wait needs --batch');
  const parallel = positive(flags.parallel, '--parallel');
  const rpm = positive(flags.rpm, '--rpm');
  const tpm = positive(flags.tpm, '--tpm');
  const dbPath = flags.database ?? logsDbPath();
  const template = flags.template ? await loadTemplate(flags.template) : undefined;
  const model = getModel(flags.model ?? template?.model);
  if (flags.batch) requireBatchApi(model);
  const { rows, source } = await readInput(input, flags);
  if (!rows.length) throw new UsageError('The input has no rows');
  const params = pairsToObject(flags.param, '-p/--param');
  const options = mergedOptions(model.modelId, template?.options, pairsToObject(flags.option, '-o/--option'));
  const schema = await schemaFromFlags(flags, dbPath, template);
  const store = openStore(flags);
  try {
    const { job, created } = await prepareJob(
      model,
      rows,
      {
        template: {
          prompt: flags.prompt ?? template?.prompt ?? undefined,
          system: flags.system ?? template?.system ?? undefined,
          defaults: { ...(template?.defaults ?? {}), ...params },
        },
        keyColumn: flags.keyColumn,
        attachmentColumn: flags.attachmentColumn,
        fragments: await resolveFragments([...(template?.fragments ?? []), ...(flags.fragment ?? [])], dbPath),
        systemFragments: await resolveFragments([...(template?.system_fragments ?? []), ...(flags.systemFragment ?? [])], dbPath),
        options,
        schema: schema ?? undefined,
        retryFailed: flags.retryFailed,
        source,
        mode: flags.batch ? 'batch' : 'local',
      },
      store,
    );
    if (!created && !flags.quiet) process.stderr.write(`Resuming job ${job.id}\n`);
    if (flags.batch) await batchJob(job, model, store, flags, input);
    else await localJob(job, model, store, flags, { parallel, rpm, tpm }, input);
  } finally {
    store.logs.close();
  }
}

async function localJob(
  job: Job,
  model: Model,
  store: JobStore,
  flags: MapFlags,
  limits: { parallel?: number; rpm?: number; tpm?: number },
  input?: string,
): Promise<void> {
  const controller = new AbortController();
  // Each request in flight listens to it (and stops listening when done).
  setMaxListeners(0, controller.signal);
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const toStdout = !flags.output && !flags.outputTable;
  const bar = progressLine(flags.quiet, 'Rows');
  const startedDone = store.counts(job.id).done + store.counts(job.id).failed;
  try {
    for await (const result of runLocal(job, model, store, {
      ...limits,
      key: flags.key,
      signal: controller.signal,
      onProgress: (p) => bar.update(p, startedDone),
    })) {
      if (toStdout) process.stdout.write(resultLine(result));
    }
  } finally {
    process.off('SIGINT', onSigint);
    bar.end();
  }
  const counts = store.counts(job.id);
  if (counts.pending === 0) store.setJobStatus(job.id, 'done');
  writeResults(store, job, flags, input);
  if (!flags.quiet) process.stderr.write(countsLine(job, counts) + '\n');
  if (controller.signal.aborted) {
    process.exitCode = 130;
    throw new LlmError(`Interrupted: ${counts.pending} rows not sent; carry on with: llm map resume ${job.id}`);
  }
  if (counts.failed) {
    process.exitCode = 1;
    throw new LlmError(`${counts.failed} rows failed: see llm map errors ${job.id}, retry with --retry-failed`);
  }
}

function resultLine(result: MapResult): string {
  return JSON.stringify(result.error !== undefined ? { key: result.key, error: result.error } : { key: result.key, response: result.text }) + '\n';
}

async function batchJob(job: Job, model: Model, store: JobStore, flags: MapFlags, input?: string): Promise<void> {
  const sent = await submitPending(job, model, store, { key: flags.key });
  if (!flags.quiet) {
    const batches = store.batches(job.id);
    if (sent) process.stderr.write(`Job ${job.id}: ${sent} rows sent in ${batches.length} batch${batches.length === 1 ? '' : 'es'}\n`);
  }
  if (flags.wait) {
    await waitForBatches(job, model, store, flags);
    writeResults(store, job, flags, input);
    reportFailures(job, store);
  } else if (!flags.quiet) {
    process.stderr.write(`Check it with: llm map status ${job.id}   (or wait for it: llm map wait ${job.id})\n`);
  }
}

async function waitForBatches(job: Job, model: Model, store: JobStore, flags: MapFlags): Promise<void> {
  const intervalMs = (positive(flags.interval, '--interval') ?? 30) * 1000;
  for (;;) {
    const report = await pollBatches(job, model, store, { key: flags.key });
    if (!flags.quiet) process.stderr.write(countsLine(job, report.counts) + '\n');
    if (report.finished) break;
    // Rows of an expired or cancelled batch went back to pending: send them again.
    if (report.counts.pending) await submitPending(job, model, store, { key: flags.key });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** After the answers are written: a non-zero exit when some rows failed. */
function reportFailures(job: Job, store: JobStore): void {
  const counts = store.counts(job.id);
  if (counts.failed) {
    process.exitCode = 1;
    throw new LlmError(`${counts.failed} rows failed: see llm map errors ${job.id}`);
  }
}

export async function mapStatus(id: string, flags: MapFlags): Promise<void> {
  const store = openStore(flags);
  try {
    const job = store.requireJob(id);
    if (job.mode === 'batch' && store.batches(id).some((b) => !['completed', 'failed', 'expired', 'cancelled'].includes(b.status))) {
      await pollBatches(job, getModel(job.model), store, { key: flags.key });
    }
    const counts = store.counts(id);
    const batches = store.batches(id).map((b) => ({ id: b.id, provider: b.provider, status: b.status }));
    if (flags.json) {
      process.stdout.write(JSON.stringify({ id, model: job.model, mode: job.mode, created: job.created, status: store.getJob(id)!.status, counts, batches }, null, 2) + '\n');
      return;
    }
    process.stdout.write(`${countsLine(job, counts)}\n`);
    process.stdout.write(`Model: ${job.model}  Mode: ${job.mode}  Created: ${job.created}\n`);
    for (const batch of batches) process.stdout.write(`Batch ${batch.id} (${batch.provider}): ${batch.status}\n`);
  } finally {
    store.logs.close();
  }
}

export async function mapWait(id: string, flags: MapFlags): Promise<void> {
  const store = openStore(flags);
  try {
    const job = store.requireJob(id);
    if (job.mode !== 'batch') throw new UsageError(`Job ${id} is not a batch job: use llm map resume ${id}`);
    await waitForBatches(job, getModel(job.model), store, flags);
    writeResults(store, job, flags);
    reportFailures(job, store);
  } finally {
    store.logs.close();
  }
}

export async function mapResume(id: string, flags: MapFlags): Promise<void> {
  const store = openStore(flags);
  try {
    const job = store.requireJob(id);
    const model = getModel(job.model);
    if (flags.retryFailed) store.resetFailed(id);
    if (job.mode === 'batch') {
      // Collect what has finished, then send what is not in a batch yet.
      await pollBatches(job, model, store, { key: flags.key });
      await batchJob(job, model, store, { ...flags, quiet: flags.quiet }, undefined);
      return;
    }
    await localJob(
      job,
      model,
      store,
      flags,
      { parallel: positive(flags.parallel, '--parallel'), rpm: positive(flags.rpm, '--rpm'), tpm: positive(flags.tpm, '--tpm') },
      undefined,
    );
  } finally {
    store.logs.close();
  }
}

export async function mapErrors(id: string, flags: MapFlags): Promise<void> {
  const store = openStore(flags);
  try {
    store.requireJob(id);
    for (const row of store.rows(id, ['failed'])) process.stdout.write(`${row.key}\t${row.error ?? ''}\n`);
  } finally {
    store.logs.close();
  }
}

export async function mapList(flags: MapFlags): Promise<void> {
  const store = openStore(flags);
  try {
    const jobs = store.listJobs();
    if (flags.json) {
      process.stdout.write(JSON.stringify(jobs.map((j) => ({ id: j.id, model: j.model, mode: j.mode, created: j.created, status: j.status, source: j.spec.source ?? null, counts: j.counts })), null, 2) + '\n');
      return;
    }
    for (const job of jobs) {
      process.stdout.write(`${job.id}  ${job.created.slice(0, 19)}  ${job.model}  ${job.mode}  ${job.counts.done}/${job.counts.total} done, ${job.counts.failed} failed  ${job.spec.source ?? ''}\n`);
    }
  } finally {
    store.logs.close();
  }
}
