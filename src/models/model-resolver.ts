import { UsageError } from '../errors.js';
import type { Model } from './model.js';

/**
 * How `Response.fromDict()` finds a model by id without importing the registry (which
 * imports every built-in provider, and so this folder): the registry registers its
 * `getModel` here when it loads.
 */
let resolver: ((id: string) => Model) | undefined;

export function registerModelResolver(resolve: (id: string) => Model): void {
  resolver = resolve;
}

export function resolveModel(id: string): Model {
  if (!resolver) throw new UsageError(`No model registry is loaded to find ${id}: pass { model } to fromDict()`);
  return resolver(id);
}
