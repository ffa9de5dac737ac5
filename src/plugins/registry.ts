import { deleteAlias, loadAliases, writeAlias } from '../config/aliases.js';
import { didYouMean } from '../util/suggest.js';
import {
  DEFAULT_MODEL,
  readDefaultEmbeddingModelSetting,
  readDefaultModelSetting,
  writeDefaultEmbeddingModelSetting,
  writeDefaultModelSetting,
} from '../config/defaults.js';
import { UnknownModelError } from '../errors.js';
import type { EmbeddingModel } from '../models/embedding-model.js';
import type { Model } from '../models/model.js';
import { registerModelResolver } from '../models/model-resolver.js';
import { builtinPlugins } from './builtin.js';
import { installedPlugins } from './installed.js';
import type { EmbeddingModelWithAliases, LlmPlugin, ModelWithAliases } from './types.js';
import { warnPluginFailure } from './warnings.js';

const programmatic: LlmPlugin[] = [];

/** Adds a plugin object at run time (tests, scripts, or an app that defines its own models). */
export function registerPlugin(plugin: LlmPlugin): void {
  if (!programmatic.includes(plugin)) programmatic.push(plugin);
}

export function unregisterPlugin(plugin: LlmPlugin): void {
  const index = programmatic.indexOf(plugin);
  if (index !== -1) programmatic.splice(index, 1);
}

/** Every active plugin: built-in, installed (as allowed by LLM_LOAD_PLUGINS), then programmatic. */
export function activePlugins(): LlmPlugin[] {
  return [...builtinPlugins(), ...installedPlugins(), ...programmatic];
}

/** Runs a hook of every plugin; a plugin that throws is reported once and skipped. */
export function eachPlugin(hook: (plugin: LlmPlugin) => void): void {
  for (const plugin of activePlugins()) {
    try {
      hook(plugin);
    } catch (error) {
      warnPluginFailure(plugin.name, error);
    }
  }
}

export { warnPluginFailure };

/** Every chat model with its aliases (plugin aliases, then aliases.json). */
export function getModelsWithAliases(): ModelWithAliases[] {
  const entries: ModelWithAliases[] = [];
  eachPlugin((plugin) =>
    plugin.registerModels?.((model, asyncModel, aliases) => {
      entries.push({ model, asyncModel: asyncModel ?? null, aliases: [...(aliases ?? [])] });
    }),
  );
  const byId = new Map(entries.map((entry) => [entry.model.modelId, entry]));
  for (const [alias, modelId] of Object.entries(loadAliases())) {
    const entry = byId.get(modelId);
    if (entry && !entry.aliases.includes(alias)) entry.aliases.push(alias);
  }
  return entries;
}

export function getEmbeddingModelsWithAliases(): EmbeddingModelWithAliases[] {
  const entries: EmbeddingModelWithAliases[] = [];
  eachPlugin((plugin) =>
    plugin.registerEmbeddingModels?.((model, aliases) => {
      entries.push({ model, aliases: [...(aliases ?? [])] });
    }),
  );
  const byId = new Map(entries.map((entry) => [entry.model.modelId, entry]));
  for (const [alias, modelId] of Object.entries(loadAliases())) {
    const entry = byId.get(modelId);
    if (entry && !entry.aliases.includes(alias)) entry.aliases.push(alias);
  }
  return entries;
}

function lookup<T extends { modelId: string }>(entries: { model: T; aliases: string[] }[], name: string): T | undefined {
  let found: T | undefined;
  for (const entry of entries) {
    if (entry.model.modelId === name) return entry.model;
    if (!found && entry.aliases.includes(name)) found = entry.model;
  }
  if (found) return found;
  const lower = name.toLowerCase();
  return entries.find((e) => e.model.modelId.toLowerCase() === lower || e.aliases.some((a) => a.toLowerCase() === lower))
    ?.model;
}

/** "Unknown model: X", and the closest ids and aliases when some are close. */
function unknownModel(wanted: string, entries: ReadonlyArray<{ model: { modelId: string }; aliases: readonly string[] }>): UnknownModelError {
  const names = entries.flatMap((e) => [e.model.modelId, ...e.aliases]);
  return new UnknownModelError(`Unknown model: ${wanted}${didYouMean(wanted, names)}`);
}

/** A chat model by id or alias; with no name, the default model. */
export function getModel(name?: string | null): Model {
  const wanted = name || getDefaultModel();
  const entries = getModelsWithAliases();
  const model = lookup(entries, wanted);
  if (!model) throw unknownModel(wanted, entries);
  return model;
}

// Response.fromDict() finds its model by id through this.
registerModelResolver((id) => getModel(id));

/**
 * The async form of getModel. In TypeScript every model is already async, so this
 * returns the same kind of object (a plugin's dedicated async model when it has one).
 */
export function getAsyncModel(name?: string | null): Model {
  const wanted = name || getDefaultModel();
  const entries = getModelsWithAliases();
  const model = lookup(entries, wanted);
  if (!model) throw unknownModel(wanted, entries);
  return entries.find((e) => e.model === model)?.asyncModel ?? model;
}

export function getModels(): Model[] {
  return getModelsWithAliases().map((entry) => entry.model);
}

export function getAsyncModels(): Model[] {
  return getModelsWithAliases().map((entry) => entry.asyncModel ?? entry.model);
}

/** An embedding model by id or alias; with no name, the default embedding model. */
export function getEmbeddingModel(name?: string | null): EmbeddingModel {
  const wanted = name || getDefaultEmbeddingModel();
  if (!wanted) throw new UnknownModelError('No embedding model given and no default embedding model is set');
  const embeddingEntries = getEmbeddingModelsWithAliases();
  const model = lookup(embeddingEntries, wanted);
  if (!model) throw unknownModel(wanted, embeddingEntries);
  return model;
}

export function getEmbeddingModels(): EmbeddingModel[] {
  return getEmbeddingModelsWithAliases().map((entry) => entry.model);
}

/**
 * Points an alias at a model. The target may be a model id or another alias (resolved
 * to its model); if no chat or embedding model matches, the text is stored as given.
 */
export function setAlias(alias: string, modelIdOrAlias: string): void {
  let target = modelIdOrAlias;
  const chat = lookup(getModelsWithAliases(), modelIdOrAlias);
  if (chat) target = chat.modelId;
  else {
    const embedding = lookup(getEmbeddingModelsWithAliases(), modelIdOrAlias);
    if (embedding) target = embedding.modelId;
  }
  writeAlias(alias, target);
}

/** Removes an alias from aliases.json; throws a UsageError saying which alias is missing. */
export function removeAlias(alias: string): void {
  deleteAlias(alias);
}

export function getDefaultModel(options?: { default?: string | null }): string;
export function getDefaultModel(options: { default: null }): string | null;
export function getDefaultModel(options: { default?: string | null } = {}): string | null {
  const fallback = 'default' in options ? (options.default ?? null) : DEFAULT_MODEL;
  return readDefaultModelSetting() ?? fallback;
}

/** Sets the default model (an id or alias, stored as given); null removes the setting. */
export function setDefaultModel(model: string | null): void {
  writeDefaultModelSetting(model);
}

export function getDefaultEmbeddingModel(options: { default?: string | null } = {}): string | null {
  return readDefaultEmbeddingModelSetting() ?? options.default ?? null;
}

export function setDefaultEmbeddingModel(model: string | null): void {
  writeDefaultEmbeddingModelSetting(model);
}
