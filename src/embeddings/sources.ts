import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { EmbeddingInput } from '../models/embedding-model.js';

/** Input formats of `llm embed-multi`. */
export type RowsFormat = 'json' | 'csv' | 'tsv' | 'nl';

export type Row = Record<string, unknown>;

/**
 * Parses the rows of a JSON (array or single object), newline-delimited JSON, CSV or TSV
 * document. With no format it is detected: `[` is JSON, `{` is JSON when the whole text
 * parses and newline-delimited JSON otherwise, anything else CSV or TSV by its first line.
 */
export function parseRows(text: string, format?: RowsFormat | null): Row[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const fmt = format ?? detectFormat(text);
  switch (fmt) {
    case 'json': {
      const decoded = parseJson(text);
      if (decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded)) return [decoded as Row];
      if (!Array.isArray(decoded)) throw new UsageError('JSON must be a list or a dictionary');
      return decoded as Row[];
    }
    case 'nl':
      return text
        .split(/\r?\n/)
        .filter((line) => line.trim())
        .map((line) => parseJson(line) as Row);
    case 'csv':
      return csvRows(text, ',');
    case 'tsv':
      return csvRows(text, '\t');
    default:
      throw new UsageError(`Unknown format: ${String(fmt)}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Invalid JSON: ${(error as Error).message}`);
  }
}

function detectFormat(text: string): RowsFormat {
  const start = text.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) {
    try {
      JSON.parse(start);
      return 'json';
    } catch {
      return 'nl';
    }
  }
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  const tabs = firstLine.split('\t').length - 1;
  const commas = firstLine.split(',').length - 1;
  return tabs > 0 && tabs >= commas ? 'tsv' : 'csv';
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes); the first record is the header. */
function csvRows(text: string, delimiter: string): Row[] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || record.length) endRecord();
  const [header, ...body] = records;
  if (!header) return [];
  return body.map((values) => {
    const row: Row = {};
    header.forEach((name, index) => {
      row[name] = index < values.length ? values[index] : null;
    });
    return row;
  });
}

/**
 * The `[id, content]` pair `embed-multi` makes of a row: the first value is the ID, the
 * other values joined with spaces are the content (null as the empty string).
 */
export function rowToEntry(values: readonly unknown[], options: { prefix?: string; prepend?: string } = {}): [string, string] {
  const id = (options.prefix ?? '') + asText(values[0]);
  let content = values.slice(1).map(asText).join(' ');
  if (options.prepend) content = options.prepend + content;
  return [id, content];
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Decodes bytes with the first of `encodings` that accepts them (Python llm 0.32 let the
 * last one win, so UTF-8 text came out as latin-1 mojibake). Returns null if none does.
 */
export function decodeText(bytes: Uint8Array, encodings: readonly string[]): string | null {
  for (const encoding of encodings) {
    const text = tryDecode(bytes, encoding);
    if (text !== null) return text;
  }
  return null;
}

function tryDecode(bytes: Uint8Array, encoding: string): string | null {
  const name = encoding.toLowerCase().replace(/_/g, '-');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1'].includes(name)) return buffer.toString('latin1');
  if (name === 'ascii' || name === 'us-ascii') return buffer.every((b) => b < 0x80) ? buffer.toString('latin1') : null;
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(name === 'utf-8-sig' ? 'utf-8' : name, { fatal: true, ignoreBOM: name !== 'utf-8-sig' });
  } catch {
    throw new UsageError(`Unknown encoding: ${encoding}`);
  }
  try {
    return decoder.decode(buffer);
  } catch {
    return null;
  }
}

/**
 * Files under `directory` whose path relative to it matches a glob `pattern` (`*`, `?`,
 * `[...]`, `{a,b}`, and `**` for any number of directories, as Python's pathlib), sorted.
 * Directories themselves are skipped.
 */
export function globFiles(directory: string, pattern: string): string[] {
  let stat;
  try {
    stat = statSync(directory);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory()) throw new UsageError(`Invalid directory: ${directory}`);
  const regex = globToRegExp(pattern);
  const deep = pattern.includes('**');
  const depth = pattern.split('/').length;
  const found: string[] = [];
  const walk = (dir: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue;
        }
      }
      if (isFile && regex.test(relative(directory, full).split(sep).join('/'))) found.push(full);
      if (isDir && (deep || level + 1 < depth)) walk(full, level + 1);
    }
  };
  walk(directory, 0);
  return found.sort();
}

export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const atStart = i === 0 || pattern[i - 1] === '/';
        const slashAfter = pattern[i + 2] === '/';
        if (atStart && slashAfter) {
          out += '(?:[^/]*/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (ch === '{') {
      const close = pattern.indexOf('}', i);
      if (close === -1) out += '\\{';
      else {
        const options = pattern.slice(i + 1, close).split(',').map((part) => globToRegExp(part).source.slice(1, -1));
        out += `(?:${options.join('|')})`;
        i = close;
      }
    } else out += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Reads the files of `--files DIR GLOB` pairs as `[relative path, content]` entries. */
export function* fileEntries(
  pairs: readonly (readonly [string, string])[],
  options: { binary?: boolean; encodings?: readonly string[]; onUndecodable?: (path: string) => void } = {},
): Generator<[string, EmbeddingInput]> {
  const encodings = options.encodings?.length ? options.encodings : ['utf-8', 'latin-1'];
  for (const [directory, pattern] of pairs) {
    for (const path of globFiles(directory, pattern)) {
      const bytes = readFileSync(path);
      const id = relative(directory, path);
      if (options.binary) {
        yield [id, new Uint8Array(bytes)];
        continue;
      }
      const text = decodeText(bytes, encodings);
      if (text === null) options.onUndecodable?.(path);
      else yield [id, text];
    }
  }
}
