import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeJsonFile } from '../config/json-file.js';
import { LlmError } from '../errors.js';
import { LazyEmbeddingModel, LazyModel } from './lazy-model.js';
import { addPlaceholderCommands, type PlaceholderProgram } from './placeholders.js';
import {
  describePackage,
  fingerprintOf,
  harvest,
  HOOK_NAMES,
  type HarvestTarget,
  type ManifestCache,
  nothingRegistered,
  type PluginManifest,
  toolStamp,
} from './manifest.js';
import type { LlmPlugin } from './types.js';
import { pluginsDir } from './plugins-dir.js';
import { importModule } from '../util/import-module.js';

export { pluginsDir };

/** The JSON cache of what each installed plugin registers. */
export function manifestCachePath(): string {
  return join(pluginsDir(), 'llm-ts-plugin-cache.json');
}

/** Names of the packages listed in `<user dir>/plugins/package.json` (llm-ts itself excluded). */
export function installedPackageNames(dir = pluginsDir()): string[] {
  let pkg: { dependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return [];
  }
  return Object.keys(pkg.dependencies ?? {})
    .filter((name) => name !== 'llm-ts')
    .sort();
}

function readCache(): ManifestCache {
  try {
    const data = JSON.parse(readFileSync(manifestCachePath(), 'utf8')) as ManifestCache;
    if (data && data.version === 1 && data.plugins && typeof data.plugins === 'object') return data;
  } catch {
    // missing or corrupt: rebuilt below
  }
  return { version: 1, plugins: {} };
}

/**
 * Makes sure the cache holds an up-to-date entry for each named package, importing
 * (in a child process) only those that are new or changed, or all of `force`.
 * Returns the entries in the order of `names`; packages that are not there are skipped.
 */
export function refreshManifests(names: string[], options: { force?: readonly string[] } = {}): PluginManifest[] {
  const dir = pluginsDir();
  const cache = readCache();
  const tool = toolStamp();
  let changed = false;
  if (cache.tool !== tool) {
    cache.plugins = {};
    cache.tool = tool;
    changed = true;
  }
  const targets: HarvestTarget[] = [];
  const pending = new Map<string, PluginManifest>();
  for (const name of names) {
    const cached = cache.plugins[name];
    const forced = options.force?.includes(name);
    if (cached && !forced && fingerprintOf(join(dir, 'node_modules', ...name.split('/')), cached.entry) === cached.fingerprint) {
      continue;
    }
    const described = describePackage(dir, name);
    if (!described) {
      if (cached) {
        delete cache.plugins[name];
        changed = true;
      }
      continue;
    }
    const manifest: PluginManifest = {
      ...nothingRegistered(name),
      version: described.version,
      fingerprint: fingerprintOf(described.dir, described.entry),
      entry: described.entry,
      dynamic: described.dynamic,
      isPlugin: described.isPlugin,
    };
    if (described.isPlugin) {
      pending.set(name, manifest);
      targets.push({ name, entry: described.entry, dynamic: described.dynamic });
    }
    cache.plugins[name] = manifest;
    changed = true;
  }
  if (targets.length) {
    const results = harvest(targets, dir);
    for (const [name, manifest] of pending) {
      const found = results.get(name);
      if (found) Object.assign(manifest, { ...found, name });
      else manifest.errors = { import: 'it could not be imported' };
    }
  }
  if (changed) {
    try {
      writeJsonFile(manifestCachePath(), cache, 2);
    } catch {
      // A read-only user dir: the cache is rebuilt next time.
    }
  }
  return names.map((name) => cache.plugins[name]).filter((m): m is PluginManifest => !!m);
}

/** Removes packages from the cache (after `llm uninstall`). */
export function forgetManifests(names: string[]): void {
  const cache = readCache();
  let changed = false;
  for (const name of names) {
    if (name in cache.plugins) {
      delete cache.plugins[name];
      changed = true;
    }
  }
  if (changed) writeJsonFile(manifestCachePath(), cache, 2);
}

