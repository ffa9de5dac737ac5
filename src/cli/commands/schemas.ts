import type { Command } from 'commander';
import { collect } from '../util.js';

export function register(program: Command): void {
  const schemas = program
    .command('schemas')
    .summary('Manage stored schemas')
    .description('Manage stored schemas')
    .helpOption('-h, --help', 'Show this message and exit.');

  schemas
    .command('list', { isDefault: true })
    .description('List stored schemas')
    .option('-d, --database <file>', 'Path to log database')
    .option('-q, --query <text>', 'Search for schemas matching this string', collect)
    .option('--full', 'Output full schema contents')
    .option('--json', 'Output as JSON')
    .option('--nl', 'Output as newline-delimited JSON')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { database?: string; query?: string[]; full?: boolean; json?: boolean; nl?: boolean }) => {
      const { listSchemas } = await import('../actions.js');
      await listSchemas(flags);
    });

  schemas
    .command('show')
    .description('Show a stored schema')
    .argument('<schema_id>')
    .option('-d, --database <file>', 'Path to log database')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (id: string, flags: { database?: string }) => {
      const { showSchema } = await import('../actions.js');
      await showSchema(id, flags.database);
    });

  schemas
    .command('dsl')
    .description("Convert LLM's schema DSL to a JSON schema\n\n    llm schema dsl 'name, age int, bio: their bio'")
    .argument('<input>')
    .option('--multi', 'Wrap in an array')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (input: string, flags: { multi?: boolean }) => {
      const { schemaDsl } = await import('../actions.js');
      process.stdout.write(JSON.stringify(schemaDsl(input, { multi: flags.multi }), null, 2) + '\n');
    });
}
