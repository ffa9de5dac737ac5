/**
 * `import()` of a module outside the bundle: a dependency loaded on first use (yaml,
 * file-type…) or a plugin's entry file. Every such import goes through here because the
 * build keeps this file apart (dist/import-module.cjs): the CLI compiles its bundle itself,
 * to use V8's code cache, and code compiled that way cannot call `import()` on Node 20.
 */
export function importModule<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
