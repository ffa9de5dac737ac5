import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openSqlite } from '../../src/util/sqlite.js';
import type { Handler, RecordedRequest } from '../../src/testing/provider-server.js';
import { loopbackCli } from './loopback.js';
import { runLlm } from './run.js';

const KEY = 'sk-test-map-key-123456';

const cli = loopbackCli((req, res) => answer(req, res), { apiKey: KEY });

const lastUserText = (body: any): string => {
  const messages = body.messages as { role: string; content: string }[];
  return [...messages].reverse().find((m) => m.role === 'user')!.content;
};

/** A chat completion answering `echo: <the user's text>`. */
function completion(text: string, model = 'gpt-4o-mini') {
  return {
    id: 'chatcmpl-map',
    object: 'chat.completion',
    created: 1700000000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
  };
}

function answer(req: RecordedRequest, res: ServerResponse, delayMs = 0): void {
  const reply = () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(completion(`echo: ${lastUserText(req.json)}`)));
  };
  if (delayMs) setTimeout(reply, delayMs);
  else reply();
}

const llm = cli.llm;

function csv(rows: number, name = 'input.csv'): string {
  const path = join(cli.user.dir, name);
  const lines = ['id,text'];
  for (let i = 1; i <= rows; i++) lines.push(`r${i},"item ${i}, with a comma"`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function logs(): Promise<any[]> {
  const r = await runLlm(cli.user.dir, ['logs', '-n', '0', '--json']);
  return JSON.parse(r.stdout);
}

describe('llm map, live requests', () => {
  test('fills the prompt from each row, prints one JSON line per row, logs every answer as a turn', async () => {
    const input = csv(5);
    const r = await llm(['map', input, '--prompt', 'Classify: $text', '-m', 'gpt-4o-mini', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 5);
    const byKey = Object.fromEntries(lines.map((l) => [l.key, l.response]));
    for (let i = 1; i <= 5; i++) assert.equal(byKey[`r${i}`], `echo: Classify: item ${i}, with a comma`);
    assert.equal(cli.server.requests.length, 5);
    assert.equal(cli.server.requests[0]!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(cli.server.requests[0]!.json.stream, false);
    const logged = await logs();
    assert.equal(logged.length, 5);
    assert.deepEqual(logged.map((t) => t.prompt).sort(), [1, 2, 3, 4, 5].map((i) => `Classify: item ${i}, with a comma`).sort());
    assert.ok(logged.every((t) => t.model === 'gpt-4o-mini' && t.input_tokens === 7 && t.output_tokens === 3));
  });

  test('running the same command again sends nothing: the job resumes, every row already answered', async () => {
    const input = csv(4);
    const args = ['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--output', join(cli.user.dir, 'out.jsonl')];
    const first = await llm(args);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(cli.server.requests.length, 4);
    const second = await llm(args);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /^Resuming job [0-9a-f]{16}$/m);
    assert.equal(cli.server.requests.length, 4, 'no row was sent twice');
    assert.equal((await logs()).length, 4);
    const out = readFileSync(join(cli.user.dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => o.key), ['r1', 'r2', 'r3', 'r4']);
  });

  test('a row changed in the input is sent again; unchanged rows are not (same hash, another job)', async () => {
    const input = csv(3);
    assert.equal((await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '-q'])).code, 0);
    writeFileSync(input, 'id,text\nr1,"item 1, with a comma"\nr2,changed\nr3,"item 3, with a comma"\n');
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests.length, 4);
    assert.equal(lastUserText(cli.server.requests[3]!.json), 'changed');
  });

  test('never more requests in flight than --parallel', async () => {
    let active = 0;
    let peak = 0;
    cli.handler = (req, res) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        answer(req, res);
      }, 20);
    };
    const input = csv(24);
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--parallel', '3', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests.length, 24);
    assert.ok(peak <= 3, `peak ${peak}`);
    assert.ok(peak >= 2, `peak ${peak}: requests ran one at a time`);
  });

  test('429s with retry-after back the pool off and every row still gets its answer', async () => {
    let served = 0;
    let limited = 0;
    cli.handler = (req, res) => {
      served++;
      // Every fourth request is told to wait.
      if (served % 4 === 0) {
        limited++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '30' });
        res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } }));
        return;
      }
      answer(req, res, 5);
    };
    const input = csv(20);
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--parallel', '8', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(limited > 0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 20);
    assert.ok(lines.every((l) => l.response?.startsWith('echo: ')));
    assert.equal((await logs()).length, 20);
  });

  test('a row still rate limited after its own retries goes back in the queue instead of failing', async () => {
    let served = 0;
    cli.handler = (req, res) => {
      if (++served <= 3) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '10' });
        res.end(JSON.stringify({ error: { message: 'Rate limit reached' } }));
        return;
      }
      answer(req, res);
    };
    const input = csv(3);
    // One attempt per request: each 429 reaches the pool at once.
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--parallel', '1', '-q'], { env: { LLM_MAX_ATTEMPTS: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cli.server.requests.length, 6);
    assert.equal(r.stdout.trim().split('\n').filter((l) => JSON.parse(l).response).length, 3);
  });

  test('a row that keeps failing is recorded with its error; the others finish; --retry-failed sends it again', async () => {
    cli.handler = (req, res) => {
      if (lastUserText(req.json).includes('item 2,')) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Invalid content in item 2' } }));
        return;
      }
      answer(req, res);
    };
    const input = csv(3);
    const args = ['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '-q'];
    const r = await llm(args);
    assert.equal(r.code, 1);
    const match = /^Error: 1 rows failed: see llm map errors ([0-9a-f]{16}), retry with --retry-failed$/m.exec(r.stderr);
    assert.ok(match, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.find((l) => l.key === 'r2'), { key: 'r2', error: 'OpenAI API error 400: Invalid content in item 2' });
    const errors = await llm(['map', 'errors', match[1]!]);
    assert.equal(errors.stdout, 'r2\tOpenAI API error 400: Invalid content in item 2\n');
    cli.handler = (req, res) => answer(req, res);
    const again = await llm([...args, '--retry-failed']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(cli.server.requests.length, 4, 'only the failed row was sent again');
    const status = JSON.parse((await llm(['map', 'status', match[1]!, '--json'])).stdout);
    assert.deepEqual(status.counts, { total: 3, pending: 0, submitted: 0, done: 3, failed: 0 });
  });

  test('killed mid-run (kill -9), then resumed: no row lost, none answered or logged twice', async () => {
    cli.handler = (req, res) => answer(req, res, 15);
    const input = csv(40);
    const args = ['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--parallel', '4', '-q'];
    await llm(args, {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (cli.server.requests.length >= 12) {
            clearInterval(timer);
            child.kill('SIGKILL');
          }
        }, 2);
      },
    });
    const sentBefore = cli.server.requests.length;
    assert.ok(sentBefore < 40, 'the kill came before the end');
    const r = await llm(args);
    assert.equal(r.code, 0, r.stderr);
    const turns = await logs();
    const prompts = turns.map((t) => t.prompt);
    assert.equal(new Set(prompts).size, prompts.length, 'no turn logged twice');
    assert.equal(prompts.length, 40);
    // At most the requests in flight at the kill were sent twice.
    assert.ok(cli.server.requests.length <= 40 + 4, `${cli.server.requests.length} requests`);
  });

  test('rows from a SQL query, results written back into a table of that database', async () => {
    const path = join(cli.user.dir, 'data.db');
    const db = openSqlite(path);
    db.exec("create table posts (id integer primary key, body text); insert into posts values (1, 'first'), (2, 'second');");
    db.close();
    const r = await llm(['map', path, '--sql', 'select id, body from posts', '--prompt', 'Title for: $body', '-m', 'gpt-4o-mini', '--output-table', 'titles', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const check = openSqlite(path, { readonly: true });
    const rows = check.prepare('select key, response from titles order by key').all();
    check.close();
    assert.deepEqual(rows, [
      { key: '1', response: 'echo: Title for: first' },
      { key: '2', response: 'echo: Title for: second' },
    ]);
  });

  test('with a schema, the answer fields become CSV columns', async () => {
    cli.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = lastUserText(req.json);
      res.end(JSON.stringify(completion(JSON.stringify({ name: text.toUpperCase(), score: text.length }))));
    };
    const input = join(cli.user.dir, 'in.jsonl');
    writeFileSync(input, '{"id": "a", "text": "ab"}\n{"id": "b", "text": "xyz"}\n');
    const out = join(cli.user.dir, 'out.csv');
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--schema', 'name, score int', '--output', out, '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), 'key,name,score\r\na,AB,2\r\nb,XYZ,3\r\n');
    assert.equal(cli.server.requests[0]!.json.response_format.type, 'json_schema');
  });

  test('lines on stdin, one row each, as $text', async () => {
    const r = await llm(['map', '-', '--format', 'lines', '--prompt', 'Q: $text', '-m', 'gpt-4o-mini', '-q'], { input: 'one\n\ntwo\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout.trim().split('\n').map((l) => JSON.parse(l)).sort((a, b) => a.key.localeCompare(b.key)),
      [
        { key: '1', response: 'echo: Q: one' },
        { key: '2', response: 'echo: Q: two' },
      ],
    );
  });

  test('-t template fills its $variables from each row; -f fragments go with every row; an attachment column attaches each row\'s file', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(cli.user.dir, 'templates'));
    writeFileSync(join(cli.user.dir, 'templates', 'describe.yaml'), 'prompt: "Describe $name"\nsystem: "You are $role"\ndefaults:\n  role: a critic\n');
    writeFileSync(join(cli.user.dir, 'notes.txt'), 'Background notes.');
    // A 1x1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    writeFileSync(join(cli.user.dir, 'a.png'), png);
    const input = join(cli.user.dir, 'in.csv');
    writeFileSync(input, `id,name,image\nx,Pelican,${join(cli.user.dir, 'a.png')}\ny,Walrus,\n`);
    cli.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completion('ok')));
    };
    const r = await llm(['map', input, '-t', 'describe', '-m', 'gpt-4o-mini', '-f', join(cli.user.dir, 'notes.txt'), '--attachment-column', 'image', '-q', '--parallel', '1']);
    assert.equal(r.code, 0, r.stderr);
    const [first, second] = cli.server.requests.map((q) => q.json);
    assert.deepEqual(first.messages[0], { role: 'system', content: 'You are a critic' });
    const content = first.messages[1].content;
    assert.deepEqual(content[0], { type: 'text', text: 'Background notes.\nDescribe Pelican' });
    assert.equal(content[1].type, 'image_url');
    assert.match(content[1].image_url.url, /^data:image\/png;base64,iVBOR/);
    assert.deepEqual(second.messages[1], { role: 'user', content: 'Background notes.\nDescribe Walrus' });
  });

  test('errors a user can cause are one line each', async () => {
    const input = csv(1);
    const cases: [string[], RegExp][] = [
      [['map', input, '-m', 'gpt-4o-mini'], /^Error: Give the prompt with --prompt or -t\/--template\n$/],
      [['map', input, '--prompt', '$nope', '-m', 'gpt-4o-mini'], /^Error: Row 1 \(key r1\): Missing variables: nope\n$/],
      [['map', join(cli.user.dir, 'missing.csv'), '--prompt', '$text', '-m', 'gpt-4o-mini'], /^Error: Cannot read .*missing\.csv: ENOENT\n$/],
      [['map', input, '--prompt', '$text', '-m', 'echo', '--batch'], /^Error: echo has no batch API: run without --batch to send the rows as live requests\n$/],
      [['map', input, '--prompt', '$text', '--parallel', '0'], /^Error: --parallel must be a positive number: 0\n$/],
      [['map', 'status', 'nosuchjob'], /^Error: No map job with id nosuchjob \(llm map list shows the jobs\)\n$/],
      [['map', '-', '--sql', 'select 1', '--prompt', 'x'], /^Error: --sql needs INPUT to be a SQLite file\n$/],
      [['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--output', join(cli.user.dir, 'out.txt')], /^Error: --output must end in \.jsonl, \.json, \.csv or \.tsv: .*out\.txt\n$/],
    ];
    for (const [args, expected] of cases) {
      const r = await llm([...args, '-q'].filter((a, i, all) => !(a === '-q' && all[0] === 'map' && all[1] === 'status')));
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, expected, args.join(' '));
    }
  });
});

