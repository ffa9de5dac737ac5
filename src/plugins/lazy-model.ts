import { LlmError, UsageError } from '../errors.js';
import { type EmbedContext, type EmbeddingInput, EmbeddingModel } from '../models/embedding-model.js';
import type { ModelEventChunk } from '../models/events.js';
import { deferredEvents, type ExecuteContext, Model } from '../models/model.js';
import type { OptionsSpec } from '../models/options.js';
import type { Prompt } from '../models/prompt.js';
import type { EmbeddingModelManifest, ModelManifest } from './manifest.js';
import type { LlmPlugin } from './types.js';

/** Imports an installed plugin's code (once per process). */
export type PluginLoader = () => Promise<LlmPlugin>;

/**
 * A chat model known from the plugin cache. It answers every question about itself
 * from the cache and imports the plugin only when a prompt is actually run.
 */
export class LazyModel extends Model {
  readonly modelId: string;
  override readonly optionsSpec: OptionsSpec;
  private real: Promise<Model> | undefined;

  constructor(
    private readonly manifest: ModelManifest,
    private readonly pluginName: string,
    private readonly load: PluginLoader,
    private readonly asyncVariant = false,
  ) {
    super();
    this.modelId = manifest.modelId;
    this.canStream = manifest.canStream;
    this.supportsSchema = manifest.supportsSchema;
    this.supportsTools = manifest.supportsTools;
    this.supportsToolChoice = manifest.supportsToolChoice ?? true;
    this.attachmentTypes = new Set(manifest.attachmentTypes);
    this.needsKey = manifest.needsKey;
    this.keyEnvVar = manifest.keyEnvVar;
    this.optionsSpec = manifest.optionsSpec;
  }

  override toString(): string {
    return this.asyncVariant && this.manifest.asyncLabel ? this.manifest.asyncLabel : this.manifest.label;
  }

  /** The plugin's own model object (imports the plugin on first use). */
  resolve(): Promise<Model> {
    this.real ??= this.load().then((plugin) => {
      let found: Model | undefined;
      plugin.registerModels?.((model, asyncModel, _aliases) => {
        if (!found && model.modelId === this.modelId) found = this.asyncVariant ? (asyncModel ?? model) : model;
      });
      if (!found) throw new LlmError(`Plugin ${this.pluginName} no longer provides the model ${this.modelId}; run 'llm plugins' to refresh`);
      return found;
    });
    this.real.catch(() => {
      this.real = undefined;
    });
    return this.real;
  }

  execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEventChunk> {
    return deferredEvents(async () => {
      const real = await this.resolve();
      // Run the plugin's own checks too (the cache keeps options as data only).
      real.validate({ ...prompt.options });
      if (prompt.toolChoice !== undefined && prompt.toolChoice !== 'auto' && !real.supportsToolChoice) {
        throw new UsageError(`${real} does not support toolChoice (choosing whether or which tool the model calls)`);
      }
      return real.execute(prompt, context);
    });
  }
}

/** An embedding model known from the plugin cache; imports the plugin in `embedBatch()`. */
export class LazyEmbeddingModel extends EmbeddingModel {
  readonly modelId: string;
  private real: Promise<EmbeddingModel> | undefined;

  constructor(
    private readonly manifest: EmbeddingModelManifest,
    private readonly pluginName: string,
    private readonly load: PluginLoader,
  ) {
    super();
    this.modelId = manifest.modelId;
    this.supportsText = manifest.supportsText;
    this.supportsBinary = manifest.supportsBinary;
    this.batchSize = manifest.batchSize ?? undefined;
    this.needsKey = manifest.needsKey;
    this.keyEnvVar = manifest.keyEnvVar;
  }

  override toString(): string {
    return this.manifest.label;
  }

  resolve(): Promise<EmbeddingModel> {
    this.real ??= this.load().then((plugin) => {
      let found: EmbeddingModel | undefined;
      plugin.registerEmbeddingModels?.((model) => {
        if (!found && model.modelId === this.modelId) found = model;
      });
      if (!found) {
        throw new LlmError(`Plugin ${this.pluginName} no longer provides the embedding model ${this.modelId}; run 'llm plugins' to refresh`);
      }
      return found;
    });
    this.real.catch(() => {
      this.real = undefined;
    });
    return this.real;
  }

  async embedBatch(items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
    const real = await this.resolve();
    return real.embedBatch(items, context);
  }
}
