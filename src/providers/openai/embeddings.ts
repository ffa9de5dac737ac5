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
  return ordered.map((entry) => vector(entry?.embedding, response.status));
}

/** One embedding as numbers: a list of numbers, or base64 float32s (`encoding_format: "base64"`, which some servers always send). */
function vector(embedding: unknown, status: number): number[] {
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length > 0 && bytes.length % 4 === 0) {
      return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
    }
  } else if (Array.isArray(embedding) && embedding.every((n) => typeof n === 'number')) {
    return embedding as number[];
  }
  throw new ApiError('OpenAI API returned an embedding that is not a list of numbers', status, 'OpenAI');
}
