import type { Command } from 'commander';
import type { CommandManifest } from './manifest.js';
import type { LlmPlugin } from './types.js';

export type PlaceholderProgram = Command;

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * Adds, for each command a cached plugin registered, a stand-in with the same name and
 * description (so `llm --help` lists it). Running one imports the plugin, removes the
 * stand-ins, lets the plugin register its real commands and parses argv again.
 */
export function addPlaceholderCommands(
  program: Command,
  manifest: { name: string; commands: readonly CommandManifest[] },
  load: () => Promise<LlmPlugin>,
): void {
  const placeholders: Command[] = [];
  const taken = (name: string) => program.commands.some((c) => c.name() === name || c.aliases().includes(name));
  for (const spec of manifest.commands) {
    if (taken(spec.name)) continue;
    const command = program
      .command(spec.name)
      .description(spec.description)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]');
    for (const alias of spec.aliases) if (!taken(alias)) command.alias(alias);
    command.action(async () => {
      const raw = [...(program as unknown as { rawArgs: string[] }).rawArgs];
      for (const placeholder of placeholders) {
        const commands = program.commands as Command[];
        const index = commands.indexOf(placeholder);
        if (index !== -1) commands.splice(index, 1);
      }
      const before = new Set(program.commands);
      const plugin = await load();
      plugin.registerCommands?.(program);
      // The real commands behave like the rest of the program (exit and output handling).
      const inherit = (command: Command) => {
        command.copyInheritedSettings(command.parent ?? program);
        command.commands.forEach(inherit);
      };
      for (const added of program.commands) if (!before.has(added)) inherit(added);
      const from = sameArgs(raw, process.argv) ? 'node' : sameArgs(raw, process.argv.slice(1)) ? 'eval' : 'user';
      await program.parseAsync(raw, { from: from as 'node' | 'user' });
    });
    placeholders.push(command);
  }
}
