import type { Command } from 'commander';
import { installedPluginManifests, installedPlugins } from './installed.js';
import { warnPluginFailure } from './warnings.js';

/**
 * Lets every installed plugin add its commands to the CLI, as cached stand-ins: a
 * plugin's code is imported only when one of its commands runs. A plugin that fails
 * prints one warning and the others carry on. (The built-in plugins' commands are
 * registered by src/cli itself.)
 */
export function registerPluginCommands(program: Command): void {
  for (const plugin of installedPlugins()) {
    if (typeof plugin.registerCommands !== 'function') continue;
    try {
      plugin.registerCommands(program);
    } catch (error) {
      warnPluginFailure(plugin.name, error);
    }
  }
}

/** The top-level command names (and aliases) that installed plugins registered, from their cache. */
export function pluginCommandNames(): Set<string> {
  const names = new Set<string>();
  for (const manifest of installedPluginManifests()) {
    for (const command of manifest.commands) {
      names.add(command.name);
      for (const alias of command.aliases) names.add(alias);
    }
  }
  return names;
}
