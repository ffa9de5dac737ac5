// The fragments stored in logs.db and their aliases: `llm fragments list|set|remove`.
import type { Fragment } from '../models/prompt.js';
import type { LogsDatabase } from './database.js';

/** A stored fragment as `llm fragments list` shows it (Python's keys, in its order). */
export interface StoredFragment {
  hash: string;
  aliases: string[];
  datetime_utc: string | null;
  source: string | null;
  content: string;
}

/** What a fragment alias may be: letters, digits, `_` and `-`. */
export const FRAGMENT_ALIAS = /^[a-zA-Z0-9_-]+$/;

/**
 * Stored fragments, oldest first. Each query must match the hash or an alias exactly, or
 * appear in the source or the content; `aliasesOnly` keeps those with an alias.
 */
export function listFragments(store: LogsDatabase, options: { queries?: readonly string[]; aliasesOnly?: boolean } = {}): StoredFragment[] {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (options.aliasesOnly) where.push('fragment_aliases.alias is not null');
  (options.queries ?? []).forEach((query, i) => {
    params[`q${i}`] = query;
    where.push(`(fragments.hash = :q${i} or fragment_aliases.alias = :q${i}
      or fragments.source like '%' || :q${i} || '%' or fragments.content like '%' || :q${i} || '%')`);
  });
  const rows = store.db
    .prepare(
      `select fragments.hash,
         json_group_array(fragment_aliases.alias) filter (where fragment_aliases.alias is not null) as aliases,
         fragments.datetime_utc, fragments.source, fragments.content
       from fragments left join fragment_aliases on fragment_aliases.fragment_id = fragments.id
       ${where.length ? `where ${where.join(' and ')}` : ''}
       group by fragments.id order by fragments.datetime_utc, fragments.id`,
    )
    .all(params) as (Omit<StoredFragment, 'aliases'> & { aliases: string })[];
  return rows.map((row) => ({ ...row, aliases: JSON.parse(row.aliases) as string[] }));
}

/** Stores the fragment (once per content) and points `alias` at it, replacing what it named. */
export function setFragmentAlias(store: LogsDatabase, alias: string, fragment: Fragment): void {
  store.db.transaction(() => {
    const id = store.ensureFragment(fragment);
    store.db
      .prepare('insert into fragment_aliases (alias, fragment_id) values (?, ?) on conflict(alias) do update set fragment_id = excluded.fragment_id')
      .run(alias, id);
  })();
}

/** Removes an alias (the fragment stays). */
export function removeFragmentAlias(store: LogsDatabase, alias: string): void {
  store.db.prepare('delete from fragment_aliases where alias = ?').run(alias);
}
