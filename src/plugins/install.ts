import { childProcess } from '../util/builtins.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeJsonFile } from '../config/json-file.js';
import { LlmError, UsageError } from '../errors.js';
import { forgetManifests, installedPackageNames, pluginsDir, refreshManifests, resetInstalledPlugins } from './installed.js';
import { packageRoot, type PluginManifest } from './manifest.js';
import { BuildArea, buildFolderIfNeeded } from './build-folder.js';

/** npm failed while installing or removing plugins. */
export class PluginInstallError extends LlmError {
  override readonly code = 'plugin_install';
}

export interface InstallOptions {
  /** `-U`: upgrade named packages to their latest version. */
  upgrade?: boolean;
  /** `-e PATH`: link local plugin folders instead of copying them (for plugin development). */
  editable?: readonly string[];
  /** Where npm's own output goes (default: this process's stderr). */
  npmOutput?: 'inherit' | 'ignore';
}

export interface InstallResult {
  /** Packages that were added or changed. */
  installed: PluginManifest[];
  /** One line per problem found in them (not a plugin, failed to import, a hook threw). */
  warnings: string[];
}

function npm(args: string[], cwd: string, output: 'inherit' | 'ignore'): { status: number | null; stdout: string } {
  const child = childProcess().spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd,
    stdio: ['ignore', output === 'inherit' && args[0] !== 'pack' ? process.stderr : 'pipe', output === 'inherit' ? 'inherit' : 'ignore'],
    encoding: 'utf8',
    shell: process.platform === 'win32',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (child.error) throw new PluginInstallError(`Could not run npm: ${child.error.message}`);
  return { status: child.status, stdout: typeof child.stdout === 'string' ? child.stdout : '' };
}

/**
 * A package spec npm may be given: a registry name (`name`, `@scope/name`, with an
 * optional `@range` or tag), a git URL or host shorthand, or a tarball URL. Paths are
 * handled before this. Nothing starting with `-` (npm would read it as an option).
 */
const NAME = /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9~][\w.~-]*(@[^\s]+)?$/i;
const GIT = /^(git\+)?(https?|ssh|git|file):\/\/[^\s]+$|^(github|gitlab|bitbucket|gist):[^\s]+$|^git@[\w.-]+:[^\s]+$|^[\w.-]+\/[\w.-]+(#[^\s]+)?$/;

export function checkPackageSpec(spec: string): void {
  if (spec.startsWith('-')) {
    throw new UsageError(`Not a package: ${spec} (give a name, name@version, a folder, a tarball or a git URL; options go before the packages)`);
  }
  if (!NAME.test(spec) && !GIT.test(spec)) {
    throw new UsageError(`Not a package: ${JSON.stringify(spec)} (give a name, name@version, a folder, a tarball or a git URL)`);
  }
}

/** `<user dir>/plugins/package.json`, created when missing, with llm-ts pointing at this package. */
function preparePluginsProject(): string {
  const dir = pluginsDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'package.json');
  let pkg: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      pkg = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new PluginInstallError(`${path} is not valid JSON; fix or remove it and try again`);
    }
  }
  pkg.name ??= 'llm-ts-user-plugins';
  pkg.private = true;
  pkg.description ??= 'Plugins installed with `llm install`. Managed by llm-ts: edit with care.';
  const dependencies = { ...((pkg.dependencies as Record<string, string>) ?? {}) };
  // The plugins' llm-ts peer resolves to the running tool (llm-ts is not on the registry).
  dependencies['llm-ts'] = `file:${packageRoot()}`;
  pkg.dependencies = dependencies;
  writeJsonFile(path, pkg, 2);
  return dir;
}

function readDependencies(dir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {};
  } catch {
    return {};
  }
}

/** Packages in the plugins folder whose install scripts npm skipped (from package-lock.json). */
function packagesWithInstallScripts(dir: string): string[] {
  let lock: { packages?: Record<string, { hasInstallScript?: boolean; link?: boolean }> };
  try {
    lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!entry.hasInstallScript || entry.link || !path.includes('node_modules/')) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (name !== 'llm-ts') names.add(name);
  }
  return [...names];
}

