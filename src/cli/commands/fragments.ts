import type { Command } from 'commander';
import { collect } from '../util.js';

export function register(program: Command): void {
  const fragments = program
    .command('fragments')
    .summary('Manage fragments that are stored in the database')
    .description(
      'Manage fragments that are stored in the database\n\nFragments are reusable snippets of text that are shared across multiple prompts.',
    )
    .helpOption('-h, --help', 'Show this message and exit.');

  fragments
    .command('list', { isDefault: true })
    .description('List current fragments')
    .option('-q, --query <text>', 'Search for fragments matching these strings', collect)
    .option('--aliases', 'Show only fragments with aliases')
    .option('--json', 'Output as JSON')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { query?: string[]; aliases?: boolean; json?: boolean }) => {
      const { fragmentsList } = await import('../actions.js');
      await fragmentsList(flags);
    });

  fragments
    .command('set')
    .description("Set an alias for a fragment\n\nAccepts an alias and a file path, URL, hash or '-' for stdin\n\nExample usage:\n\n    llm fragments set mydocs ./docs.md")
    .argument('<alias>')
    .argument('<fragment>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (alias: string, fragment: string) => {
      const { fragmentsSet } = await import('../actions.js');
      await fragmentsSet(alias, fragment);
    });

  fragments
    .command('show')
    .description('Display the fragment stored under an alias or hash\n\n    llm fragments show mydocs')
    .argument('<alias_or_hash>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (aliasOrHash: string) => {
      const { fragmentsShow } = await import('../actions.js');
      await fragmentsShow(aliasOrHash);
    });

  fragments
    .command('remove')
    .description('Remove a fragment alias\n\nExample usage:\n\n    llm fragments remove docs')
    .argument('<alias>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (alias: string) => {
      const { fragmentsRemove } = await import('../actions.js');
      fragmentsRemove(alias);
    });

  fragments
    .command('loaders')
    .description('Show fragment loaders registered by plugins')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { fragmentsLoaders } = await import('../actions.js');
      fragmentsLoaders();
    });
}
