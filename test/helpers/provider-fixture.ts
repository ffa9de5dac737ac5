import { after, before, beforeEach } from 'node:test';
import { type FakeServer, type Handler, startFakeServer } from '../../src/testing/provider-server.js';
import { tempUserDir } from './user-dir.js';

export interface ProviderFixture {
  server: FakeServer;
  user: ReturnType<typeof tempUserDir>;
}

export interface ProviderFixtureOptions {
  /** A fresh user directory for each test, and the server's recorded requests forgotten. */
  perTest?: boolean;
  /** More environment variables (a key: ANTHROPIC_API_KEY…) set while the file's tests run. */
  env?: Record<string, string>;
}

/**
 * A plugin test file's loopback provider: started before the file's tests with
 * `baseUrlVariable` (ANTHROPIC_BASE_URL, GEMINI_BASE_URL…) pointing at it and any `env`
 * set, stopped (and those variables as they were before) after them, with a temporary user
 * directory: one for the file, or with `perTest` a fresh one for each test (the requests
 * the server recorded forgotten too).
 */
export function providerFixture(baseUrlVariable: string, handler: Handler, options: ProviderFixtureOptions = {}): ProviderFixture {
  const fixture = {} as ProviderFixture;
  const previous: Record<string, string | undefined> = {};
  before(async () => {
    if (!options.perTest) fixture.user = tempUserDir();
    fixture.server = await startFakeServer(handler);
    for (const [name, value] of Object.entries({ [baseUrlVariable]: fixture.server.url, ...options.env })) {
      previous[name] = process.env[name];
      process.env[name] = value;
    }
  });
  after(async () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
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
