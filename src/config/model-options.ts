import { existsSync } from 'node:fs';
import { readJsonObject, writeJsonFile } from './json-file.js';
import { userFile } from './user-dir.js';

/**
 * `model_options.json`: default options per model id, applied by the CLI when an
 * option is not given explicitly. Shape: `{ "<model id>": { "<option>": value } }`.
 */
export function modelOptionsPath(): string {
  return userFile('model_options.json');
}

export function loadAllModelOptions(): Record<string, Record<string, unknown>> {
  const data = readJsonObject(modelOptionsPath(), 'model_options.json') ?? {};
  const result: Record<string, Record<string, unknown>> = {};
  for (const [modelId, options] of Object.entries(data)) {
    if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
      result[modelId] = { ...(options as Record<string, unknown>) };
    }
  }
  return result;
}

/** The default options stored for one model id (empty when none). */
export function getModelOptions(modelId: string): Record<string, unknown> {
  if (!existsSync(modelOptionsPath())) return {};
  return loadAllModelOptions()[modelId] ?? {};
}

export function setModelOption(modelId: string, name: string, value: unknown): void {
  const all = loadAllModelOptions();
  all[modelId] = { ...(all[modelId] ?? {}), [name]: value };
  writeJsonFile(modelOptionsPath(), all, 2);
}

/**
 * Removes one option, or every option when `name` is undefined. Returns false when
 * there was nothing to remove.
 */
export function clearModelOptions(modelId: string, name?: string): boolean {
  const all = loadAllModelOptions();
  const current = all[modelId];
  if (!current) return false;
  if (name === undefined) {
    delete all[modelId];
  } else {
    if (!(name in current)) return false;
    delete current[name];
    if (Object.keys(current).length === 0) delete all[modelId];
  }
  writeJsonFile(modelOptionsPath(), all, 2);
  return true;
}
