import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userFile } from './user-dir.js';

export const DEFAULT_MODEL = 'gpt-4o-mini';

function readSetting(file: string): string | undefined {
  const path = userFile(file);
  if (!existsSync(path)) return undefined;
  const value = readFileSync(path, 'utf8').trim();
  return value === '' ? undefined : value;
}

function writeSetting(file: string, value: string | null | undefined): void {
  const path = userFile(file);
  if (value === null || value === undefined) rmSync(path, { force: true });
  else writeFileSync(path, value);
}

export function readDefaultModelSetting(): string | undefined {
  return readSetting('default_model.txt');
}

export function writeDefaultModelSetting(modelId: string | null): void {
  writeSetting('default_model.txt', modelId);
}

export function readDefaultEmbeddingModelSetting(): string | undefined {
  return readSetting('default_embedding_model.txt');
}

export function writeDefaultEmbeddingModelSetting(modelId: string | null): void {
  writeSetting('default_embedding_model.txt', modelId);
}
