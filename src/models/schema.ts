import { SchemaError } from '../errors.js';
import { blake2b16Hex } from '../util/blake2.js';
import { importModule } from '../util/import-module.js';

export type JsonSchema = Record<string, unknown>;

/** Anything with zod 4's shape: converted with `z.toJSONSchema()`. */
export interface ZodLike {
  _zod: unknown;
}

export type SchemaInput = JsonSchema | ZodLike;

const DSL_TYPES: Record<string, string> = { int: 'integer', float: 'number', bool: 'boolean', str: 'string' };

/** Python's `repr()` of a string: single quotes unless the text holds a single quote and no double quote. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += '\\' + quote;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += char;
  }
  return out + quote;
}

/** Python's `str.strip()` / `str.split()` whitespace (ASCII whitespace plus the Unicode spaces JS also knows). */
const WHITESPACE = /\s+/;

/**
 * Python llm's concise schema syntax: `"name, age int, bio: a short bio"`. Fields are
 * split on newlines when there are any, else on commas; each is `name [type][: description]`
 * with type one of int, float, bool, str (default str). Returns exactly what Python's
 * `llm.schema_dsl()` returns, and fails with the same messages.
 */
export function schemaDsl(text: string, options: { multi?: boolean } = {}): JsonSchema {
  const properties: Record<string, Record<string, string>> = {};
  const required: string[] = [];
  const separator = text.includes('\n') ? '\n' : ',';
  for (const raw of text.split(separator)) {
    const field = raw.trim();
    if (!field) continue;
    let info = field;
    let description = '';
    const colon = field.indexOf(':');
    if (colon !== -1) {
      info = field.slice(0, colon);
      description = field.slice(colon + 1).trim();
    }
    const words = info.trim().split(WHITESPACE).filter(Boolean);
    const name = words[0];
    if (!name) throw new SchemaError(`Invalid schema DSL: field ${pythonRepr(field)} is missing a name before ':'`);
    let type = 'string';
    if (words.length > 1) {
      const indicator = words[1]!;
      const mapped = Object.prototype.hasOwnProperty.call(DSL_TYPES, indicator) ? DSL_TYPES[indicator] : undefined;
      if (!mapped) {
        throw new SchemaError(`Invalid schema DSL: unknown type ${pythonRepr(indicator)} for field ${pythonRepr(name)}`);
      }
      type = mapped;
    }
    if (Object.prototype.hasOwnProperty.call(properties, name)) {
      throw new SchemaError(`Invalid schema DSL: duplicate field name ${pythonRepr(name)}`);
    }
    const property: Record<string, string> = { type };
    if (description) property.description = description;
    properties[name] = property;
    required.push(name);
  }
  const schema: JsonSchema = { type: 'object', properties, required };
  return options.multi ? multiSchema(schema) : schema;
}

/** Wraps a schema so the model returns `{"items": [...]}`, as `--schema-multi` does. */
export function multiSchema(schema: JsonSchema): JsonSchema {
  return { type: 'object', properties: { items: { type: 'array', items: schema } }, required: ['items'] };
}

export function isZodSchema(value: unknown): value is ZodLike {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** Turns a JSON Schema object or a zod schema into a plain JSON Schema object. */
export async function toJsonSchema(schema: SchemaInput): Promise<JsonSchema> {
  if (isZodSchema(schema)) {
    const { z } = await importModule<typeof import('zod')>('zod');
    const converted = z.toJSONSchema(schema as never) as JsonSchema;
    delete converted.$schema;
    return converted;
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new SchemaError('A schema must be a JSON Schema object or a zod schema');
  }
  return schema;
}

/** The schema id Python llm stores: blake2b (16-byte digest) of compact JSON. */
export function schemaId(schema: JsonSchema): string {
  return blake2b16Hex(pythonCompactJson(schema));
}

/**
 * `json.dumps(value, separators=(",", ":"))` as Python writes it: keys in insertion
 * order, non-ASCII escaped.
 */
export function pythonCompactJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
