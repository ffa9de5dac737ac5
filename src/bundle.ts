// The one bundle (dist/llm.cjs) that holds the library, the CLI and the plugin author's kit,
// so that a process shares one copy of each class and registry. dist/index.js and
// dist/testing.js are thin ES modules over it; bin/llm.cjs loads it through
// dist/launch.cjs and runs `__runCli`.
export * from './index.js';
export * as __cli from './cli/actions.js';
export * as __testing from './testing/index.js';
export { runCli as __runCli } from './cli/main.js';
