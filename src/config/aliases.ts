import { existsSync, readFileSync } from 'node:fs';
import { didYouMean } from '../util/suggest.js';
import { UsageError } from '../errors.js';
import { readJsonObject, writeJsonFile } from './json-file.js';
import { userFile } from './user-dir.js';

export function aliasesPath(): string {
  return userFile('aliases.json');
}

/** The user's aliases (alias → model id). A missing or unreadable file gives none. */
export function loadAliases(): Record<string, string> {
  const path = aliasesPath();
  if (!existsSync(path)) return {};
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
    return Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** Writes one alias. A missing aliases.json is created; one that cannot be read is named and left untouched. */
export function writeAlias(alias: string, modelId: string): void {
  const path = aliasesPath();
  const current = readJsonObject(path, 'aliases.json') ?? {};
  current[alias] = modelId;
  writeJsonFile(path, current, 4);
}

/** Removes one alias; throws a UsageError saying why when it cannot. */
export function deleteAlias(alias: string): void {
  const path = aliasesPath();
  if (!existsSync(path)) throw new UsageError('No aliases.json file exists');
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError('aliases.json file is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || !(alias in data)) {
    throw new UsageError(`No such alias: ${alias}${typeof data === 'object' && data ? didYouMean(alias, Object.keys(data)) : ''}`);
  }
  delete data[alias];
  writeJsonFile(path, data, 4);
}
