import type { Database } from 'better-sqlite3';
import type { LogsDatabase } from '../logs/database.js';
import { UsageError } from '../errors.js';
import type { Fragment } from '../models/prompt.js';

/**
 * Jobs of `llm map`, kept in logs.db beside the turns, in tables of their own that Python
 * llm ignores. A job holds its rows with each row's filled-in prompt, so it can be resumed
 * from the database alone (`llm map resume ID`), on any machine that has the file.
 */
const SCHEMA = [
  `create table if not exists llm_ts_map_jobs (
    id text primary key,
    created text not null,
    model text not null,
    mode text not null,
    spec text not null,
    status text not null
  )`,
  `create table if not exists llm_ts_map_rows (
    job_id text not null references llm_ts_map_jobs(id),
    row_index integer not null,
    row_key text not null,
    hash text not null,
    prompt text,
    system text,
    attachments text,
    status text not null,
    turn_id text,
    output text,
    error text,
    attempts integer not null default 0,
    batch_id text,
    primary key (job_id, row_index)
  )`,
  'create index if not exists llm_ts_map_rows_hash on llm_ts_map_rows(hash, status)',
  `create table if not exists llm_ts_map_batches (
    id text primary key,
    job_id text not null references llm_ts_map_jobs(id),
    provider text not null,
    status text not null,
    created text not null,
    data text
  )`,
];

export type JobMode = 'local' | 'batch';
export type RowStatus = 'pending' | 'submitted' | 'done' | 'failed';

/** What a job sends for every row; stored as JSON so the job can be resumed without its command line. */
export interface JobSpec {
  prompt?: string;
  system?: string;
  options?: Record<string, unknown>;
  schema?: Record<string, unknown> | null;
  /** Fragments sent with every row's prompt, and with its system prompt. */
  fragments?: Fragment[];
  systemFragments?: Fragment[];
  /** Where the rows came from, for `llm map status` (a file name, `stdin`, a query). */
  source?: string;
}

export interface Job {
  id: string;
  created: string;
  model: string;
  mode: JobMode;
  spec: JobSpec;
  status: string;
}

export interface JobRow {
  jobId: string;
  index: number;
  key: string;
  hash: string;
  prompt: string | null;
  system: string | null;
  /** Paths or URLs attached to this row's prompt. */
  attachments: string[];
  status: RowStatus;
  turnId: string | null;
  output: string | null;
  error: string | null;
  attempts: number;
  batchId: string | null;
}

export interface NewRow {
  key: string;
  hash: string;
  prompt: string;
  system?: string;
  attachments?: string[];
}

export interface JobCounts {
  total: number;
  pending: number;
  submitted: number;
  done: number;
  failed: number;
}

export interface BatchRecord {
  id: string;
  jobId: string;
  provider: string;
  status: string;
  created: string;
  data: Record<string, unknown> | null;
}

interface RawRow {
  job_id: string;
  row_index: number;
  row_key: string;
  hash: string;
  prompt: string | null;
  system: string | null;
  attachments: string | null;
  status: RowStatus;
  turn_id: string | null;
  output: string | null;
  error: string | null;
  attempts: number;
  batch_id: string | null;
}

function fromRaw(raw: RawRow): JobRow {
  return {
    jobId: raw.job_id,
    index: raw.row_index,
    key: raw.row_key,
    hash: raw.hash,
    prompt: raw.prompt,
    system: raw.system,
    attachments: raw.attachments ? (JSON.parse(raw.attachments) as string[]) : [],
    status: raw.status,
    turnId: raw.turn_id,
    output: raw.output,
    error: raw.error,
    attempts: raw.attempts,
    batchId: raw.batch_id,
  };
}

export class JobStore {
  readonly logs: LogsDatabase;
  private readonly db: Database;

  constructor(logs: LogsDatabase) {
    this.logs = logs;
    this.db = logs.db;
    // One commit per answered row: in WAL mode, NORMAL skips the fsync of each commit and
    // still loses nothing when the process is killed (only a power cut can undo the last ones).
    if (logs.path !== ':memory:') this.db.pragma('synchronous = NORMAL');
    this.db.transaction(() => {
      for (const sql of SCHEMA) this.db.exec(sql);
    }).immediate();
  }

  getJob(id: string): Job | undefined {
    const raw = this.db.prepare('select * from llm_ts_map_jobs where id = ?').get(id) as
      | { id: string; created: string; model: string; mode: JobMode; spec: string; status: string }
      | undefined;
    if (!raw) return undefined;
    return { ...raw, spec: JSON.parse(raw.spec) as JobSpec };
  }

  /** The job, or a one-line error naming the id. */
  requireJob(id: string): Job {
    const job = this.getJob(id);
    if (!job) throw new UsageError(`No map job with id ${id} (llm map list shows the jobs)`);
    return job;
  }

  listJobs(): (Job & { counts: JobCounts })[] {
    const rows = this.db.prepare('select id from llm_ts_map_jobs order by created desc, id desc').all() as { id: string }[];
    return rows.map(({ id }) => ({ ...this.getJob(id)!, counts: this.counts(id) }));
  }

