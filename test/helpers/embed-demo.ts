import { EmbeddingModel, type EmbeddingInput } from '../../src/models/embedding-model.js';
import type { LlmPlugin } from '../../src/plugins/types.js';

/**
 * A deterministic embedding model for tests, like Python llm's `embed-demo`: the vector
 * is the lengths of the first 16 words, zero-padded to 16. Bytes are split on ASCII
 * whitespace. It counts batches and records what it embedded.
 */
export class EmbedDemo extends EmbeddingModel {
  readonly modelId = 'embed-demo';
  override supportsBinary = true;
  override batchSize: number | undefined = 10;
  batchCount = 0;
  embedded: EmbeddingInput[] = [];

  async embedBatch(items: EmbeddingInput[]): Promise<number[][]> {
    this.batchCount++;
    return items.map((item) => {
      this.embedded.push(item);
      const words =
        typeof item === 'string'
          ? item.split(/\s+/).filter(Boolean)
          : Buffer.from(item).toString('latin1').split(/[ \t\n\r\x0b\x0c]+/).filter(Boolean);
      const vector = words.slice(0, 16).map((word) => word.length);
      while (vector.length < 16) vector.push(0);
      return vector;
    });
  }
}

/** A plugin registering one EmbedDemo instance (aliases: `demo`). */
export function embedDemoPlugin(model = new EmbedDemo()): LlmPlugin & { model: EmbedDemo } {
  return {
    name: 'llm-embed-demo',
    model,
    registerEmbeddingModels(register) {
      register(model, ['demo']);
    },
  };
}