/** A fake of OpenAI's Files and Batches endpoints, with the chat answers computed from each request line. */
function batchServer(plan: { states: string[]; expirePartial?: boolean; failValidation?: boolean; errorFor?: string }) {
  const files = new Map<string, string>();
  const batches = new Map<string, { input: string; polls: number; states: string[]; output?: string; errors?: string }>();
  let fileCount = 0;
  let batchCount = 0;
  const handle: Handler = (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && req.path === '/files') {
      assert.match(String(req.headers['content-type']), /^multipart\/form-data; boundary=/);
      assert.match(req.body, /name="purpose"\r\n\r\nbatch\r\n/);
      const content = /filename="[^"]+"\r\ncontent-type: application\/jsonl\r\n\r\n([\s\S]*)\r\n--/.exec(req.body)![1]!;
      const id = `file-in-${++fileCount}`;
      files.set(id, content);
      return json(200, { id, object: 'file', purpose: 'batch', bytes: content.length });
    }
    if (req.method === 'POST' && req.path === '/batches') {
      const id = `batch_${++batchCount}`;
      const states = batchCount === 1 ? plan.states : ['in_progress', 'completed'];
      batches.set(id, { input: req.json.input_file_id, polls: 0, states });
      assert.equal(req.json.endpoint, '/v1/chat/completions');
      assert.equal(req.json.completion_window, '24h');
      return json(200, { id, object: 'batch', status: 'validating', input_file_id: req.json.input_file_id });
    }
    const get = /^\/batches\/(batch_\d+)$/.exec(req.path);
    if (req.method === 'GET' && get) {
      const batch = batches.get(get[1]!)!;
      const status = batch.states[Math.min(batch.polls++, batch.states.length - 1)]!;
      const lines = files.get(batch.input)!.trim().split('\n').map((l) => JSON.parse(l));
      const body: Record<string, unknown> = { id: get[1], object: 'batch', status, request_counts: { total: lines.length, completed: 0, failed: 0 } };
      if (status === 'failed') body.errors = { data: [{ code: 'invalid_request', message: 'Model not found', line: 1 }] };
      if (status === 'completed' || status === 'expired') {
        const answered = status === 'expired' ? lines.slice(0, 1) : lines;
        const out: string[] = [];
        const errs: string[] = [];
        for (const line of answered) {
          const text = lastUserText(line.body);
          if (plan.errorFor && text.includes(plan.errorFor)) {
            errs.push(JSON.stringify({ id: 'req', custom_id: line.custom_id, response: { status_code: 400, body: { error: { message: 'Bad row' } } }, error: null }));
          } else {
            out.push(JSON.stringify({ id: 'req', custom_id: line.custom_id, response: { status_code: 200, body: completion(`batch: ${text}`, 'gpt-4o-mini-2024-07-18') }, error: null }));
          }
        }
        batch.output ??= `file-out-${get[1]}`;
        files.set(batch.output, out.join('\n') + '\n');
        body.output_file_id = batch.output;
        if (errs.length) {
          batch.errors ??= `file-err-${get[1]}`;
          files.set(batch.errors, errs.join('\n') + '\n');
          body.error_file_id = batch.errors;
        }
        body.request_counts = { total: lines.length, completed: out.length, failed: errs.length };
      }
      return json(200, body);
    }
    const content = /^\/files\/([^/]+)\/content$/.exec(req.path);
    if (req.method === 'GET' && content && files.has(content[1]!)) {
      res.writeHead(200, { 'content-type': 'application/jsonl' });
      return res.end(files.get(content[1]!));
    }
    json(404, { error: { message: `no route ${req.method} ${req.path}` } });
  };
  return { handle, files, batches };
}

