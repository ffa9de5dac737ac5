import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * A YAML file read on every start (extra-openai-models.yaml) costs the YAML parser's load,
 * about 30 ms. Its parsed form is kept as JSON in the cache folder ($XDG_CACHE_HOME/llm-ts,
 * else ~/.cache/llm-ts), keyed by the file's path, mtime and size: while the file is
 * unchanged, a start reads the JSON and never loads the parser.
 */

export interface ParsedYaml {
  value: unknown;
  /** The parser's warnings, one line each. */
  warnings: string[];
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function cacheFileFor(path: string): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME && isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : '';
  const base = xdg || (homedir() ? join(homedir(), '.cache') : '');
  return base ? join(base, 'llm-ts', `yaml-${fnv1a(path)}.json`) : undefined;
}

/** Parses the YAML file at `path` (or reads its cached parse). A parse error is thrown. */
export function readYamlFile(path: string): ParsedYaml {
  const { mtimeMs, size } = statSync(path);
  const key = `${mtimeMs}:${size}`;
  const cacheFile = cacheFileFor(path);
  if (cacheFile !== undefined) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { path?: string; key?: string } & ParsedYaml;
      if (cached.path === path && cached.key === key) return { value: cached.value, warnings: cached.warnings };
    } catch {
      // no cache yet, or an unreadable one: parse
    }
  }
  const YAML = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const document = YAML.parseDocument(readFileSync(path, 'utf8'), { logLevel: 'silent' });
  if (document.errors.length) throw document.errors[0];
  const parsed: ParsedYaml = { value: document.toJS(), warnings: document.warnings.map((w) => w.message.split('\n')[0]!) };
  if (cacheFile !== undefined) {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(join(cacheFile, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(tmp, JSON.stringify({ path, key, ...parsed }), { mode: 0o600 });
      renameSync(tmp, cacheFile);
    } catch {
      rmSync(tmp, { force: true }); // a cache that cannot be written costs only speed
    }
  }
  return parsed;
}
