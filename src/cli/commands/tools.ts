import type { Command } from 'commander';

export function register(program: Command): void {
  const tools = program
    .command('tools')
    .summary('Manage tools that can be made available to LLMs')
    .description('Manage tools that can be made available to LLMs')
    .helpOption('-h, --help', 'Show this message and exit.');

  tools
    .command('list', { isDefault: true })
    .description('List available tools that have been provided by plugins')
    .option('--json', 'Output as JSON')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { json?: boolean }) => {
      const { listTools } = await import('../actions.js');
      await listTools(flags);
    });
}
