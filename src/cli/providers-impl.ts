// llm providers list|add|remove: parse, call src/providers/openai/services.ts, render.
import { addService, addedCounts, removeService, SERVICES } from '../providers/openai/services.js';
import type { ProvidersFlags } from './commands/providers.js';

export async function providersList(flags: ProvidersFlags): Promise<void> {
  const counts = await addedCounts();
  if (flags.json) {
    const rows = SERVICES.map((s) => ({ name: s.name, label: s.label, base_url: s.baseUrl, key: s.keyName, env: s.envVar, models: counts.get(s.name) ?? 0 }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  const width = Math.max(...SERVICES.map((s) => s.name.length));
  for (const s of SERVICES) {
    const added = counts.get(s.name);
    const key = s.keyName ? `key: ${s.keyName}${s.envVar ? ` or $${s.envVar}` : ''}` : 'no key';
    process.stdout.write(`${s.name.padEnd(width)}  ${s.label} (${s.baseUrl}), ${key}${added ? `, ${added} models added` : ''}\n`);
  }
}

export async function providersAdd(name: string, flags: ProvidersFlags): Promise<void> {
  const added = await addService(name, { key: flags.key, baseUrl: flags.baseUrl, models: flags.model });
  const { service, modelIds, source } = added;
  const how = source === 'listed' ? `listed by ${service.label}` : source === 'given' ? 'as given' : `from the built-in list: its /models could not be read${service.keyName ? ' without a key' : ''}`;
  process.stdout.write(`Added ${modelIds.length} ${service.name} models to ${added.path} (${how}):\n`);
  for (const id of modelIds) process.stdout.write(`  ${id}\n`);
  if (service.keyName) process.stdout.write(`Set its key with: llm keys set ${service.keyName}${service.envVar ? ` (or $${service.envVar})` : ''}\n`);
  process.stdout.write(`Try: llm -m ${modelIds[0]} 'Say hello'\n`);
}

export async function providersRemove(name: string): Promise<void> {
  const removed = await removeService(name);
  process.stdout.write(removed ? `Removed ${removed} ${name} models\n` : `No ${name} models to remove\n`);
}
