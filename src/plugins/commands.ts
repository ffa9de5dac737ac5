import type { Command } from 'commander';
import { builtinPlugins } from './builtin.js';
import { activePlugins, warnPluginFailure } from './registry.js';

/**
 * Lets every installed and programmatic plugin add its commands to the CLI. Installed
 * plugins add cached stand-ins: their code is imported only when one of their commands
 * runs. A plugin that fails prints one warning and the others carry on. (The built-in
 * plugins' commands are registered by src/cli itself.)
 */
export function registerPluginCommands(program: Command): void {
  const builtin = new Set(builtinPlugins());
  for (const plugin of activePlugins()) {
    if (builtin.has(plugin) || typeof plugin.registerCommands !== 'function') continue;
    try {
      plugin.registerCommands(program);
    } catch (error) {
      warnPluginFailure(plugin.name, error);
    }
  }
}
