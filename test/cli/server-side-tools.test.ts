// `llm -T WebSearch`, `-T 'CodeInterpreter(...)'`, `-c` and `llm tools -m` through the built
// binary, against a loopback server speaking OpenAI's Responses streaming wire format.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { loopbackCli } from './loopback.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

const SEARCH = {
  id: 'ws_1',
  type: 'web_search_call',
  status: 'completed',
  action: { type: 'search', query: 'llm release', sources: [{ type: 'url', url: 'https://llm.datasette.io/' }] },
};
const CODE = { id: 'ci_1', type: 'code_interpreter_call', status: 'completed', container_id: 'cntr_1', code: 'print(2 ** 10)', outputs: [{ type: 'logs', logs: '1024\n' }] };

/** One streamed Responses answer: a search, some code, then the text in two deltas. */
function writeServerToolStream(res: ServerResponse, text: string[], items: unknown[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let n = 0;
  const send = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}\n\n`);
  items.forEach((item, index) => {
    send('response.output_item.added', { output_index: index, item: { ...(item as object), status: 'in_progress' } });
    send('response.output_item.done', { output_index: index, item });
  });
  const message = { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: text.join(''), annotations: [] }] };
  send('response.output_item.added', { output_index: items.length, item: { ...message, content: [] } });
  for (const delta of text) send('response.output_text.delta', { item_id: 'msg_1', output_index: items.length, content_index: 0, delta });
  send('response.output_item.done', { output_index: items.length, item: message });
  send('response.completed', {
    response: { id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-5', output: [...items, message], usage: { input_tokens: 20, output_tokens: 8, total_tokens: 28 } },
  });
  res.end();
}

const cli = loopbackCli((_req, res) =>
  cli.server.requests.length === 1 ? writeServerToolStream(res, ['It is ', '1024.'], [SEARCH, CODE]) : writeServerToolStream(res, ['Still 1024.'], []),
);

const llm = (args: string[], input?: string) => cli.llm(args, { input });
const query = (sql: string) => {
  const db = new Database(join(cli.user.dir, 'logs.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as any[];
  } finally {
    db.close();
  }
};

describe('server-side tools (built binary)', () => {
  test('-T WebSearch -T CodeInterpreter(...): sent as their entries, the text printed, the calls logged as server-executed parts', async () => {
    const r = await llm(['-m', 'gpt-5', '-T', 'WebSearch(allowed_domains=["llm.datasette.io"])', '-T', 'CodeInterpreter(memory_limit="4g")', 'What is 2**10?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'It is 1024.\n');
    assert.equal(r.stderr, '');
    assert.equal(cli.server.requests.length, 1);
    const body = cli.server.requests[0]!.json;
    assert.deepEqual(body.tools, [
      { type: 'web_search', filters: { allowed_domains: ['llm.datasette.io'] } },
      { type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } },
    ]);
    assert.deepEqual(body.include, ['reasoning.encrypted_content', 'code_interpreter_call.outputs']);

    // The tools and their configuration, as Python records them.
    assert.deepEqual(
      query('select t.name, t.plugin, t.input_schema, i.name as instance, i.arguments from turn_tools tt join tools t on t.id = tt.tool_id join tool_instances i on i.id = tt.instance_id order by t.name'),
      [
        { name: 'code_interpreter', plugin: null, input_schema: '{}', instance: 'CodeInterpreter', arguments: '{"container": null, "memory_limit": "4g", "file_ids": null}' },
        {
          name: 'web_search',
          plugin: null,
          input_schema: '{}',
          instance: 'WebSearch',
          arguments:
            '{"allowed_domains": ["llm.datasette.io"], "blocked_domains": null, "user_location": null, "search_context_size": null, "external_web_access": null, "return_token_budget": null, "search_content_types": null, "image_settings": null, "include_sources": false, "include_results": false}',
        },
      ],
    );
    // The assistant message: search call and result, code call and its logs, then the text.
    const parts = query(
      "select p.type, p.tool_name, p.text, p.payload from parts p join messages m on m.hash = p.message_hash where m.role = 'assistant' order by p.position",
    );
    assert.deepEqual(
      parts.map((p) => [p.type, p.tool_name, p.text]),
      [
        ['tool_call', 'web_search', null],
        ['tool_result', 'web_search', null],
        ['tool_call', 'code_interpreter', null],
        ['tool_result', 'code_interpreter', null],
        ['text', null, 'It is 1024.'],
      ],
    );
    for (const part of parts.slice(0, 4)) assert.equal(JSON.parse(part.payload).server_executed, true, part.payload);
    assert.deepEqual(JSON.parse(parts[0].payload).arguments, SEARCH.action);
    assert.equal(JSON.parse(parts[1].payload).output, 'completed');
    assert.deepEqual(JSON.parse(parts[2].payload).arguments, { code: 'print(2 ** 10)' });
    assert.equal(JSON.parse(parts[3].payload).output, '1024\n');
  });

  test('a mixed -T list keeps its order in the request and in turn_tools: --functions first, then each spec in place (a toolbox\'s tools where it is named)', async () => {
    const functions = fileURLToPath(new URL('../fixtures/functions/tools.ts', import.meta.url));
    const r = await llm([
      '-m', 'gpt-5', '--functions', functions,
      '-T', 'WebSearch', '-T', 'llm_version', '-T', 'Counter(start=1)', '-T', 'CodeInterpreter', '-T', 'llm_time',
      'What is 2**10?',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const order = ['add_numbers', 'web_search', 'llm_version', 'Counter_increment', 'code_interpreter', 'llm_time'];
    assert.deepEqual(cli.server.requests[0]!.json.tools.map((tool: any) => tool.name ?? tool.type), order);
    // Python inserts one turn_tools row per tool in prompt.tools order (and new tools rows in that order).
    assert.deepEqual(query('select t.name from turn_tools tt join tools t on t.id = tt.tool_id order by tt.rowid').map((row) => row.name), order);
    assert.deepEqual(query('select name from tools order by id').map((row) => row.name), order);
  });

  test('-c resends the tools with their configuration and does not replay the server-executed parts', async () => {
    assert.equal((await llm(['-m', 'gpt-5', '-T', 'CodeInterpreter(memory_limit="4g")', '-T', 'WebSearch', 'What is 2**10?'])).code, 0);
    const r = await llm(['-c', 'And again?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Still 1024.\n');
    const second = cli.server.requests[1]!.json;
    assert.deepEqual(second.tools, [
      { type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } },
      { type: 'web_search' },
    ]);
    assert.deepEqual(second.include, ['reasoning.encrypted_content', 'code_interpreter_call.outputs']);
    assert.deepEqual(second.input, [
      { role: 'user', content: 'What is 2**10?' },
      { role: 'assistant', content: 'It is 1024.' },
      { role: 'user', content: 'And again?' },
    ]);
  });

  test('llm chat -c resends them too', async () => {
    assert.equal((await llm(['-m', 'gpt-5', '-T', 'WebSearch(search_context_size="low")', 'What is 2**10?'])).code, 0);
    const r = await llm(['chat', '-c'], 'And again?\nquit\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Still 1024\./);
    assert.deepEqual(cli.server.requests[1]!.json.tools, [{ type: 'web_search', search_context_size: 'low' }]);
  });

  test('llm openai endpoint --responses: a raw ServerSideTool spec goes through as it is (the OpenRouter example)', async () => {
    const r = await llm([
      'openai', 'endpoint', `${cli.server.url}/api/v1`, '-m', 'openai/gpt-oss-20b:free', '--key', 'sk-or', '--responses', '-R',
      '-T', 'ServerSideTool(spec={"type":"openrouter:web_search","parameters":{"engine":"exa","max_results":2,"max_uses":1}})',
      'Search for the OpenRouter documentation URL',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'It is 1024.\n');
    assert.equal(cli.server.requests[0]!.path, '/api/v1/responses');
    assert.deepEqual(cli.server.requests[0]!.json.tools, [{ type: 'openrouter:web_search', parameters: { engine: 'exa', max_results: 2, max_uses: 1 } }]);
  });

  test('a model without server-side tools does not know the name; a bad option is one line', async () => {
    const unknown = await llm(['-m', 'gpt-4o', '-T', 'WebSearch', 'hi']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Error: Tool\(s\) WebSearch not found\. Available tools: .*\n$/);
    const bad = await llm(['-m', 'gpt-5', '-T', 'CodeInterpreter(memory_limit="5g")', 'hi']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'Error: CodeInterpreter: memory_limit must be one of: 1g, 4g, 16g or 64g\n');
    assert.equal(cli.server.requests.length, 0);
  });

  test('llm tools -m lists the model\'s server-side tools (text and --json)', async () => {
    const text = await llm(['tools', '-m', 'gpt-5']);
    assert.equal(text.code, 0, text.stderr);
    const listing = text.stdout.slice(text.stdout.indexOf('Server-side tools'));
    assert.ok(
      listing.startsWith(
        "Server-side tools for gpt-5 (executed by the provider):\n\nWebSearch(allowed_domains: list[str] | None = None, blocked_domains: list[str] | None = None, user_location: dict | None = None, search_context_size: Optional[Literal['low', 'medium', 'high']] = None",
      ),
      listing,
    );
    assert.match(listing, /\n\nCodeInterpreter\(container: str \| None = None, memory_limit: Optional\[Literal\['1g', '4g', '16g', '64g'\]\] = None, file_ids: list\[str\] \| None = None\)\n\n  Run Python in an OpenAI-managed container\.\n/);
    assert.match(listing, /\n\nServerSideTool\(spec: dict \| None = None\)\n\n  A tool executed inside the provider's infrastructure\.\n/);
    const json = JSON.parse((await llm(['tools', '-m', 'gpt-5', '--json'])).stdout);
    assert.deepEqual(
      json.server_side_tools.map((tool: any) => [tool.name, tool.server_side]),
      [
        ['WebSearch', true],
        ['CodeInterpreter', true],
        ['ServerSideTool', true],
      ],
    );
    // Without -m there is no server_side_tools key; a chat model has none.
    assert.equal(JSON.parse((await llm(['tools', '--json'])).stdout).server_side_tools, undefined);
    const chat = await llm(['tools', '-m', 'gpt-4o']);
    assert.ok(!chat.stdout.includes('Server-side tools'));
    const missing = await llm(['tools', '-m', 'no-such-model']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error: Unknown model: no-such-model\n');
  });
});
