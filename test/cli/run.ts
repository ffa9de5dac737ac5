// Runs the built `llm` binary in a child process with its own user directory.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The binary under test; LLM_TEST_BIN may point at a copy of a build. */
export const BIN = process.env.LLM_TEST_BIN ?? fileURLToPath(new URL('../../bin/llm.cjs', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  /** A file to give as stdin instead of a pipe (e.g. /dev/null, as `llm < file` does). */
  stdinFile?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called with the child once started (e.g. to send a signal). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/** A fresh user directory, removed by the returned cleanup. */
export function makeUserDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'llm-cli-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runLlm(userDir: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: userDir,
    LLM_USER_PATH: userDir,
    NO_COLOR: '1',
    LLM_RETRY_BASE_MS: '1',
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const stdinFd = options.stdinFile === undefined ? undefined : openSync(options.stdinFile, 'r');
    const child = spawn(process.execPath, [BIN, ...args], {
      env: env as NodeJS.ProcessEnv,
      cwd: options.cwd ?? userDir,
      stdio: [stdinFd ?? 'pipe', 'pipe', 'pipe'],
    });
    if (stdinFd !== undefined) closeSync(stdinFd);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
    options.onSpawn?.(child);
  });
}
