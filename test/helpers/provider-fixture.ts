import { after, before, beforeEach } from 'node:test';
import { type FakeServer, type Handler, startFakeServer } from '../../src/testing/provider-server.js';
import { tempUserDir } from './user-dir.js';

export interface ProviderFixture {
  server: FakeServer;
  user: ReturnType<typeof tempUserDir>;
}

/**
 * A plugin test file's loopback provider: started before the file's tests with
 * `baseUrlVariable` (ANTHROPIC_BASE_URL, GEMINI_BASE_URL…) pointing at it, stopped (and
 * the variable removed) after them, with a temporary user directory: one for the file, or
 * with `perTest` a fresh one for each test (the requests the server recorded forgotten too).
 */
export function providerFixture(baseUrlVariable: string, handler: Handler, options: { perTest?: boolean } = {}): ProviderFixture {
  const fixture = {} as ProviderFixture;
  before(async () => {
    if (!options.perTest) fixture.user = tempUserDir();
    fixture.server = await startFakeServer(handler);
    process.env[baseUrlVariable] = fixture.server.url;
  });
  after(async () => {
    delete process.env[baseUrlVariable];
    await fixture.server.close();
    fixture.user?.cleanup();
  });
  if (options.perTest) {
    beforeEach(() => {
      fixture.user?.cleanup();
      fixture.user = tempUserDir();
      fixture.server.requests.length = 0;
    });
  }
  return fixture;
}
