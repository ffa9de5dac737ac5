// What `llm completion __complete WORD... CURRENT` prints: the commands, options, model
// ids and aliases, templates or tools that fit the word being typed.
import type { Command, Option } from 'commander';
import { listTemplateNames } from '../config/templates.js';
import { getModelsWithAliases } from '../plugins/registry.js';
import { getTools } from '../plugins/tools.js';
import { buildProgram } from './main.js';

/** Options whose value is a model, a template or a tool. */
const VALUES: Record<string, () => string[]> = {
  '-m': modelNames,
  '--model': modelNames,
  '-t': templateNames,
  '--template': templateNames,
  '-T': toolNames,
  '--tool': toolNames,
};

function modelNames(): string[] {
  return getModelsWithAliases().flatMap((entry) => [entry.model.modelId, ...entry.aliases]);
}

function templateNames(): string[] {
  try {
    return listTemplateNames();
  } catch {
    return [];
  }
}

function toolNames(): string[] {
  return [...getTools().keys()];
}

export async function completionCandidates(words: readonly string[]): Promise<string[]> {
  const current = words.length ? words[words.length - 1]! : '';
  const before = words.slice(0, -1);
  const program = await buildProgram();
  let command: Command = program;
  for (const word of before) {
    if (word.startsWith('-')) continue;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) command = sub;
  }
  const previous = before[before.length - 1];
  let names: string[];
  if (previous !== undefined && VALUES[previous]) names = VALUES[previous]!();
  else if (current.startsWith('-')) {
    // The default subcommand's options too (`llm -m ...` is `llm prompt -m ...`).
    const fallback = (command as unknown as { _defaultCommandName?: string })._defaultCommandName;
    const commands = [command, ...command.commands.filter((c) => c.name() === fallback)];
    names = commands.flatMap((c) => (c.options as readonly Option[]).flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))));
    names.push('--help');
  } else names = command.commands.map((c) => c.name()).filter((name) => !name.startsWith('_'));
  return [...new Set(names)].filter((name) => name.startsWith(current)).sort();
}
