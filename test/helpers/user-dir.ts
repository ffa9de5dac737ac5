import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Points LLM_USER_PATH at a fresh temporary directory; returns it and a cleanup function. */
export function tempUserDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'llm-ts-test-'));
  const previous = process.env.LLM_USER_PATH;
  process.env.LLM_USER_PATH = dir;
  return {
    dir,
    cleanup() {
      if (previous === undefined) delete process.env.LLM_USER_PATH;
      else process.env.LLM_USER_PATH = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
