// The page's files (built from web/ into dist/web/), read once and served from memory.
// Only the files found there at start are served: no path from a request reaches the disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface Asset {
  type: string;
  body: Uint8Array;
}

/** dist/web beside the bundle (dist/llm.cjs), or the repository's dist/web when run from source. */
export function defaultAssetsDir(): string {
  const beside = fileURLToPath(new URL('./web/', import.meta.url));
  if (existsSync(join(beside, 'index.html'))) return beside;
  return fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

/** Every file in `dir` by its URL path (`/` for index.html, `/assets/<name>` for the rest). */
export function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    assets.set(name === 'index.html' ? '/' : `/assets/${name}`, { type, body });
  }
  return assets;
}
