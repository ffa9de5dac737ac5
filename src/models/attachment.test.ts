import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FakeServer, startFakeServer } from '../testing/provider-server.js';
import { AttachmentError } from '../errors.js';
import { Attachment } from './attachment.js';
import type { ModelEvent } from './events.js';
import { type ExecuteContext, Model } from './model.js';
import type { Prompt } from './prompt.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

class Vision extends Model {
  readonly modelId = 'vision';
  calls = 0;
  override attachmentTypes: ReadonlySet<string> = new Set(['image/png', 'image/jpeg']);
  async *execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
    this.calls++;
    const types = await Promise.all(prompt.attachments.map((a) => a.resolveType(context.signal)));
    yield { type: 'text', text: types.join(',') };
  }
}
class Blind extends Vision {
  override attachmentTypes: ReadonlySet<string> = new Set();
}

describe('Attachment', () => {
  let dir: string;
  let server: FakeServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llm-attach-'));
    server = await startFakeServer((req, res) => {
      const hop = /^\/hop(\d+)$/.exec(req.path);
      if (hop) {
        const n = Number(hop[1]);
        res.writeHead(301, { location: n > 1 ? `/hop${n - 1}` : '/image' });
        return res.end();
      }
      if (req.path === '/image') {
        res.writeHead(200, { 'content-type': 'image/png; charset=binary' });
        return res.end(req.method === 'HEAD' ? undefined : PNG);
      }
      res.writeHead(404);
      res.end();
    });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  });

  test('the type comes from the bytes, not the file name', async () => {
    const path = join(dir, 'really-a-png.jpg');
    writeFileSync(path, PNG);
    assert.equal(await new Attachment({ path }).resolveType(), 'image/png');
    assert.equal(await new Attachment({ content: new Uint8Array(PNG) }).resolveType(), 'image/png');
    assert.equal(await new Attachment({ content: new Uint8Array(PNG), type: 'image/jpeg' }).resolveType(), 'image/jpeg');
  });

  test('undetectable bytes without a type: a clear error', async () => {
    await assert.rejects(new Attachment({ content: new Uint8Array([1, 2, 3]) }).resolveType(), {
      message: 'Could not determine the type of attachment <3 bytes>; pass a type explicitly',
    });
  });

  test('a URL is typed by a HEAD request, following up to 3 redirects', async () => {
    const before = server.requests.length;
    assert.equal(await new Attachment({ url: `${server.url}/hop3` }).resolveType(), 'image/png');
    const sent = server.requests.slice(before);
    assert.deepEqual(sent.map((r) => `${r.method} ${r.path}`), ['HEAD /hop3', 'HEAD /hop2', 'HEAD /hop1', 'HEAD /image']);
  });

  test('a 4th redirect fails', async () => {
    await assert.rejects(new Attachment({ url: `${server.url}/hop4` }).resolveType(), (e: unknown) => {
      assert.ok(AttachmentError.is(e));
      assert.equal((e as Error).message, `Could not fetch attachment ${server.url}/hop4: more than 3 redirects`);
      return true;
    });
  });

  test('a URL that answers 404 fails with the status', async () => {
    await assert.rejects(new Attachment({ url: `${server.url}/missing` }).resolveType(), {
      message: `Could not fetch attachment ${server.url}/missing: HTTP 404`,
    });
  });

  test('contentBytes of a URL follows redirects', async () => {
    assert.deepEqual(Buffer.from(await new Attachment({ url: `${server.url}/hop1` }).contentBytes()), PNG);
  });

  test("id() is Python's: sha256 of the bytes, or of json.dumps({'url': url})", async () => {
    assert.equal(
      await new Attachment({ content: new TextEncoder().encode('hello') }).id(),
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
    const path = join(dir, 'hello.txt');
    writeFileSync(path, 'hello');
    assert.equal(await new Attachment({ path }).id(), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    assert.equal(
      await new Attachment({ url: 'https://example.com/pelican.jpg' }).id(),
      '742d20a96b4c7713f35dcd64d7573cd986c00f3e58d09b4e0c5d43e344f7197d',
    );
    assert.equal(
      await new Attachment({ url: 'https://example.com/café?q=ü\u007f' }).id(),
      '89daeed3245bad2e3487a297bfea76d4c76a5619d3ff0063c7368a800dfc0937',
    );
  });

  test('exactly one of path, url, content', () => {
    assert.throws(() => new Attachment({}), { message: 'An attachment needs exactly one of path, url or content' });
    assert.throws(() => new Attachment({ path: 'a', url: 'b' }), (e: unknown) => AttachmentError.is(e));
  });

  test('a missing file or an unsupported type fails before any request', async () => {
    const model = new Vision();
    assert.throws(() => model.prompt('x', { attachments: [new Attachment({ path: join(dir, 'nope.png') })] }), {
      message: `Attachment file not found or unreadable: ${join(dir, 'nope.png')}`,
    });
    assert.throws(() => model.prompt('x', { attachments: [new Attachment({ content: new Uint8Array(PNG), type: 'audio/wav' })] }), {
      message: "This model does not support attachments of type 'audio/wav', only image/jpeg, image/png",
    });
    assert.throws(() => new Blind().prompt('x', { attachments: [new Attachment({ content: new Uint8Array(PNG) })] }), {
      message: 'This model does not support attachments',
    });
    // A type found only by detection is checked on first read, still before execute().
    const pdf = new Attachment({ content: new TextEncoder().encode('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n') });
    await assert.rejects(model.prompt('x', { attachments: [pdf] }).text(), {
      message: "This model does not support attachments of type 'application/pdf', only image/jpeg, image/png",
    });
    assert.equal(model.calls, 0);
    assert.equal(await model.prompt('x', { attachments: [new Attachment({ url: `${server.url}/hop1` })] }).text(), 'image/png');
    assert.equal(model.calls, 1);
    assert.equal(model.attachmentTypes.has('image/png'), true);
  });
});
