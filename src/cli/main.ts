// The llm command. Startup must stay small: this file and the command files import
// commander and node built-ins only; each action loads the library with import().
import type { Command } from 'commander';
import { register as registerAliases } from './commands/aliases.js';
import { register as registerChat } from './commands/chat.js';
import { register as registerCompletion } from './commands/completion.js';
import { register as registerEmbed } from './commands/embed.js';
import { register as registerFragments } from './commands/fragments.js';
import { register as registerKeys } from './commands/keys.js';
import { register as registerLogs } from './commands/logs.js';
import { register as registerMap } from './commands/map.js';
import { register as registerMcp } from './commands/mcp.js';
import { register as registerModels } from './commands/models.js';
import { register as registerOpenai } from './commands/openai.js';
import { register as registerPlugins } from './commands/plugins.js';
import { register as registerPrompt } from './commands/prompt.js';
import { register as registerProviders } from './commands/providers.js';
import { register as registerPricing } from './commands/pricing.js';
import { register as registerSchemas } from './commands/schemas.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerTemplates } from './commands/templates.js';
import { register as registerTools } from './commands/tools.js';
import { mayHaveInstalledPlugins } from '../plugins/plugins-dir.js';
import { isCliUsage, isClickUsage, rewritePairs } from './util.js';
import { clickUsageBlock, clickWording } from './click-usage.js';
import { clickHelp } from './click-help.js';
import { didYouMean } from '../util/suggest.js';

declare const __LLM_VERSION__: string;

const DESCRIPTION = `Access Large Language Models from the command-line

Documentation: https://www.npmjs.com/package/llm-ts (also in the
package: README.md and docs/)

LLM can run models from many different providers. Plugins for
llm-ts are npm packages with the llm-ts-plugin keyword:

https://www.npmjs.com/search?q=keywords%3Allm-ts-plugin

(Plugins for Python llm do not work with llm-ts: llm-anthropic is
llm-ts-anthropic, llm-gemini is llm-ts-gemini, llm-ollama is
llm-ts-ollama.)

To get started with OpenAI, obtain an API key from them and:

    $ llm keys set openai
    Enter key: ...

Then execute a prompt like this:

    llm 'Five outrageous names for a pet pelican'

For a full list of prompting options run:

    llm prompt --help`;

/** Commands whose options include click-style pairs (`-o KEY VALUE`). */
const PAIR_COMMANDS = new Set(['prompt', 'chat', 'openai']);

/** Each built-in command group: the top-level names it adds, and how to add them. */
const GROUPS: ReadonlyArray<readonly [readonly string[], (program: Command) => void]> = [
  [['prompt'], registerPrompt],
  [['chat'], registerChat],
  [['keys'], registerKeys],
  [['logs'], registerLogs],
  [['map'], registerMap],
  [['models'], registerModels],
  [['templates'], registerTemplates],
  [['fragments'], registerFragments],
  [['schemas'], registerSchemas],
  [['tools'], registerTools],
  [['mcp'], registerMcp],
  [['aliases'], registerAliases],
  [['embed', 'embed-multi', 'similar', 'embed-models', 'collections'], registerEmbed],
  [['plugins', 'install', 'uninstall'], registerPlugins],
  [['openai'], registerOpenai],
  [['providers'], registerProviders],
  [['completion'], registerCompletion],
  [['prices', 'usage', 'count', 'budget'], registerPricing],
  [['serve'], registerServe],
];

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(GROUPS.flatMap(([names]) => names));

/**
 * The program with the command groups `args` can reach: every group for top-level help
 * (and for no hint at all), else only the group named by the first word, or only the
 * default prompt command. Building all of them costs a few ms a prompt does not need.
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const { Command } = await commander();
  const program = new Command('llm');
  program
    .description(DESCRIPTION)
    .version(`llm, version ${__LLM_VERSION__}`, '--version', 'Show the version and exit.')
    .helpOption('-h, --help', 'Show this message and exit.')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .configureHelp({ formatHelp: (command) => clickHelp(command, Number(process.env.COLUMNS) || process.stdout.columns) });
  const first = args?.[0];
  const wantsAll = args === undefined || first === '-h' || first === '--help' || first === '--version';
  for (const [names, register] of GROUPS) {
    if (wantsAll || (first !== undefined && names.includes(first)) || names.includes('prompt')) register(program);
  }
  configureTree(program);
  program.hook('preAction', (_program, action) => {
    actionCommand = action;
  });
  return program;
}

/** The command whose action is running: a ClickUsageError it throws shows its usage line. */
let actionCommand: Command | undefined;

