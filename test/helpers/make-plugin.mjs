// Writes a small llm-ts plugin package to a folder: used by the plugin tests and by
// bench/plugins.mjs. Everything is plain ESM so it installs and runs without a build.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `marker`: a file that gets one line per import of the plugin, `run PID`, or `harvest PID`
 * when the import is the cache refresh (a child process).
 * @param {string} dir folder to write the package into (created)
 * @param {{
 *   name: string, version?: string, dynamic?: boolean,
 *   models?: { id: string, aliases?: string[], needsKey?: string, keyEnvVar?: string }[],
 *   embeddingModels?: { id: string, aliases?: string[] }[],
 *   commands?: { name: string, description: string }[],
 *   marker?: string, importThrows?: string, hookThrows?: string,
 *   templateLoaders?: string[], fragmentLoaders?: string[], tools?: string[],
 * }} spec
 */
export function makePlugin(dir, spec) {
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: spec.name,
    version: spec.version ?? '1.0.0',
    type: 'module',
    main: './index.js',
    llm: spec.dynamic ? { dynamic: true } : {},
    peerDependencies: { 'llm-ts': '*' },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const models = spec.models ?? [];
  const embeddings = spec.embeddingModels ?? [];
  const commands = spec.commands ?? [];
  const code = `import { Attachment, Model, EmbeddingModel, Tool } from 'llm-ts';
import { appendFileSync } from 'node:fs';
${spec.marker ? `appendFileSync(${JSON.stringify(spec.marker)}, (process.env.LLM_TS_HARVEST ? 'harvest ' : 'run ') + process.pid + '\\n');` : ''}
${spec.importThrows ? `throw new Error(${JSON.stringify(spec.importThrows)});` : ''}
class FakeModel extends Model {
  constructor(id, extra = {}) {
    super();
    this.modelId = id;
    this.needsKey = extra.needsKey ?? null;
    this.keyEnvVar = extra.keyEnvVar ?? null;
    this.supportsSchema = true;
    this.attachmentTypes = new Set(['image/png']);
  }
  optionsSpec = { temperature: { type: 'number', description: 'How random', min: 0, max: 2 } };
  toString() { return 'Fake Chat: ' + this.modelId; }
  async *execute(prompt, context) {
    yield { type: 'text', text: this.modelId + ' says: ' };
    yield { type: 'text', text: prompt.prompt + (context.key ? ' (key ' + context.key.length + ')' : '') };
    yield { type: 'usage', input: 1, output: 2 };
  }
}
class FakeEmbedding extends EmbeddingModel {
  constructor(id) { super(); this.modelId = id; }
  toString() { return 'Fake Embedding: ' + this.modelId; }
  async embedBatch(items) { return items.map((item) => [String(item).length, 1, 0]); }
}
// 'fail' throws, 'image' gives a 1-pixel PNG attachment, 'two' two fragments, anything else one.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const fragmentLoader = (p) => async (arg) => {
  if (arg === 'fail') throw new Error('no such thing');
  if (arg === 'image') return new Attachment({ content: Buffer.from(PNG, 'base64'), type: 'image/png' });
  if (arg === 'two') return [p + ' one', { content: p + ' two', source: 'somewhere' }];
  return p + ' fragment ' + arg;
};
const models = ${JSON.stringify(models)};
const embeddings = ${JSON.stringify(embeddings)};
const commands = ${JSON.stringify(commands)};
export default {
  name: ${JSON.stringify(spec.name)},
  registerModels(register) {
    for (const m of models) register(new FakeModel(m.id, m), null, m.aliases ?? []);
    ${spec.hookThrows ? `throw new Error(${JSON.stringify(spec.hookThrows)});` : ''}
  },
  ${embeddings.length ? `registerEmbeddingModels(register) { for (const m of embeddings) register(new FakeEmbedding(m.id), m.aliases ?? []); },` : ''}
  ${
    commands.length
      ? `registerCommands(program) {
    for (const c of commands) {
      program.command(c.name).description(c.description).argument('[words...]').option('--shout', 'Upper-case it')
        .action((words, flags) => { const text = c.name + ' ran: ' + words.join(' '); process.stdout.write((flags.shout ? text.toUpperCase() : text) + '\\n'); });
    }
  },`
      : ''
  }
  ${spec.templateLoaders ? `registerTemplateLoaders(register) { for (const p of ${JSON.stringify(spec.templateLoaders)}) register(p, (name) => ({ prompt: p + ':' + name })); },` : ''}
  ${spec.fragmentLoaders ? `registerFragmentLoaders(register) { for (const p of ${JSON.stringify(spec.fragmentLoaders)}) register(p, fragmentLoader(p)); },` : ''}
  ${
    spec.tools
      ? `registerTools(register) {
    for (const name of ${JSON.stringify(spec.tools)}) {
      register(new Tool({
        name,
        description: 'Adds two numbers',
        inputSchema: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] },
        implementation: ({ a, b }) => a + b,
      }));
    }
  },`
      : ''
  }
};
`;
  writeFileSync(join(dir, 'index.js'), code);
  return dir;
}
