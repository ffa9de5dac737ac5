import { OptionsError } from '../errors.js';

/**
 * Options are declared as plain data so they can be listed (`llm models --options`),
 * stored in a plugin manifest and validated without importing any provider code.
 */
export type OptionType = 'number' | 'integer' | 'boolean' | 'string' | 'object' | 'string_or_list';

export interface OptionSpec {
  type: OptionType;
  description?: string;
  min?: number;
  max?: number;
  /** Allowed values for a string option. */
  choices?: readonly string[];
  /** Extra check after coercion; return an error message, or undefined when valid. */
  check?: (value: unknown) => string | undefined;
}

export type OptionsSpec = Readonly<Record<string, OptionSpec>>;

export type OptionValues = Record<string, unknown>;

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 'on', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'off', 'f']);

/** Describes an option's accepted values, for messages and `--options` listings. */
export function describeType(spec: OptionSpec): string {
  let text: string;
  switch (spec.type) {
    case 'number':
      text = 'a number';
      break;
    case 'integer':
      text = 'an integer';
      break;
    case 'boolean':
      text = 'a boolean';
      break;
    case 'object':
      text = 'a JSON object';
      break;
    case 'string_or_list':
      text = 'a string or a list of strings';
      break;
    default:
      text = spec.choices ? `one of ${spec.choices.join(', ')}` : 'a string';
  }
  if (spec.min !== undefined && spec.max !== undefined) text += ` between ${spec.min} and ${spec.max}`;
  else if (spec.min !== undefined) text += ` of at least ${spec.min}`;
  else if (spec.max !== undefined) text += ` of at most ${spec.max}`;
  return text;
}

/** Short type name as shown by `llm models --options`, mirroring Python's annotations. */
export function typeLabel(spec: OptionSpec): string {
  switch (spec.type) {
    case 'number':
      return 'float';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'dict';
    case 'string_or_list':
      return 'str';
    default:
      return spec.choices ? `Literal[${spec.choices.map((c) => `'${c}'`).join(', ')}]` : 'str';
  }
}

function coerce(name: string, spec: OptionSpec, raw: unknown): unknown {
  const fail = (): never => {
    throw new OptionsError(`Invalid value for option ${name}: expected ${describeType(spec)}, got ${JSON.stringify(raw)}`);
  };
  switch (spec.type) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) fail();
      return n;
    }
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) fail();
      return n;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 0 || raw === 1) return raw === 1;
      if (typeof raw === 'string') {
        const word = raw.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      return fail();
    }
    case 'object': {
      let value = raw;
      if (typeof raw === 'string') {
        try {
          value = JSON.parse(raw);
        } catch {
          fail();
        }
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail();
      return value;
    }
    case 'string_or_list': {
      if (typeof raw === 'string') return raw;
      if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw;
      return fail();
    }
    default: {
      if (typeof raw !== 'string') fail();
      if (spec.choices && !spec.choices.includes(raw as string)) fail();
      return raw;
    }
  }
}

/**
 * Validates and coerces option values against a model's spec, as pydantic does for the
 * Python tool: strings from the command line become numbers and booleans, an unknown
 * name or an out-of-range value is an OptionsError naming the option. `null`/`undefined`
 * values are dropped.
 */
export function validateOptions(spec: OptionsSpec, values: OptionValues, modelId: string): OptionValues {
  const result: OptionValues = {};
  for (const [name, raw] of Object.entries(values)) {
    const optionSpec = spec[name];
    if (!optionSpec) {
      const valid = Object.keys(spec);
      throw new OptionsError(
        valid.length
          ? `Unknown option ${name} for model ${modelId}; valid options: ${valid.join(', ')}`
          : `Unknown option ${name}: model ${modelId} takes no options`,
      );
    }
    if (raw === null || raw === undefined) continue;
    const value = coerce(name, optionSpec, raw);
    if (typeof value === 'number') {
      if ((optionSpec.min !== undefined && value < optionSpec.min) || (optionSpec.max !== undefined && value > optionSpec.max)) {
        throw new OptionsError(`Invalid value for option ${name}: expected ${describeType(optionSpec)}, got ${JSON.stringify(raw)}`);
      }
    }
    const problem = optionSpec.check?.(value);
    if (problem) throw new OptionsError(`Invalid value for option ${name}: ${problem}`);
    result[name] = value;
  }
  return result;
}
