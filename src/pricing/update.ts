// `llm prices update`: fetches a newer genai-prices list into the user directory, only when asked.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigFileError, LlmError } from '../errors.js';
import { checkProviders, DEFAULT_PRICES_URL, priceListInfo, updatedPricesPath, type PriceListInfo } from './price-list.js';

export class PriceUpdateError extends LlmError {
  override readonly code = 'price_update';
}

async function download(url: string): Promise<string> {
  let response: globalThis.Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new PriceUpdateError(`Could not fetch the price list from ${url}: ${cause}`);
  }
  if (!response.ok) throw new PriceUpdateError(`Could not fetch the price list from ${url}: HTTP ${response.status}`);
  return response.text();
}

/**
 * Replaces the price list with the one at `from` (a URL, or a local file: genai-prices'
 * `data.json`, an array of providers). Checked before it is saved; the old list is kept on error.
 */
export async function updatePriceList(from: string = DEFAULT_PRICES_URL): Promise<PriceListInfo & { providers: number; models: number }> {
  const isUrl = /^https?:\/\//i.test(from);
  let text: string;
  let source: string;
  if (isUrl) {
    text = await download(from);
    source = from;
  } else {
    const path = from.startsWith('file:') ? fileURLToPath(from) : resolve(from);
    if (!existsSync(path)) throw new PriceUpdateError(`No price list file at ${path}`);
    text = readFileSync(path, 'utf8');
    source = path;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PriceUpdateError(`The price list from ${source} is not valid JSON: ${(error as Error).message}`);
  }
  let providers;
  try {
    providers = checkProviders(parsed, source);
  } catch (error) {
    throw new PriceUpdateError(ConfigFileError.is(error) ? error.message : String(error));
  }
  const path = updatedPricesPath();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ source, fetched_at: new Date().toISOString(), providers }));
  renameSync(tmp, path);
  return { ...priceListInfo(), providers: providers.length, models: providers.reduce((n, p) => n + p.models.length, 0) };
}

/** Goes back to the bundled snapshot. True if an updated list was removed. */
export function resetPriceList(): boolean {
  const path = updatedPricesPath();
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}
