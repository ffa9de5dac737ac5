// Well-known OpenAI-compatible services, and `llm providers add NAME`, which writes their
// models into extra-openai-models.yaml (the Python tool's file, in its format).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { getKey } from '../../config/keys.js';
import { userDir } from '../../config/user-dir.js';
import { UsageError } from '../../errors.js';
import { providerFetch } from '../../streaming/http.js';
import { importModule } from '../../util/import-module.js';
import { extraModelsPath } from './plugin.js';
import { requestHeaders } from './shared.js';
import { SERVICES, type Service } from './service-list.js';

export { SERVICES, type Service };

export function findService(name: string): Service {
  const service = SERVICES.find((s) => s.name === name.toLowerCase());
  if (!service) throw new UsageError(`Unknown provider: ${name} (known: ${SERVICES.map((s) => s.name).join(', ')})`);
  return service;
}

type Entry = Record<string, unknown>;

async function readEntries(path: string) {
  const YAML = await importModule<typeof import('yaml')>('yaml');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new UsageError(`${path} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); it was left untouched`);
  if (doc.contents === null) doc.contents = doc.createNode([]) as unknown as typeof doc.contents;
  if (!YAML.isSeq(doc.contents)) throw new UsageError(`${path} must be a list of models; it was left untouched`);
  return { YAML, doc, seq: doc.contents };
}

/** The model ids a service lists at GET /models (null when it cannot be read: no key, offline, not JSON). */
async function listedModels(baseUrl: string, key: string | undefined): Promise<string[] | null> {
  try {
    const response = await providerFetch(
      `${baseUrl}/models`,
      { method: 'GET', headers: requestHeaders(key) },
      { provider: 'models list', secrets: [key] },
    );
    const body = JSON.parse(await response.text()) as { data?: { id?: unknown }[] };
    if (!Array.isArray(body.data)) return null;
    return body.data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return null;
  }
}

export interface AddedService {
  service: Service;
  modelIds: string[];
  /** Where the model list came from. */
  source: 'listed' | 'given' | 'built-in list';
  path: string;
}

/**
 * Adds a service's models to extra-openai-models.yaml as `NAME/<model>`, replacing what an
 * earlier `add` of it wrote (and nothing else in the file). Models come from `models`,
 * else the service's GET /models (with its key when one is set), else a built-in list.
 */
export async function addService(
  name: string,
  options: { key?: string; baseUrl?: string; models?: string[] } = {},
): Promise<AddedService> {
  const service = findService(name);
  const baseUrl = (options.baseUrl ?? service.baseUrl).replace(/\/+$/, '');
  let source: AddedService['source'] = 'given';
  let ids = options.models?.length ? options.models : null;
  if (!ids) {
    const key = service.keyName ? getKey({ explicit: options.key, alias: service.keyName, envVar: service.envVar ?? undefined }) : options.key;
    ids = await listedModels(baseUrl, key);
    source = 'listed';
  }
  if (!ids?.length) {
    ids = [...service.models];
    source = 'built-in list';
  }
  if (!ids.length) throw new UsageError(`Could not list the models of ${service.label} at ${baseUrl}/models: is it running? Name them with -m`);
  userDir(); // created if it does not exist yet
  const path = extraModelsPath();
  const { doc, seq } = await readEntries(path);
  seq.items = seq.items.filter((item) => !String((item as { get?: (k: string) => unknown }).get?.('model_id') ?? '').startsWith(`${service.name}/`));
  for (const id of [...new Set(ids)].sort()) {
    const entry: Entry = { model_id: `${service.name}/${id}`, model_name: id, api_base: baseUrl };
    if (service.keyName) entry.api_key_name = service.keyName;
    if (service.supportsTools) entry.supports_tools = true;
    if (service.supportsSchema) entry.supports_schema = true;
    seq.items.push(doc.createNode(entry) as (typeof seq.items)[number]);
  }
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
  return { service, modelIds: [...new Set(ids)].sort().map((id) => `${service.name}/${id}`), source, path };
}

/** Removes the models `llm providers add NAME` wrote; returns how many. */
export async function removeService(name: string): Promise<number> {
  const service = findService(name);
  const path = extraModelsPath();
  if (!existsSync(path)) return 0;
  const { doc, seq } = await readEntries(path);
  const before = seq.items.length;
  seq.items = seq.items.filter((item) => !String((item as { get?: (k: string) => unknown }).get?.('model_id') ?? '').startsWith(`${service.name}/`));
  const removed = before - seq.items.length;
  if (removed) writeFileSync(path, doc.toString({ lineWidth: 0 }));
  return removed;
}

/** How many models of each service extra-openai-models.yaml has. */
export async function addedCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const path = extraModelsPath();
  if (!existsSync(path)) return counts;
  try {
    const { seq } = await readEntries(path);
    for (const item of seq.items) {
      const id = String((item as { get?: (k: string) => unknown }).get?.('model_id') ?? '');
      const prefix = id.split('/')[0]!;
      if (SERVICES.some((s) => s.name === prefix) && id.includes('/')) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
  } catch {
    // an unreadable file counts nothing here; `llm models` reports it
  }
  return counts;
}
