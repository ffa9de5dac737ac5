// `llm --help` laid out as click lays out Python llm's: the default command first and
// starred, the others in alphabetical order (plugins' too), each with a one-line summary.
import type { Command } from 'commander';

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

/** Re-wraps each paragraph to `width`, leaving indented ones (commands, examples) as they are. */
function wrapParagraphs(text: string, width: number, indent: string): string {
  return text
    .split('\n\n')
    .map((paragraph) => {
      if (/^\s/.test(paragraph)) return paragraph.replace(/^/gm, indent);
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(/\s+/)) {
        if (line && indent.length + line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      lines.push(line);
      return lines.map((l) => indent + l).join('\n');
    })
    .join('\n\n');
}

/** Rows of a two-column list, the first column as wide as its widest entry (at most 30). */
function definitionList(rows: readonly (readonly [string, string])[]): string {
  const first = Math.min(Math.max(...rows.map(([term]) => term.length)), 30);
  return rows.map(([term, text]) => `  ${term.padEnd(first)}  ${text}`.trimEnd()).join('\n');
}

export function rootHelp(program: Command, defaultCommand: string, columns: number | undefined): string {
  const width = helpWidth(columns);
  const commands = program.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
  const named = commands.map((c) => [c.name() === defaultCommand ? `${c.name()}*` : c.name(), c] as const);
  named.sort(([a], [b]) => (a.endsWith('*') ? -1 : b.endsWith('*') ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const nameWidth = Math.max(...named.map(([name]) => name.length));
  const limit = width - 6 - nameWidth;
  const options = [...program.options.map((o) => [o.flags, o.description] as const), ['-h, --help', 'Show this message and exit.'] as const];
  return [
    'Usage: llm [OPTIONS] COMMAND [ARGS]...',
    '',
    wrapParagraphs(program.description(), width, '  '),
    '',
    'Options:',
    definitionList(options),
    '',
    'Commands:',
    definitionList(named.map(([name, command]) => [name, shortHelp(command.summary() || command.description(), limit)])),
    '',
  ].join('\n');
}