/** The names LLM_LOAD_PLUGINS allows, or undefined when it is not set. */
function allowList(): string[] | undefined {
  const value = process.env.LLM_LOAD_PLUGINS;
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

interface Loaded {
  key: string;
  manifests: PluginManifest[];
  plugins: LlmPlugin[];
}
let loaded: Loaded | undefined;

/** Forgets what this process has read about installed plugins (after install/uninstall, or in tests). */
export function resetInstalledPlugins(): void {
  loaded = undefined;
}

function current(): Loaded {
  const key = `${pluginsDir()}\0${process.env.LLM_LOAD_PLUGINS ?? '\u0001'}`;
  if (loaded?.key === key) return loaded;
  const installed = installedPackageNames();
  const allowed = allowList();
  let names = installed;
  if (allowed) {
    for (const name of allowed) {
      if (!installed.includes(name)) process.stderr.write(`Plugin ${name} could not be found\n`);
    }
    names = installed.filter((name) => allowed.includes(name));
  }
  const manifests = names.length ? refreshManifests(names).filter((m) => m.isPlugin) : [];
  loaded = { key, manifests, plugins: manifests.map(proxyPlugin) };
  return loaded;
}

/** Manifests of the installed plugins that this process loads (LLM_LOAD_PLUGINS applied). */
export function installedPluginManifests(): PluginManifest[] {
  return current().manifests;
}

/**
 * Plugins installed with `llm install`, as lightweight stand-ins built from the cache:
 * their hooks register lazy models and placeholder commands without importing the plugin.
 */
export function installedPlugins(): LlmPlugin[] {
  return current().plugins;
}

const asyncLoads = new Map<string, Promise<LlmPlugin>>();
const syncLoads = new Map<string, LlmPlugin>();

function pluginFrom(module: Record<string, unknown>, name: string): LlmPlugin {
  let value = module.default as Record<string, unknown> | undefined;
  if (value && typeof value === 'object' && !('name' in value) && value.default && typeof value.default === 'object') {
    value = value.default as Record<string, unknown>;
  }
  if (!value || typeof value !== 'object') {
    throw new LlmError(`Plugin ${name} failed to load: its main module has no default export (an LlmPlugin object)`);
  }
  return value as unknown as LlmPlugin;
}

/** Imports an installed plugin's real code (once per process). */
export function loadInstalledPlugin(manifest: Pick<PluginManifest, 'name' | 'entry'>): Promise<LlmPlugin> {
  const done = syncLoads.get(manifest.entry);
  if (done) return Promise.resolve(done);
  let pending = asyncLoads.get(manifest.entry);
  if (!pending) {
    pending = importModule<Record<string, unknown>>(pathToFileURL(manifest.entry).href).then(
      (module: Record<string, unknown>) => pluginFrom(module, manifest.name),
      (error: unknown) => {
        asyncLoads.delete(manifest.entry);
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new LlmError(`Plugin ${manifest.name} failed to load: ${reason}`, { cause: error });
      },
    );
    asyncLoads.set(manifest.entry, pending);
  }
  return pending;
}

/** Loads a plugin synchronously (require of an ES module), for hooks that must answer at once. */
function loadInstalledPluginSync(manifest: PluginManifest): LlmPlugin {
  let plugin = syncLoads.get(manifest.entry);
  if (!plugin) {
    const require = createRequire(import.meta.url);
    plugin = pluginFrom(require(manifest.entry) as Record<string, unknown>, manifest.name);
    syncLoads.set(manifest.entry, plugin);
  }
  return plugin;
}

function proxyPlugin(manifest: PluginManifest): LlmPlugin {
  const load = () => loadInstalledPlugin(manifest);
  const proxy: LlmPlugin = { name: manifest.name };
  const importError = manifest.errors.import;
  if (importError) {
    // Every entry point reports the failure (the registry prints it once, naming the plugin).
    const fail = (): never => {
      throw new Error(importError);
    };
    proxy.registerModels = fail;
    proxy.registerEmbeddingModels = fail;
    proxy.registerCommands = fail;
    return proxy;
  }
  const failed = (hook: keyof typeof HOOK_NAMES): void => {
    const message = manifest.errors[hook];
    if (message) throw new Error(message);
  };
  const has = (hook: keyof typeof HOOK_NAMES) => manifest.hooks.includes(hook);

  if (has('registerModels')) {
    let models: { model: LazyModel; asyncModel: LazyModel | null; aliases: string[] }[] | undefined;
    proxy.registerModels = (register) => {
      if (manifest.dynamic) {
        loadInstalledPluginSync(manifest).registerModels?.(register);
        return;
      }
      models ??= manifest.models.map((m) => ({
        model: new LazyModel(m, manifest.name, load),
        asyncModel: m.asyncLabel ? new LazyModel(m, manifest.name, load, true) : null,
        aliases: m.aliases,
      }));
      for (const entry of models) register(entry.model, entry.asyncModel, entry.aliases);
      failed('registerModels');
    };
  }
  if (has('registerEmbeddingModels')) {
    let models: { model: LazyEmbeddingModel; aliases: string[] }[] | undefined;
    proxy.registerEmbeddingModels = (register) => {
      models ??= manifest.embeddingModels.map((m) => ({ model: new LazyEmbeddingModel(m, manifest.name, load), aliases: m.aliases }));
      for (const entry of models) register(entry.model, entry.aliases);
      failed('registerEmbeddingModels');
    };
  }
  if (has('registerCommands')) {
    proxy.registerCommands = (program) => {
      failed('registerCommands');
      addPlaceholderCommands(program as PlaceholderProgram, manifest, load);
    };
  }
  if (has('registerTemplateLoaders')) {
    proxy.registerTemplateLoaders = (register) => {
      for (const prefix of manifest.templateLoaders) {
        register(prefix, async (name: string) => {
          let loader: ((name: string) => unknown) | undefined;
          (await load()).registerTemplateLoaders?.((p, l) => {
            if (p === prefix && !loader) loader = l;
          });
          if (!loader) throw new LlmError(`Plugin ${manifest.name} no longer provides the template loader ${prefix}`);
          return loader(name);
        });
      }
      failed('registerTemplateLoaders');
    };
  }
  if (has('registerFragmentLoaders')) {
    proxy.registerFragmentLoaders = (register) => {
      for (const prefix of manifest.fragmentLoaders) {
        register(prefix, async (argument: string) => {
          let loader: ((argument: string) => unknown) | undefined;
          (await load()).registerFragmentLoaders?.((p, l) => {
            if (p === prefix && !loader) loader = l;
          });
          if (!loader) throw new LlmError(`Plugin ${manifest.name} no longer provides the fragment loader ${prefix}`);
          return loader(argument);
        });
      }
      failed('registerFragmentLoaders');
    };
  }
  if (has('registerTools')) {
    // Tools are objects and functions the caller inspects at once: load the plugin for real.
    proxy.registerTools = (register) => {
      failed('registerTools');
      loadInstalledPluginSync(manifest).registerTools?.(register);
    };
  }
  return proxy;
}
