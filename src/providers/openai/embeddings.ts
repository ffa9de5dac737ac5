import { ApiError, UsageError } from '../../errors.js';
import type { EmbedContext, EmbeddingInput } from '../../models/embedding-model.js';
import { baseUrl, postJson, readJson } from './shared.js';

interface EmbeddingModelLike {
  readonly openaiModelId: string;
  readonly dimensions?: number;
}

/** One call to /embeddings; returns the vectors in input order. */
export async function embedBatch(model: EmbeddingModelLike, items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
  const input = items.map((item) => {
    if (typeof item !== 'string') throw new UsageError('OpenAI embedding models only accept text');
    return item;
  });
  const body: Record<string, unknown> = { input, model: model.openaiModelId, encoding_format: 'float' };
  if (model.dimensions) body.dimensions = model.dimensions;
  const response = await postJson(`${baseUrl({})}/embeddings`, body, { key: context.key, signal: context.signal });
  const json = await readJson(response, 'response');
  const data = json.data;
  if (!Array.isArray(data) || data.length !== input.length) {
    throw new ApiError(
      `OpenAI API returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${input.length} inputs`,
      response.status,
      'OpenAI',
    );
  }
  const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return ordered.map((entry) => (entry.embedding as number[]).map(Number));
}
