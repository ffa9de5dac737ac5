// The llm command's launcher (dist/launch.cjs, which bin/llm.cjs requires). It loads the
// one bundle, dist/llm.cjs, as the CommonJS module it is, but compiled with V8's code
// cache. Compiling the bundle from source is most of what a start costs; with the cache,
// V8 reads back the bytecode it made the first time, including every function that run
// compiled. This one path serves every Node: Node 22's module.enableCompileCache was
// measured against it on Node 22 and 24 and is slower (it keeps only the code V8 compiled
// when the module loaded: 146 KB against this cache's 376 KB for a prompt, so a run
// still compiles the rest).
//
// The cache is per user ($XDG_CACHE_HOME/llm-ts, else ~/.cache/llm-ts), one file per
// command group, named after the bundle's path, size and mtime and Node's version, so a
// changed bundle or Node never reads another's cache; V8 checks the source length and its
// own version and flags too, and a rejected cache is made again. Anything that goes wrong
// with the cache falls back to compiling without it. NODE_DISABLE_COMPILE_CACHE=1 turns it
// off, as it does Node's own.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';

interface CliBundle {
  __runCli(argv?: readonly string[]): Promise<never>;
}

/**
 * Command groups that get their own cache; anything else (a prompt) shares 'prompt'. The
 * built-in top-level commands (main.ts; a test keeps the two lists alike).
 */
const GROUPS = new Set([
  'chat', 'keys', 'logs', 'models', 'templates', 'fragments', 'tools', 'mcp', 'schemas', 'aliases', 'embed', 'embed-multi',
  'similar', 'embed-models', 'collections', 'plugins', 'install', 'uninstall', 'openai', 'map', 'providers', 'completion', 'serve',
  'prices', 'usage', 'count', 'budget',
]);

/** FNV-1a, 32 bits, as 8 hex digits: names a cache file without loading node:crypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Where this bundle's cache for `group` lives, or undefined when there is no home to put it. */
export function cacheFile(bundle: string, group: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // A relative XDG_CACHE_HOME is to be ignored (the XDG spec).
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : '';
  const base = xdg || (homedir() ? join(homedir(), '.cache') : '');
  if (!base) return undefined;
  const { size, mtimeMs } = statSync(bundle);
  const build = [bundle, size, mtimeMs, process.version, process.arch].join('\0');
  return join(base, 'llm-ts', `${group}-${fnv1a(bundle)}-${fnv1a(build)}.v8`);
}

function readCache(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes the cache whole or not at all: to a private temporary file, then renamed. The
 * group's caches for earlier builds of the same installed bundle (an older version) are
 * removed; another installation's are left alone.
 */
function writeCache(file: string, data: Buffer): void {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
    // Same group, same installed bundle, another build of it: superseded.
    const name = basename(file);
    const install = name.slice(0, -'-01234567.v8'.length);
    for (const other of readdirSync(dir)) {
      if (other !== name && /^(.+)-[0-9a-f]{8}\.v8$/.exec(other)?.[1] === install) rmSync(join(dir, other), { force: true });
    }
  } catch {
    // A read-only home or a full disk: the next start compiles from source again.
  }
}

/**
 * Loads `bundle` as the CommonJS module it is, registered in require's cache as Node would
 * (so a plugin that imports llm-ts gets this same instance), but compiled with the cache.
 */
export function loadBundle(bundle: string, group: string): CliBundle {
  const enabled = !process.env.NODE_DISABLE_COMPILE_CACHE;
  let file: string | undefined;
  try {
    file = enabled ? cacheFile(bundle, group) : undefined;
  } catch {
    file = undefined;
  }
  const cachedData = readCache(file);
  // ASCII, as the build checks, so Latin-1 reads it exactly and faster than UTF-8.
  const source = readFileSync(bundle, 'latin1');
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  if (file !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    // Made at exit, so the cache holds every function this run compiled, not only the top
    // level; and only after a run that succeeded, which went through the command's main path
    // rather than stopping at an error.
    process.once('exit', (code) => {
      if (code === 0) writeCache(file, script.createCachedData());
    });
  }
  const cache = (Module as unknown as { _cache: Record<string, Module> })._cache;
  const mod = new Module(bundle);
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
  cache[bundle] = mod;
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  } catch (error) {
    delete cache[bundle];
    throw error;
  }
  mod.loaded = true;
  return mod.exports as CliBundle;
}

/**
 * The cache group of a command line: 'help' for help, else its first word when that names
 * a built-in command, else 'prompt'. A group's cache is made by its first successful run,
 * so `llm --help` must not make the one a prompt reads.
 */
export function commandGroup(argv: readonly string[]): string {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const first = argv[0];
  return first !== undefined && GROUPS.has(first) ? first : 'prompt';
}

/** Runs the `llm` command: the bundle's CLI, loaded with the cache. */
export function launch(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  return loadBundle(join(__dirname, 'llm.cjs'), commandGroup(argv)).__runCli(argv);
}
