// `--timeout` and `--no-retry`, and the line that shows a wait before a retry on a terminal.
import { UsageError } from '../errors.js';
import { type RetryWait, retryPolicy } from '../streaming/http.js';
import { parseTimeout, type TimeoutInput } from '../streaming/limits.js';

export interface RequestFlags {
  timeout?: string;
  /** commander's `--no-retry`: false when given. */
  retry?: boolean;
}

/**
 * Applies the request flags of one run: `--no-retry` makes every request a single attempt;
 * on a terminal, each wait before a retry is shown. Returns the `timeout` to prompt with.
 */
export function applyRequestFlags(flags: RequestFlags, stderr: NodeJS.WriteStream = process.stderr): TimeoutInput | undefined {
  if (flags.retry === false) retryPolicy.maxAttempts = 1;
  if (stderr.isTTY) retryPolicy.onWait = (wait) => showWait(wait, stderr);
  if (flags.timeout === undefined) return undefined;
  const timeout = parseTimeout(flags.timeout);
  if (typeof timeout === 'string') throw new UsageError(`--timeout: ${flags.timeout} is not a positive number of seconds`);
  return timeout;
}

/** One line on stderr, counting down the seconds left, cleared when the wait ends. */
function showWait(wait: RetryWait, stderr: NodeJS.WriteStream): () => void {
  const ends = Date.now() + wait.waitMs;
  const reason = wait.status === null ? 'could not connect' : `HTTP ${wait.status}`;
  const draw = () => {
    const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
    stderr.write(
      `\r\x1b[2K${wait.provider}: ${reason}; waiting ${left} s before attempt ${wait.attempt + 1} of ${wait.maxAttempts} (Ctrl-C to stop; --no-retry not to wait)`,
    );
  };
  draw();
  const timer = setInterval(draw, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    stderr.write('\r\x1b[2K');
  };
}
