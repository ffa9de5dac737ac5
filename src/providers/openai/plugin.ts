import type { LlmPlugin } from '../../plugins/types.js';

/** The built-in OpenAI plugin. (Being written: models are registered here.) */
export const openaiPlugin: LlmPlugin = {
  name: 'llm-default-plugins.openai',
  registerModels() {},
  registerEmbeddingModels() {},
};
