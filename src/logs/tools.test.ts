import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempUserDir } from '../../test/helpers/user-dir.js';
import type { ModelEvent } from '../models/events.js';
import { type ExecuteContext, Model } from '../models/model.js';
import type { Prompt } from '../models/prompt.js';
import { Tool } from '../models/tools.js';
import { LogsDatabase } from './database.js';
import { messageHash } from './parts.js';
import { listLogs } from './reader.js';
import { renderMarkdown } from './render.js';

class ToolModel extends Model {
  readonly modelId = 'toolmodel';
  override supportsTools = true;
  private turn = 0;
  constructor(private readonly script: ModelEvent[][]) {
    super();
  }
  async *execute(_prompt: Prompt, _context: ExecuteContext): AsyncIterable<ModelEvent> {
    yield* this.script[this.turn++]!;
    yield { type: 'response_json', json: { id: 'x', tools_echo: [{ description: LONG }] } };
  }
}

const LONG = 'Returns the current population of the specified fictional country, as a whole number';
const population = new Tool({
  name: 'lookup_population',
  description: LONG,
  inputSchema: { properties: { country: { type: 'string' } }, required: ['country'], type: 'object' },
  implementation: () => 123124,
  plugin: 'my-plugin',
});
const broken = Tool.function(() => {
  throw new Error('no data');
}, { name: 'broken' });

