// The llm command's entry point (dist/cli.js).
import { runCli } from './main.js';

await runCli();
