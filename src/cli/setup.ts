// What the prompt and chat commands share: picking the model, options, schema,
// attachments, fragments and the logs database. Loaded lazily by their actions.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { LogsDatabase } from '../logs/index.js';
import { Attachment } from '../models/attachment.js';
import type { Fragment } from '../models/prompt.js';
import { UsageError, SchemaError, UnknownModelError } from '../errors.js';
import { getModelsWithAliases } from '../plugins/registry.js';
import { getFragmentLoaders, splitLoaderPrefix } from '../plugins/loaders.js';
import { multiSchema, schemaDsl, type JsonSchema } from '../models/schema.js';
import { loadTemplate, type Template } from '../config/templates.js';
import { getModelOptions } from '../config/model-options.js';
import { ClickUsageError, readStdinBytes, splitAttachmentType, splitPair } from './util.js';

declare const __LLM_VERSION__: string;

/** `-q a -q b`: the model with the shortest id among those matching every query. */
export function modelIdFromQueries(queries: string[]): string {
  const matches = getModelsWithAliases().filter((entry) => {
    const haystack = [entry.model.modelId, String(entry.model), ...entry.aliases].join(' ').toLowerCase();
    return queries.every((q) => haystack.includes(q.toLowerCase()));
  });
  if (!matches.length) throw new UnknownModelError(`No model found matching queries ${queries.join(', ')}`);
  matches.sort((a, b) => a.model.modelId.length - b.model.modelId.length);
  return matches[0]!.model.modelId;
}

/** `-o KEY VALUE` pairs (already joined as KEY=VALUE) into an object; later wins. */
export function pairsToObject(pairs: string[] | undefined, flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const [key, value] = splitPair(pair, flag);
    result[key] = value;
  }
  return result;
}

/**
 * The options to send: the model's stored defaults (model_options.json), then the
 * template's, then the command line's. Values stay strings where given as strings; the
 * library coerces and validates them.
 */
export function mergedOptions(
  modelId: string,
  templateOptions: Record<string, unknown> | null | undefined,
  cliOptions: Record<string, string>,
): Record<string, unknown> {
  return { ...getModelOptions(modelId), ...(templateOptions ?? {}), ...cliOptions };
}

/** `-a` values: a path, a URL, or `-` for bytes on stdin. */
export async function resolveAttachments(values: string[] | undefined, typed: string[] | undefined): Promise<Attachment[]> {
  const result: Attachment[] = [];
  for (const value of values ?? []) {
    if (value === '-') {
      const content = await readStdinBytes();
      const attachment = new Attachment({ content });
      try {
        await attachment.resolveType();
      } catch {
        throw new ClickUsageError("Invalid value for '-a' / '--attachment': Could not determine mimetype of stdin");
      }
      result.push(attachment);
    } else if (value.includes('://')) {
      result.push(new Attachment({ url: value }));
    } else {
      // click's BadParameter for -a: a usage error (exit 2).
      if (!existsSync(value)) throw new ClickUsageError(`Invalid value for '-a' / '--attachment': File ${value} does not exist`);
      const attachment = new Attachment({ path: value });
      try {
        await attachment.resolveType();
      } catch {
        throw new ClickUsageError(`Invalid value for '-a' / '--attachment': Could not determine mimetype of ${value}`);
      }
      result.push(attachment);
    }
  }
  for (const pair of typed ?? []) {
    const [value, type] = splitAttachmentType(pair);
    if (value === '-') result.push(new Attachment({ content: await readStdinBytes(), type }));
    else if (value.includes('://')) result.push(new Attachment({ url: value, type }));
    else {
      if (!existsSync(value)) throw new ClickUsageError(`Invalid value for '--at' / '--attachment-type': File ${value} does not exist`);
      result.push(new Attachment({ path: value, type }));
    }
  }
  return result;
}

/** Runs a query against logs.db (created and migrated if missing); undefined on any failure. */
function queryLogs<T>(dbPath: string, sql: string, ...params: unknown[]): T | undefined {
  let store: LogsDatabase | undefined;
  try {
    store = LogsDatabase.open(dbPath);
    return store.db.prepare(sql).get(...params) as T | undefined;
  } catch {
    return undefined;
  } finally {
    store?.close();
  }
}

/**
 * `--schema` / `--schema-multi` input, in Python's order: `t:template`, inline JSON, the
 * schema DSL (text with a space or comma), a JSON file, a schema id in logs.db.
 */
export async function resolveSchema(input: string, dbPath: string, flag = '--schema'): Promise<JsonSchema> {
  if (input.startsWith('t:')) {
    const template = await loadTemplate(input.slice(2));
    if (!template.schema_object) throw new SchemaError(`Template '${input.slice(2)}' has no schema`);
    return template.schema_object;
  }
  if (input.trim().startsWith('{')) return parseSchemaJson(input, flag);
  if (input.includes(' ') || input.includes(',')) return schemaDsl(input);
  if (existsSync(input) && statSync(input).isFile()) return parseSchemaJson(readFileSync(input, 'utf8'), `${flag} file ${input}`);
  const row = queryLogs<{ content: string }>(dbPath, 'select content from schemas where id = ?', input);
  if (row) return JSON.parse(row.content) as JsonSchema;
  throw new SchemaError(`Invalid value for '${flag}': Invalid schema: ${input}`);
}

