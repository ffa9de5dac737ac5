import { builtinPlugins } from './builtin.js';
import { installedPluginManifests, installedPlugins } from './installed.js';
import { HOOK_NAMES, type HookName } from './manifest.js';
import { activePlugins } from './registry.js';
import type { LlmPlugin } from './types.js';

/** One entry of `llm plugins`: the same shape as the Python tool's JSON. */
export interface PluginInfo {
  name: string;
  hooks: string[];
  version?: string;
}

function hooksOf(plugin: LlmPlugin): string[] {
  return (Object.keys(HOOK_NAMES) as HookName[])
    .filter((hook) => typeof plugin[hook] === 'function')
    .map((hook) => HOOK_NAMES[hook])
    .sort();
}

/**
 * The plugins in use: installed ones (from the cache; nothing is imported) and those
 * added with registerPlugin(); with `all`, the built-in plugins too. Hook names are the
 * Python tool's (`register_models`, ...), so scripts written for it keep working.
 */
export function getPlugins(options: { all?: boolean } = {}): PluginInfo[] {
  const builtin = new Set(builtinPlugins());
  const installed = new Set(installedPlugins());
  const result: PluginInfo[] = [];
  for (const manifest of installedPluginManifests()) {
    const info: PluginInfo = { name: manifest.name, hooks: manifest.hooks.map((hook) => HOOK_NAMES[hook]).sort() };
    if (manifest.version) info.version = manifest.version;
    result.push(info);
  }
  for (const plugin of activePlugins()) {
    if (installed.has(plugin)) continue;
    if (builtin.has(plugin) && !options.all) continue;
    result.push({ name: plugin.name, hooks: hooksOf(plugin) });
  }
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