describe('llm map --batch (OpenAI Batch API)', () => {
  test('uploads the JSONL, creates the batch, polls until done, logs each answer by custom_id', async () => {
    const fake = batchServer({ states: ['validating', 'in_progress', 'finalizing', 'completed'], errorFor: 'item 3,' });
    cli.handler = fake.handle;
    const input = csv(3);
    const out = join(cli.user.dir, 'out.jsonl');
    const r = await llm(['map', input, '--prompt', 'Summarise: $text', '-m', 'gpt-4o-mini', '--batch', '--wait', '--interval', '0.01', '--output', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Job [0-9a-f]{16}: 3 rows sent in 1 batch\n/);
    assert.match(r.stderr, /Error: 1 rows failed: see llm map errors [0-9a-f]{16}\n$/);
    const uploaded = fake.files.get('file-in-1')!.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(uploaded.map((l) => [l.custom_id, l.method, l.url]), [
      ['row-0', 'POST', '/v1/chat/completions'],
      ['row-1', 'POST', '/v1/chat/completions'],
      ['row-2', 'POST', '/v1/chat/completions'],
    ]);
    assert.equal(uploaded[0].body.model, 'gpt-4o-mini');
    assert.equal(uploaded[0].body.stream, false);
    assert.deepEqual(uploaded[0].body.messages, [{ role: 'user', content: 'Summarise: item 1, with a comma' }]);
    assert.ok(!cli.server.requests.some((q) => q.path === '/chat/completions'), 'no live request was sent');
    const results = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(results, [
      { key: 'r1', response: 'batch: Summarise: item 1, with a comma' },
      { key: 'r2', response: 'batch: Summarise: item 2, with a comma' },
      { key: 'r3', error: 'OpenAI API error 400: Bad row' },
    ]);
    const turns = await logs();
    assert.equal(turns.length, 2);
    assert.equal(turns[0].resolved_model, 'gpt-4o-mini-2024-07-18');
    assert.equal(turns[0].input_tokens, 7);
    assert.equal(turns[0].response_json.llm_ts_batch, 'batch_1');
    // Priced at the Batch API's half price.
    assert.match(turns[0].cost.source, /batch price \(half\)$/);
  });

  test('submitted, then status and resume (another run, as on another machine) pick the batch up', async () => {
    const fake = batchServer({ states: ['in_progress', 'in_progress', 'completed'] });
    cli.handler = fake.handle;
    const input = csv(2);
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--batch']);
    assert.equal(r.code, 0, r.stderr);
    const id = /Job ([0-9a-f]{16}):/.exec(r.stderr)![1]!;
    assert.match(r.stderr, new RegExp(`Check it with: llm map status ${id}`));
    const status = await llm(['map', 'status', id]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^Job ${id}: 2 rows, 0 done, 0 failed, 2 in batches\\n`));
    assert.match(status.stdout, /Batch batch_1 \(openai\): in_progress\n/);
    const resumed = await llm(['map', 'resume', id, '--wait', '--interval', '0.01', '-q']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const done = JSON.parse((await llm(['map', 'status', id, '--json'])).stdout);
    assert.equal(done.status, 'done');
    assert.deepEqual(done.counts, { total: 2, pending: 0, submitted: 0, done: 2, failed: 0 });
    assert.equal((await logs()).length, 2);
  });

  test('an expired batch keeps its partial answers; the rest are sent again in a new batch', async () => {
    const fake = batchServer({ states: ['in_progress', 'expired'] });
    cli.handler = fake.handle;
    const input = csv(3);
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--batch', '--wait', '--interval', '0.01', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.batches.size, 2);
    const second = fake.files.get('file-in-2')!.trim().split('\n').map((l) => JSON.parse(l).custom_id);
    assert.deepEqual(second, ['row-1', 'row-2']);
    assert.equal((await logs()).length, 3);
  });

  test('a batch that fails validation marks its rows failed with the reason', async () => {
    const fake = batchServer({ states: ['validating', 'failed'] });
    cli.handler = fake.handle;
    const input = csv(2);
    const r = await llm(['map', input, '--prompt', '$text', '-m', 'gpt-4o-mini', '--batch', '--wait', '--interval', '0.01', '-q']);
    assert.equal(r.code, 1);
    const id = /map errors ([0-9a-f]{16})/.exec(r.stderr)![1]!;
    const errors = await llm(['map', 'errors', id]);
    assert.equal(errors.stdout, 'r1\tBatch batch_1 failed: invalid_request: Model not found\nr2\tBatch batch_1 failed: invalid_request: Model not found\n');
  });
});
