// llm providers: one-line setup of well-known OpenAI-compatible services.
import type { Command } from 'commander';
import { collect } from '../util.js';

export interface ProvidersFlags {
  key?: string;
  baseUrl?: string;
  model?: string[];
  json?: boolean;
}

export function register(program: Command): void {
  const providers = program
    .command('providers')
    .description('Add OpenAI-compatible services (OpenRouter, Groq, Together, DeepSeek, xAI, ...) in one line');
  providers
    .command('list', { isDefault: true })
    .description('List the services that can be added, and how many models each has')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--json', 'Output as JSON')
    .action(async (flags: ProvidersFlags) => {
      const { providersList } = await import('../actions.js');
      await providersList(flags);
    });
  providers
    .command('add')
    .description(
      "Add a service's models to extra-openai-models.yaml as NAME/MODEL, listed from its /models\n" +
        'endpoint (or a built-in list when that cannot be read yet). Then: llm keys set NAME',
    )
    .argument('<name>', 'Service name, e.g. groq')
    .helpOption('-h, --help', 'Show this message and exit.')
    .option('--key <key>', 'API key for listing its models (else the stored key or its variable)')
    .option('--base-url <url>', 'Another address for it (a local server on another port, a proxy)')
    .option('-m, --model <id>', 'Add only this model (repeatable)', collect)
    .action(async (name: string, flags: ProvidersFlags) => {
      const { providersAdd } = await import('../actions.js');
      await providersAdd(name, flags);
    });
  providers
    .command('remove')
    .description('Remove the models `llm providers add NAME` added')
    .argument('<name>', 'Service name')
    .helpOption('-h, --help', 'Show this message and exit.')
    .action(async (name: string) => {
      const { providersRemove } = await import('../actions.js');
      await providersRemove(name);
    });
}
