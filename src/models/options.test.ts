import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OptionsError } from '../errors.js';
import { type OptionsSpec, validateOptions } from './options.js';

const SPEC: OptionsSpec = {
  temperature: { type: 'number', min: 0, max: 2 },
  max_tokens: { type: 'integer', min: 1 },
  json_object: { type: 'boolean' },
  reasoning_effort: { type: 'string', choices: ['low', 'medium', 'high'] },
  user: { type: 'string' },
  logit_bias: { type: 'object' },
  stop: { type: 'string_or_list' },
};

const ok = (values: Record<string, unknown>) => validateOptions(SPEC, values, 'gpt-test');
const bad = (values: Record<string, unknown>, message: string) =>
  assert.throws(
    () => ok(values),
    (e: unknown) => {
      assert.ok(OptionsError.is(e), 'an OptionsError');
      assert.equal((e as Error).message, message);
      return true;
    },
  );

describe('validateOptions (pydantic lax coercion)', () => {
  test('floats: numbers, numeric strings (trimmed, exponent, underscores), booleans', () => {
    assert.deepEqual(ok({ temperature: 0.5 }), { temperature: 0.5 });
    assert.deepEqual(ok({ temperature: '0.5' }), { temperature: 0.5 });
    assert.deepEqual(ok({ temperature: ' 1.5 ' }), { temperature: 1.5 });
    assert.deepEqual(ok({ temperature: '1e0' }), { temperature: 1 });
    assert.deepEqual(ok({ temperature: '.5' }), { temperature: 0.5 });
    assert.deepEqual(ok({ temperature: true }), { temperature: 1 });
    bad({ temperature: 'hot' }, 'Invalid value for option temperature: expected a number between 0 and 2, got "hot"');
    bad({ temperature: '' }, 'Invalid value for option temperature: expected a number between 0 and 2, got ""');
    bad({ temperature: 'nan' }, 'Invalid value for option temperature: expected a number between 0 and 2, got "nan"');
    bad({ temperature: [1] }, 'Invalid value for option temperature: expected a number between 0 and 2, got [1]');
  });

  test('ranges are checked after coercion', () => {
    bad({ temperature: 5 }, 'Invalid value for option temperature: expected a number between 0 and 2, got 5');
    bad({ temperature: '-0.1' }, 'Invalid value for option temperature: expected a number between 0 and 2, got "-0.1"');
    bad({ max_tokens: 0 }, 'Invalid value for option max_tokens: expected an integer of at least 1, got 0');
  });

  test('integers: whole numbers, "2", " 2 ", "2.0", "1_000", "+3"; not 2.5 or "2.5"', () => {
    assert.deepEqual(ok({ max_tokens: 2 }), { max_tokens: 2 });
    assert.deepEqual(ok({ max_tokens: 2.0 }), { max_tokens: 2 });
    assert.deepEqual(ok({ max_tokens: '2' }), { max_tokens: 2 });
    assert.deepEqual(ok({ max_tokens: ' 2 ' }), { max_tokens: 2 });
    assert.deepEqual(ok({ max_tokens: '2.000' }), { max_tokens: 2 });
    assert.deepEqual(ok({ max_tokens: '1_000' }), { max_tokens: 1000 });
    assert.deepEqual(ok({ max_tokens: '+3' }), { max_tokens: 3 });
    assert.deepEqual(ok({ max_tokens: true }), { max_tokens: 1 });
    bad({ max_tokens: 2.5 }, 'Invalid value for option max_tokens: expected an integer of at least 1, got 2.5');
    bad({ max_tokens: '2.5' }, 'Invalid value for option max_tokens: expected an integer of at least 1, got "2.5"');
    bad({ max_tokens: '1__0' }, 'Invalid value for option max_tokens: expected an integer of at least 1, got "1__0"');
    bad({ max_tokens: 'ten' }, 'Invalid value for option max_tokens: expected an integer of at least 1, got "ten"');
  });

  test("booleans: pydantic's words in any case, 0 and 1; nothing else", () => {
    for (const word of ['true', 'True', 'TRUE', 'yes', 'y', 'on', 't', '1']) assert.equal(ok({ json_object: word }).json_object, true, word);
    for (const word of ['false', 'False', 'no', 'n', 'off', 'f', '0']) assert.equal(ok({ json_object: word }).json_object, false, word);
    assert.equal(ok({ json_object: 1 }).json_object, true);
    assert.equal(ok({ json_object: 0 }).json_object, false);
    bad({ json_object: 'maybe' }, 'Invalid value for option json_object: expected a boolean, got "maybe"');
    bad({ json_object: 2 }, 'Invalid value for option json_object: expected a boolean, got 2');
    bad({ json_object: ' true' }, 'Invalid value for option json_object: expected a boolean, got " true"');
  });

  test('strings are not made from numbers; choices are enforced', () => {
    assert.deepEqual(ok({ user: 'alice', reasoning_effort: 'low' }), { user: 'alice', reasoning_effort: 'low' });
    bad({ user: 42 }, 'Invalid value for option user: expected a string, got 42');
    bad({ reasoning_effort: 'max' }, 'Invalid value for option reasoning_effort: expected one of low, medium, high, got "max"');
  });

  test('objects from JSON text; lists of strings', () => {
    assert.deepEqual(ok({ logit_bias: '{"1":-100}' }), { logit_bias: { '1': -100 } });
    bad({ logit_bias: '[1]' }, 'Invalid value for option logit_bias: expected a JSON object, got "[1]"');
    assert.deepEqual(ok({ stop: ['a', 'b'] }), { stop: ['a', 'b'] });
    bad({ stop: [1] }, 'Invalid value for option stop: expected a string or a list of strings, got [1]');
  });

  test('unknown names list the valid ones; null and undefined are dropped', () => {
    bad(
      { temprature: 1 },
      'Unknown option temprature for model gpt-test; valid options: temperature, max_tokens, json_object, reasoning_effort, user, logit_bias, stop',
    );
    bad(
      { toString: 1 },
      'Unknown option toString for model gpt-test; valid options: temperature, max_tokens, json_object, reasoning_effort, user, logit_bias, stop',
    );
    assert.throws(() => validateOptions({}, { x: 1 }, 'echo'), { message: 'Unknown option x: model echo takes no options' });
    assert.deepEqual(ok({ temperature: null, max_tokens: undefined }), {});
  });
});
