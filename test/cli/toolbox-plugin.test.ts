// A plugin that registers a Toolbox class: listed by `llm tools`, configured with -T specs,
// logged with its configuration, rebuilt by -c. Through the built binary.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type FakeServer, type Handler, startFakeServer } from '../../src/testing/provider-server.js';
import { writeChatStream } from '../helpers/openai-replies.js';
import { makeUserDir, runLlm } from './run.js';

let openai: FakeServer;
let handler: Handler;
let user: { dir: string; cleanup: () => void };

const PLUGIN = `import { Toolbox } from 'llm-ts';
class Memory extends Toolbox {
  static parameters = ['namespace'];
  static description = 'Remember values';
  static methods = {
    set: { description: 'Remember a value', inputSchema: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' } } } },
    get: { description: 'Recall a value', inputSchema: { type: 'object', properties: { key: { type: 'string' } } } },
  };
  data = new Map();
  set({ key, value }) { this.data.set(key, value); return 'ok'; }
  get({ key }) { return this.config.namespace + ':' + (this.data.get(key) ?? 'nothing'); }
}
export default { name: 'llm-memory', registerTools(register) { register(Memory); } };
`;

function writeToolCalls(res: ServerResponse, calls: { name: string; args: unknown; id: string }[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const base = { id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' };
  const tool_calls = calls.map((call, index) => ({ index, id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }));
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls }, finish_reason: null }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`);
  res.end('data: [DONE]\n\n');
}
const llm = (args: string[]) => runLlm(user.dir, args, { env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-test' } });

before(async () => {
  openai = await startFakeServer((req, res) => handler(req, res));
  user = makeUserDir();
});
after(async () => {
  await openai.close();
  user.cleanup();
});

describe('a plugin registering a Toolbox class (built binary)', () => {
  test('listed, configured by -T, state kept in a chain, logged as 0.32 logs it, rebuilt by -c', async () => {
    const folder = join(user.dir, 'src', 'memory');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'llm-memory', version: '1.0.0', type: 'module', main: './index.js', llm: {}, peerDependencies: { 'llm-ts': '*' } }));
    writeFileSync(join(folder, 'index.js'), PLUGIN);
    const installed = await llm(['install', folder]);
    assert.equal(installed.code, 0, installed.stderr);

    const listed = await llm(['tools']);
    assert.match(listed.stdout, /\nMemory:\n\n  Memory_get\(key: string\)\n\n    Recall a value\n\n  Memory_set\(key: string, value: string\)\n\n    Remember a value\n\n/);
    const json = JSON.parse((await llm(['tools', '--json'])).stdout);
    assert.deepEqual(json.toolboxes.find((t: any) => t.name === 'Memory').tools.map((t: any) => t.name), ['Memory_get', 'Memory_set']);

    handler = (_req, res) => {
      const n = openai.requests.length;
      if (n === 1) writeToolCalls(res, [{ name: 'Memory_set', args: { key: 'cat', value: 'Pixel' }, id: 'c1' }]);
      else if (n === 2) writeToolCalls(res, [{ name: 'Memory_get', args: { key: 'cat' }, id: 'c2' }]);
      else writeChatStream(res, ['Pixel.']);
    };
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'Memory("pets")', 'Remember my cat']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(openai.requests[2]!.json.messages.at(-1).content, 'pets:Pixel');
    const db = new Database(join(user.dir, 'logs.db'), { readonly: true });
    assert.deepEqual(db.prepare('select name, plugin, arguments from tool_instances').all(), [{ name: 'Memory', plugin: 'llm-memory', arguments: '{"namespace": "pets"}' }]);
    db.close();

    openai.requests.length = 0;
    handler = (_req, res) => (openai.requests.length === 1 ? writeToolCalls(res, [{ name: 'Memory_get', args: { key: 'cat' }, id: 'c3' }]) : writeChatStream(res, ['Gone.']));
    const again = await llm(['-c', 'What was it?']);
    assert.equal(again.code, 0, again.stderr);
    // Rebuilt from its logged configuration (a new instance: the values set before are not kept).
    assert.deepEqual(openai.requests[0]!.json.tools.map((t: any) => t.function.name), ['Memory_get', 'Memory_set']);
    assert.equal(openai.requests[1]!.json.messages.at(-1).content, 'pets:nothing');

    const bad = await llm(['-m', 'gpt-4o-mini', '-T', 'Memory(colour="red")', 'x']);
    assert.equal(bad.stderr, "Error: Memory() got an unexpected keyword argument 'colour' (it takes namespace)\n");
  });
});
