import { ConnectionError } from 'llm-ts';
import { type ModelCache, refreshModelCache } from './cache.js';

/** `llm ollama refresh` and `llm ollama models`, loaded only when one of them runs. */

async function refreshOrFail(): Promise<ModelCache> {
  const cache = await refreshModelCache();
  if (cache.error) {
    throw new ConnectionError(
      `Could not list the models of the Ollama server at ${cache.host} (${cache.error}): is it running? Start it with 'ollama serve', or set OLLAMA_HOST`,
    );
  }
  return cache;
}

export async function runRefresh(write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const cache = await refreshOrFail();
  const count = cache.models.length;
  write(`Found ${count} model${count === 1 ? '' : 's'} on the Ollama server at ${cache.host}\n`);
}

export async function runModels(write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const cache = await refreshOrFail();
  const rows = [...cache.models]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => [m.name, m.digest.slice(0, 12), (m.capabilities ?? []).slice().sort().join(', ')]);
  const header = ['model', 'digest', 'capabilities'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  write(line(header));
  write(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) write(line(row));
}
