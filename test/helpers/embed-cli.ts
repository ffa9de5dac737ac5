import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
let bundled: string | undefined;

/**
 * test/helpers/run-embed-cli.ts bundled once per test process with esbuild (dependencies
 * external), so each command starts as fast as the real binary rather than through tsx.
 */
function runner(): string {
  if (bundled) return bundled;
  const dir = `${root}node_modules/.cache/llm-ts-tests`;
  mkdirSync(dir, { recursive: true });
  const outfile = `${dir}/run-embed-cli-${process.pid}.mjs`;
  buildSync({
    entryPoints: [fileURLToPath(new URL('./run-embed-cli.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    define: { __LLM_VERSION__: '"test"' },
    logLevel: 'error',
  });
  process.on('exit', () => rmSync(outfile, { force: true }));
  return (bundled = outfile);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Runs `llm <args>` (embedding commands, embed-demo registered) in a child process. */
export function runEmbedCli(args: string[], options: { input?: string | Buffer; env?: Record<string, string | undefined> } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const result = spawnSync(process.execPath, [runner(), ...args], {
    cwd: root,
    input: options.input ?? '',
    env: env as NodeJS.ProcessEnv,
  });
  return {
    code: result.status ?? 1,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
    stdoutBytes: result.stdout,
  };
}

/** The async form, for tests whose loopback server runs in the test process itself. */
export async function runEmbedCliAsync(
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  const { spawn } = await import('node:child_process');
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, [runner(), ...args], { cwd: root, env: env as NodeJS.ProcessEnv });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
  const stdoutBytes = Buffer.concat(out);
  return { code, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes };
}
