import type { LlmPlugin } from './types.js';

/** Plugins installed with `llm install`, loaded lazily from their manifests. */
export function installedPlugins(): LlmPlugin[] {
  return [];
}
