// `llm install ./folder` of a plugin that was never built (a TypeScript plugin whose main
// module is in a dist/ that does not exist yet): its `prepare` or `build` script is run
// first, its dependencies installed when they are missing, in a copy of the folder (a
// linked folder, `llm install -e`, is built in place).
import { childProcess } from '../util/builtins.js';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { LlmError } from '../errors.js';
import { resolveEntry } from './manifest.js';

/** A local plugin folder that is not built and could not be built. */
export class PluginBuildError extends LlmError {
  override readonly code = 'plugin_build';
}

function readPackage(folder: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function run(args: string[], cwd: string, output: 'inherit' | 'ignore'): number | null {
  const child = childProcess().spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd,
    // The build's own output goes to stderr: `llm install`'s stdout stays clean.
    stdio: ['ignore', output === 'inherit' ? process.stderr : 'ignore', output],
    shell: process.platform === 'win32',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (child.error) throw new PluginBuildError(`Could not run npm: ${child.error.message}`);
  return child.status;
}

/** Declared dependencies (runtime and dev) that the folder's node_modules does not have. */
function missingDependencies(folder: string, pkg: Record<string, unknown>): string[] {
  const declared = { ...(pkg.dependencies as object), ...(pkg.devDependencies as object) } as Record<string, unknown>;
  return Object.keys(declared).filter((name) => !existsSync(join(folder, 'node_modules', ...name.split('/'), 'package.json')));
}

/** What building a folder takes: its package.json, its missing main module and the script to run. */
interface Unbuilt {
  pkg: Record<string, unknown>;
  /** The main module, relative to the folder. */
  main: string;
  script: 'prepare' | 'build';
}

/** Undefined when the folder has its main module (or no package.json: npm pack says what is wrong). */
function unbuilt(folder: string): Unbuilt | undefined {
  const pkg = readPackage(folder);
  if (!pkg) return undefined;
  const entry = resolveEntry(folder, pkg);
  if (existsSync(entry)) return undefined;
  const main = relative(folder, entry);
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  const script = typeof scripts.prepare === 'string' ? 'prepare' : typeof scripts.build === 'string' ? 'build' : undefined;
  if (!script) {
    throw new PluginBuildError(
      `${folder} is not built: its main module ${main} is missing and its package.json has no "prepare" or "build" script to make it; build it, then run llm install again`,
    );
  }
  return { pkg, main, script };
}

/**
 * Runs the build of `folder` in `workDir` (the folder itself, or a copy of it): `npm install`
 * first when dependencies are missing there, then the script; the main module must then be
 * there. Throws one line, naming `folder`, saying what to do.
 */
function build(folder: string, workDir: string, { pkg, main, script }: Unbuilt, output: 'inherit' | 'ignore'): void {
  const entry = join(workDir, main);
  if (missingDependencies(workDir, pkg).length) {
    process.stderr.write(`Installing the dependencies of ${folder} to build it\n`);
    // Peers are left out: a plugin's llm-ts peer is the running tool, not a registry package.
    // npm install runs the folder's own `prepare` too.
    const status = run(['install', '--no-audit', '--no-fund', '--legacy-peer-deps'], workDir, output);
    if (status !== 0) {
      throw new PluginBuildError(
        `${folder} is not built and installing its dependencies failed (npm install exited with code ${status}); run npm install and npm run ${script} there, then llm install again`,
      );
    }
    if (existsSync(entry)) return;
  }
  process.stderr.write(`Building ${folder} (npm run ${script})\n`);
  const status = run(['run', script], workDir, output);
  if (status !== 0) {
    throw new PluginBuildError(`Building ${folder} failed (npm run ${script} exited with code ${status}): fix its build, then run llm install again`);
  }
  if (!existsSync(entry)) {
    throw new PluginBuildError(
      `Building ${folder} (npm run ${script}) did not make its main module ${main}: check "main"/"exports" in its package.json and its build, then run llm install again`,
    );
  }
}

/**
 * Builds a local package folder in place when its main module is missing (`llm install -e`:
 * the folder is linked, so it is used from there). Returns the script that ran, or
 * undefined when the folder was built already.
 */
export function buildFolderIfNeeded(folder: string, output: 'inherit' | 'ignore' = 'inherit'): string | undefined {
  const needed = unbuilt(folder);
  if (needed) build(folder, folder, needed, output);
  return needed?.script;
}

/** Left out of the copy of a folder to build: installed again (or linked) there, or not needed. */
const NOT_COPIED = new Set(['node_modules', '.git']);

/**
 * Where `llm install` builds the folders it packs: each unbuilt folder is copied (without
 * node_modules and .git) into a temporary folder under `parent`, its dependencies installed
 * and its build run there, so the user's folder is left exactly as it was.
 */
export class BuildArea {
  private dir: string | undefined;

  constructor(
    private readonly parent: string,
    private readonly output: 'inherit' | 'ignore' = 'inherit',
  ) {}

  /** The folder to pack for `folder`: the folder itself when it is built, else a built copy. */
  ready(folder: string): string {
    const needed = unbuilt(folder);
    if (!needed) return folder;
    this.dir ??= mkdtempSync(join(this.parent, '.build-'));
    const copy = join(mkdtempSync(join(this.dir, 'folder-')), basename(folder));
    cpSync(folder, copy, { recursive: true, filter: (path) => !NOT_COPIED.has(basename(path)) });
    const original = readFileSync(join(copy, 'package.json'));
    // `file:../x` dependencies name folders beside the original: the copy points at them too.
    writeFileSync(join(copy, 'package.json'), JSON.stringify(withAbsoluteFileSpecs(needed.pkg, folder), null, 2) + '\n');
    // Dependencies already installed in the folder are used from there (read, not written).
    if (existsSync(join(folder, 'node_modules')) && !missingDependencies(folder, needed.pkg).length) {
      symlinkSync(join(folder, 'node_modules'), join(copy, 'node_modules'), 'junction');
    }
    build(folder, copy, needed, this.output);
    // What is packed is the folder's own package.json.
    writeFileSync(join(copy, 'package.json'), original);
    return copy;
  }

  /** Removes the copies (once packed, or after a failure). */
  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** The package with its relative `file:` dependency specs made absolute (from `folder`). */
function withAbsoluteFileSpecs(pkg: Record<string, unknown>, folder: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...pkg };
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const specs = pkg[field];
    if (!specs || typeof specs !== 'object') continue;
    copy[field] = Object.fromEntries(
      Object.entries(specs as Record<string, unknown>).map(([name, spec]) =>
        typeof spec === 'string' && spec.startsWith('file:') && !isAbsolute(spec.slice(5)) ? [name, `file:${resolve(folder, spec.slice(5))}`] : [name, spec],
      ),
    );
  }
  return copy;
}
