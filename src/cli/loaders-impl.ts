// `llm fragments loaders` and `llm templates loaders`: the loaders plugins register.
import { getFragmentLoaders, getTemplateLoaders } from '../plugins/loaders.js';

/**
 * The prefixes of the loaders plugins register, each with its description: a loader's
 * `description` property (JavaScript has no docstrings), else "Undocumented" as in Python.
 */
function loadersListing(loaders: ReadonlyMap<string, unknown>, none: string): string {
  if (!loaders.size) return `${none}\n`;
  return [...loaders]
    .map(([prefix, loader]) => {
      const docs = typeof (loader as { description?: unknown }).description === 'string' ? (loader as { description: string }).description.trim() : '';
      return `${prefix}:\n${(docs || 'Undocumented').replace(/^/gm, '  ')}\n`;
    })
    .join('\n');
}

/** `llm fragments loaders`. */
export function fragmentsLoaders(): void {
  process.stdout.write(loadersListing(getFragmentLoaders(), 'No fragment loaders found'));
}

/** `llm templates loaders`. */
export function templatesLoaders(): void {
  process.stdout.write(loadersListing(getTemplateLoaders(), 'No template loaders found'));
}
