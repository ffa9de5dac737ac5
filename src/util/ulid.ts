import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

/** A lower-case monotonic ULID, the id Python llm gives responses and conversations. */
export function newId(): string {
  return next().toLowerCase();
}
