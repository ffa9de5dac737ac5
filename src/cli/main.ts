// The llm command. Startup must stay small: this file and the command files import
// commander and node built-ins only; each action loads the library with import().
import { Command, CommanderError } from 'commander';
import { register as registerAliases } from './commands/aliases.js';
import { register as registerChat } from './commands/chat.js';
import { register as registerEmbed } from './commands/embed.js';
import { register as registerKeys } from './commands/keys.js';
import { register as registerLogs } from './commands/logs.js';
import { register as registerModels } from './commands/models.js';
import { register as registerOpenai } from './commands/openai.js';
import { register as registerPlugins } from './commands/plugins.js';
import { register as registerPrompt } from './commands/prompt.js';
import { register as registerSchemas } from './commands/schemas.js';
import { register as registerTemplates } from './commands/templates.js';
import { isCliUsage, rewritePairs } from './util.js';

declare const __LLM_VERSION__: string;

const DESCRIPTION = `Access Large Language Models from the command-line

Documentation: https://llm.datasette.io/

LLM can run models from many different providers. Consult the
plugin directory for a list of available models:

https://llm.datasette.io/en/stable/plugins/directory.html

To get started with OpenAI, obtain an API key from them and:

    $ llm keys set openai
    Enter key: ...

Then execute a prompt like this:

    llm 'Five outrageous names for a pet pelican'`;

/** Commands whose options include click-style pairs (`-o KEY VALUE`). */
const PAIR_COMMANDS = new Set(['prompt', 'chat', 'openai']);

export function buildProgram(): Command {
  const program = new Command('llm');
  program
    .description(DESCRIPTION)
    .version(`llm, version ${__LLM_VERSION__}`, '--version', 'Show the version and exit.')
    .helpOption('-h, --help', 'Show this message and exit.')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false });
  registerPrompt(program);
  registerChat(program);
  registerKeys(program);
  registerLogs(program);
  registerModels(program);
  registerTemplates(program);
  registerSchemas(program);
  registerAliases(program);
  registerEmbed(program);
  registerPlugins(program);
  registerOpenai(program);
  configureTree(program);
  return program;
}

/** Every command: exit through CommanderError (never process.exit), help as Python words. */
function configureTree(command: Command): void {
  command.exitOverride();
  command.configureOutput({
    writeErr: (text) => process.stderr.write(text),
    outputError: () => {},
  });
  for (const sub of command.commands) configureTree(sub);
}

/** The first argument that names a command, if any. */
function firstCommand(program: Command, args: readonly string[]): string | undefined {
  // As commander sees it: the first argument, unless it is an option.
  const first = args[0];
  if (first === undefined || first.startsWith('-')) return undefined;
  const found = program.commands.find((c) => c.name() === first || c.aliases().includes(first));
  return found?.name();
}

function printError(error: unknown): number {
  const raise = Boolean(process.env.LLM_RAISE_ERRORS);
  let message: string;
  if (isLlmErrorLike(error) || isCliUsage(error)) {
    message = (error as Error).message;
  } else if (error instanceof CommanderError) {
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
  const program = buildProgram();
  // Plugins may add commands; only load them when the first word is not a built-in.
  let args = [...argv];
  const name = firstCommand(program, args);
  if (name === undefined && args[0] !== undefined && !args[0].startsWith('-')) {
    await registerPluginCommands(program);
  }
  const command = firstCommand(program, args);
  if (command === undefined || PAIR_COMMANDS.has(command)) args = rewritePairs(args);
  try {
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return 0;
      }
      if (error.exitCode === 0) return 0;
    }
    return printError(error);
  }
}

/** Lets installed plugins add top-level commands (their `registerCommands` hook). */
async function registerPluginCommands(program: Command): Promise<void> {
  try {
    const { activePlugins } = await import('../plugins/registry.js');
    for (const plugin of activePlugins()) {
      if (!plugin.registerCommands) continue;
      try {
        plugin.registerCommands(program);
      } catch (error) {
        process.stderr.write(`Warning: plugin ${plugin.name} failed to register commands: ${(error as Error).message}\n`);
      }
    }
    configureTree(program);
  } catch {
    // No plugin commands: the prompt is run as usual.
  }
}

process.on('SIGPIPE', () => process.exit(0));
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

const code = await main();
process.exitCode = code;
// Exit as soon as output is flushed: an idle keep-alive connection to a provider would
// otherwise hold the process open after the work is done.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
