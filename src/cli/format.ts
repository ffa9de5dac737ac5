// Output formatting shared by the prompt, chat and models commands. Loaded lazily.
import type { ModelWithAliases } from '../plugins/types.js';
import { typeLabel } from '../models/options.js';
import type { Usage } from '../models/events.js';
import { tokenUsageString as usageLine } from '../logs/index.js';

/** Python's `textwrap.wrap(text, width)`: greedy, on whitespace, long words kept whole. */
export function wrap(text: string, width = 70): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** `str(model)` plus ` (aliases: a, b)`. */
export function modelLine(entry: ModelWithAliases): string {
  let text = String(entry.model);
  if (entry.aliases.length) text += ` (aliases: ${entry.aliases.join(', ')})`;
  return text;
}

/**
 * The `llm models --options` block for one model. Descriptions are shown only the first
 * time a model class appears (tracked in `shown`).
 */
export function modelDetails(entry: ModelWithAliases, shown: Set<unknown>): string {
  const model = entry.model;
  let output = modelLine(entry);
  const spec = model.optionsSpec;
  const names = Object.keys(spec);
  if (names.length) {
    output += '\n  Options:';
    const first = !shown.has(model.constructor);
    for (const name of names) {
      const option = spec[name]!;
      output += `\n    ${name}: ${typeLabel(option)}`;
      if (option.description && first) output += '\n      ' + wrap(option.description, 70).join('\n      ');
    }
    shown.add(model.constructor);
  }
  if (model.attachmentTypes.size) {
    const types = [...model.attachmentTypes].sort().join(', ');
    output += '\n  Attachment types:\n' + wrap(types, 66).map((l) => `    ${l}`).join('\n');
  }
  const features = [
    ...(model.canStream ? ['streaming'] : []),
    ...(model.supportsSchema ? ['schemas'] : []),
    ...(model.supportsTools ? ['tools'] : []),
    'async',
  ];
  output += '\n  Features:\n' + features.map((f) => `  - ${f}`).join('\n');
  if (model.needsKey) {
    output += '\n  Keys:';
    output += `\n    key: ${model.needsKey}`;
    if (model.keyEnvVar) output += `\n    env_var: ${model.keyEnvVar}`;
  }
  return output;
}

/** Drops zero and empty values from token details, as Python's `simplify_usage` does. */
export function simplifyUsage(details: unknown): unknown {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return details;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    const simplified = simplifyUsage(value);
    if (simplified === 0 || simplified === null || simplified === undefined) continue;
    if (typeof simplified === 'object' && Object.keys(simplified as object).length === 0) continue;
    result[key] = simplified;
  }
  return result;
}

/** `12 input, 5 output` (thousands separated), plus the details as JSON when there are any. */
export function tokenUsageString(usage: Usage): string {
  return usageLine(usage.input ?? null, usage.output ?? null, simplifyUsage(usage.details));
}
