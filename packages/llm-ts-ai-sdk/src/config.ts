import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigFileError, userDir } from 'llm-ts';

/**
 * `<llm user dir>/ai-sdk.json`: the providers added with `llm ai-sdk add`. Registration
 * reads it on every start, so it is small and read synchronously.
 */
export interface AddedProvider {
  /** Shown in errors, e.g. `Mistral`. */
  label: string;
  /** npm package name (no version), e.g. `@ai-sdk/mistral`. */
  package: string;
  factory: string;
  keyEnv: string | null;
  method?: string;
  baseURL?: string;
  /** Passed to the factory as they are (Azure's resourceName, apiVersion...). */
  settings?: Record<string, unknown>;
  models: { id: string; aliases?: string[]; attachments?: string[] }[];
  embeddingModels?: { id: string; aliases?: string[] }[];
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
  const path = configPath();
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(config, null, 2) + '\n');
  renameSync(temp, path);
}
