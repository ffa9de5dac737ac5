// `llm models list`. Loaded when the command runs.
import { UnknownModelError } from '../errors.js';
import { optionJsonSchema } from '../models/options.js';
import { pythonDumps } from '../logs/json.js';
import { getDefaultModel, getModelsWithAliases } from '../plugins/registry.js';
import type { ModelWithAliases } from '../plugins/types.js';
import { modelDetails, modelLine } from './format.js';
import { pythonValueRepr } from './run-tools.js';

/** The flags of `llm models list`. */
export interface ListFlags {
  options?: boolean;
  async?: boolean;
  schemas?: boolean;
  tools?: boolean;
  json?: boolean;
  query?: string[];
  model?: string[];
}

function matches(entry: ModelWithAliases, query: string): boolean {
  const q = query.toLowerCase();
  return (
    entry.model.modelId.toLowerCase().includes(q) ||
    String(entry.model).toLowerCase().includes(q) ||
    entry.aliases.some((a) => a.toLowerCase().includes(q))
  );
}

export async function listModels(flags: ListFlags): Promise<void> {
  const entries = getModelsWithAliases();
  for (const wanted of flags.model ?? []) {
    if (!entries.some((e) => e.model.modelId === wanted || e.aliases.includes(wanted))) {
      throw new UnknownModelError(`Unknown model: ${wanted}`);
    }
  }
  const selected = entries.filter((entry) => {
    if (flags.query?.length && !flags.query.every((q) => matches(entry, q))) return false;
    if (flags.model?.length && !flags.model.some((id) => id === entry.model.modelId || entry.aliases.includes(id))) return false;
    if (flags.schemas && !entry.model.supportsSchema) return false;
    if (flags.tools && !entry.model.supportsTools) return false;
    return true;
  });
  // --async: each model's async form, with its own label (every model here can run async).
  const shownModel = (entry: ModelWithAliases) => (flags.async ? (entry.asyncModel ?? entry.model) : entry.model);
  if (flags.json) {
    const data = selected.map((entry) => {
      const model = shownModel(entry);
      const item: Record<string, unknown> = {
        model_id: model.modelId,
        aliases: entry.aliases,
        can_stream: model.canStream,
        supports_schema: model.supportsSchema,
        supports_tools: model.supportsTools,
        supports_async: true,
        attachment_types: [...model.attachmentTypes].sort(),
        server_side_tools: model.supportedServerSideTools.map((tool) => ({ name: tool.className, plugin: tool.plugin ?? null })),
      };
      // Python's shape: pydantic's JSON schema properties, keyed by option name.
      if (flags.options) item.options = Object.fromEntries(Object.entries(model.optionsSpec).map(([name, spec]) => [name, optionJsonSchema(name, spec)]));
      return item;
    });
    process.stdout.write(pythonDumps(data, 2) + '\n');
    return;
  }
  const shown = new Set<unknown>();
  const lines = selected.map((entry) => {
    const shownEntry = { ...entry, model: shownModel(entry) };
    return flags.options ? modelDetails(shownEntry, shown) : modelLine(shownEntry);
  });
  let output = lines.join('\n');
  // As Python: the default is shown after a --tools or --async listing too.
  if (!flags.query?.length && !flags.options && !flags.schemas && !flags.model?.length) {
    output += (output ? '\n' : '') + `Default: ${getDefaultModel()}`;
  }
  if (output) process.stdout.write(output + '\n');
}

/** An option value as `models options list` shows it: Python's `str()` of it. */
export function formatOptionValue(value: unknown): string {
  return typeof value === 'string' ? value : pythonValueRepr(value);
}
