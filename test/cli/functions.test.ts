// `--functions FILE.js|.mjs|.ts` and inline code, and templates' `functions:`, through the built binary.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import type { Handler } from '../../src/testing/provider-server.js';
import { type ToolCallReply, writeChatStream, writeToolCalls } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/functions/', import.meta.url));
const cli = loopbackCli();

const script = (calls: ToolCallReply[]): Handler => (_req, res) =>
  cli.server.requests.length === 1 ? writeToolCalls(res, calls) : writeChatStream(res, ['Done.']);
const llm = cli.llm;
const toolMessages = () => cli.server.requests[1]!.json.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.content);

describe('--functions (built binary)', () => {
  test('a .ts file, no build step: a function with JSDoc and schema, and a Toolbox class (importing llm-ts) keeping state', async () => {
    cli.handler = script([
      { name: 'add_numbers', args: { a: 2, b: 3 }, id: 'c1' },
      { name: 'Counter_increment', args: {}, id: 'c2' },
      { name: 'Counter_increment', args: {}, id: 'c3' },
    ]);
    const r = await llm(['-m', 'gpt-4o-mini', '--functions', join(FIXTURES, 'tools.ts'), 'go']);
    assert.equal(r.code, 0, r.stderr);
    const offered = cli.server.requests[0]!.json.tools.map((t: any) => t.function);
    assert.deepEqual(offered.map((f: any) => [f.name, f.description]), [
      ['add_numbers', 'Add two numbers together.'],
      ['Counter_increment', 'Add one and say the count'],
    ]);
    assert.deepEqual(toolMessages(), ['5', '1', '2']);
  });

  test('-T configures a Toolbox class the file defines', async () => {
    cli.handler = script([{ name: 'Counter_increment', args: {}, id: 'c1' }]);
    const r = await llm(['-m', 'gpt-4o-mini', '--functions', join(FIXTURES, 'tools.ts'), '-T', 'Counter(start=10)', 'go']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(toolMessages(), ['11']);
  });

  test('a .mjs file, and inline code whose functions are not exported, repeatable', async () => {
    cli.handler = script([
      { name: 'reverse', args: { text: 'abc' }, id: 'c1' },
      { name: 'shout', args: { text: 'hey' }, id: 'c2' },
    ]);
    const inline = 'function shout({ text }) {\n  return text.toUpperCase();\n}\nshout.schema = { type: "object", properties: { text: { type: "string" } } };';
    const r = await llm(['-m', 'gpt-4o-mini', '--functions', join(FIXTURES, 'plain.mjs'), '--functions', inline, 'go']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(toolMessages(), ['cba', 'HEY']);
    assert.equal(cli.server.requests[0]!.json.tools[0].function.description, 'Reverse a string.');
  });

  test('llm tools --functions lists them; a missing file and broken code are one line each', async () => {
    const listed = await llm(['tools', '--functions', join(FIXTURES, 'tools.ts')]);
    assert.match(listed.stdout, /^add_numbers\(a: integer, b: integer\)\n\n  Add two numbers together\.\n\n/);
    assert.match(listed.stdout, /\nCounter:\n\n  Counter_increment\(\)\n\n    Add one and say the count\n\n/);
    const missing = await llm(['-m', 'gpt-4o-mini', '--functions', 'nope.ts', 'go']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error: File not found: nope.ts\n');
    const broken = await llm(['-m', 'gpt-4o-mini', '--functions', 'function (', 'go']);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^Error: Error in --functions definition: .+\n$/);
    assert.equal(cli.server.requests.length, 0);
  });

  test("a template's functions: run from the user's templates folder", async () => {
    mkdirSync(join(cli.user.dir, 'templates'), { recursive: true });
    writeFileSync(
      join(cli.user.dir, 'templates', 'rev.yaml'),
      `model: gpt-4o-mini\nfunctions: ${JSON.stringify(join(FIXTURES, 'plain.mjs'))}\n`,
    );
    cli.handler = script([{ name: 'reverse', args: { text: 'xy' }, id: 'c1' }]);
    const r = await llm(['-t', 'rev', 'go']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(toolMessages(), ['yx']);
  });
});
