import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SchemaError } from '../errors.js';
import { pythonCompactJson, pythonRepr, schemaDsl, schemaId } from './schema.js';

// The cases of Python llm's tests/test_utils.py::test_schema_dsl, with the same expectations.
const CASES: [string, unknown][] = [
  ['name, bio', { type: 'object', properties: { name: { type: 'string' }, bio: { type: 'string' } }, required: ['name', 'bio'] }],
  [
    'name, age int, balance float, active bool',
    {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' }, balance: { type: 'number' }, active: { type: 'boolean' } },
      required: ['name', 'age', 'balance', 'active'],
    },
  ],
  [
    'name: full name, age int: years old',
    {
      type: 'object',
      properties: { name: { type: 'string', description: 'full name' }, age: { type: 'integer', description: 'years old' } },
      required: ['name', 'age'],
    },
  ],
  [
    '\n        name\n        bio\n        age int\n        ',
    { type: 'object', properties: { name: { type: 'string' }, bio: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'bio', 'age'] },
  ],
  [
    "\n        name: the person's name\n        age int: their age in years, must be positive\n        bio: a short bio, no more than three sentences\n        ",
    {
      type: 'object',
      properties: {
        name: { type: 'string', description: "the person's name" },
        age: { type: 'integer', description: 'their age in years, must be positive' },
        bio: { type: 'string', description: 'a short bio, no more than three sentences' },
      },
      required: ['name', 'age', 'bio'],
    },
  ],
  ['', { type: 'object', properties: {}, required: [] }],
  ['name str, description str', { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' } }, required: ['name', 'description'] }],
  [
    "  name  ,  age   int  :  person's age  ",
    { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', description: "person's age" } }, required: ['name', 'age'] },
  ],
];

describe('schemaDsl', () => {
  for (const [input, expected] of CASES) {
    test(`as Python: ${JSON.stringify(input).slice(0, 50)}`, () => {
      assert.deepEqual(schemaDsl(input), expected);
      // Key order matters for the stored schema id: compare the JSON text too.
      assert.equal(JSON.stringify(schemaDsl(input)), JSON.stringify(expected));
    });
  }

  test('multi wraps the schema in an items array (test_schema_dsl_multi)', () => {
    assert.deepEqual(schemaDsl('name, age int: The age', { multi: true }), {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, age: { type: 'integer', description: 'The age' } },
            required: ['name', 'age'],
          },
        },
      },
      required: ['items'],
    });
  });

  test('a field with no name: the exact Python message', () => {
    assert.throws(() => schemaDsl(' : description'), (e: unknown) => {
      assert.ok(SchemaError.is(e));
      assert.equal((e as Error).message, "Invalid schema DSL: field ': description' is missing a name before ':'");
      return true;
    });
    assert.throws(() => schemaDsl("name, : it's empty"), {
      message: `Invalid schema DSL: field ": it's empty" is missing a name before ':'`,
    });
  });

  test('an unknown type and a duplicate field fail as in Python', () => {
    assert.throws(() => schemaDsl('age integer'), { message: "Invalid schema DSL: unknown type 'integer' for field 'age'" });
    assert.throws(() => schemaDsl('name, name int'), { message: "Invalid schema DSL: duplicate field name 'name'" });
  });

  test('pythonRepr quotes like Python', () => {
    assert.equal(pythonRepr('abc'), "'abc'");
    assert.equal(pythonRepr("it's"), `"it's"`);
    assert.equal(pythonRepr(`it's "x"`), `'it\\'s "x"'`);
    assert.equal(pythonRepr('a\nb\\'), "'a\\nb\\\\'");
  });

  test('schemaId: blake2b-16 of compact JSON with ASCII escapes, as make_schema_id', () => {
    assert.equal(pythonCompactJson({ a: 'é', b: [1, '\u007f'] }), '{"a":"\\u00e9","b":[1,"\\u007f"]}');
    // python3 -c 'import json,hashlib;print(hashlib.blake2b(json.dumps({"type":"object","properties":{"name":{"type":"string"}},"required":["name"]},separators=(",",":")).encode(),digest_size=16).hexdigest())'
    assert.equal(
      schemaId({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }),
      'de1f97666bc1bab434b5272b3b18f9f9',
    );
  });
});
