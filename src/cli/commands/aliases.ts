import type { Command } from 'commander';
import { collect } from '../util.js';

export function register(program: Command): void {
  const aliases = program
    .command('aliases')
    .summary('Manage model aliases')
    .description('Manage model aliases')
    .helpOption('-h, --help', 'Show this message and exit.');

  aliases
    .command('list', { isDefault: true })
    .description('List current aliases')
    .option('--json', 'Output as JSON')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (flags: { json?: boolean }) => {
      const { getModelsWithAliases, getEmbeddingModelsWithAliases } = await import('../actions.js');
      const rows: [string, string, string][] = [];
      for (const entry of getModelsWithAliases()) {
        for (const alias of entry.aliases) if (alias !== entry.model.modelId) rows.push([alias, entry.model.modelId, '']);
      }
      for (const entry of getEmbeddingModelsWithAliases()) {
        for (const alias of entry.aliases) {
          if (alias !== entry.model.modelId) rows.push([alias, entry.model.modelId, 'embedding']);
        }
      }
      if (flags.json) {
        // Python's dict order: each alias where it first appears (a JS object would put
        // integer-like keys such as "4" first), ASCII-only as json.dumps writes it.
        const { pythonDumps } = await import('../actions.js');
        const merged = new Map(rows.map(([a, m]) => [a, m]));
        const lines = [...merged].map(([a, m]) => `    ${pythonDumps(a)}: ${pythonDumps(m)}`);
        process.stdout.write(lines.length ? `{\n${lines.join(',\n')}\n}\n` : '{}\n');
        return;
      }
      if (!rows.length) return;
      const width = Math.max(...rows.map(([a]) => a.length));
      const lines = rows.map(([alias, model, type]) => `${alias.padEnd(width)} : ${model}${type ? ` (${type})` : ''}`);
      process.stdout.write(lines.join('\n') + '\n');
    });

  aliases
    .command('set')
    .description(
      'Set an alias for a model\n\nExample usage:\n\n    llm aliases set mini gpt-4o-mini\n\n' +
        'Alternatively you can omit the model ID and specify one or more -q options.\n' +
        'The first model matching all of those query strings will be used.\n\n    llm aliases set mini -q 4o -q mini',
    )
    .argument('<alias>')
    .argument('[model_id]')
    .option('-q, --query <text>', 'Set alias for model matching these strings', collect)
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (alias: string, modelId: string | undefined, flags: { query?: string[] }) => {
      const { getModelsWithAliases, setAlias } = await import('../actions.js');
      const { UsageError, UnknownModelError } = await import('../actions.js');
      if (modelId) {
        setAlias(alias, modelId);
        return;
      }
      const queries = flags.query ?? [];
      if (!queries.length) throw new UsageError('You must provide a model_id or at least one -q option');
      const found = getModelsWithAliases().find((entry) =>
        queries.every((q) => {
          const lower = q.toLowerCase();
          return entry.model.modelId.toLowerCase().includes(lower) || entry.aliases.some((a) => a.toLowerCase().includes(lower));
        }),
      );
      if (!found) throw new UnknownModelError(`No model found matching query: ${queries.join(', ')}`);
      setAlias(alias, found.model.modelId);
      process.stderr.write(`Alias '${alias}' set to model '${found.model.modelId}'\n`);
    });

  aliases
    .command('remove')
    .description('Remove an alias\n\nExample usage:\n\n    $ llm aliases remove turbo')
    .argument('<alias>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (alias: string) => {
      const { removeAlias } = await import('../actions.js');
      removeAlias(alias);
    });

  aliases
    .command('path')
    .description('Output the path to the aliases.json file')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { aliasesPath } = await import('../actions.js');
      process.stdout.write(aliasesPath() + '\n');
    });
}
