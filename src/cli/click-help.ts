// Help laid out as click lays out Python llm's: `Usage: llm logs list [OPTIONS]`, the text
// indented, options with click's metavars (TEXT, INTEGER, FILE, <TEXT TEXT>...), and
// commands with the default first and starred, the others (plugins' too) alphabetical,
// each with a one-line summary.
import type { Command, Option } from 'commander';

/** click's help width: the terminal's, at most 80, less 2, at least 50. */
export function helpWidth(columns: number | undefined): number {
  return Math.max(Math.min(columns || 80, 80) - 2, 50);
}

/**
 * click's `make_default_short_help`: the first paragraph, up to its first sentence, cut to
 * `max` characters at a word with "..." when longer.
 */
export function shortHelp(help: string, max: number): string {
  const words = help.split('\n\n')[0]!.split(/\s+/).filter(Boolean);
  let total = 0;
  let i = 0;
  for (; i < words.length; i++) {
    total += words[i]!.length + (i > 0 ? 1 : 0);
    if (total > max) break;
    if (words[i]!.endsWith('.')) return words.slice(0, i + 1).join(' ');
    if (total === max && i !== words.length - 1) break;
  }
  if (i === words.length) return words.join(' ');
  total += 3;
  while (i > 0) {
    total -= words[i]!.length + (i > 0 ? 1 : 0);
    if (total <= max) break;
    i--;
  }
  return `${words.slice(0, i).join(' ')}...`;
}

/** Words of `text` in lines of at most `width` characters. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Re-wraps each paragraph to `width`, leaving indented ones (commands, examples) as they are. */
function wrapParagraphs(text: string, width: number, indent: string): string {
  return text
    .split('\n\n')
    .map((paragraph) =>
      /^\s/.test(paragraph)
        ? paragraph.replace(/^/gm, indent)
        : wrapWords(paragraph, width - indent.length)
            .map((l) => indent + l)
            .join('\n'),
    )
    .join('\n\n');
}

/**
 * click's `write_dl`: terms in a column as wide as the widest (at most 30), texts wrapped
 * beside them; a longer term gets its text on the next line.
 */
function definitionList(rows: readonly (readonly [string, string])[], width: number): string {
  const first = Math.min(Math.max(...rows.map(([term]) => term.length)), 30) + 2;
  const textWidth = Math.max(width - first - 2, 10);
  const pad = ' '.repeat(2 + first);
  return rows
    .map(([term, text]) => {
      const lines = wrapWords(text, textWidth);
      const head = term.length <= first - 2 ? `  ${term.padEnd(first)}${lines.shift() ?? ''}` : `  ${term}${lines.length ? '\n' + pad + lines.shift() : ''}`;
      return [head.trimEnd(), ...lines.map((l) => pad + l)].join('\n');
    })
    .join('\n');
}

/** Metavars as click shows them for the Python tool's options. */
const INTEGER_OPTIONS = new Set(['--count', '--chain-limit', '--batch-size', '--number']);
const FILE_OPTIONS = new Set(['--database', '--path']);

/** An option as click shows it: its flags, then its metavar (TEXT, INTEGER, FILE, [a|b], <TEXT TEXT>...). */
function optionTerm(option: Option): string {
  const flags = option.flags.replace(/\s*[<[].*$/, '');
  if (!option.required && !option.optional) return flags;
  const placeholder = /[<[]([^>\]]*)[>\]]/.exec(option.flags)?.[1] ?? '';
  let metavar = 'TEXT';
  if (option.argChoices?.length) metavar = `[${option.argChoices.join('|')}]`;
  else if (placeholder === 'attachment') metavar = 'ATTACHMENT';
  else if (placeholder.includes(' ')) metavar = `<${placeholder.split(' ').map(() => 'TEXT').join(' ')}>...`;
  else if (INTEGER_OPTIONS.has(option.long ?? '') || option.long === '--cl') metavar = 'INTEGER';
  else if (FILE_OPTIONS.has(option.long ?? '')) metavar = 'FILE';
  return `${flags} ${metavar}`;
}

/** A positional argument in the usage line: NAME, [NAME], NAME..., [NAME]... */
function argumentUsage(argument: { name(): string; required: boolean; variadic: boolean }): string {
  const name = argument.name().toUpperCase();
  const shown = argument.required ? name : `[${name}]`;
  return argument.variadic ? `${shown}...` : shown;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function visibleCommands(command: Command): Command[] {
  return command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
}

/** `Usage: llm embed-multi [OPTIONS] COLLECTION [INPUT_PATH]`, as click writes it. */
export function clickUsageLine(command: Command): string {
  const usage = visibleCommands(command).length
    ? '[OPTIONS] COMMAND [ARGS]...'
    : ['[OPTIONS]', ...command.registeredArguments.map(argumentUsage)].join(' ');
  return `Usage: ${commandPath(command)} ${usage}`;
}

/** The help of `command` (the root `llm` too), as click prints it. */
export function clickHelp(command: Command, columns: number | undefined): string {
  const width = helpWidth(columns);
  const visible = visibleCommands(command);
  const defaultName = (command as Command & { _defaultCommandName?: string | null })._defaultCommandName ?? (command.parent ? undefined : 'prompt');
  const sections = [clickUsageLine(command)];
  const description = command.description();
  if (description) sections.push(wrapParagraphs(description, width, '  '));
  const options = command.options.filter((o) => !o.hidden).map((o) => [optionTerm(o), o.description] as const);
  sections.push(`Options:\n${definitionList([...options, ['-h, --help', 'Show this message and exit.']], width)}`);
  if (visible.length) {
    const named = visible.map((c) => [c.name() === defaultName ? `${c.name()}*` : c.name(), c] as const);
    named.sort(([a], [b]) => (a.endsWith('*') ? -1 : b.endsWith('*') ? 1 : a < b ? -1 : a > b ? 1 : 0));
    const limit = width - 6 - Math.max(...named.map(([name]) => name.length));
    const rows = named.map(([name, c]) => [name, shortHelp(c.summary() || c.description(), limit)] as const);
    sections.push(`Commands:\n${definitionList(rows, width)}`);
  }
  return `${sections.join('\n\n')}\n`;
}
