import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { LogsDatabase } from '../logs/database.js';
import { Tool } from '../models/tools.js';
import { MockModel } from '../testing/mock-model.js';
import { instantiateToolbox, resolveToolSpecs } from './resolve.js';
import { parseToolSpec } from './spec.js';
import { Toolbox } from './toolbox.js';

class Memory extends Toolbox {
  static override parameters = ['namespace'];
  static override methods = {
    set: { description: 'Remember a value', inputSchema: z.object({ key: z.string(), value: z.string() }) },
    get: { description: 'Recall a value', inputSchema: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] } },
  };
  private readonly data = new Map<string, string>();
  set({ key, value }: { key: string; value: string }) {
    this.data.set(key, value);
    return 'ok';
  }
  get({ key }: { key: string }) {
    return `${this.config.namespace}:${this.data.get(key)}`;
  }
  _helper() {}
}

class Discovered extends Toolbox {
  override async prepare() {
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.addTool(() => 'found', { name: 'late', description: 'Added by prepare' });
  }
}

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('Toolbox', () => {
  test('public methods are tools named Class_method; config kept; state across calls of one chain', async () => {
    const memory = new Memory({ namespace: 'ns' });
    assert.deepEqual(memory.tools().map((t) => t.name), ['Memory_get', 'Memory_set']);
    const model = new MockModel({ supportsTools: true });
    model.enqueue([{ type: 'tool_call', name: 'Memory_set', arguments: { key: 'a', value: 'x' }, toolCallId: 'c1' }]);
    model.enqueue([{ type: 'tool_call', name: 'Memory_get', arguments: { key: 'a' }, toolCallId: 'c2' }]);
    model.enqueue('done');
    const chain = model.chain('go', { tools: [memory] });
    assert.equal(await chain.text(), 'done');
    const results = chain.responsesSoFar.map((r) => r.prompt.toolResults.map((t) => t.output));
    assert.deepEqual(results, [[], ['ok'], ['ns:x']]);
    assert.deepEqual(chain.responsesSoFar[0]!.prompt.tools.map((t) => t.name), ['Memory_get', 'Memory_set']);
    assert.deepEqual(chain.responsesSoFar[0]!.prompt.tools.find((t) => t.name === 'Memory_set')!.inputSchema.required, ['key', 'value']);
  });

  test('prepare() runs once before the first request and its tools are offered', async () => {
    const box = new Discovered();
    assert.deepEqual(box.tools(), []);
    const model = new MockModel({ supportsTools: true });
    model.enqueue([{ type: 'tool_call', name: 'late', arguments: {}, toolCallId: 'c1' }]).enqueue('fine');
    const chain = model.chain('go', { tools: [box] });
    assert.equal(await chain.text(), 'fine');
    // addTool keeps the tool's own name, as Python's add_tool does.
    assert.deepEqual(chain.responsesSoFar[0]!.prompt.tools.map((t) => t.name), ['late']);
    assert.equal(chain.responsesSoFar[1]!.prompt.toolResults[0]!.output, 'found');
  });

  test('specs build toolboxes: keywords, a positional first parameter, errors in one line', () => {
    const available = new Map<string, any>([
      ['Memory', { toolbox: Memory, plugin: 'p' }],
      ['llm_version', new Tool({ name: 'llm_version', implementation: () => '1' })],
    ]);
    const [box] = resolveToolSpecs(['Memory("n1")'], available) as Memory[];
    assert.deepEqual(box!.config, { namespace: 'n1' });
    assert.equal(box!.plugin, 'p');
    assert.deepEqual((resolveToolSpecs(['Memory({"namespace": "n2"})'], available)[0] as Memory).config, { namespace: 'n2' });
    assert.throws(() => resolveToolSpecs(['Memory(other=1)'], available), { message: "Memory() got an unexpected keyword argument 'other' (it takes namespace)" });
    assert.throws(() => resolveToolSpecs(['Nope()', 'llm_version'], available), { message: 'Tool(s) Nope() not found. Available tools: Memory, llm_version' });
    assert.throws(() => resolveToolSpecs(['llm_version()'], available), { message: "Invalid tool spec 'llm_version()': llm_version is a tool, not a toolbox: name it without arguments" });
    assert.throws(() => instantiateToolbox(Discovered, parseToolSpec('Discovered("x")')), { message: 'Discovered takes no positional argument: use Discovered(key=value)' });
  });

  test('logged as Python 0.32 logs toolboxes: tool_instances, turn_tools.instance_id, tool_instantiations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toolbox-log-'));
    dirs.push(dir);
    const db = LogsDatabase.open(join(dir, 'logs.db'));
    const memory = new Memory({ namespace: 'ns' });
    memory.plugin = 'my-plugin';
    const model = new MockModel({ supportsTools: true });
    model.enqueue([{ type: 'tool_call', name: 'Memory_set', arguments: { key: 'a', value: 'x' }, toolCallId: 'c1' }]).enqueue('done');
    const conversation = model.conversation();
    const chain = conversation.chain('go', { tools: [memory] });
    for await (const response of chain.responses()) {
      await response.text();
      db.logResponse(response);
    }
    const raw = (db as any).db;
    assert.deepEqual(raw.prepare('select name, plugin, arguments from tool_instances').all(), [{ name: 'Memory', plugin: 'my-plugin', arguments: '{"namespace": "ns"}' }]);
    assert.deepEqual(raw.prepare('select count(*) as n from turn_tools where instance_id = 1').get(), { n: 4 });
    assert.deepEqual(raw.prepare('select tool_call_id, instance_id from tool_instantiations').all(), [{ tool_call_id: 'c1', instance_id: 1 }]);
    assert.deepEqual(db.conversationTools(conversation.id), ['Memory({"namespace": "ns"})']);
    db.close();
  });
});
