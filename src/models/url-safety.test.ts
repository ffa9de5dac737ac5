import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FakeServer, startFakeServer } from '../testing/provider-server.js';
import { limits } from '../streaming/limits.js';
import { Attachment } from './attachment.js';
import { addressKind, redirectRefusal } from './url-safety.js';

describe('URL attachments and where their redirects lead', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeServer((req, res) => {
      if (req.path === '/to-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam' });
        res.end();
      } else if (req.path === '/to-loopback') {
        res.writeHead(302, { location: `${server.url}/image.png` });
        res.end();
      } else if (req.path === '/big') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.alloc(3000));
      } else {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(Buffer.from('png'));
      }
    });
  });
  after(() => server.close());

  test('a redirect to the link-local metadata address is refused', async () => {
    const attachment = new Attachment({ url: `${server.url}/to-metadata` });
    await assert.rejects(attachment.contentBytes(), {
      message: `Refused to follow the redirect of attachment ${server.url}/to-metadata to http://169.254.169.254/latest/meta-data/iam: it leads to a link-local address and the URL given was not at one (give that URL itself to fetch it)`,
    });
  });

  test('a redirect between addresses of the kind the user gave is followed', async () => {
    const attachment = new Attachment({ url: `${server.url}/to-loopback` });
    assert.equal(Buffer.from(await attachment.contentBytes()).toString(), 'png');
  });

  test('a URL attachment larger than the body limit is refused', async () => {
    const saved = limits.maxBodyBytes;
    limits.maxBodyBytes = 1000;
    try {
      await assert.rejects(new Attachment({ url: `${server.url}/big` }).contentBytes(), /is larger than the 1000 bytes limit/);
    } finally {
      limits.maxBodyBytes = saved;
    }
  });

  test('address kinds, and which redirects are refused', () => {
    assert.equal(addressKind('8.8.8.8'), 'public');
    assert.equal(addressKind('127.0.0.1'), 'loopback');
    assert.equal(addressKind('::1'), 'loopback');
    assert.equal(addressKind('10.1.2.3'), 'private');
    assert.equal(addressKind('172.20.0.1'), 'private');
    assert.equal(addressKind('192.168.1.1'), 'private');
    assert.equal(addressKind('169.254.169.254'), 'link-local');
    assert.equal(addressKind('::ffff:169.254.169.254'), 'link-local');
    assert.equal(addressKind('fe80::1'), 'link-local');
    assert.equal(addressKind('fd00::1'), 'private');
    assert.equal(redirectRefusal('public', 'public'), undefined);
    assert.equal(redirectRefusal('loopback', 'loopback'), undefined);
    assert.match(redirectRefusal('public', 'loopback')!, /loopback address/);
    assert.match(redirectRefusal('public', 'private')!, /private address/);
    assert.match(redirectRefusal('private', 'link-local')!, /link-local address/);
  });
});