  /**
   * Creates the job with its rows, or returns the existing one when a job with this id
   * exists already (the same command run again). Rows answered before, in this job or in
   * any other with the same hash, are marked done with that answer: never paid twice.
   */
  createJob(job: Omit<Job, 'status' | 'created'>, rows: readonly NewRow[]): { job: Job; created: boolean } {
    const existing = this.getJob(job.id);
    if (existing) return { job: existing, created: false };
    const created = new Date().toISOString();
    const insertJob = this.db.prepare(
      'insert into llm_ts_map_jobs (id, created, model, mode, spec, status) values (?, ?, ?, ?, ?, ?)',
    );
    const insertRow = this.db.prepare(
      `insert into llm_ts_map_rows (job_id, row_index, row_key, hash, prompt, system, attachments, status, turn_id, output)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const answered = this.db.prepare(
      "select turn_id, output from llm_ts_map_rows where hash = ? and status = 'done' limit 1",
    );
    this.db.transaction(() => {
      insertJob.run(job.id, created, job.model, job.mode, JSON.stringify(job.spec), 'running');
      rows.forEach((row, index) => {
        const before = answered.get(row.hash) as { turn_id: string | null; output: string | null } | undefined;
        insertRow.run(
          job.id,
          index,
          row.key,
          row.hash,
          row.prompt,
          row.system ?? null,
          row.attachments?.length ? JSON.stringify(row.attachments) : null,
          before ? 'done' : 'pending',
          before?.turn_id ?? null,
          before?.output ?? null,
        );
      });
    }).immediate();
    return { job: this.getJob(job.id)!, created: true };
  }

  /** Runs `fn` in one write transaction. */
  inTransaction(fn: () => void): void {
    this.db.transaction(fn).immediate();
  }

  setJobStatus(id: string, status: string): void {
    this.db.prepare('update llm_ts_map_jobs set status = ? where id = ?').run(status, id);
  }

  rows(jobId: string, statuses?: readonly RowStatus[]): JobRow[] {
    const raws = statuses
      ? (this.db
          .prepare(`select * from llm_ts_map_rows where job_id = ? and status in (${statuses.map(() => '?').join(', ')}) order by row_index`)
          .all(jobId, ...statuses) as RawRow[])
      : (this.db.prepare('select * from llm_ts_map_rows where job_id = ? order by row_index').all(jobId) as RawRow[]);
    return raws.map(fromRaw);
  }

  counts(jobId: string): JobCounts {
    const counts: JobCounts = { total: 0, pending: 0, submitted: 0, done: 0, failed: 0 };
    const raws = this.db.prepare('select status, count(*) as n from llm_ts_map_rows where job_id = ? group by status').all(jobId) as {
      status: RowStatus;
      n: number;
    }[];
    for (const { status, n } of raws) {
      counts[status] = n;
      counts.total += n;
    }
    return counts;
  }

  /** Marks the row answered, in the same transaction as `log` (which writes the turn): both or neither. */
  markDone(jobId: string, index: number, turnId: string | null, output: string, log?: () => void): void {
    const update = this.db.prepare(
      "update llm_ts_map_rows set status = 'done', turn_id = ?, output = ?, error = null, attempts = attempts + 1 where job_id = ? and row_index = ?",
    );
    this.db.transaction(() => {
      log?.();
      update.run(turnId, output, jobId, index);
    }).immediate();
  }

  markFailed(jobId: string, index: number, error: string): void {
    this.db
      .prepare("update llm_ts_map_rows set status = 'failed', error = ?, attempts = attempts + 1 where job_id = ? and row_index = ?")
      .run(error, jobId, index);
  }

  /** Failed rows go back to pending (`--retry-failed`); returns how many. */
  resetFailed(jobId: string): number {
    return this.db.prepare("update llm_ts_map_rows set status = 'pending', error = null where job_id = ? and status = 'failed'").run(jobId)
      .changes;
  }

  markSubmitted(jobId: string, indexes: readonly number[], batchId: string): void {
    const update = this.db.prepare("update llm_ts_map_rows set status = 'submitted', batch_id = ? where job_id = ? and row_index = ?");
    this.db.transaction(() => {
      for (const index of indexes) update.run(batchId, jobId, index);
    }).immediate();
  }

  /** Rows of a batch that ended without an answer (expired, cancelled) go back to pending. */
  releaseSubmitted(jobId: string, batchId: string): number {
    return this.db
      .prepare("update llm_ts_map_rows set status = 'pending', batch_id = null where job_id = ? and batch_id = ? and status = 'submitted'")
      .run(jobId, batchId).changes;
  }

  addBatch(record: Omit<BatchRecord, 'created'>): void {
    this.db
      .prepare('insert into llm_ts_map_batches (id, job_id, provider, status, created, data) values (?, ?, ?, ?, ?, ?)')
      .run(record.id, record.jobId, record.provider, record.status, new Date().toISOString(), JSON.stringify(record.data ?? null));
  }

  updateBatch(id: string, status: string, data: Record<string, unknown> | null): void {
    this.db.prepare('update llm_ts_map_batches set status = ?, data = ? where id = ?').run(status, JSON.stringify(data), id);
  }

  batches(jobId: string): BatchRecord[] {
    const raws = this.db.prepare('select * from llm_ts_map_batches where job_id = ? order by created, id').all(jobId) as {
      id: string;
      job_id: string;
      provider: string;
      status: string;
      created: string;
      data: string | null;
    }[];
    return raws.map((raw) => ({
      id: raw.id,
      jobId: raw.job_id,
      provider: raw.provider,
      status: raw.status,
      created: raw.created,
      data: raw.data ? (JSON.parse(raw.data) as Record<string, unknown>) : null,
    }));
  }
}
