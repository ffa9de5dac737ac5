import { childProcess } from '../util/builtins.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import type { OptionsSpec } from '../models/options.js';

/**
 * What an installed plugin registered, recorded once (at install, or when the plugin's
 * files change) so that later commands know its models and commands without importing it.
 */
export interface ModelManifest {
  modelId: string;
  /** `String(model)`, e.g. `Anthropic Messages: claude-3-haiku`. */
  label: string;
  aliases: string[];
  canStream: boolean;
  supportsSchema: boolean;
  supportsTools: boolean;
  /** Absent in a cache written before llm-ts knew tool choice: the plugin's model decides when it runs. */
  supportsToolChoice?: boolean;
  attachmentTypes: string[];
  needsKey: string | null;
  keyEnvVar: string | null;
  /** The options spec as data (functions such as `check` are dropped). */
  optionsSpec: OptionsSpec;
  /** Present when the plugin registered a dedicated async model beside this one. */
  asyncLabel: string | null;
}

export interface EmbeddingModelManifest {
  modelId: string;
  label: string;
  aliases: string[];
  supportsText: boolean;
  supportsBinary: boolean;
  batchSize: number | null;
  needsKey: string | null;
  keyEnvVar: string | null;
}

export interface CommandManifest {
  name: string;
  description: string;
  aliases: string[];
}

/** Hook names as the Python tool reports them in `llm plugins`. */
export const HOOK_NAMES = {
  registerModels: 'register_models',
  registerEmbeddingModels: 'register_embedding_models',
  registerCommands: 'register_commands',
  registerTemplateLoaders: 'register_template_loaders',
  registerFragmentLoaders: 'register_fragment_loaders',
  registerTools: 'register_tools',
} as const;
export type HookName = keyof typeof HOOK_NAMES;

export interface PluginManifest {
  name: string;
  version: string | null;
  /** Changes whenever the plugin's package.json or main module changes. */
  fingerprint: string;
  /** Absolute path of the main module. */
  entry: string;
  /** `"llm": {"dynamic": true}`: its models are computed at run time, not cached. */
  dynamic: boolean;
  /** False for a package in the plugins folder without an `"llm"` field (e.g. a dependency). */
  isPlugin: boolean;
  hooks: HookName[];
  models: ModelManifest[];
  embeddingModels: EmbeddingModelManifest[];
  commands: CommandManifest[];
  templateLoaders: string[];
  fragmentLoaders: string[];
  tools: string[];
  /** A failure while importing (`import`) or running a hook (the hook's name): its message. */
  errors: Partial<Record<'import' | HookName, string>>;
}

export interface ManifestCache {
  version: 1;
  /** Stamp of the llm-ts the entries were made with: a new or rebuilt tool re-reads every plugin. */
  tool?: string;
  plugins: Record<string, PluginManifest>;
}

/** Changes when the running llm-ts is upgraded or rebuilt. */
export function toolStamp(): string {
  const root = packageRoot();
  return `${stamp(join(root, 'package.json'))}|${stamp(join(root, 'dist', 'index.js'))}`;
}

let rootCache: string | undefined;
/** The folder of the running llm-ts package (the one holding its package.json). */
export function packageRoot(): string {
  if (rootCache) return rootCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if (JSON.parse(readFileSync(candidate, 'utf8')).name === 'llm-ts') return (rootCache = dir);
      } catch {
        // keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the llm-ts package root');
    dir = parent;
  }
}

/** The folder of one installed package inside the plugins folder. */
export function packageDir(pluginsDir: string, name: string): string {
  return join(pluginsDir, 'node_modules', ...name.split('/'));
}

/** The main module of a package, from `exports["."]` (import/default), `main`, or index.js. */
export function resolveEntry(dir: string, pkg: Record<string, unknown>): string {
  let target: unknown = pkg.exports;
  if (target && typeof target === 'object' && !Array.isArray(target) && '.' in (target as object)) {
    target = (target as Record<string, unknown>)['.'];
  }
  for (let depth = 0; depth < 5 && target && typeof target === 'object' && !Array.isArray(target); depth++) {
    const conditions = target as Record<string, unknown>;
    target = conditions.import ?? conditions.node ?? conditions.default ?? conditions.require;
  }
  if (typeof target !== 'string') target = typeof pkg.main === 'string' ? pkg.main : 'index.js';
  return resolve(dir, target as string);
}