function parseSchemaJson(text: string, where: string): JsonSchema {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`Invalid JSON schema in ${where}: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchemaError(`Invalid JSON schema in ${where}: it must be a JSON object`);
  }
  return value as JsonSchema;
}

/** Resolves `--schema` and `--schema-multi` (at most one of them). */
export async function schemaFromFlags(
  flags: { schema?: string; schemaMulti?: string },
  dbPath: string,
  template?: Template,
): Promise<JsonSchema | undefined> {
  if (flags.schema && flags.schemaMulti) throw new UsageError('Use --schema or --schema-multi, not both');
  if (flags.schema) return resolveSchema(flags.schema, dbPath);
  if (flags.schemaMulti) return multiSchema(await resolveSchema(flags.schemaMulti, dbPath, '--schema-multi'));
  return template?.schema_object ?? undefined;
}

/**
 * `-f` / `--sf` fragments, resolved in Python's order: a URL (GET), `-` (stdin),
 * `prefix:rest` for a plugin's fragment loader (unless a file has that name), an alias or
 * hash stored in logs.db, then a file. Each keeps its source as Python's `Fragment` does:
 * the URL, `-`, the file's absolute path, the stored fragment's source, or what the loader
 * gave. A loader may also return attachments: they are added to `attachments` when it is
 * given (for `-f`), and are an error otherwise (`--sf`).
 */
export async function resolveFragments(
  values: string[] | undefined,
  dbPath: string,
  attachments?: Attachment[],
): Promise<Fragment[]> {
  const result: Fragment[] = [];
  for (const value of values ?? []) {
    if (/^https?:\/\//.test(value)) {
      result.push(await fetchFragment(value));
      continue;
    }
    if (value === '-') {
      result.push({ content: (await readStdinBytes()).toString('utf8'), source: '-' });
      continue;
    }
    const isFile = existsSync(value) && statSync(value).isFile();
    const prefixed = isFile ? undefined : splitLoaderPrefix(value);
    if (prefixed) {
      result.push(...(await loadFragments(value, ...prefixed, attachments)));
      continue;
    }
    const stored = storedFragment(value, dbPath);
    if (stored !== undefined) {
      result.push(stored);
      continue;
    }
    if (isFile) {
      result.push({ content: readFileSync(value, 'utf8'), source: realpathSync(value) });
      continue;
    }
    throw new UsageError(`Fragment '${value}' not found`);
  }
  return result;
}

async function fetchFragment(url: string): Promise<Fragment> {
  let response: globalThis.Response;
  try {
    response = await fetch(url, {
      headers: { 'user-agent': `llm/${__LLM_VERSION__} (https://llm.datasette.io/)` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new UsageError(`Could not load fragment ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new UsageError(`Could not load fragment ${url}: HTTP ${response.status}`);
  return { content: await response.text(), source: url };
}

/** What a plugin's fragment loader gives for `prefix:rest`, as fragments (and attachments). */
async function loadFragments(value: string, prefix: string, rest: string, attachments: Attachment[] | undefined): Promise<Fragment[]> {
  const loader = getFragmentLoaders().get(prefix);
  if (!loader) throw new UsageError(`Unknown fragment prefix: ${prefix}`);
  let loaded: unknown;
  try {
    loaded = await loader(rest);
  } catch (error) {
    throw new UsageError(`Could not load fragment ${value}: ${(error as Error).message ?? error}`);
  }
  const fragments: Fragment[] = [];
  for (const item of Array.isArray(loaded) ? loaded : [loaded]) {
    if (item instanceof Attachment) {
      // Python's wording, which wraps this in the loader's failure.
      if (!attachments) throw new UsageError(`Could not load fragment ${value}: Fragment loader ${prefix} returned a disallowed attachment`);
      attachments.push(item);
    } else if (typeof item === 'string') {
      fragments.push({ content: item, source: value });
    } else if (typeof item === 'object' && item !== null && typeof (item as Fragment).content === 'string') {
      const { content, source } = item as Fragment;
      fragments.push({ content, source: source ?? value });
    } else {
      throw new UsageError(`Fragment loader ${prefix} returned ${item === null ? 'null' : typeof item}, not a fragment`);
    }
  }
  return fragments;
}

function storedFragment(aliasOrHash: string, dbPath: string): Fragment | undefined {
  return queryLogs<Fragment>(
    dbPath,
    `select fragments.content as content, fragments.source as source from fragments
     left join fragment_aliases on fragment_aliases.fragment_id = fragments.id
     where fragments.hash = ? or fragment_aliases.alias = ? limit 1`,
    aliasOrHash,
    aliasOrHash,
  );
}
