// A command run in a real terminal: a detached tmux session, its screen read back.
import { execFileSync, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export interface Terminal {
  screen(): string;
  /** Resolves with the screen once it matches; throws with the screen after 10 s. */
  waitFor(pattern: RegExp): Promise<string>;
  type(...keys: string[]): void;
  /** Resolves once the command has exited (true), or after 5 s (false). */
  exited(): Promise<boolean>;
  kill(): void;
  /** Resizes the terminal (the window) to columns x rows. */
  resize(columns: number, rows: number): void;
  /** Pastes a tmux buffer, bracketed when the app asked for bracketed paste. */
  paste(buffer: string): void;
}

export function startTerminal(name: string, command: string): Terminal {
  const session = `${name}-${process.pid}`;
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', command]);
  const alive = () => spawnSync('tmux', ['has-session', '-t', session]).status === 0;
  const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session, '-S', '-200'], { encoding: 'utf8' });
  return {
    screen,
    async waitFor(pattern) {
      for (let i = 0; i < 100; i++) {
        const text = screen();
        if (pattern.test(text)) return text;
        await sleep(100);
      }
      throw new Error(`timed out waiting for ${pattern}; screen:\n${screen()}`);
    },
    type: (...keys) => void execFileSync('tmux', ['send-keys', '-t', session, ...keys]),
    async exited() {
      for (let i = 0; i < 50 && alive(); i++) await sleep(100);
      return !alive();
    },
    kill: () => void spawnSync('tmux', ['kill-session', '-t', session]),
    paste: (buffer) => void execFileSync('tmux', ['paste-buffer', '-p', '-b', buffer, '-t', session]),
    resize: (columns, rows) => void execFileSync('tmux', ['resize-window', '-t', session, '-x', String(columns), '-y', String(rows)]),
  };
}
