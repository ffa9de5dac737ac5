import type { LlmPlugin } from 'llm-ts';
import { readConfig, readModelLists } from './config.js';
import { AiSdkEmbeddingModel, AiSdkModel } from './model.js';
import { modelsOf } from './model-list.js';

export { AiSdkModel, AiSdkEmbeddingModel, AI_SDK_OPTIONS } from './model.js';
export { CATALOG, type CatalogEntry } from './catalog.js';
export { readConfig, writeConfig, configPath, packagesDir, modelListsPath, readModelLists, type AddedProvider, type AiSdkConfig, type FetchedModelList } from './config.js';

/** The few commander methods the commands use (the CLI passes its root Command). */
interface CommandLike {
  command(name: string): CommandLike;
  description(text: string): CommandLike;
  option(flags: string, description: string, parse?: (value: string, previous: string[]) => string[], initial?: string[]): CommandLike;
  action(fn: (...args: any[]) => unknown): CommandLike;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * llm-ts-ai-sdk: the models of the AI SDK's provider packages. `llm ai-sdk add mistral`
 * installs @ai-sdk/mistral and records the provider in ai-sdk.json; registration reads
 * that file only, so nothing of the AI SDK loads until one of its models runs.
 */
const plugin: LlmPlugin = {
  name: 'llm-ts-ai-sdk',
  registerModels(register) {
    const providers = Object.entries(readConfig().providers);
    const lists = providers.length ? readModelLists() : {};
    for (const [name, provider] of providers) {
      for (const entry of modelsOf(name, provider, lists[name])) {
        register(new AiSdkModel(name, provider, entry.id, entry.attachments), null, entry.aliases ?? []);
      }
    }
  },
  registerEmbeddingModels(register) {
    for (const [name, provider] of Object.entries(readConfig().providers)) {
      for (const entry of provider.embeddingModels ?? []) register(new AiSdkEmbeddingModel(name, provider, entry.id, entry.batchSize), entry.aliases ?? []);
    }
  },
  registerCommands(program) {
    const group = (program as CommandLike)
      .command('ai-sdk')
      .description("Models from the AI SDK's provider packages (@ai-sdk/mistral, @ai-sdk/groq, @ai-sdk/azure...)");
    group
      .command('add <provider>')
      .description('Install a provider package and make its models available, e.g. llm ai-sdk add mistral')
      .option('-m, --model <id>', 'A model id to add (repeatable; e.g. an Azure deployment name)', collect, [])
      .option('-e, --embedding-model <id>', 'An embedding model id to add (repeatable)', collect, [])
      .option('--base-url <url>', "Send requests to this base URL instead of the provider's")
      .option('-s, --setting <name=value>', 'A setting for the provider factory, e.g. resourceName=my-resource (repeatable)', collect, [])
      .option('--package <spec>', 'npm package of a provider not in the built-in list, e.g. @ai-sdk/xai@^2')
      .option('--factory <name>', 'Its factory export, e.g. createXai')
      .option('--key-env <var>', 'Its key environment variable, e.g. XAI_API_KEY')
      .action(async (provider: string, options: Record<string, unknown>) => {
        const { runAdd } = await import('./commands.js');
        runAdd(provider, options);
      });
    group
      .command('list')
      .description('List the providers added, and the ones that can be added by name')
      .action(async () => {
        const { runList } = await import('./commands.js');
        runList();
      });
    group
      .command('refresh [provider]')
      .description("Fetch the providers' model lists from their model-listing endpoints (all added providers, or one)")
      .action(async (provider: string | undefined) => {
        const { runRefresh } = await import('./commands.js');
        await runRefresh(provider);
      });
    group
      .command('remove <provider>')
      .description("Remove a provider's models (its package stays installed)")
      .action(async (provider: string) => {
        const { runRemove } = await import('./commands.js');
        runRemove(provider);
      });
  },
};

export default plugin;