export function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${Math.floor(s.mtimeMs)}`;
  } catch {
    return 'missing';
  }
}

/** Cheap change detector: two stat() calls, no reads. */
export function fingerprintOf(dir: string, entry: string): string {
  return `${stamp(join(dir, 'package.json'))}|${stamp(entry)}`;
}

/** Reads a package's package.json for what the main process needs before harvesting. */
export function describePackage(
  pluginsDir: string,
  name: string,
): { dir: string; entry: string; version: string | null; isPlugin: boolean; dynamic: boolean } | undefined {
  const dir = packageDir(pluginsDir, name);
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const llm = pkg.llm;
  const isPlugin = !!llm && typeof llm === 'object';
  return {
    dir,
    entry: resolveEntry(dir, pkg),
    version: typeof pkg.version === 'string' ? pkg.version : null,
    isPlugin,
    dynamic: isPlugin && (llm as Record<string, unknown>).dynamic === true,
  };
}

/**
 * Runs in a child process: imports each plugin, runs its hooks against recorders and
 * writes what they registered as JSON. A child keeps a plugin that hangs, exits or
 * pollutes globals away from the command being run.
 */
const HARVEST_SCRIPT = String.raw`
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
const input = JSON.parse(process.env.LLM_TS_HARVEST);
const message = (e) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
let Command;
try { Command = createRequire(input.root + '/package.json')('commander').Command; } catch {}
const HOOKS = ${JSON.stringify(Object.keys(HOOK_NAMES))};
const describeModel = (model, asyncModel, aliases) => ({
  modelId: String(model.modelId),
  label: String(model),
  aliases: [...(aliases ?? [])].map(String),
  canStream: model.canStream !== false,
  supportsSchema: !!model.supportsSchema,
  supportsTools: !!model.supportsTools,
  supportsToolChoice: !!model.supportsToolChoice,
  attachmentTypes: [...(model.attachmentTypes ?? [])].map(String),
  needsKey: model.needsKey ?? null,
  keyEnvVar: model.keyEnvVar ?? null,
  optionsSpec: JSON.parse(JSON.stringify(model.optionsSpec ?? {})),
  asyncLabel: asyncModel ? String(asyncModel) : null,
});
const describeEmbedding = (model, aliases) => ({
  modelId: String(model.modelId),
  label: String(model),
  aliases: [...(aliases ?? [])].map(String),
  supportsText: model.supportsText !== false,
  supportsBinary: !!model.supportsBinary,
  batchSize: typeof model.batchSize === 'number' ? model.batchSize : null,
  needsKey: model.needsKey ?? null,
  keyEnvVar: model.keyEnvVar ?? null,
});
const results = [];
for (const p of input.plugins) {
  const out = { name: p.name, hooks: [], models: [], embeddingModels: [], commands: [], templateLoaders: [], fragmentLoaders: [], tools: [], errors: {} };
  results.push(out);
  let plugin;
  try {
    const mod = await import(pathToFileURL(p.entry).href);
    plugin = mod.default && typeof mod.default === 'object' && 'default' in mod.default && !('name' in mod.default) ? mod.default.default : mod.default;
    if (!plugin || typeof plugin !== 'object') throw new Error('its main module has no default export (an LlmPlugin object)');
  } catch (e) {
    out.errors.import = message(e);
    continue;
  }
  out.hooks = HOOKS.filter((h) => typeof plugin[h] === 'function');
  const run = (hook, fn) => { if (typeof plugin[hook] !== 'function') return; try { fn(); } catch (e) { out.errors[hook] = message(e); } };
  if (!p.dynamic) run('registerModels', () => plugin.registerModels((m, a, aliases) => out.models.push(describeModel(m, a, aliases))));
  run('registerEmbeddingModels', () => plugin.registerEmbeddingModels((m, aliases) => out.embeddingModels.push(describeEmbedding(m, aliases))));
  run('registerCommands', () => {
    if (!Command) throw new Error('commander is not available to record commands');
    const program = new Command('llm');
    plugin.registerCommands(program);
    out.commands = program.commands.map((c) => ({ name: c.name(), description: c.description() ?? '', aliases: c.aliases() }));
  });
  run('registerTemplateLoaders', () => plugin.registerTemplateLoaders((prefix) => out.templateLoaders.push(String(prefix))));
  run('registerFragmentLoaders', () => plugin.registerFragmentLoaders((prefix) => out.fragmentLoaders.push(String(prefix))));
  run('registerTools', () => plugin.registerTools((tool, name) => out.tools.push(String(name ?? tool?.name ?? 'tool'))));
}
writeFileSync(input.out, JSON.stringify(results));
process.exit(0);
`;

export interface HarvestTarget {
  name: string;
  entry: string;
  dynamic: boolean;
}

type Harvested = Pick<
  PluginManifest,
  'name' | 'hooks' | 'models' | 'embeddingModels' | 'commands' | 'templateLoaders' | 'fragmentLoaders' | 'tools' | 'errors'
>;

/** What a plugin registered when nothing is known yet (or nothing could be learned). */
export function nothingRegistered(name: string, errors: Record<string, string> = {}): Harvested {
  return { name, hooks: [], models: [], embeddingModels: [], commands: [], templateLoaders: [], fragmentLoaders: [], tools: [], errors };
}

/** Imports the given plugins in a child process and returns what each registered. */
export function harvest(targets: HarvestTarget[], cwd: string): Map<string, Harvested> {
  const results = new Map<string, Harvested>();
  if (!targets.length) return results;
  const work = mkdtempSync(join(tmpdir(), 'llm-ts-harvest-'));
  const out = join(work, 'out.json');
  try {
    const child = childProcess().spawnSync(process.execPath, ['--input-type=module', '-e', HARVEST_SCRIPT], {
      cwd,
      env: { ...process.env, LLM_TS_HARVEST: JSON.stringify({ root: packageRoot(), plugins: targets, out }) },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
      encoding: 'utf8',
    });
    let parsed: Harvested[] | undefined;
    try {
      parsed = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      parsed = undefined;
    }
    if (parsed) {
      for (const entry of parsed) results.set(entry.name, entry);
    } else if (targets.length > 1) {
      // One of them took the process down: try each on its own so only that one is blamed.
      for (const target of targets) {
        const single = harvest([target], cwd).get(target.name);
        if (single) results.set(target.name, single);
      }
    } else {
      // The child died (a plugin exited the process, crashed node or hung): blame every
      // target that has no result, with the last line of what it printed.
      const lines = (child.stderr || '').trim().split('\n').filter(Boolean);
      const reason = child.error
        ? child.error.message
        : lines.find((line) => /Error/.test(line)) ?? lines[lines.length - 1] ?? `exit code ${child.status}`;
      for (const target of targets) {
        results.set(target.name, nothingRegistered(target.name, { import: `importing it stopped the process: ${reason}` }));
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
