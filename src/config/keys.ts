import { existsSync } from 'node:fs';
import { ConfigFileError, NeedsKeyError } from '../errors.js';
import { readJsonObject, writeJsonFile } from './json-file.js';
import { userFile } from './user-dir.js';

const NOTE_KEY = '// Note';
const NOTE = 'This file stores secret API credentials. Do not share!';

export function keysPath(): string {
  return userFile('keys.json');
}

/** All stored keys, without the note. A corrupt keys.json throws and is never rewritten. */
export function loadKeys(): Record<string, string> {
  const data = readJsonObject(keysPath(), 'keys.json') ?? {};
  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (name === NOTE_KEY) continue;
    if (typeof value === 'string') keys[name] = value;
  }
  return keys;
}

/** Stores one key. The file is created with mode 0600 and keeps its other entries. */
export function setKey(name: string, value: string): void {
  const path = keysPath();
  const existing = existsSync(path) ? readJsonObject(path, 'keys.json') : undefined;
  const data: Record<string, unknown> = existing ?? { [NOTE_KEY]: NOTE };
  if (!(NOTE_KEY in data)) {
    // Keep the note first, as the Python tool writes it.
    const withNote: Record<string, unknown> = { [NOTE_KEY]: NOTE, ...data };
    withNote[name] = value;
    writeJsonFile(path, withNote, 2, 0o600);
    return;
  }
  data[name] = value;
  writeJsonFile(path, data, 2, 0o600);
}

export function getStoredKey(name: string): string | undefined {
  return loadKeys()[name];
}

export interface KeyLookup {
  /** A key given for this call: first tried as a name in keys.json, then as the key itself. */
  explicit?: string | null;
  /** The name under which keys.json stores this provider's key, e.g. `openai`. */
  alias?: string | null;
  /** The environment variable to fall back to, e.g. `OPENAI_API_KEY`. */
  envVar?: string | null;
}

/** Python llm's `get_key()`: explicit (as alias, then literal), keys.json[alias], then the env var. */
export function getKey(lookup: KeyLookup): string | undefined {
  let keys: Record<string, string> | undefined;
  const stored = () => (keys ??= loadKeys());
  if (lookup.explicit) {
    const named = stored()[lookup.explicit];
    return named ?? lookup.explicit;
  }
  if (lookup.alias) {
    const named = stored()[lookup.alias];
    if (named) return named;
  }
  if (lookup.envVar) {
    const fromEnv = process.env[lookup.envVar];
    if (fromEnv) return fromEnv;
  }
  return undefined;
}

/** What a model says about its key: the name it is stored under, the env var, a key set on it. */
export interface KeyedModel {
  needsKey: string | null;
  keyEnvVar: string | null;
  key: string | undefined;
}

/**
 * A model's key, as Python's `get_key` mixin finds it: none needed, the key set on the
 * model, the explicit key (a stored name, else the key itself), keys.json, the env var.
 * When there is none, a NeedsKeyError says how to set one.
 */
export function modelKey(model: KeyedModel, explicit?: string | null): string | undefined {
  if (model.needsKey === null) return undefined;
  if (model.key) return model.key;
  const found = getKey({ explicit, alias: model.needsKey, envVar: model.keyEnvVar });
  if (found) return found;
  const env = model.keyEnvVar ? ` or set the ${model.keyEnvVar} environment variable` : '';
  throw new NeedsKeyError(`No key found - add one using 'llm keys set ${model.needsKey}'${env}`);
}

export { ConfigFileError };
