import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmError, UsageError } from 'llm-ts';
import { CATALOG } from './catalog.js';
import { type AddedProvider, configPath, type FetchedModelList, packagesDir, readConfig, readModelLists, writeConfig, writeModelLists } from './config.js';
import { fetchModelList, hasListing } from './listing.js';
import { modelsOf } from './model-list.js';
import { resolvePackage } from './request.js';

/** `llm ai-sdk add|list|remove|refresh`, loaded only when one of them runs. */

export class NpmInstallError extends LlmError {
  override readonly code = 'ai_sdk_install';
}

type Write = (text: string) => void;
const stdout: Write = (text) => process.stdout.write(text);
const stderr: Write = (text) => process.stderr.write(text);

/** `@ai-sdk/mistral@^3` -> `@ai-sdk/mistral`. */
export function packageName(spec: string): string {
  return spec.replace(/(.)@.*$/, '$1');
}

/** npm install of a provider package into `<user dir>/ai-sdk` (skipped when it already resolves). */
export function installPackage(spec: string, write: Write): void {
  const name = packageName(spec);
  if (resolvePackage(name)) return;
  const dir = packagesDir();
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) {
    writeFileSync(manifest, JSON.stringify({ name: 'llm-ts-ai-sdk-providers', private: true, description: 'Managed by llm ai-sdk add' }, null, 2) + '\n');
  }
  write(`Installing ${spec} into ${dir}\n`);
  const npm = process.env.LLM_AI_SDK_NPM || (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  const child = spawnSync(npm, ['install', '--save', '--no-audit', '--no-fund', spec], {
    cwd: dir,
    stdio: ['ignore', process.stderr, 'inherit'],
    shell: process.platform === 'win32',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (child.error) throw new NpmInstallError(`Could not run npm: ${child.error.message}`);
  if (child.status !== 0) throw new NpmInstallError(`npm install ${spec} failed (exit code ${child.status})`);
}

function parseSettings(pairs: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--setting takes NAME=VALUE, got: ${pair}`);
    const raw = pair.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    settings[pair.slice(0, at)] = value;
  }
  return settings;
}

export function runAdd(name: string, options: Record<string, unknown>, write: Write = stdout): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new UsageError(`Not a provider name: ${name}`);
  const known = CATALOG[name];
  const models = (options.model as string[] | undefined) ?? [];
  const spec = (options.package as string | undefined) ?? known?.package;
  const factory = (options.factory as string | undefined) ?? known?.factory;
  if (!spec || !factory) {
    throw new UsageError(
      `Unknown AI SDK provider: ${name}. Known: ${Object.keys(CATALOG).join(', ')}; for another, give --package, --factory and --model`,
    );
  }
  const settings = parseSettings((options.setting as string[] | undefined) ?? []);
  const baseURL = options.baseUrl as string | undefined;
  if (baseURL !== undefined && !/^https?:\/\//.test(baseURL)) throw new UsageError(`--base-url must be an http(s) URL, got: ${baseURL}`);
  const entries = [...(known?.models ?? []), ...models.filter((id) => !known?.models.some((m) => m.id === id)).map((id) => ({ id }))];
  if (!entries.length) {
    throw new UsageError(`${name} has no built-in model list: give ${known?.needs ?? 'at least one --model ID'}`);
  }
  if (known?.needs && !models.length) throw new UsageError(`${name} needs ${known.needs}`);
  if (name === 'azure' && !baseURL && settings.resourceName === undefined && !process.env.AZURE_RESOURCE_NAME) {
    throw new UsageError('azure needs --setting resourceName=NAME (or AZURE_RESOURCE_NAME) or --base-url');
  }
  installPackage(spec, write);
  const provider: AddedProvider = {
    label: known?.label ?? name,
    package: packageName(spec),
    factory,
    keyEnv: (options.keyEnv as string | undefined) ?? known?.keyEnv ?? null,
    ...(known?.optionalKey && !options.keyEnv ? { optionalKey: true } : {}),
    ...(known?.method ? { method: known.method } : {}),
    ...(baseURL ? { baseURL } : {}),
    ...(Object.keys(settings).length ? { settings } : {}),
    models: entries,
  };
  const embeddings = [
    ...(known?.embeddingModels ?? []),
    ...((options.embeddingModel as string[] | undefined) ?? []).filter((id) => !known?.embeddingModels?.some((m) => m.id === id)).map((id) => ({ id })),
  ];
  if (embeddings.length) provider.embeddingModels = embeddings;
  const config = readConfig();
  config.providers[name] = provider;
  writeConfig(config);
  const key = !provider.keyEnv ? '' : provider.optionalKey ? `; for an API key, 'llm keys set ${name}' or ${provider.keyEnv}` : `; set its key with 'llm keys set ${name}' or ${provider.keyEnv}`;
  write(`Added ${entries.length} ${name} model${entries.length === 1 ? '' : 's'} (${name}/${entries[0]!.id}...) to ${configPath()}${key}\n`);
  if (hasListing(name)) write(`Run 'llm ai-sdk refresh ${name}' to fetch its full model list\n`);
}

export function runList(write: Write = stdout): void {
  const { providers } = readConfig();
  const lists = readModelLists();
  const names = Object.keys(providers).sort();
  if (!names.length) write('No AI SDK providers added yet.\n');
  for (const name of names) {
    const p = providers[name]!;
    const count = modelsOf(name, p, lists[name]).length;
    const fetched = lists[name] ? `, list fetched ${lists[name]!.fetched_at.slice(0, 10)}` : '';
    write(`${name}: ${p.package} (${count} model${count === 1 ? '' : 's'}${fetched}${p.baseURL ? `, ${p.baseURL}` : ''})\n`);
  }
  const addable = Object.keys(CATALOG).filter((name) => !providers[name]);
  if (addable.length) write(`Can be added by name: ${addable.join(', ')}\n`);
}

export function runRemove(name: string, write: Write = stdout): void {
  const config = readConfig();
  if (!config.providers[name]) throw new UsageError(`No AI SDK provider named ${name} was added`);
  delete config.providers[name];
  writeConfig(config);
  const lists = readModelLists();
  if (lists[name]) {
    delete lists[name];
    writeModelLists(lists);
  }
  write(`Removed ${name}\n`);
}

/** `a, b, c and 12 more` */
function some(ids: string[], max = 8): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/**
 * `llm ai-sdk refresh [provider]`: fetches the model lists from the providers' listing
 * endpoints into the cache `llm models` reads, and prints what changed. A provider that
 * fails (a bad key, unreachable) keeps its previous list: one error line each, exit 1.
 */
export async function runRefresh(only: string | undefined, write: Write = stdout, writeError: Write = stderr): Promise<void> {
  const { providers } = readConfig();
  if (only !== undefined && !providers[only]) throw new UsageError(`No AI SDK provider named ${only} was added`);
  const names = only !== undefined ? [only] : Object.keys(providers).sort();
  if (!names.length) {
    write("No AI SDK providers added yet: add one with 'llm ai-sdk add NAME'\n");
    return;
  }
  for (const name of names) {
    const provider = providers[name]!;
    const lists = readModelLists();
    const before = modelsOf(name, provider, lists[name]).map((m) => m.id);
    if (!hasListing(name)) {
      write(`${name}: no model-listing endpoint; keeping the ${before.length} model${before.length === 1 ? '' : 's'} it was added with\n`);
      continue;
    }
    let list: FetchedModelList;
    try {
      const fetched = await fetchModelList(name, provider);
      list = { fetched_at: new Date().toISOString(), url: fetched.url, models: fetched.models };
    } catch (error) {
      const message = String((error as Error)?.message ?? error).split('\n')[0];
      writeError(`Error: ${name}: ${message} (kept its previous model list)\n`);
      process.exitCode = 1;
      continue;
    }
    lists[name] = list;
    writeModelLists(lists);
    const after = modelsOf(name, provider, list).map((m) => m.id);
    const added = after.filter((id) => !before.includes(id));
    const gone = before.filter((id) => !after.includes(id));
    const changes = [added.length ? `${added.length} new: ${some(added)}` : '', gone.length ? `${gone.length} gone: ${some(gone)}` : ''].filter(Boolean);
    write(`${name}: ${after.length} model${after.length === 1 ? '' : 's'} from ${list.url}${changes.length ? ` (${changes.join('; ')})` : ', unchanged'}\n`);
  }
}
