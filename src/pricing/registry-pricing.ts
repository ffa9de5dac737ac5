import { getModel } from '../plugins/registry.js';
import type { ModelPricing } from './types.js';

/** How a logged model id is priced: its registered model's `pricing`, if it is registered. */
export function registryPricing(modelId: string): ModelPricing | undefined {
  try {
    return getModel(modelId).pricing;
  } catch {
    return undefined;
  }
}
