// `llm install ./folder` of a plugin that was never built (a TypeScript plugin whose main
// module is in a dist/ that does not exist yet): its `prepare` or `build` script is run
// first, its dependencies installed when they are missing.
import { childProcess } from '../util/builtins.js';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

/**
 * Makes sure a local package folder has its main module. When it is missing, the folder's
 * `prepare` script (or else `build`) runs, after `npm install` when dependencies are
 * missing; then the main module must be there. Throws one line saying what to do.
 * Returns the script that ran, or undefined when the folder was built already.
 */
export function buildFolderIfNeeded(folder: string, output: 'inherit' | 'ignore' = 'inherit'): string | undefined {
  const pkg = readPackage(folder);
  if (!pkg) return undefined; // npm pack says what is wrong with it
  const entry = resolveEntry(folder, pkg);
  if (existsSync(entry)) return undefined;
  const shown = relative(folder, entry);
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  const script = typeof scripts.prepare === 'string' ? 'prepare' : typeof scripts.build === 'string' ? 'build' : undefined;
  if (!script) {
    throw new PluginBuildError(
      `${folder} is not built: its main module ${shown} is missing and its package.json has no "prepare" or "build" script to make it; build it, then run llm install again`,
    );
  }
  if (missingDependencies(folder, pkg).length) {
    process.stderr.write(`Installing the dependencies of ${folder} to build it\n`);
    // Peers are left out: a plugin's llm-ts peer is the running tool, not a registry package.
    // npm install runs the folder's own `prepare` too.
    const status = run(['install', '--no-audit', '--no-fund', '--legacy-peer-deps'], folder, output);
    if (status !== 0) {
      throw new PluginBuildError(
        `${folder} is not built and installing its dependencies failed (npm install exited with code ${status}); run npm install and npm run ${script} there, then llm install again`,
      );
    }
    if (existsSync(entry)) return script;
  }
  process.stderr.write(`Building ${folder} (npm run ${script})\n`);
  const status = run(['run', script], folder, output);
  if (status !== 0) {
    throw new PluginBuildError(`Building ${folder} failed (npm run ${script} exited with code ${status}): fix its build, then run llm install again`);
  }
  if (!existsSync(entry)) {
    throw new PluginBuildError(
      `Building ${folder} (npm run ${script}) did not make its main module ${shown}: check "main"/"exports" in its package.json and its build, then run llm install again`,
    );
  }
  return script;
}
