// Runs the embedding commands the way bin/llm.cjs does, with the embed-demo model
// registered: node --import tsx test/helpers/run-embed-cli.ts <args...>
import { Command, CommanderError } from 'commander';
import { register } from '../../src/cli/commands/embed.js';
import { isLlmError } from '../../src/errors.js';
import { registerPlugin } from '../../src/plugins/registry.js';
import { embedDemoPlugin } from './embed-demo.js';

registerPlugin(embedDemoPlugin());
const program = new Command('llm');
program.exitOverride();
program.configureOutput({ outputError: () => {} });
register(program);
const configure = (command: Command) => {
  command.exitOverride();
  command.configureOutput({ outputError: () => {} });
  command.commands.forEach(configure);
};
configure(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (error) {
  if (error instanceof CommanderError && error.exitCode === 0) process.exit(0);
  const message =
    isLlmError(error) || error instanceof CommanderError ? (error as Error).message.replace(/^error: /, '') : String(error);
  if (!isLlmError(error) && !(error instanceof CommanderError)) process.stderr.write(`${(error as Error).stack}\n`);
  process.stderr.write(`Error: ${message}\n`);
  process.exitCode = 1;
}
