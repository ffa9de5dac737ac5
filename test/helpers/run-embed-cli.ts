// Runs the embedding commands the way bin/llm.cjs does (the real main(): its parsing, its
// error printing and exit codes), with the embed-demo model registered:
// node --import tsx test/helpers/run-embed-cli.ts <args...>
import { main } from '../../src/cli/main.js';
import { registerPlugin } from '../../src/plugins/registry.js';
import { embedDemoPlugin } from './embed-demo.js';

registerPlugin(embedDemoPlugin());
process.exitCode = await main(process.argv.slice(2));
