import type { LlmPlugin } from 'llm-ts';
import { type CachedModel, currentModels } from './cache.js';
import { OllamaChat, OllamaEmbed } from './models.js';

export { OllamaChat, OllamaEmbed, OLLAMA_OPTIONS } from './models.js';
export { ollamaHost, refreshModelCache, readCache, cachePath } from './cache.js';

/** The few commander methods the commands use (the CLI passes its root Command). */
interface CommandLike {
  command(name: string): CommandLike;
  description(text: string): CommandLike;
  action(fn: (...args: unknown[]) => unknown): CommandLike;
}

function aliasesOf(name: string): string[] {
  return name.endsWith(':latest') ? [name.slice(0, -':latest'.length)] : [];
}

function isChatModel(model: CachedModel): boolean {
  return !model.capabilities || model.capabilities.includes('completion');
}

/** llm-ts-ollama: the models of a local Ollama server, listed from a cache (see README). */
const plugin: LlmPlugin = {
  name: 'llm-ts-ollama',
  registerModels(register) {
    for (const model of currentModels()) {
      if (isChatModel(model)) register(new OllamaChat(model.name, model.capabilities), null, aliasesOf(model.name));
    }
  },
  registerEmbeddingModels(register) {
    // As llm-ollama does: every model the server has can embed through /api/embed.
    for (const model of currentModels()) register(new OllamaEmbed(model.name), aliasesOf(model.name));
  },
  registerCommands(program) {
    const group = (program as CommandLike)
      .command('ollama')
      .description('Commands for working with models hosted on an Ollama server');
    group
      .command('refresh')
      .description("Ask the Ollama server (OLLAMA_HOST) for its models and update llm's list of them")
      .action(async () => {
        const { runRefresh } = await import('./commands.js');
        await runRefresh();
      });
    group
      .command('models')
      .description('List the models available on the Ollama server')
      .action(async () => {
        const { runModels } = await import('./commands.js');
        await runModels();
      });
  },
};

export default plugin;
