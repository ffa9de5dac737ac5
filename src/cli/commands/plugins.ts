import type { Command } from 'commander';
import { CliUsage } from '../util.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `llm plugins`, `llm install`, `llm uninstall`. */
export function register(program: Command): void {
  program
    .command('plugins')
    .description('List installed plugins')
    .option('--all', 'Include built-in default plugins')
    .option('--hook <hook>', 'Filter for plugins that implement this hook (may be repeated)', collect, [])
    .action(async (flags: { all?: boolean; hook: string[] }) => {
      const { getPlugins } = await import('../actions.js');
      const { HOOK_NAMES } = await import('../actions.js');
      // Accept both the Python names (register_models) and the TypeScript ones (registerModels).
      const wanted = flags.hook.map((hook) => (HOOK_NAMES as Record<string, string>)[hook] ?? hook);
      const plugins = getPlugins({ all: flags.all }).filter((plugin) => wanted.every((hook) => plugin.hooks.includes(hook)));
      process.stdout.write(JSON.stringify(plugins, null, 2) + '\n');
    });

  program
    .command('install')
    .description('Install plugins from npm (a name, a local folder or a tarball) into the LLM user directory')
    .argument('[packages...]', 'Packages to install')
    .option('-U, --upgrade', 'Upgrade packages to their latest version')
    .option('-e, --editable <path>', 'Link a local plugin folder instead of copying it (for development)', collect, [])
    .action(async (packages: string[], flags: { upgrade?: boolean; editable: string[] }) => {
      const { installPlugins, pythonOnlyPlugin } = await import('../actions.js');
      for (const name of packages) {
        const refusal = pythonOnlyPlugin(name);
        if (refusal) throw new CliUsage(refusal);
      }
      const result = installPlugins(packages, { upgrade: flags.upgrade, editable: flags.editable });
      for (const warning of result.warnings) process.stderr.write(`Warning: ${warning}\n`);
      for (const plugin of result.installed) {
        if (plugin.isPlugin) process.stderr.write(`Installed ${plugin.name}${plugin.version ? ` ${plugin.version}` : ''}\n`);
      }
    });

  program
    .command('uninstall')
    .description('Uninstall plugins from the LLM user directory')
    .argument('<packages...>', 'Plugins to uninstall')
    .option('-y, --yes', "Don't ask for confirmation")
    .action(async (packages: string[]) => {
      const { uninstallPlugins } = await import('../actions.js');
      uninstallPlugins(packages);
    });
}
