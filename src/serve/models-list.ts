// GET /v1/models: every chat and embedding model, by id and by each alias.
import { getEmbeddingModelsWithAliases, getModelsWithAliases } from '../plugins/registry.js';

export function modelsList(): Record<string, unknown> {
  const data: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const add = (id: string, kind: 'chat' | 'embedding', aliasFor?: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    data.push({ id, object: 'model', created: 0, owned_by: 'llm-ts', type: kind, ...(aliasFor ? { alias_for: aliasFor } : {}) });
  };
  for (const { model, aliases } of getModelsWithAliases()) {
    add(model.modelId, 'chat');
    for (const alias of aliases) add(alias, 'chat', model.modelId);
  }
  for (const { model, aliases } of getEmbeddingModelsWithAliases()) {
    add(model.modelId, 'embedding');
    for (const alias of aliases) add(alias, 'embedding', model.modelId);
  }
  return { object: 'list', data };
}
