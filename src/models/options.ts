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

// pydantic's lax bool strings, compared lower-case and without trimming.
const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** Underscores between digits, as Python and pydantic accept (`1_000`). */
function stripUnderscores(text: string): string | undefined {
  if (!text.includes('_')) return text;
  if (!/^[+-]?\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?$/.test(text)) return undefined;
  return text.replace(/_/g, '');
}

/** pydantic's lax int from a string: trimmed, optional sign, digits, optional `.000`. */
function parseIntString(raw: string): number | undefined {
  const text = stripUnderscores(raw.trim());
  if (text === undefined) return undefined;
  const match = /^([+-]?\d+)(?:\.0*)?$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** pydantic's lax float from a string: trimmed, Python float syntax (no inf/nan: they cannot be sent). */
function parseFloatString(raw: string): number | undefined {
  const text = stripUnderscores(raw.trim());
  if (text === undefined) return undefined;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

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
    throw new OptionsError(`Invalid value for option ${name}: expected ${describeType(spec)}, got ${showValue(raw)}`);
  };
  switch (spec.type) {
    case 'number': {
      // pydantic float, lax: numbers, booleans and numeric strings.
      let n: number | undefined;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw === 'boolean') n = raw ? 1 : 0;
      else if (typeof raw === 'string') n = parseFloatString(raw);
      else if (typeof raw === 'bigint') n = Number(raw);
      if (n === undefined || !Number.isFinite(n)) fail();
      return n;
    }
    case 'integer': {
      // pydantic int, lax: whole numbers (2.0 too), booleans and integer strings ("2", " 2 ", "2.0", "1_000").
      let n: number | undefined;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw === 'boolean') n = raw ? 1 : 0;
      else if (typeof raw === 'string') n = parseIntString(raw);
      else if (typeof raw === 'bigint' && Number.isSafeInteger(Number(raw))) n = Number(raw);
      if (n === undefined || !Number.isInteger(n)) fail();
      return n;
    }
    case 'boolean': {
      // pydantic bool, lax: true/false, 0/1, and the words in TRUE_WORDS/FALSE_WORDS.
      if (typeof raw === 'boolean') return raw;
      if (raw === 0 || raw === 1) return raw === 1;
      if (typeof raw === 'string') {
        const word = raw.toLowerCase();
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
      // pydantic str does not turn numbers into strings.
      if (typeof raw !== 'string') fail();
      if (spec.choices && !spec.choices.includes(raw as string)) fail();
      return raw;
    }
  }
}

function showValue(raw: unknown): string {
  if (typeof raw === 'bigint') return String(raw);
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
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
    const optionSpec = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
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
        throw new OptionsError(`Invalid value for option ${name}: expected ${describeType(optionSpec)}, got ${showValue(raw)}`);
      }
    }
    const problem = optionSpec.check?.(value);
    if (problem) throw new OptionsError(`Invalid value for option ${name}: ${problem}`);
    result[name] = value;
  }
  return result;
}
