import type { LlmPlugin } from 'llm-ts';
import { CHAT_MODEL_IDS, EMBEDDING_MODELS } from './catalog.js';
import { GeminiEmbeddingModel, GeminiPro } from './models.js';

/**
 * The Gemini plugin: Google's Gemini and Gemma chat models as `gemini/<id>` (alias `<id>`)
 * and Gemini embedding models. Registration builds objects only; request code is loaded
 * by the first prompt.
 */
const plugin: LlmPlugin = {
  name: 'llm-ts-gemini',
  registerModels(register) {
    for (const id of CHAT_MODEL_IDS) register(new GeminiPro(id), null, [id]);
  },
  registerEmbeddingModels(register) {
    for (const spec of EMBEDDING_MODELS) register(new GeminiEmbeddingModel(spec));
  },
};

export default plugin;
export { GeminiEmbeddingModel, GeminiPro } from './models.js';
export { GoogleSearch, URLContext, CodeExecution } from './server-side-tools.js';
export { CHAT_MODEL_IDS, EMBEDDING_MODELS } from './catalog.js';
