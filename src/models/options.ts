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

/** pydantic's default title for a field: `max_tokens` → `Max Tokens`. */
function fieldTitle(name: string): string {
  return name
    .split('_')
    .map((word) => (word ? word[0]!.toUpperCase() + word.slice(1).toLowerCase() : word))
    .join(' ');
}

/**
 * One option as pydantic's `model_json_schema()["properties"][name]` has it for an
 * `Optional[...] = None` field (keys sorted, as pydantic sorts them): what
 * `llm models --json --options` prints.
 */
export function optionJsonSchema(name: string, spec: OptionSpec): Record<string, unknown> {
  const bounds: Record<string, unknown> = {};
  if (spec.max !== undefined) bounds.maximum = spec.max;
  if (spec.min !== undefined) bounds.minimum = spec.min;
  let types: Record<string, unknown>[];
  switch (spec.type) {
    case 'number':
      types = [{ ...bounds, type: 'number' }];
      break;
    case 'integer':
      types = [{ ...bounds, type: 'integer' }];
      break;
    case 'boolean':
      types = [{ type: 'boolean' }];
      break;
    case 'object':
      types = [{ additionalProperties: true, type: 'object' }];
      break;
    case 'string_or_list':
      types = [{ type: 'string' }, { items: { type: 'string' }, type: 'array' }];
      break;
    default:
      types = [spec.choices ? { enum: [...spec.choices], type: 'string' } : { type: 'string' }];
  }
  const schema: Record<string, unknown> = { anyOf: [...types, { type: 'null' }], default: null };
  if (spec.description) schema.description = spec.description;
  schema.title = fieldTitle(name);
  return schema;
}

/**
 * What pydantic says of `{name: raw}` against a model's options, as Python's
 * `render_errors` prints it after `Error: ` (`temperature\n  Input should be a valid
 * number, unable to parse string as a number`); undefined when the value is valid.
 */
export function pydanticOptionError(spec: OptionsSpec, name: string, raw: unknown): string | undefined {
  const option = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
  const say = (message: string) => `${name}\n  ${message}`;
  if (!option) return say('Extra inputs are not permitted');
  let value: unknown;
  try {
    value = coerce(name, option, raw);
  } catch {
    switch (option.type) {
      case 'number':
        return say(typeof raw === 'string' ? 'Input should be a valid number, unable to parse string as a number' : 'Input should be a valid number');
      case 'integer':
        return say(typeof raw === 'string' ? 'Input should be a valid integer, unable to parse string as an integer' : 'Input should be a valid integer');
      case 'boolean':
        return say(typeof raw === 'string' ? 'Input should be a valid boolean, unable to interpret input' : 'Input should be a valid boolean');
      case 'object':
        return say('Input should be a valid dictionary');
      default:
        if (option.choices) {
          const quoted = option.choices.map((c) => `'${c}'`);
          const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted.join('');
          return say(`Input should be ${list}`);
        }
        return say('Input should be a valid string');
    }
  }
  if (typeof value === 'number') {
    if (option.min !== undefined && value < option.min) return say(`Input should be greater than or equal to ${option.min}`);
    if (option.max !== undefined && value > option.max) return say(`Input should be less than or equal to ${option.max}`);
  }
  const problem = option.check?.(value);
  if (problem) return say(`Value error, ${problem}`);
  return undefined;
}
