import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseToolSpec } from './spec.js';

describe('parseToolSpec', () => {
  test("every form of Python's docs", () => {
    assert.deepEqual(parseToolSpec('Memory'), { name: 'Memory', called: false, positional: [], keywords: {} });
    assert.deepEqual(parseToolSpec('Memory()'), { name: 'Memory', called: true, positional: [], keywords: {} });
    assert.deepEqual(parseToolSpec('Datasette({"url": "https://x.io", "n": 1})'), { name: 'Datasette', called: true, positional: [], keywords: { url: 'https://x.io', n: 1 } });
    assert.deepEqual(parseToolSpec('Datasette("one, value)")'), { name: 'Datasette', called: true, positional: ['one, value)'], keywords: {} });
    assert.deepEqual(parseToolSpec('Box([1, 2])').positional, [[1, 2]]);
    assert.deepEqual(parseToolSpec('Box(-3.5)').positional, [-3.5]);
    assert.deepEqual(parseToolSpec('Box(null)').positional, [null]);
    assert.deepEqual(parseToolSpec(' Name(key="v", n=5, items=[1,2], flag=true, o={"a": "b,c"}) ').keywords, {
      key: 'v',
      n: 5,
      items: [1, 2],
      flag: true,
      o: { a: 'b,c' },
    });
    assert.deepEqual(parseToolSpec('Name(s="a \\" quote", )').keywords, { s: 'a " quote' });
  });

  test('positional values then keywords, as in a call', () => {
    assert.deepEqual(parseToolSpec('MCP("https://x.io/mcp", "http", prefix="gh_")'), {
      name: 'MCP',
      called: true,
      positional: ['https://x.io/mcp', 'http'],
      keywords: { prefix: 'gh_' },
    });
  });

  test('a bad spec is one line saying what is wrong', () => {
    const cases: [string, string][] = [
      ['Name(', "Invalid tool spec 'Name(': missing ')' at the end"],
      ['9lives', "Invalid tool spec '9lives': '9lives' is not a name (letters, digits and _, not starting with a digit)"],
      ['(x=1)', "Invalid tool spec '(x=1)': no tool name"],
      ['Name(key=)', "Invalid tool spec 'Name(key=)': no value for 'key'"],
      ['Name(key=v)', "Invalid tool spec 'Name(key=v)': the value of 'key' is not valid JSON: v"],
      ["Name(key='v')", "Invalid tool spec 'Name(key='v')': the value of 'key' uses single quotes: JSON strings take double quotes"],
      ['Name(a=1, a=2)', "Invalid tool spec 'Name(a=1, a=2)': 'a' is given twice"],
      ['Name(a=1 b=2)', "Invalid tool spec 'Name(a=1 b=2)': expected ',' at 'b=2'"],
      ['Name(a)', "Invalid tool spec 'Name(a)': expected '=' after 'a' (values are JSON: strings take double quotes)"],
      ['Name({"a": 1)', `Invalid tool spec 'Name({"a": 1)': '{' is never closed`],
      ['Name(a=1, "b")', `Invalid tool spec 'Name(a=1, "b")': a value without a name after key=value arguments, at '"b"'`],
      ['Name(x=__import__("os"))', `Invalid tool spec 'Name(x=__import__("os"))': the value of 'x' is not valid JSON: __import__("os")`],
    ];
    for (const [spec, message] of cases) assert.throws(() => parseToolSpec(spec), { message }, spec);
  });
});
