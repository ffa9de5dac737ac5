import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { AuthenticationError, getModel, NeedsKeyError, registerPlugin, retryPolicy, Tool, unregisterPlugin } from 'llm-ts';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../../../src/testing/provider-server.ts';
import { sigV4Problem as sigV4 } from '../../../test/helpers/sigv4.ts';
import { tempUserDir } from '../../../test/helpers/user-dir.ts';
import { runAdd } from './commands.ts';
import plugin from './index.ts';

/**
 * Amazon Bedrock through @ai-sdk/amazon-bedrock against a loopback ConverseStream server:
 * AWS event-stream binary frames out, every request's SigV4 signature checked against
 * the secret key, as AWS would.
 */

const ACCESS_KEY = 'AKIDEXAMPLE12345';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const REGION = 'us-east-1';

const sigV4Problem = (req: RecordedRequest) => sigV4(req, { accessKey: ACCESS_KEY, secret: SECRET, region: REGION, service: 'bedrock' });

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

type Reply = (req: RecordedRequest, res: ServerResponse) => void;

function converseStream(events: [string, unknown][]): Reply {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-1' });
    for (const [type, payload] of events) res.write(frame(type, payload));
    res.end();
  };
}

const textEvents = (texts: string[], stopReason = 'end_turn'): [string, unknown][] => [
  ['messageStart', { role: 'assistant' }],
  ...texts.map((text): [string, unknown] => ['contentBlockDelta', { contentBlockIndex: 0, delta: { text } }]),
  ['contentBlockStop', { contentBlockIndex: 0 }],
  ['messageStop', { stopReason }],
  ['metadata', { usage: { inputTokens: 14, outputTokens: texts.length, totalTokens: 14 + texts.length }, metrics: { latencyMs: 100 } }],
];

let server: FakeServer;
let reply: Reply;
let cleanup: () => void;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, region: process.env.AWS_REGION };

before(() => registerPlugin(plugin));
after(() => unregisterPlugin(plugin));
beforeEach(async () => {
  cleanup = tempUserDir().cleanup;
  retryPolicy.baseDelayMs = 1;
  reply = converseStream(textEvents(['Hi']));
  server = await startFakeServer((req, res) => {
    const problem = sigV4Problem(req);
    if (problem) {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException' });
      res.end(JSON.stringify({ message: `The request signature we calculated does not match the signature you provided (${problem})` }));
      return;
    }
    reply(req, res);
  });
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET;
  process.env.AWS_REGION = REGION;
  runAdd('bedrock', { baseUrl: server.url }, () => undefined);
});
afterEach(async () => {
  await server.close();
  cleanup();
  for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_REGION', saved.region]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const posts = () => server.requests.filter((r) => r.method === 'POST');

describe('Amazon Bedrock (@ai-sdk/amazon-bedrock, ConverseStream)', () => {
  test('a signed request; event-stream frames become text; usage', async () => {
    reply = converseStream(textEvents(['Hello', ' from', ' Nova']));
    const response = getModel('nova-micro').prompt('Hi', { system: 'Be brief', options: { max_tokens: 20 } });
    assert.equal(await response.text(), 'Hello from Nova');
    const request = posts()[0]!;
    assert.equal(request.path, '/model/amazon.nova-micro-v1%3A0/converse-stream');
    assert.equal(sigV4Problem(request), undefined);
    assert.deepEqual(request.json.system, [{ text: 'Be brief' }]);
    assert.deepEqual(request.json.messages, [{ role: 'user', content: [{ text: 'Hi' }] }]);
    assert.equal(request.json.inferenceConfig.maxTokens, 20);
    const usage = await response.usage();
    assert.equal(usage.input, 14);
    assert.equal(usage.output, 3);
  });

  test('a tool round trip over toolUse blocks', async () => {
    const multiply = new Tool({
      name: 'multiply',
      inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      implementation: ({ a, b }) => String(Number(a) * Number(b)),
    });
    let call = 0;
    reply = (req, res) =>
      (call++ === 0
        ? converseStream([
            ['messageStart', { role: 'assistant' }],
            ['contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_1', name: 'multiply' } } }],
            ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"a": 6,' } } }],
            ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: ' "b": 7}' } } }],
            ['contentBlockStop', { contentBlockIndex: 0 }],
            ['messageStop', { stopReason: 'tool_use' }],
            ['metadata', { usage: { inputTokens: 30, outputTokens: 10, totalTokens: 40 } }],
          ])
        : converseStream(textEvents(['42'])))(req, res);
    assert.equal(await getModel('nova-pro').chain('6 x 7?', { tools: [multiply] }).text(), '42');
    const [first, second] = posts();
    assert.equal(first!.json.toolConfig.tools[0].toolSpec.name, 'multiply');
    const messages = second!.json.messages;
    assert.deepEqual(messages[1].content[0].toolUse, { toolUseId: 'tooluse_1', name: 'multiply', input: { a: 6, b: 7 } });
    assert.equal(messages[2].content[0].toolResult.toolUseId, 'tooluse_1');
    assert.deepEqual(messages[2].content[0].toolResult.content, [{ text: '42' }]);
    for (const request of posts()) assert.equal(sigV4Problem(request), undefined);
  });

  test('a wrong secret: the 403 AWS sends, as one line', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';
    await assert.rejects(getModel('nova-micro').prompt('x').text(), (e: unknown) => {
      assert.ok(AuthenticationError.is(e));
      assert.equal((e as Error).message, 'Amazon Bedrock API error 403: The request signature we calculated does not match the signature you provided (signature does not match)');
      return true;
    });
  });

  test('no AWS credentials: one line saying so', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    await assert.rejects(getModel('nova-micro').prompt('x').text(), (e: unknown) => {
      assert.ok(NeedsKeyError.is(e), String(e));
      assert.doesNotMatch((e as Error).message, /\n/);
      assert.equal(
        (e as Error).message,
        "Amazon Bedrock: AWS access key ID setting is missing. Pass it using the 'accessKeyId' parameter or the AWS_ACCESS_KEY_ID environment variable.",
      );
      return true;
    });
    assert.equal(posts().length, 0);
  });
});