/** Every command: exit through CommanderError (never process.exit), help as Python words. */
function configureTree(command: Command): void {
  // A parse error carries the command it belongs to, for click's usage block.
  command.exitOverride((error) => {
    throw Object.assign(error, { command });
  });
  // click has no `help` subcommand: `llm logs help` is not a command, `llm logs --help` is.
  if (command.commands.length) command.helpCommand(false);
  command.configureOutput({
    writeErr: (text) => process.stderr.write(text),
    outputError: () => {},
  });
  for (const sub of command.commands) configureTree(sub);
}

function printError(error: unknown, args: readonly string[]): number {
  const raise = Boolean(process.env.LLM_RAISE_ERRORS);
  // Usage errors as click prints them, exit 2 (see click-usage.ts).
  const failed = (error as { command?: Command } | null)?.command ?? (isClickUsage(error) ? actionCommand : undefined);
  if (failed && (isCommanderError(error) || isClickUsage(error))) {
    const message = isCommanderError(error) ? clickWording(error, failed, args) : (error as Error).message;
    process.stderr.write(clickUsageBlock(failed, message));
    return 2;
  }
  let message: string;
  if (isLlmErrorLike(error) || isCliUsage(error)) {
    message = (error as Error).message;
  } else if (isCommanderError(error)) {
    message = error.message.replace(/^error: /, '');
    message = message.charAt(0).toUpperCase() + message.slice(1);
  } else if (error instanceof Error) {
    if (raise) {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      return 1;
    }
    message = error.message || error.name;
  } else {
    message = String(error);
  }
  const oneLine = message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  process.stderr.write(`Error: ${oneLine}\n`);
  if (raise && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}

/** Same test as `isLlmError` in src/errors.ts, without importing the library at startup. */
function isLlmErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[Symbol.for('llm-ts.error')] === true;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let args = [...argv];
  const program = await buildProgram(args);
  const first = args[0];
  const wantsHelp = first === '-h' || first === '--help';
  // Installed plugins' commands are known from their cache: add their stand-ins for the
  // top-level help, or when the first word is one of them.
  const mayBePluginCommand = wantsHelp || (first !== undefined && !first.startsWith('-') && !BUILTIN_NAMES.has(first));
  if (mayBePluginCommand && mayHaveInstalledPlugins()) {
    await addPluginCommands(program, wantsHelp ? undefined : first);
  }
  const named = first !== undefined && program.commands.some((c) => c.name() === first || c.aliases().includes(first));
  if (!named) hintMistypedCommand(first);
  if (!named || PAIR_COMMANDS.has(first)) args = rewritePairs(args);
  try {
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (isCommanderError(error)) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return 0;
      }
      if (error.exitCode === 0) return 0;
    }
    const code = printError(error, args);
    // An action may have chosen the code already (130 after Ctrl-C).
    return typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : code;
  }
}

/**
 * `llm modles` is a prompt, as in Python; on a terminal, one line on stderr says so when the
 * word is close to a command's name.
 */
function hintMistypedCommand(first: string | undefined): void {
  if (!first || first.startsWith('-') || /\s/.test(first) || !process.stderr.isTTY) return;
  const hint = didYouMean(first, BUILTIN_NAMES);
  if (hint) process.stderr.write(`Sending '${first}' as a prompt${hint.replace('Did you mean ', 'Did you mean llm ')}\n`);
}

/** Adds installed plugins' commands (all, or only when one is named `name`). */
async function addPluginCommands(program: Command, name: string | undefined): Promise<void> {
  try {
    const { pluginCommandNames, registerPluginCommands } = await import('./actions.js');
    if (name !== undefined && !pluginCommandNames().has(name)) return;
    registerPluginCommands(program);
    configureTree(program);
  } catch (error) {
    process.stderr.write(`Warning: plugin commands could not be loaded: ${(error as Error).message}\n`);
  }
}

/** commander, loaded when the CLI runs (the library bundle that holds this file never needs it). */
function commander(): Promise<typeof import('commander')> {
  return import('commander');
}

/** commander's own errors (usage errors, help, version) carry a `commander.*` code and an exit code. */
function isCommanderError(error: unknown): error is { code: string; exitCode: number; message: string } {
  const candidate = error as { code?: unknown; exitCode?: unknown } | null;
  return (
    error instanceof Error &&
    typeof candidate?.code === 'string' &&
    candidate.code.startsWith('commander.') &&
    typeof candidate.exitCode === 'number'
  );
}

/** Runs the `llm` command with `argv` (default: this process's arguments), then exits. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  let readerGone = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    // The reader went away (`llm '...' | head -1`): stop writing, but finish the command,
    // so the response is still read to the end and logged.
    readerGone = true;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stdout.emit('drain');
  });
  const code = await main(argv);
  process.exitCode = code;
  // Exit as soon as output is flushed: an idle keep-alive connection to a provider would
  // otherwise hold the process open after the work is done.
  return new Promise<never>(() => {
    const exit = () => process.exit(code);
    if (readerGone) exit();
    else process.stdout.write('', () => process.stderr.write('', exit));
  });
}
