// `--functions FILE.js|.mjs|.ts` (or inline code): tools written as code, the TypeScript
// answer to Python's `--functions`. A module's exports become tools: `Tool`s as they are,
// `Toolbox` classes (configured by a -T spec naming them, else built with no configuration),
// and plain functions, named by their export, described by their JSDoc comment (or a
// `description` property) with a `schema` property holding their input schema.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nodeModule from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import type { SchemaInput } from '../models/schema.js';
import { Tool, type ToolImplementation } from '../models/tools.js';
import { importModule } from '../util/import-module.js';
import { type ToolboxClass, isToolboxClass } from './toolbox.js';

export interface LoadedFunctions {
  tools: Tool[];
  /** Toolbox classes, by name. */
  toolboxes: Map<string, ToolboxClass>;
}

const FILE = /\.(m?js|cjs|m?ts|cts)$/;
const TYPESCRIPT = /\.(m?ts|cts)$/;
const NO_ARGUMENTS = { properties: {}, type: 'object' };

/** True for a file path (one line ending .js/.mjs/.cjs/.ts/.mts/.cts); anything else is code. */
export function isFunctionsFile(source: string): boolean {
  return !source.includes('\n') && FILE.test(source.trim());
}

/** Loads one `--functions` value: a file, or inline JavaScript/TypeScript. */
export async function loadFunctions(source: string): Promise<LoadedFunctions> {
  let path: string;
  let text: string;
  if (isFunctionsFile(source)) {
    path = resolve(source.trim());
    if (!existsSync(path)) throw new UsageError(`File not found: ${source.trim()}`);
    text = readFileSync(path, 'utf8');
  } else {
    text = withTopLevelFunctionsExported(source);
    path = inlineModulePath(text);
  }
  let module: Record<string, unknown>;
  try {
    module = await importFunctionsModule(path);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`Error in --functions definition: ${message}`);
  }
  return toolsFromModule(module, text);
}

/**
 * `import ... from 'llm-ts'` in a functions file gets this very llm-ts (one copy of Tool
 * and Toolbox per process), wherever the file is: through an ES module resolve hook, and
 * through require's resolution for a file tsx compiles to CommonJS.
 */
let llmTsResolves = false;
function resolveLlmTsToThisCopy(): void {
  if (llmTsResolves) return;
  llmTsResolves = true;
  const here = import.meta.url;
  const dist = here.endsWith('/dist/llm.cjs') ? new URL('./', here) : new URL('../../dist/', here);
  const targets: Record<string, string> = {
    'llm-ts': new URL('index.js', dist).href,
    'llm-ts/testing': new URL('testing.js', dist).href,
  };
  const hook = `const targets = ${JSON.stringify(targets)};
export async function resolve(specifier, context, next) {
  return Object.hasOwn(targets, specifier) ? { url: targets[specifier], shortCircuit: true } : next(specifier, context);
}`;
  nodeModule.register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const cjs = fileURLToPath(new URL('llm.cjs', dist));
  const Module = nodeModule.Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'llm-ts') return cjs;
    return original.call(this, request, ...rest);
  };
}

async function importFunctionsModule(path: string): Promise<Record<string, unknown>> {
  resolveLlmTsToThisCopy();
  const url = pathToFileURL(path).href;
  if (!TYPESCRIPT.test(path)) return importModule(url);
  // TypeScript without a build step: tsx compiles it (and what it imports) as it loads.
  const { tsImport } = await importModule<typeof import('tsx/esm/api')>('tsx/esm/api');
  return (await tsImport(url, { parentURL: url })) as Record<string, unknown>;
}

/** Inline code goes in a file of its own (by content hash), loaded as a TypeScript module. */
function inlineModulePath(code: string): string {
  const dir = join(tmpdir(), `llm-ts-functions-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mts`);
  if (!existsSync(path)) writeFileSync(path, code, { mode: 0o600 });
  return path;
}

/** Python runs the code and takes every function it defines: top-level functions not exported are exported here. */
function withTopLevelFunctionsExported(code: string): string {
  const declared = [...code.matchAll(/^(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
  const names = declared.filter((name) => !name.startsWith('_'));
  return names.length ? `${code}\nexport { ${names.join(', ')} };\n` : code;
}

/** Every export that is a Tool, a Toolbox class or a function (names starting with `_` are skipped). */
export function toolsFromModule(module: Record<string, unknown>, source = ''): LoadedFunctions {
  const tools: Tool[] = [];
  const toolboxes = new Map<string, ToolboxClass>();
  const docs = jsDocComments(source);
  for (const [name, value] of Object.entries(module)) {
    if (name.startsWith('_')) continue;
    const exported = value;
    if (exported instanceof Tool) tools.push(exported);
    else if (isToolboxClass(exported)) toolboxes.set(exported.toolboxName ?? exported.name, exported);
    else if (typeof exported === 'function') {
      const fn = exported as ToolImplementation & { schema?: SchemaInput; description?: string; toolName?: string };
      const toolName = fn.toolName ?? (name === 'default' ? fn.name : name);
      if (!toolName) continue;
      tools.push(
        new Tool({
          name: toolName,
          description: fn.description ?? docs.get(name) ?? docs.get(fn.name) ?? null,
          inputSchema: fn.schema ?? NO_ARGUMENTS,
          implementation: fn,
        }),
      );
    }
  }
  return { tools, toolboxes };
}

/** The JSDoc comment (`/** ... *\/`) just before each declaration, without its `@tags`. */
export function jsDocComments(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = /\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:default\s+)?(?:(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*))/g;
  for (const match of source.matchAll(pattern)) {
    const name = match[2] ?? match[3]!;
    const lines = match[1]!.split('\n').map((line) => line.replace(/^\s*\*?\s?/, ''));
    const tag = lines.findIndex((line) => line.startsWith('@'));
    const text = (tag === -1 ? lines : lines.slice(0, tag)).join('\n').trim();
    if (text) out.set(name, text);
  }
  return out;
}
