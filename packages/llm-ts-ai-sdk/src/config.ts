import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigFileError, userDir } from 'llm-ts';

/**
 * Every file this plugin keeps in the llm user directory, and nothing else knows their
 * paths: `ai-sdk.json` (the providers added with `llm ai-sdk add`), `ai-sdk/` (the npm
 * project the provider packages are installed into) and `ai-sdk/model-lists.json` (the
 * model lists `llm ai-sdk refresh` fetched). Registration reads the two JSON files on
 * every start, so they are small and read synchronously.
 */
export interface AddedProvider {
  /** Shown in errors, e.g. `Mistral`. */
  label: string;
  /** npm package name (no version), e.g. `@ai-sdk/mistral`. */
  package: string;
  factory: string;
  keyEnv: string | null;
  /** A key is used when there is one, not required (Vertex's express mode). */
  optionalKey?: boolean;
  method?: string;
  baseURL?: string;
  /** Passed to the factory as they are (Azure's resourceName, apiVersion...). */
  settings?: Record<string, unknown>;
  models: ModelEntry[];
  embeddingModels?: { id: string; aliases?: string[]; batchSize?: number }[];
}

export interface ModelEntry {
  id: string;
  aliases?: string[];
  /** Attachment types the model accepts. */
  attachments?: string[];
}

export interface AiSdkConfig {
  providers: Record<string, AddedProvider>;
}

export function configPath(): string {
  return join(userDir({ create: false }), 'ai-sdk.json');
}

/** Where `llm ai-sdk add` installs provider packages: an npm project of its own. */
export function packagesDir(): string {
  return join(userDir({ create: false }), 'ai-sdk');
}

export function readConfig(): AiSdkConfig {
  let text: string;
  try {
    text = readFileSync(configPath(), 'utf8');
  } catch {
    return { providers: {} };
  }
  try {
    const data = JSON.parse(text) as AiSdkConfig;
    if (data && typeof data.providers === 'object' && data.providers) return data;
  } catch {
    // fall through
  }
  throw new ConfigFileError(`${configPath()} is not valid: expected {"providers": {...}}; fix or remove it`, configPath());
}

export function writeConfig(config: AiSdkConfig): void {
  writeJson(configPath(), config);
}

/** One provider's list as its model-listing endpoint gave it. */
export interface FetchedModelList {
  /** When it was fetched (ISO 8601). */
  fetched_at: string;
  /** The endpoint it came from. */
  url: string;
  models: ModelEntry[];
}

export function modelListsPath(): string {
  return join(packagesDir(), 'model-lists.json');
}

/** The fetched model lists by provider name; none when the file is missing or unreadable (the curated lists then apply). */
export function readModelLists(): Record<string, FetchedModelList> {
  try {
    const data = JSON.parse(readFileSync(modelListsPath(), 'utf8')) as Record<string, FetchedModelList>;
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}

export function writeModelLists(lists: Record<string, FetchedModelList>): void {
  writeJson(modelListsPath(), lists);
}

function writeJson(path: string, data: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(data, null, 2) + '\n');
  renameSync(temp, path);
}