/** Problems worth telling the user about, one line each. */
function problemsOf(manifest: PluginManifest): string[] {
  if (!manifest.isPlugin) return [`${manifest.name} is not an llm-ts plugin: its package.json has no "llm" field`];
  const problems: string[] = [];
  for (const [where, message] of Object.entries(manifest.errors)) {
    problems.push(where === 'import' ? `plugin ${manifest.name} failed to load: ${message}` : `plugin ${manifest.name} failed in ${where}: ${message}`);
  }
  return problems;
}

/**
 * `llm install`: installs npm packages (registry names, local folders, tarballs) into
 * `<user dir>/plugins` and records what each registers. A folder is packed first, so
 * the installed copy does not depend on it; `editable` folders are linked instead.
 */
export function installPlugins(specs: readonly string[], options: InstallOptions = {}): InstallResult {
  const editable = options.editable ?? [];
  if (!specs.length && !editable.length) throw new UsageError('Give at least one package to install (a name, a folder or a tarball)');
  const output = options.npmOutput ?? 'inherit';
  for (const spec of specs) {
    const pathLike = /^[./~]/.test(spec) || (/\.(tgz|tar\.gz)$/.test(spec) && !/^https?:/.test(spec));
    if (spec.startsWith('-') || (!pathLike && !existsSync(resolve(spec)))) checkPackageSpec(spec);
  }
  const dir = preparePluginsProject();
  // Tarballs are kept beside the plugins: package.json points at them and a later
  // `npm install` in this folder may read them again.
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const args: string[] = [];
  const folders: string[] = [];
  const files: string[] = [];
  const named: string[] = [];
  for (const spec of specs) {
    const path = resolve(spec);
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) folders.push(path);
      else files.push(path);
    } else if (/^[./~]/.test(spec) || (/\.(tgz|tar\.gz)$/.test(spec) && !/^https?:/.test(spec))) {
      throw new UsageError(`No such file or folder: ${spec}`);
    } else {
      args.push(options.upgrade && !/.@/.test(spec) ? `${spec}@latest` : spec);
      named.push(spec.replace(/(.)@.*$/, '$1'));
    }
  }
  const linked = editable.map((folder) => {
    const path = resolve(folder);
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`No such folder: ${folder}`);
    return path;
  });
  // A folder that was never built (a TypeScript plugin without its dist/) is built first: a
  // linked folder in place (it is used from there), any other in a copy, which is packed.
  for (const folder of linked) buildFolderIfNeeded(folder, output);
  const builds = new BuildArea(tarballs, output);
  let ready: string[];
  try {
    ready = folders.map((folder) => builds.ready(folder));
  } catch (error) {
    builds.remove();
    throw error;
  }
  const before = readDependencies(dir);
  // What the plugins folder was, to put back if a plugin installed now cannot load.
  const snapshot = new ProjectSnapshot([join(dir, 'package.json'), join(dir, 'package-lock.json')]);
  let installedFiles = false;
  try {
    for (const path of files) {
      const copy = join(tarballs, basename(path));
      if (copy !== path) {
        snapshot.keep(copy);
        copyFileSync(path, copy);
      }
      args.push(copy);
    }
    if (folders.length) args.push(...packFolders(ready, tarballs, snapshot, output));
    args.push(...linked.map((path) => `file:${path}`));
    // Scripts are off for the install itself: npm would otherwise run llm-ts's own
    // `prepare` (a full build) through the file: link. Packages that need their install
    // scripts (native modules) are rebuilt just after, llm-ts excepted.
    const result = npm(['install', '--save', '--no-audit', '--no-fund', '--ignore-scripts', '--', ...args], dir, output);
    // A failed npm install rolls node_modules back itself.
    if (result.status !== 0) throw new PluginInstallError(`npm install failed (exit code ${result.status})`);
    installedFiles = true;
    const scripted = packagesWithInstallScripts(dir);
    if (scripted.length) {
      const rebuilt = npm(['rebuild', '--no-audit', '--no-fund', '--', ...scripted], dir, output);
      if (rebuilt.status !== 0) throw new PluginInstallError(`npm rebuild failed for ${scripted.join(', ')} (exit code ${rebuilt.status})`);
    }
  } catch (error) {
    snapshot.restore();
    if (installedFiles) resyncProject(dir);
    throw error;
  } finally {
    builds.remove();
  }
  const after = readDependencies(dir);
  const changed = Object.keys(after).filter((name) => name !== 'llm-ts' && (before[name] !== after[name] || named.includes(name)));
  // Nothing changed in package.json (the same tarball again): re-read every plugin.
  const targets = changed.length ? changed : installedPackageNames(dir);
  const installed = refreshManifests(targets, { force: targets });
  resetInstalledPlugins();
  // A plugin that cannot load is not installed: it would warn on every later command.
  const broken = installed.filter((manifest) => manifest.isPlugin && changed.includes(manifest.name)).flatMap(loadProblemsOf);
  if (broken.length) {
    snapshot.restore();
    resyncProject(dir);
    refreshManifests(targets, { force: targets });
    resetInstalledPlugins();
    throw new PluginInstallError(`${broken.join('; ')}: nothing was installed (fix the plugin, then run llm install again)`);
  }
  return { installed, warnings: installed.flatMap(problemsOf) };
}

