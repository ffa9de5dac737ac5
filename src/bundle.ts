// The one bundle (dist/llm.js) that holds the library, the command actions and the plugin
// author's kit, so that a process shares one copy of each class and registry.
// dist/index.js, dist/testing.js and dist/cli-actions.js are thin modules over it; the
// CLI's front (dist/cli.js: commands and options only) loads it when an action runs.
export * from './index.js';
export * as __cli from './cli/actions.js';
export * as __testing from './testing/index.js';
