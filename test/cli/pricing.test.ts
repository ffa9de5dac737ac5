import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeChatStream } from '../helpers/openai-replies.js';
import { loopbackCli } from './loopback.js';


// A recorded gpt-4.1 Chat Completions usage with cached input: 2000 in (1024 cached), 100 out.
const USAGE = { prompt_tokens: 2000, completion_tokens: 100, total_tokens: 2100, prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
// gpt-4.1: $2 input, $0.50 cached input, $8 output per million tokens.
const COST = (976 * 2 + 1024 * 0.5 + 100 * 8) / 1e6;

const cli = loopbackCli((_req, res) => writeChatStream(res, ['Hi'], USAGE, 'gpt-4.1-2025-04-14'));

const llm = cli.llm;

/** A genai-prices data.json with one provider and model, at a price we choose. */
function priceFile(inputPerMillion: number): string {
  const path = join(cli.user.dir, 'data.json');
  const data = [{ id: 'openai', name: 'OpenAI', api_pattern: 'https://api\\.openai\\.com', models: [{ id: 'gpt-4.1', match: { starts_with: 'gpt-4.1' }, prices: { input_mtok: inputPerMillion, output_mtok: 0 } }] }];
  writeFileSync(path, JSON.stringify(data));
  return path;
}

describe('costs on the command line', () => {
  test('llm prices prints the snapshot, its date and its source', async () => {
    const r = await llm(['prices']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Prices: @pydantic\/genai-prices 0\.1\.8, the snapshot bundled with llm-ts, of 2026-09-23\nSource: https:\/\/github\.com\/pydantic\/genai-prices\n/);
    const model = await llm(['prices', '-m', '4.1']);
    assert.match(model.stdout, /^gpt-4\.1: openai gpt-4\.1/);
    assert.match(model.stdout, /input_mtok: 2\n {2}cache_read_mtok: 0\.5\n {2}output_mtok: 8\n/);
  });

  test('llm -u prints the cost beside the tokens; logs -u and --json carry it per turn', async () => {
    const r = await llm(['-m', 'gpt-4.1', '-u', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `Token usage: 2,000 input, 100 output, {"prompt_tokens_details": {"cached_tokens": 1024}}, cost: $${COST.toFixed(6)}\n`);
    const json = JSON.parse((await llm(['logs', '--json'])).stdout);
    assert.ok(Math.abs(json[0].cost.total - COST) < 1e-12);
    assert.equal(json[0].cost.currency, 'USD');
    assert.match(json[0].cost.source, /genai-prices 0\.1\.8 of 2026-09-23 \(openai gpt-4\.1\)/);
    const md = await llm(['logs', '-u']);
    assert.match(md.stdout, /## Token usage\n\n2,000 input, 100 output, .*, cost: \$0\.003264\n/);
  });

  test('llm --json (no tools) rows carry the cost field llm logs --json gives them, logged or not', async () => {
    // --json asks for the whole answer at once.
    cli.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4.1-2025-04-14', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage: USAGE }));
    };
    for (const extra of [[], ['-n']]) {
      const r = await llm(['-m', 'gpt-4.1', '--json', ...extra, 'hi']);
      assert.equal(r.code, 0, r.stderr);
      const [row] = JSON.parse(r.stdout) as { cost: { total: number; currency: string; source: string } }[];
      assert.ok(Math.abs(row!.cost.total - COST) < 1e-12, JSON.stringify(row!.cost));
      assert.equal(row!.cost.currency, 'USD');
      assert.match(row!.cost.source, /\(openai gpt-4\.1\)$/);
    }
  });

  test('a model with no price shows "unknown", never $0', async () => {
    const r = await llm(['-m', 'echo', '-u', 'hi']);
    assert.match(r.stderr, /cost: unknown\n$/);
    const json = JSON.parse((await llm(['logs', '--json'])).stdout);
    assert.equal(json[0].cost, null);
    const usage = await llm(['usage']);
    assert.match(usage.stdout, /^echo +1 +\d+ +\d+ +unknown$/m);
    assert.equal(JSON.parse((await llm(['usage', '--json'])).stdout)[0].cost, null);
  });

  test('extra-openai-models.yaml prices: price a proxied model; without them it is unknown', async () => {
    writeFileSync(
      join(cli.user.dir, 'extra-openai-models.yaml'),
      `- model_id: local-priced\n  model_name: whatever\n  api_base: ${cli.server.url}\n  prices:\n    input: 1\n    output: 2\n    cached_input: 0.1\n` +
        `- model_id: local-free\n  model_name: whatever\n  api_base: ${cli.server.url}\n`,
    );
    const priced = await llm(['-m', 'local-priced', '-u', 'hi']);
    assert.equal(priced.code, 0, priced.stderr);
    assert.match(priced.stderr, /cost: \$0\.001278\n$/); // (976×1 + 1024×0.1 + 100×2) / 1e6
    const free = await llm(['-m', 'local-free', '-u', 'hi']);
    assert.match(free.stderr, /cost: unknown\n$/);
  });

  test('llm usage totals by model, day, month, conversation, since; as a table, JSON and CSV', async () => {
    await llm(['-m', 'gpt-4.1', 'one']);
    await llm(['-m', 'gpt-4.1', 'two']);
    await llm(['-m', 'echo', 'three']);
    const table = await llm(['usage']);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.split('\n');
    assert.match(lines[0]!, /^model +turns +input +output +cost$/);
    assert.match(lines[2]!, /^gpt-4\.1 +2 +4,000 +200 +\$0\.006528$/);
    assert.match(lines[3]!, /^echo +1 +\d+ +\d+ +unknown$/);
    assert.match(lines[4]!, /^total +3 +[\d,]+ +\d+ +\$0\.006528 \+ unknown$/);
    const json = JSON.parse((await llm(['usage', '--json', '-m', '4.1'])).stdout);
    assert.equal(json.length, 1);
    assert.equal(json[0].key, 'gpt-4.1');
    assert.equal(json[0].turns, 2);
    assert.ok(Math.abs(json[0].cost - 2 * COST) < 1e-12);
    const today = new Date().toISOString().slice(0, 10);
    const csv = (await llm(['usage', '--csv', '-b', 'day'])).stdout.split('\n');
    assert.equal(csv[0], 'day,turns,input,output,cost_usd,unpriced_turns');
    assert.match(csv[1]!, new RegExp(`^${today},3,\\d+,\\d+,0\\.006528,1$`));
    const month = JSON.parse((await llm(['usage', '--json', '-b', 'month'])).stdout);
    assert.equal(month[0].key, today.slice(0, 7));
    const byConversation = JSON.parse((await llm(['usage', '--json', '-b', 'conversation'])).stdout);
    assert.equal(byConversation.length, 3);
    assert.ok(byConversation.some((row: { name: string }) => row.name === 'one'));
    assert.deepEqual(JSON.parse((await llm(['usage', '--json', '--since', '2999-01-01'])).stdout), []);
  });

  test('llm prices update from a local file, then from a loopback URL; costs follow; --reset goes back', async () => {
    await llm(['-m', 'gpt-4.1', 'hi']);
    const before = JSON.parse((await llm(['usage', '--json'])).stdout)[0].cost;
    assert.ok(Math.abs(before - COST) < 1e-12);
    const file = priceFile(100);
    const updated = await llm(['prices', 'update', file]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /^Saved 1 models from 1 providers to .*genai-prices\.json\nSource: .*data\.json\n$/);
    assert.match((await llm(['prices'])).stdout, /^Prices: fetched \d{4}-\d\d-\d\d by llm prices update\nSource: .*data\.json\n/);
    // The cached costs are recomputed with the new list: 2000 input tokens at $100/M.
    assert.equal(JSON.parse((await llm(['usage', '--json'])).stdout)[0].cost, 0.2);
    assert.match((await llm(['-m', 'gpt-4.1', '-u', 'again'])).stderr, /cost: \$0\.2000\n$/);

    cli.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(readFileSync(priceFile(50)));
    };
    const fromUrl = await llm(['prices', 'update', `${cli.server.url}/data.json`]);
    assert.equal(fromUrl.code, 0, fromUrl.stderr);
    assert.equal(cli.server.requests.at(-1)!.path, '/data.json');
    assert.equal(JSON.parse((await llm(['usage', '--json'])).stdout)[0].cost, 0.2);

    const reset = await llm(['prices', 'update', '--reset']);
    assert.match(reset.stdout, /^Removed the fetched price list; using @pydantic\/genai-prices 0\.1\.8 again\n$/);
    assert.ok(Math.abs(JSON.parse((await llm(['usage', '--json'])).stdout)[0].cost - 2 * COST) < 1e-12);
  });

  test('errors a user can cause: one line, exit 1, the old list kept', async () => {
    const missing = await llm(['prices', 'update', join(cli.user.dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: No price list file at .*nope\.json\n$/);
    writeFileSync(join(cli.user.dir, 'bad.json'), '{"not": "a list"}');
    const bad = await llm(['prices', 'update', join(cli.user.dir, 'bad.json')]);
    assert.match(bad.stderr, /^Error: .*bad\.json is not a genai-prices price list \(expected a non-empty JSON array of providers\)\n$/);
    writeFileSync(join(cli.user.dir, 'broken.json'), '[{');
    assert.match((await llm(['prices', 'update', join(cli.user.dir, 'broken.json')])).stderr, /^Error: The price list from .* is not valid JSON: .*\n$/);
    cli.handler = (_req, res) => {
      res.writeHead(404);
      res.end('no');
    };
    const http = await llm(['prices', 'update', `${cli.server.url}/missing.json`]);
    assert.equal(http.code, 1);
    assert.equal(http.stderr, `Error: Could not fetch the price list from ${cli.server.url}/missing.json: HTTP 404\n`);
    assert.match((await llm(['prices'])).stdout, /bundled with llm-ts/);
    const by = await llm(['usage', '--by', 'year']);
    assert.equal(by.code, 1);
    assert.equal(by.stderr, "Error: Invalid value for '-b' / '--by': 'year' is not one of model, day, week, month, conversation, total\n");
    assert.equal((await llm(['usage', '--since', 'yesterday'])).stderr, "Error: Invalid value for '-s' / '--since': 'yesterday' is not a date like 2026-11-01\n");
    assert.equal((await llm(['usage', '--json', '--csv'])).stderr, 'Error: --json and --csv cannot be used together\n');
  });

  test("llm count: exact with OpenAI's tokenizer, an estimate marked as one otherwise, input cost beside it", async () => {
    const exact = await llm(['count', 'Hello, world!', '-m', '4o-mini']);
    assert.equal(exact.code, 0, exact.stderr);
    assert.equal(exact.stdout, '10 tokens (exact: tokenizer o200k_base (gpt-tokenizer)), input cost $0.000002\n');
    const estimate = await llm(['count', 'x'.repeat(40), '-m', 'echo', '-s', 'y'.repeat(40)]);
    assert.equal(estimate.stdout, 'about 21 tokens (estimate: about 4 characters a token), input cost unknown\n');
    const json = JSON.parse((await llm(['count', 'Hello, world!', '-m', 'gpt-4.1', '--json'])).stdout);
    assert.deepEqual(json, { model: 'gpt-4.1', tokens: 10, exact: true, method: 'tokenizer o200k_base (gpt-tokenizer)', input_cost: 0.00002 });
    assert.equal(cli.server.requests.length, 0);
    const unknown = await llm(['count', 'hi', '-m', 'nope']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'Error: Unknown model: nope\n');
  });
});