/** Why an installed plugin cannot be used: it failed to import, a hook threw, or it registers nothing. */
function loadProblemsOf(manifest: PluginManifest): string[] {
  const problems = problemsOf(manifest);
  if (!problems.length && !manifest.hooks.length) {
    problems.push(`plugin ${manifest.name} loads but registers nothing (its default export has no register... hook)`);
  }
  return problems;
}

/** Files as they were before an install, to put back when it fails. */
class ProjectSnapshot {
  /** File path to its content, or null when the file did not exist. */
  private readonly files = new Map<string, Buffer | null>();

  constructor(paths: string[]) {
    for (const path of paths) this.keep(path);
  }

  keep(path: string): void {
    if (!this.files.has(path)) this.files.set(path, existsSync(path) ? readFileSync(path) : null);
  }

  restore(): void {
    for (const [path, content] of this.files) {
      if (content === null) rmSync(path, { force: true });
      else writeFileSync(path, content);
    }
  }
}

/** Packs folders into `tarballs` (through a staging folder, so what they replace is kept first). */
function packFolders(folders: string[], tarballs: string, snapshot: ProjectSnapshot, output: 'inherit' | 'ignore'): string[] {
  const staging = mkdtempSync(join(tarballs, '.pack-'));
  try {
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', staging, '--', ...folders], dirname(tarballs), output);
    if (packed.status !== 0) throw new PluginInstallError(`npm pack failed for ${folders.join(', ')} (exit code ${packed.status})`);
    return (JSON.parse(packed.stdout) as { filename: string }[]).map((entry) => {
      const target = join(tarballs, basename(entry.filename));
      snapshot.keep(target);
      renameSync(join(staging, basename(entry.filename)), target);
      return target;
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** node_modules made to match package.json and package-lock.json again (after a restore). */
function resyncProject(dir: string): void {
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts'], dir, 'ignore');
}

/** `llm uninstall`: removes installed plugins. */
export function uninstallPlugins(names: readonly string[], options: { npmOutput?: 'inherit' | 'ignore' } = {}): void {
  if (!names.length) throw new UsageError('Give at least one plugin to uninstall');
  const dir = pluginsDir();
  const installed = installedPackageNames(dir);
  const missing = names.filter((name) => !installed.includes(name));
  if (missing.length) throw new UsageError(`Plugin ${missing.join(', ')} is not installed`);
  // The tarballs `llm install` kept for these plugins go too.
  const specs = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
  const kept = names
    .map((name) => specs[name])
    .filter((spec): spec is string => typeof spec === 'string' && spec.startsWith('file:') && spec.endsWith('.tgz'))
    .map((spec) => resolve(dir, spec.slice('file:'.length)))
    .filter((path) => path.startsWith(join(dir, 'tarballs')));
  const result = npm(['uninstall', '--save', '--no-audit', '--no-fund', '--ignore-scripts', '--', ...names], dir, options.npmOutput ?? 'inherit');
  if (result.status !== 0) throw new PluginInstallError(`npm uninstall failed (exit code ${result.status})`);
  for (const path of kept) rmSync(path, { force: true });
  forgetManifests([...names]);
  resetInstalledPlugins();
}
