import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer } from '../index.js';
import { tempUserDir } from '../../test/helpers/user-dir.js';

test('the library starts the server llm serve runs, and stops it', async () => {
  const user = tempUserDir();
  try {
    const server = await startServer({ port: 0 });
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const models = await (await fetch(`${server.url}/v1/models`)).json();
    assert.ok(models.data.some((m: { id: string }) => m.id === 'echo'));
    await server.close();
    await assert.rejects(fetch(`${server.url}/v1/models`));
  } finally {
    user.cleanup();
  }
});
