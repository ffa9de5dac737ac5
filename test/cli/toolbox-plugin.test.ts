// A plugin that registers a Toolbox class: listed by `llm tools`, configured with -T specs,
// logged with its configuration, rebuilt by -c. Through the built binary.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { writeChatStream, writeToolCalls } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';

const cli = loopbackCli();

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

const llm = cli.llm;

describe('a plugin registering a Toolbox class (built binary)', () => {
  test('listed, configured by -T, state kept in a chain, logged as 0.32 logs it, rebuilt by -c', async () => {
    const folder = join(cli.user.dir, 'src', 'memory');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'llm-memory', version: '1.0.0', type: 'module', main: './index.js', llm: {}, peerDependencies: { 'llm-ts': '*' } }));
    writeFileSync(join(folder, 'index.js'), PLUGIN);
    const installed = await llm(['install', folder]);
    assert.equal(installed.code, 0, installed.stderr);

    const listed = await llm(['tools']);
    assert.match(listed.stdout, /\nMemory:\n\n  Memory_get\(key: string\)\n\n    Recall a value\n\n  Memory_set\(key: string, value: string\)\n\n    Remember a value\n\n/);
    const json = JSON.parse((await llm(['tools', '--json'])).stdout);
    assert.deepEqual(json.toolboxes.find((t: any) => t.name === 'Memory').tools.map((t: any) => t.name), ['Memory_get', 'Memory_set']);

    cli.handler = (_req, res) => {
      const n = cli.server.requests.length;
      if (n === 1) writeToolCalls(res, [{ name: 'Memory_set', args: { key: 'cat', value: 'Pixel' }, id: 'c1' }]);
      else if (n === 2) writeToolCalls(res, [{ name: 'Memory_get', args: { key: 'cat' }, id: 'c2' }]);
      else writeChatStream(res, ['Pixel.']);
    };
    const r = await llm(['-m', 'gpt-4o-mini', '-T', 'Memory("pets")', 'Remember my cat']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests[2]!.json.messages.at(-1).content, 'pets:Pixel');
    const db = new Database(join(cli.user.dir, 'logs.db'), { readonly: true });
    assert.deepEqual(db.prepare('select name, plugin, arguments from tool_instances').all(), [{ name: 'Memory', plugin: 'llm-memory', arguments: '{"namespace": "pets"}' }]);
    db.close();

    cli.server.requests.length = 0;
    cli.handler = (_req, res) => (cli.server.requests.length === 1 ? writeToolCalls(res, [{ name: 'Memory_get', args: { key: 'cat' }, id: 'c3' }]) : writeChatStream(res, ['Gone.']));
    const again = await llm(['-c', 'What was it?']);
    assert.equal(again.code, 0, again.stderr);
    // Rebuilt from its logged configuration (a new instance: the values set before are not kept).
    assert.deepEqual(cli.server.requests[0]!.json.tools.map((t: any) => t.function.name), ['Memory_get', 'Memory_set']);
    assert.equal(cli.server.requests[1]!.json.messages.at(-1).content, 'pets:nothing');

    const bad = await llm(['-m', 'gpt-4o-mini', '-T', 'Memory(colour="red")', 'x']);
    assert.equal(bad.stderr, "Error: Memory() got an unexpected keyword argument 'colour' (it takes namespace)\n");
  });
});
