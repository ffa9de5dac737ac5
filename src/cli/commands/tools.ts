import type { Command } from 'commander';

export function register(program: Command): void {
  const tools = program
    .command('tools')
    .summary('Manage tools that can be made available to LLMs')
    .description('Manage tools that can be made available to LLMs')
    .helpOption('-h, --help', 'Show this message and exit.');

  tools
    .command('list', { isDefault: true })
    .description('List available tools, optionally including tools supported by a model')
    .argument('[tool_defs...]')
    .option('--json', 'Output as JSON')
    .option('-m, --model <model_id>', 'Also show server-side tools supported by this model')
    .option('--functions <code_or_path>', 'JavaScript/TypeScript file or code block defining functions to register as tools', (v: string, p: string[] = []) => [...p, v])
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (specs: string[], flags: { json?: boolean; functions?: string[]; model?: string }) => {
      const { listTools } = await import('../actions.js');
      await listTools(specs, flags);
    });
}
