// The timing loop the benches share: a command run as a whole process several times, its
// median wall time in ms.
import { spawnSync } from 'node:child_process';

/**
 * Runs `node ...args` `runs` times with only `env` as its environment (so nothing in the
 * caller's, NODE_OPTIONS, NODE_EXTRA_CA_CERTS..., weighs on the baseline or the command)
 * and returns the median in ms. Its output goes nowhere, or with `pipe` is read through a
 * pipe (`maxBuffer` bytes at most, 1 MiB unless given). A run that fails throws, naming
 * the command (with `pipe`, its stderr too).
 */
export function medianMs(args, { env, runs, pipe = false, maxBuffer }) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const child = spawnSync(process.execPath, args, pipe ? { env, encoding: 'utf8', ...(maxBuffer && { maxBuffer }) } : { env, stdio: 'ignore' });
    samples.push(performance.now() - start);
    if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}${pipe ? `:\n${child.stderr}` : ''}`);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
