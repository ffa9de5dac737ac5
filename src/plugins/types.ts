import type { EmbeddingModel } from '../models/embedding-model.js';
import type { Model } from '../models/model.js';

export type RegisterModel = (model: Model, asyncModel?: Model | null, aliases?: readonly string[]) => void;
export type RegisterEmbeddingModel = (model: EmbeddingModel, aliases?: readonly string[]) => void;

/**
 * A plugin: the TypeScript form of Python llm's hooks. Every hook is optional. Hooks
 * must be cheap: import heavy code inside `execute()`, not at registration.
 */
export interface LlmPlugin {
  name: string;
  registerModels?(register: RegisterModel): void;
  registerEmbeddingModels?(register: RegisterEmbeddingModel): void;
  /** Receives the CLI's root commander `Command`. */
  registerCommands?(program: unknown): void;
  registerTemplateLoaders?(register: (prefix: string, loader: (name: string) => unknown) => void): void;
  registerFragmentLoaders?(register: (prefix: string, loader: (argument: string) => unknown) => void): void;
  registerTools?(register: (tool: unknown, name?: string) => void): void;
}

export interface ModelWithAliases {
  model: Model;
  asyncModel: Model | null;
  aliases: string[];
}

export interface EmbeddingModelWithAliases {
  model: EmbeddingModel;
  aliases: string[];
}
