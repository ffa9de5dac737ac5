import { existsSync } from 'node:fs';
import type { Command } from 'commander';

export function register(program: Command): void {
  const keys = program
    .command('keys')
    .summary('Manage stored API keys for different models')
    .description('Manage stored API keys for different models')
    .helpOption('-h, --help', 'Show this message and exit.');

  keys
    .command('list', { isDefault: true })
    .description('List names of all stored keys')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { loadKeys, keysPath } = await import('../actions.js');
      if (!existsSync(keysPath())) {
        process.stdout.write('No keys found\n');
        return;
      }
      const names = Object.keys(loadKeys()).sort();
      process.stdout.write(names.length ? names.join('\n') + '\n' : 'No keys found\n');
    });

  keys
    .command('path')
    .description('Output the path to the keys.json file')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async () => {
      const { keysPath } = await import('../actions.js');
      process.stdout.write(keysPath() + '\n');
    });

  keys
    .command('get')
    .description('Return the value of a stored key\n\nExample usage:\n\n    export OPENAI_API_KEY=$(llm keys get openai)')
    .argument('<name>')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string) => {
      const { loadKeys } = await import('../actions.js');
      const { UsageError } = await import('../actions.js');
      const value = loadKeys()[name];
      if (value === undefined) throw new UsageError(`No key found with name '${name}'`);
      process.stdout.write(value + '\n');
    });

  keys
    .command('set')
    .description('Save a key in the keys.json file\n\nExample usage:\n\n    $ llm keys set openai\n    Enter key: ...')
    .argument('<name>')
    .option('--value <value>', 'Value to set')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string, flags: { value?: string }) => {
      const { setKey, loadKeys } = await import('../actions.js');
      const { UsageError } = await import('../actions.js');
      // Read keys.json first: a corrupt file is reported before anything is asked.
      loadKeys();
      let value = flags.value;
      if (value === undefined) {
        const { readSecret } = await import('../actions.js');
        value = await readSecret('Enter key: ');
      }
      if (!value) throw new UsageError('No key given: the key was empty');
      setKey(name, value);
    });
}