describe('logging tool turns', () => {
  let user: ReturnType<typeof tempUserDir>;
  let dir: string;
  before(() => {
    user = tempUserDir();
    dir = mkdtempSync(join(tmpdir(), 'llm-tools-log-'));
  });
  after(() => {
    user.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a chain writes tools, turn_tools, tool_call and tool_result parts, and reads back', async () => {
    const model = new ToolModel([
      [
        { type: 'tool_call', name: 'lookup_population', arguments: { country: 'Crumpet' }, toolCallId: 'call_1' },
        { type: 'tool_call', name: 'broken', arguments: {}, toolCallId: 'call_2' },
      ],
      [{ type: 'text', text: 'YES' }],
    ]);
    const chain = model.chain('Can Crumpet have dragons?', { tools: [population, broken] });
    const db = LogsDatabase.open(join(dir, 'logs.db'));
    try {
      for await (const response of chain.responses()) {
        await response.text();
        db.logResponse(response);
      }
      const tools = db.db.prepare('select * from tools order by id').all() as Record<string, unknown>[];
      assert.deepEqual(tools.map((t) => [t.name, t.description, t.input_schema, t.plugin, t.hash]), [
        [
          'lookup_population',
          LONG,
          '{"properties": {"country": {"type": "string"}}, "required": ["country"], "type": "object"}',
          'my-plugin',
          population.hash(),
        ],
        ['broken', null, '{}', null, broken.hash()],
      ]);
      const turnTools = db.db.prepare('select turn_id, tool_id, instance_id from turn_tools order by turn_id, tool_id').all() as Record<string, unknown>[];
      assert.equal(turnTools.length, 4);
      assert.ok(turnTools.every((row) => row.instance_id === null));
      assert.equal(db.db.prepare('select count(*) as n from tool_instances').get().n, 0);

      const parts = db.db.prepare("select type, tool_name, text, payload from parts where type like 'tool%' order by id").all();
      assert.deepEqual(parts, [
        { type: 'tool_call', tool_name: 'lookup_population', text: null, payload: '{"name": "lookup_population", "arguments": {"country": "Crumpet"}, "tool_call_id": "call_1"}' },
        { type: 'tool_call', tool_name: 'broken', text: null, payload: '{"name": "broken", "arguments": {}, "tool_call_id": "call_2"}' },
        { type: 'tool_result', tool_name: 'lookup_population', text: null, payload: '{"name": "lookup_population", "output": "123124", "tool_call_id": "call_1"}' },
        {
          type: 'tool_result',
          tool_name: 'broken',
          text: null,
          payload: '{"name": "broken", "output": "Error: no data", "tool_call_id": "call_2", "exception": "Error: no data"}',
        },
      ]);
      // Every stored hash is the hash of what reads back.
      const messages = db.db.prepare('select hash, parent_hash from messages').all() as { hash: string; parent_hash: string | null }[];
      for (const row of messages) assert.equal(messageHash(db.loadChain(row.hash).at(-1)!, row.parent_hash), row.hash);
      // The long tool description echoed in the payload is stored as a reference and resolved on read.
      const stored = (db.db.prepare('select response_json from turns limit 1').get() as { response_json: string }).response_json;
      assert.ok(stored.includes('"tool.lookup_population.description"') && !stored.includes(LONG));

      const rows = listLogs(db);
      const [first, second] = rows as [(typeof rows)[number], (typeof rows)[number]];
      assert.equal(second.response, 'YES');
      assert.deepEqual(second.tools.map((t) => t.name), ['lookup_population', 'broken']);
      assert.deepEqual(second.tool_results.map((r) => [r.name, r.output, r.tool_call_id, r.exception]), [
        ['lookup_population', '123124', 'call_1', null],
        ['broken', 'Error: no data', 'call_2', 'Error: no data'],
      ]);
      assert.deepEqual(first.tool_calls.map((c) => [c.name, c.arguments, c.tool_call_id]), [
        ['lookup_population', { country: 'Crumpet' }, 'call_1'],
        ['broken', {}, 'call_2'],
      ]);
      assert.deepEqual(first.response_json, { id: 'x', tools_echo: [{ description: LONG }] });
      const markdown = renderMarkdown(rows);
      assert.match(markdown, /### Tool calls/);
      assert.match(markdown, /### Tool results/);

      // Continuing the thread replays calls and results.
      const loaded = db.loadConversation()!;
      assert.deepEqual(loaded.messages.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant']);
    } finally {
      db.close();
    }
  });

  test('listLogs: --tools and -T keep turns with tool results among their inputs, in both generations of tables', async () => {
    const model = new ToolModel([
      [{ type: 'tool_call', name: 'lookup_population', arguments: { country: 'Crumpet' }, toolCallId: 'call_1' }],
      [{ type: 'text', text: 'Has results' }],
      [{ type: 'text', text: 'No tools' }],
      [{ type: 'text', text: 'Results, then a question' }],
    ]);
    const db = LogsDatabase.open(join(dir, 'filters.db'));
    try {
      const conversation = model.conversation({ tools: [population, broken] });
      for await (const response of conversation.chain('Dragons?').responses()) {
        await response.text();
        db.logResponse(response);
      }
      for (const response of [
        model.prompt('Plain'),
        // A tool message, then a user message: the results sit one message above the turn's parent.
        model.prompt('And now?', { tools: [broken], toolResults: [{ name: 'broken', output: 'Error: no data', toolCallId: 'call_9' }] }),
      ]) {
        await response.text();
        db.logResponse(response);
      }
      const legacy = (id: string, tool?: { id: number; name: string }) => {
        db.db.prepare("insert into responses (id, model, prompt, response, datetime_utc) values (?, 'old', ?, 'r', '2020-01-01')").run(id, id);
        if (!tool) return;
        db.db.prepare("insert or ignore into tools (id, hash, name) values (?, ?, ?)").run(tool.id, `h${tool.id}`, tool.name);
        db.db.prepare("insert into tool_results (response_id, tool_id, name, output) values (?, ?, ?, 'out')").run(id, tool.id, tool.name);
      };
      legacy('00legacy-a', { id: 900, name: 'lookup_population' });
      legacy('00legacy-b', { id: 901, name: 'broken' });
      legacy('00legacy-c');

      const prompts = (options: Parameters<typeof listLogs>[1]) => listLogs(db, options).map((row) => row.prompt || row.response);
      assert.deepEqual(prompts({}), ['00legacy-a', '00legacy-b', '00legacy-c', 'Dragons?', 'Has results', 'Plain', 'And now?']);
      assert.deepEqual(prompts({ anyTools: true }), ['00legacy-a', '00legacy-b', 'Has results', 'And now?']);
      assert.deepEqual(prompts({ toolNames: ['lookup_population'] }), ['00legacy-a', 'Has results']);
      assert.deepEqual(prompts({ toolNames: ['broken'] }), ['00legacy-b', 'And now?']);
      assert.deepEqual(prompts({ toolNames: ['broken', 'lookup_population'] }), []);
      assert.deepEqual(prompts({ toolNames: ['broken'], count: 1 }), ['And now?']);
    } finally {
      db.close();
    }
  });

  test('conversationTools: the plugin tools of the first turn, or of the first legacy response', async () => {
    const model = new ToolModel([[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]]);
    const db = LogsDatabase.open(join(dir, 'continued.db'));
    try {
      const conversation = model.conversation();
      for (const response of [conversation.prompt('first', { tools: [population, broken] }), conversation.prompt('second', { tools: [broken] })]) {
        await response.text();
        db.logResponse(response);
      }
      // `broken` has no plugin: Python restores plugin tools only.
      assert.deepEqual(db.conversationTools(conversation.id), ['lookup_population']);
      assert.deepEqual(db.conversationTools('no-such-conversation'), []);
      // A toolbox instance (written by Python) comes back once, as the spec -T takes.
      const first = (db.db.prepare('select id from turns where thread_id = ? order by id limit 1').get(conversation.id) as { id: string }).id;
      db.db.prepare(`insert into tools (id, hash, name, plugin) values (700, 'h700', 'Datasette_query', 'llm-tools-datasette'), (701, 'h701', 'Datasette_schema', 'llm-tools-datasette')`).run();
      db.db.prepare(`insert into tool_instances (id, plugin, name, arguments) values (1, 'llm-tools-datasette', 'Datasette', '{"url": "x"}')`).run();
      db.db.prepare('insert into turn_tools (turn_id, tool_id, instance_id) values (?, 700, 1), (?, 701, 1)').run(first, first);
      assert.deepEqual(db.conversationTools(conversation.id), ['lookup_population', 'Datasette({"url": "x"})']);

      db.db.prepare("insert into conversations (id, name, model) values ('legacyconv', 'old', 'old')").run();
      db.db.prepare("insert into responses (id, model, prompt, conversation_id) values ('r1', 'old', 'p', 'legacyconv'), ('r2', 'old', 'p', 'legacyconv')").run();
      db.db.prepare("insert into tools (id, hash, name, plugin) values (800, 'h800', 'old_plugin_tool', 'llm-old'), (801, 'h801', 'old_function', null), (802, 'h802', 'later_tool', 'llm-old')").run();
      db.db.prepare("insert into tool_responses (tool_id, response_id) values (800, 'r1'), (801, 'r1'), (802, 'r2')").run();
      assert.deepEqual(db.conversationTools('legacyconv'), ['old_plugin_tool']);
    } finally {
      db.close();
    }
  });
});
