// `--functions FILE.js|.mjs|.ts` and inline code, and templates' `functions:`, through the built binary.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type FakeServer, type Handler, startFakeServer } from '../../src/testing/provider-server.js';
import { writeChatStream } from '../helpers/openai-replies.js';
import { makeUserDir, runLlm } from './run.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/functions/', import.meta.url));
let openai: FakeServer;
let handler: Handler;
let user: { dir: string; cleanup: () => void };

function writeToolCalls(res: ServerResponse, calls: { name: string; args: unknown; id: string }[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const base = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' };
  const tool_calls = calls.map((call, index) => ({ index, id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls }, finish_reason: null }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`);
  res.end('data: [DONE]\n\n');
}
const script = (calls: { name: string; args: unknown; id: string }[]): Handler => (_req, res) =>
  openai.requests.length === 1 ? writeToolCalls(res, calls) : writeChatStream(res, ['Done.']);
const llm = (args: string[]) => runLlm(user.dir, args, { env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test' } });
const toolMessages = () => openai.requests[1]!.json.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.content);

before(async () => {
  openai = await startFakeServer((req, res) => handler(req, res));
});
after(async () => {
  await openai.close();
  user?.cleanup();
});
beforeEach(() => {
  user?.cleanup();
  user = makeUserDir();
  openai.requests.length = 0;
});

describe('--functions (built binary)', () => {
  test('a .ts file, no build step: a function with JSDoc and schema, and a Toolbox class (importing llm-ts) keeping state', async () => {
    handler = script([
      { name: 'add_numbers', args: { a: 2, b: 3 }, id: 'c1' },
      { name: 'Counter_increment', args: {}, id: 'c2' },
      { name: 'Counter_increment', args: {}, id: 'c3' },
    ]);
    const r = await llm(['-m', 'gpt-4o-mini', '--functions', join(FIXTURES, 'tools.ts'), 'go']);
    assert.equal(r.code, 0, r.stderr);
    const offered = openai.requests[0]!.json.tools.map((t: any) => t.function);
    assert.deepEqual(offered.map((f: any) => [f.name, f.description]), [
      ['add_numbers', 'Add two numbers together.'],
      ['Counter_increment', 'Add one and say the count'],
    ]);
    assert.deepEqual(toolMessages(), ['5', '1', '2']);
  });

  test('-T configures a Toolbox class the file defines', async () => {
    handler = script([{ name: 'Counter_increment', args: {}, id: 'c1' }]);
    const r = await llm(['-m', 'gpt-4o-mini', '--functions', join(FIXTURES, 'tools.ts'), '-T', 'Counter(start=10)', 'go']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(toolMessages(), ['11']);
  });

  test('a .mjs file, and inline code whose functions are not exported, repeatable', async () => {
    handler = script([
      { name: 'reverse', args: { text: 'abc' }, id: 'c1' },
      { name: 'shout', args: { text: 'hey' }, id: 'c2' },
    ]);
    const inline = 'function shout({ text }) {\n  return text.toUpperCase();\n}\nshout.schema = { type: "object", properties: { text: { type: "string" } } };';
    const r = await llm(['-m', 'gpt-4o-mini', '--functions', join(FIXTURES, 'plain.mjs'), '--functions', inline, 'go']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(toolMessages(), ['cba', 'HEY']);
    assert.equal(openai.requests[0]!.json.tools[0].function.description, 'Reverse a string.');
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
    assert.equal(openai.requests.length, 0);
  });

  test("a template's functions: run from the user's templates folder", async () => {
    mkdirSync(join(user.dir, 'templates'), { recursive: true });
    writeFileSync(
      join(user.dir, 'templates', 'rev.yaml'),
      `model: gpt-4o-mini\nfunctions: ${JSON.stringify(join(FIXTURES, 'plain.mjs'))}\n`,
    );
    handler = script([{ name: 'reverse', args: { text: 'xy' }, id: 'c1' }]);
    const r = await llm(['-t', 'rev', 'go']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(toolMessages(), ['yx']);
  });
});
