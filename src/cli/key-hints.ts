// What the CLI adds to key errors: on a first run with no key, how to go on (set one, or
// try the echo model); on a 401/403, which key was used (its name, never its value).
import { readDefaultModelSetting } from '../config/defaults.js';
import { loadKeys } from '../config/keys.js';
import { AuthenticationError, NeedsKeyError } from '../errors.js';
import type { Model } from '../models/model.js';

/** Where the key sent for `model` came from, in words (never the key itself). */
export function keySource(model: Model, explicit: string | undefined): string | undefined {
  if (model.needsKey === null) return undefined;
  if (model.key) return 'the key set on the model';
  let keys: Record<string, string> = {};
  try {
    keys = loadKeys();
  } catch {
    // An unreadable keys.json was reported already, or the key came from elsewhere.
  }
  if (explicit) return explicit in keys ? `the key named '${explicit}' in keys.json (--key)` : 'the key given with --key';
  if (model.needsKey && keys[model.needsKey]) return `the key named '${model.needsKey}' in keys.json`;
  if (model.keyEnvVar && process.env[model.keyEnvVar]) return `the ${model.keyEnvVar} environment variable`;
  return undefined;
}

/**
 * `error`, told more usefully: a missing key on a first run (no model chosen, no default
 * set) says how to try llm without one; a rejected key says which was used.
 */
export function explainKeyError(error: unknown, model: Model, options: { explicitKey?: string; modelChosen: boolean }): unknown {
  if (NeedsKeyError.is(error) && !options.modelChosen && readDefaultModelSetting() === undefined) {
    error.message += ". Or try llm without a key: llm -m echo 'hi'";
  } else if (AuthenticationError.is(error)) {
    const source = keySource(model, options.explicitKey);
    if (source) {
      const how = model.needsKey ? `; set another with 'llm keys set ${model.needsKey}'` : '';
      error.message += ` (sent ${source}${how})`;
    }
  }
  return error;
}
