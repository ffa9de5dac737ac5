import { Attachment } from '../models/attachment.js';
import type { Model } from '../models/model.js';
import type { Response } from '../models/response.js';
import type { JsonSchema } from '../models/schema.js';
import type { Job, JobRow } from './job-store.js';

const isUrl = (value: string) => /^https?:\/\//i.test(value);

/** The (unstarted) response for one row of a job: its prompt, the job's spec, its attachments. */
export function rowResponse(
  model: Model,
  job: Job,
  row: JobRow,
  request: { key?: string; signal?: AbortSignal },
): Response {
  const spec = job.spec;
  return model.conversation().prompt(row.prompt ?? '', {
    system: row.system ?? undefined,
    fragments: spec.fragments,
    systemFragments: spec.systemFragments,
    attachments: row.attachments.length
      ? row.attachments.map((value) => new Attachment(isUrl(value) ? { url: value } : { path: value }))
      : undefined,
    options: spec.options,
    schema: (spec.schema as JsonSchema | null) ?? undefined,
    key: request.key,
    stream: false,
    signal: request.signal,
  });
}
