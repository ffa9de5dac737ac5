// What `llm completion __complete WORD... CURRENT` prints: the commands, options, model
// ids and aliases, templates, tools or collections that fit the word being typed.
import type { Command, Option } from 'commander';
import { listTemplateNames } from '../config/templates.js';
import { collectionNames } from '../embeddings/collection-names.js';
import { embeddingsDbPath } from '../embeddings/db.js';
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
  } else if (takesCollectionNext(command, before)) names = collections(before);
  else names = command.commands.map((c) => c.name()).filter((name) => !name.startsWith('_'));
  return [...new Set(names)].filter((name) => name.startsWith(current)).sort();
}

/** The words after the command's own name, as given. */
function wordsOf(command: Command, before: readonly string[]): string[] {
  const at = before.lastIndexOf(command.name());
  return at < 0 ? [] : before.slice(at + 1);
}

/** True when the word being typed is the command's first argument and that argument is a collection. */
function takesCollectionNext(command: Command, before: readonly string[]): boolean {
  if (command.registeredArguments[0]?.name() !== 'collection') return false;
  const options = command.options as readonly Option[];
  const words = wordsOf(command, before);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-')) return false; // the collection is given already
    const option = options.find((o) => o.long === word || o.short === word);
    if (option && (option.required || option.optional)) {
      if (i === words.length - 1) return false; // the word being typed is this option's value
      i++;
    }
  }
  return true;
}

/** Collections in the embeddings.db the command will use (`-d/--database` if given). */
function collections(before: readonly string[]): string[] {
  const at = Math.max(before.lastIndexOf('-d'), before.lastIndexOf('--database'));
  const path = at >= 0 && before[at + 1] ? before[at + 1]! : embeddingsDbPath();
  try {
    return collectionNames(path);
  } catch {
    return [];
  }
}
