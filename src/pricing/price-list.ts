// The price list: @pydantic/genai-prices' bundled snapshot, or the newer list that
// `llm prices update` saved in the user directory. Loaded only when a cost is needed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigFileError } from '../errors.js';
import { userDir } from '../config/user-dir.js';

export type GenaiPrices = typeof import('@pydantic/genai-prices');
export type PriceProvider = import('@pydantic/genai-prices').Provider;

export const PRICES_PACKAGE = '@pydantic/genai-prices';
/** Where `llm prices update` fetches from by default (genai-prices' own update URL). */
export const DEFAULT_PRICES_URL = 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';
/** Publication dates of the package versions whose data is the bundled snapshot. */
const SNAPSHOT_DATES: Record<string, string> = { '0.1.8': '2026-09-23' };

export interface PriceListInfo {
  /** `bundled` (the package's snapshot) or `updated` (fetched by `llm prices update`). */
  kind: 'bundled' | 'updated';
  /** Identifies the price data, for the cost cache: changes when the list does. */
  id: string;
  /** Where the prices came from, shown with every cost. */
  source: string;
  /** The snapshot's date (YYYY-MM-DD), or null when unknown. */
  date: string | null;
  /** The updated list's file. */
  path?: string;
}

/** The file `llm prices update` writes. */
export function updatedPricesPath(): string {
  return join(userDir({ create: false }), 'genai-prices.json');
}

const require = createRequire(import.meta.url);

function packageVersion(): string {
  const main = require.resolve(PRICES_PACKAGE);
  const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Which price list a cost would use, without loading it (cheap: a stat and a small read). */
export function priceListInfo(): PriceListInfo {
  const path = updatedPricesPath();
  if (existsSync(path)) {
    const file = readUpdatedFile(path, false);
    return {
      kind: 'updated',
      id: `updated:${statSync(path).mtimeMs}`,
      source: file.source,
      date: file.fetched_at.slice(0, 10),
      path,
    };
  }
  const version = packageVersion();
  return { kind: 'bundled', id: `bundled:${version}`, source: `${PRICES_PACKAGE} ${version}`, date: SNAPSHOT_DATES[version] ?? null };
}

export interface UpdatedPricesFile {
  source: string;
  fetched_at: string;
  providers: PriceProvider[];
}

/** Checks a price list as genai-prices publishes it: an array of providers, each with models. */
export function checkProviders(value: unknown, where: string): PriceProvider[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigFileError(`${where} is not a genai-prices price list (expected a non-empty JSON array of providers)`, where);
  for (const provider of value) {
    if (!provider || typeof provider !== 'object' || typeof provider.id !== 'string' || !Array.isArray(provider.models)) {
      throw new ConfigFileError(`${where} is not a genai-prices price list (a provider lacks an id or models)`, where);
    }
  }
  return value as PriceProvider[];
}

function readUpdatedFile(path: string, withProviders: boolean): UpdatedPricesFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigFileError(`The price list at ${path} is not valid JSON (${(error as Error).message}); run llm prices update again or delete it`, path);
  }
  const file = parsed as Partial<UpdatedPricesFile>;
  if (!file || typeof file !== 'object' || typeof file.source !== 'string' || typeof file.fetched_at !== 'string') {
    throw new ConfigFileError(`The price list at ${path} is damaged; run llm prices update again or delete it`, path);
  }
  if (withProviders) checkProviders(file.providers, path);
  return file as UpdatedPricesFile;
}

let loaded: { lib: GenaiPrices; info: PriceListInfo } | undefined;

/** Loads genai-prices (and the updated list, if there is one). The first call costs ~100 ms. */
export function loadPriceList(): { lib: GenaiPrices; info: PriceListInfo } {
  const info = priceListInfo();
  if (loaded && loaded.info.id === info.id) return loaded;
  // genai-prices keeps its data in module state and cannot go back to the bundled
  // snapshot once replaced: a changed list is a fresh copy of the module.
  if (loaded) delete require.cache[require.resolve(PRICES_PACKAGE)];
  const lib = require(PRICES_PACKAGE) as GenaiPrices;
  if (info.kind === 'updated') {
    const providers = readUpdatedFile(info.path!, true).providers;
    lib.updatePrices(({ setProviderData }) => setProviderData(providers));
  }
  loaded = { lib, info };
  return loaded;
}
