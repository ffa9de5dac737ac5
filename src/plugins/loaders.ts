import { activePlugins } from './registry.js';
import type { LlmPlugin } from './types.js';
import { warnPluginFailure } from './warnings.js';

/** Turns the rest of `-t prefix:rest` into a template (the object a template file holds). */
export type TemplateLoader = (name: string) => unknown;
/** Turns the rest of `-f prefix:rest` into fragments: a string, `{ content, source }`, an Attachment, or a list of them. */
export type FragmentLoader = (argument: string) => unknown;

type Registrar<L> = (register: (prefix: string, loader: L) => void) => void;

/**
 * The loaders every active plugin registers, by prefix. As in Python, a prefix registered
 * twice keeps the first and numbers the others: `prefix_1`, `prefix_2`...
 */
function collect<L>(hookOf: (plugin: LlmPlugin) => Registrar<L> | undefined): Map<string, L> {
  const loaders = new Map<string, L>();
  for (const plugin of activePlugins()) {
    const hook = hookOf(plugin);
    if (!hook) continue;
    try {
      hook((prefix, loader) => {
        let key = prefix;
        for (let n = 1; loaders.has(key); n++) key = `${prefix}_${n}`;
        loaders.set(key, loader);
      });
    } catch (error) {
      warnPluginFailure(plugin.name, error);
    }
  }
  return loaders;
}

export function getTemplateLoaders(): Map<string, TemplateLoader> {
  return collect<TemplateLoader>((plugin) => plugin.registerTemplateLoaders?.bind(plugin));
}

export function getFragmentLoaders(): Map<string, FragmentLoader> {
  return collect<FragmentLoader>((plugin) => plugin.registerFragmentLoaders?.bind(plugin));
}

/** `prefix:rest` names a plugin loader when the prefix is a plain word (Python's rule). */
export function splitLoaderPrefix(value: string): [prefix: string, rest: string] | undefined {
  const match = /^([a-zA-Z0-9_-]+):([\s\S]*)$/.exec(value);
  return match ? [match[1]!, match[2]!] : undefined;
}
