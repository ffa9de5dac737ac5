// Everything the command actions load when they run, behind one door: main.ts and
// commands/*, which only declare commands, import this module lazily, so that building
// the program runs none of the library's code.
export * from '../index.js';
export * from '../embeddings/index.js';
export * from '../config/aliases.js';
export * from '../config/keys.js';
export * from '../config/model-options.js';
export * from '../config/templates.js';
export * from '../embeddings/python-json.js';
export * from '../embeddings/sources.js';
export * from '../errors.js';
export * from '../logs/index.js';
export * from '../models/schema.js';
export * from '../plugins/commands.js';
export * from '../plugins/info.js';
export * from '../plugins/install.js';
export { pythonOnlyPlugin } from '../plugins/python-names.js';
export { HOOK_NAMES } from '../plugins/manifest.js';
export * from '../plugins/registry.js';
export * from '../providers/openai/cli.js';
export { runEditor } from './editor.js';
export * from './fragments-impl.js';
export * from './loaders-impl.js';
export * from './map-impl.js';
export * from './providers-impl.js';
export * from './models-impl.js';
export * from './mcp-impl.js';
export * from './run-chat.js';
export * from './run-prompt.js';
export * from './schemas-impl.js';
export * from './tools-impl.js';
export * from './secret.js';
export { showMarkdownDocument } from './render/document.js';
export { completionCandidates } from './completion-impl.js';
