// Tests that need a program (tmux, zsh, fish) skip, saying why, when it is missing on a
// developer's machine. On CI (LLM_CI set, as .ci/run does, which installs them) they run
// and fail instead: a missing program there is a broken CI, not a reason to test less.
import { spawnSync } from 'node:child_process';

/** True when `program` runs (`program --version`, or the given arguments). */
export function installed(program: string, args = ['--version']): boolean {
  return spawnSync(program, args, { stdio: 'ignore' }).status === 0;
}

/** The `skip` option of a test that needs these programs: a message, or false to run it. */
export function skipUnless(programs: Record<string, boolean>): string | false {
  const missing = Object.entries(programs)
    .filter(([, present]) => !present)
    .map(([name]) => name);
  if (!missing.length || process.env.LLM_CI) return false;
  return `${missing.join(' and ')} not installed (apt-get install -y ${missing.join(' ')}); these tests run on CI`;
}
