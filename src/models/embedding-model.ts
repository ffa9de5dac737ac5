import { modelKey } from '../config/keys.js';
import { UsageError } from '../errors.js';

export type EmbeddingInput = string | Uint8Array;

export interface EmbedContext {
  key: string | undefined;
  signal: AbortSignal | undefined;
}

/**
 * An embedding model. A provider implements `embedBatch()`; `embed()` and
 * `embedMulti()` check inputs, resolve the key and batch.
 */
export abstract class EmbeddingModel {
  abstract readonly modelId: string;
  supportsText = true;
  supportsBinary = false;
  /** Largest batch the provider accepts in one call, if limited. */
  batchSize: number | undefined = undefined;
  needsKey: string | null = null;
  keyEnvVar: string | null = null;
  key: string | undefined = undefined;

  abstract embedBatch(items: EmbeddingInput[], context: EmbedContext): Promise<number[][]>;

  toString(): string {
    return `${this.constructor.name}: ${this.modelId}`;
  }

  async embed(item: EmbeddingInput, options: { key?: string; signal?: AbortSignal } = {}): Promise<number[]> {
    const [vector] = await this.embedMulti([item], options);
    return vector!;
  }

  async embedMulti(
    items: Iterable<EmbeddingInput>,
    options: { batchSize?: number; key?: string; signal?: AbortSignal } = {},
  ): Promise<number[][]> {
    const list = [...items];
    for (const item of list) this.check(item);
    const key = this.getKey(options.key);
    const size = Math.max(1, Math.min(options.batchSize ?? this.batchSize ?? 100, this.batchSize ?? Infinity));
    const vectors: number[][] = [];
    for (let start = 0; start < list.length; start += size) {
      const batch = list.slice(start, start + size);
      vectors.push(...(await this.embedBatch(batch, { key, signal: options.signal })));
    }
    return vectors;
  }

  getKey(explicit?: string | null): string | undefined {
    return modelKey(this, explicit);
  }

  private check(item: EmbeddingInput): void {
    if (typeof item === 'string') {
      if (!this.supportsText) throw new UsageError('This model does not support text strings, only binary data');
    } else if (!this.supportsBinary) {
      throw new UsageError('This model does not support binary data, only text strings');
    }
  }
}
