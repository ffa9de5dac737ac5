import { CATALOG } from './catalog.js';
import type { AddedProvider, FetchedModelList, ModelEntry } from './config.js';

/**
 * The models a provider registers. Without a fetched list: the list `llm ai-sdk add`
 * recorded (the curated one, plus any added with -m). With one: the fetched models
 * (a curated model keeps its aliases and attachment types; the curated ones first, in
 * their order), plus the models added by id with -m. No network here: registration runs
 * on every start.
 */
export function modelsOf(name: string, provider: AddedProvider, fetched: FetchedModelList | undefined): ModelEntry[] {
  if (!fetched || !Array.isArray(fetched.models)) return provider.models ?? [];
  const curated = new Map((CATALOG[name]?.models ?? []).map((m) => [m.id, m]));
  const listed = new Map<string, ModelEntry>();
  for (const entry of fetched.models) if (entry && typeof entry.id === 'string') listed.set(entry.id, entry);
  const out: ModelEntry[] = [];
  const seen = new Set<string>();
  const push = (entry: ModelEntry) => {
    if (seen.has(entry.id)) return;
    seen.add(entry.id);
    out.push(entry);
  };
  for (const [id, entry] of curated) if (listed.has(id)) push(entry);
  for (const entry of listed.values()) push(entry);
  // Models added by id (-m) are not the listing's to remove.
  for (const entry of provider.models ?? []) if (!curated.has(entry.id)) push(entry);
  return out;
}
