import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ConfigFileError } from '../errors.js';

/** Reads a JSON object file. Missing → undefined. Unparseable → ConfigFileError naming the file. */
export function readJsonObject(path: string, what: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${what} at ${path} is not valid JSON: ${(error as Error).message}`, path, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigFileError(`${what} at ${path} must hold a JSON object`, path);
  }
  return value as Record<string, unknown>;
}

/**
 * `json.dumps(value, indent=N)` as Python writes it: the same layout as JSON.stringify,
 * with every character outside printable ASCII escaped as \\uXXXX (ensure_ascii).
 */
export function pythonJsonDumps(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/**
 * Writes a JSON file atomically (temp file + rename) with the given indent and a
 * trailing newline, as Python's `json.dumps(..., indent=N) + "\n"` does.
 */
export function writeJsonFile(path: string, value: unknown, indent: number, mode?: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, pythonJsonDumps(value, indent) + '\n', mode === undefined ? {} : { mode });
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (error) {
    // A half-written temp file (it may hold a key) does not stay behind; the file itself is untouched.
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const why =
      code === 'ENOSPC'
        ? 'the disk is full; free some space and try again'
        : code === 'EFBIG'
          ? 'the file is larger than this system allows (EFBIG); free some space or raise the limit'
          : (error as Error).message;
    throw new ConfigFileError(`Could not write ${path} (it was left as it was): ${why}`, path, { cause: error });
  }
}
