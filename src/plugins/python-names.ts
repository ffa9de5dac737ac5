// Plugins of Python llm (PyPI names) that have an llm-ts counterpart on npm. `llm install
// llm-anthropic` names the one to install instead of fetching an unrelated npm package.
const COUNTERPARTS: Record<string, string> = {
  'llm-anthropic': 'llm-ts-anthropic',
  'llm-claude-3': 'llm-ts-anthropic',
  'llm-claude': 'llm-ts-anthropic',
  'llm-gemini': 'llm-ts-gemini',
  'llm-ollama': 'llm-ts-ollama',
};

/** The one-line refusal for a Python-only plugin name, or undefined for any other name. */
export function pythonOnlyPlugin(name: string): string | undefined {
  const counterpart = COUNTERPARTS[name.toLowerCase()];
  if (!counterpart) return undefined;
  return `${name} is a plugin for Python llm; for llm-ts install ${counterpart}: llm install ${counterpart}`;
}
