// What `llm completion __complete WORD... CURRENT` prints: the commands, options, model
// ids and aliases, templates, tools or collections that fit the word being typed.
import type { Command, Option } from 'commander';
import { listTemplateNames } from '../config/templates.js';
import { collectionNames } from '../embeddings/collection-names.js';
import { embeddingsDbPath } from '../embeddings/db.js';
import { getModelsWithAliases } from '../plugins/registry.js';
import { getTools } from '../plugins/tools.js';
import { buildProgram } from './main.js';

/** Options (by long name) whose value is a model, a template or a tool. */
const VALUES: Record<string, () => string[]> = {
  '--model': modelNames,
  '--template': templateNames,
  '--tool': toolNames,
};

/** Options whose value is a file or a folder: by the name of their value (`<path>`), or by their own. */
const FILE_VALUES = new Set(['file', 'path', 'attachment', 'code_or_path', 'fragment', 'dir_glob', 'value type']);
const FILE_OPTIONS = new Set(['--schema', '--schema-multi']);

/** What `__complete` prints when the shell should complete file names. */
export const FILES = ':files';

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

/**
 * The words that fit the last of `words` (the one being typed), or [FILES] where a file name
 * goes: an option's value that is a file, or an argument that is not a command or collection.
 */
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
  // The default subcommand's options too (`llm -m ...` is `llm prompt -m ...`).
  const fallback = (command as unknown as { _defaultCommandName?: string })._defaultCommandName;
  const commands = [command, ...command.commands.filter((c) => c.name() === fallback)];
  const options = commands.flatMap((c) => c.options as readonly Option[]);
  const previous = before[before.length - 1];
  const option = previous?.startsWith('-') ? options.find((o) => o.long === previous || o.short === previous) : undefined;
  let names: string[];
  if (option && (option.required || option.optional)) {
    // The word being typed is this option's value.
    const values = VALUES[option.long ?? ''];
    if (values) names = values();
    else if (takesFile(option)) return [FILES];
    else return [];
  } else if (current.startsWith('-')) {
    names = options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
    names.push('--help');
  } else if (takesCollectionNext(command, before)) names = collections(before);
  else {
    names = command.commands.map((c) => c.name()).filter((name) => !name.startsWith('_'));
    // No command fits: an argument (a prompt, a plugin folder...), where shells offer files.
    if (!names.some((name) => name.startsWith(current))) return [FILES];
  }
  return [...new Set(names)].filter((name) => name.startsWith(current)).sort();
}

/** True when the option's value is a file or folder (`-a/--attachment`, `-d/--database <path>`...). */
function takesFile(option: Option): boolean {
  const value = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1]?.replace(/\.\.\.$/, '');
  return (value !== undefined && FILE_VALUES.has(value)) || FILE_OPTIONS.has(option.long ?? '');
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
