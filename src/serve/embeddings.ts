// POST /v1/embeddings: any embedding model llm knows, as OpenAI answers (float or base64).
import { getEmbeddingModel } from '../plugins/registry.js';
import { HttpError } from './errors.js';

type Json = Record<string, any>;

export async function embeddings(body: Json, signal: AbortSignal): Promise<Response> {
  const input = body.input;
  const items: string[] = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((i) => typeof i === 'string') ? input : [];
  if (!items.length) throw new HttpError(400, "'input' must be a string or a non-empty array of strings", 'invalid_request_error', 'input');
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') throw new HttpError(400, "encoding_format must be 'float' or 'base64'", 'invalid_request_error', 'encoding_format');
  const model = getEmbeddingModel(body.model);
  const vectors = await model.embedMulti(items, { signal });
  return Response.json({
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: format === 'base64' ? base64Floats(vector) : vector })),
    model: String(body.model ?? model.modelId),
    usage: { prompt_tokens: 0, total_tokens: 0 },
  });
}

/** OpenAI's base64 encoding: little-endian float32s. */
function base64Floats(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}
