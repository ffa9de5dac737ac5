// Usage errors as click prints them: the command's usage line, a `Try ... -h` hint, then
// `Error: <click's wording>`, exit code 2 (runtime errors stay `Error: ...`, exit 1).
import type { Command } from 'commander';
import { clickUsageLine } from './click-help.js';

/** What click prints for a usage error of `command`. */
export function clickUsageBlock(command: Command, message: string): string {
  return `${clickUsageLine(command)}\nTry '${commandPath(command)} -h' for help.\n\nError: ${message}\n`;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** commander's message for a parse error, in click's words. `args` is the command line. */
export function clickWording(error: { code: string; message: string }, command: Command, args: readonly string[]): string {
  const text = error.message.replace(/^error: /, '');
  switch (error.code) {
    case 'commander.missingArgument': {
      const name = /'([^']+)'/.exec(text)?.[1] ?? '';
      return `Missing argument '${name.toUpperCase()}'.`;
    }
    case 'commander.optionMissingArgument': {
      // commander names the option by all its flags: click by the one typed.
      const flags = (/'([^']+)'/.exec(text)?.[1] ?? '').split(/[ ,|]+/).filter((f) => f.startsWith('-'));
      const typed = [...args].reverse().find((a) => flags.includes(a)) ?? flags[flags.length - 1] ?? '';
      return `Option '${typed}' requires an argument.`;
    }
    case 'commander.unknownOption': {
      const name = /'([^']+)'/.exec(text)?.[1] ?? '';
      const similar = /\(Did you mean (?:one of )?(.+)\?\)/.exec(text)?.[1]?.split(', ') ?? [];
      if (similar.length === 1) return `No such option: ${name}  Did you mean ${similar[0]}?`;
      if (similar.length > 1) return `No such option: ${name}  (Possible options: ${similar.sort().join(', ')})`;
      return `No such option: ${name}`;
    }
    case 'commander.unknownCommand': {
      const name = /'([^']+)'/.exec(text)?.[1] ?? '';
      return `No such command '${name}'.`;
    }
    case 'commander.excessArguments': {
      const extra = command.args.slice(command.registeredArguments.length);
      return `Got unexpected extra argument${extra.length === 1 ? '' : 's'} (${extra.join(' ')})`;
    }
    default:
      return text.charAt(0).toUpperCase() + text.slice(1);
  }
}
