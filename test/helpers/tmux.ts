// A command run in a real terminal: a detached tmux session, its screen read back.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
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

// Each test process has its own tmux server, so one test file killing its last session (and
// with it the server) never races another file starting a session on the shared default one.
const SOCKET = `llm-ts-test-${process.pid}`;

/** Runs a tmux command on this process's own tmux server. */
export function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const tmuxStatus = (...args: string[]): number | null => spawnSync('tmux', ['-L', SOCKET, ...args]).status;

export function startTerminal(name: string, command: string): Terminal {
  const session = `${name}-${process.pid}`;
  startSession(session, command);
  const alive = () => tmuxStatus('has-session', '-t', session) === 0;
  const screen = () => tmux('capture-pane', '-p', '-t', session, '-S', '-200');
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
    type: (...keys) => void tmux('send-keys', '-t', session, ...keys),
    async exited() {
      for (let i = 0; i < 50 && alive(); i++) await sleep(100);
      return !alive();
    },
    kill: () => void tmuxStatus('kill-session', '-t', session),
    paste: (buffer) => void tmux('paste-buffer', '-p', '-b', buffer, '-t', session),
    resize: (columns, rows) => void tmux('resize-window', '-t', session, '-x', String(columns), '-y', String(rows)),
  };
}

/** Pastes text as a terminal does: bracketed when the app asked for bracketed paste. */
export function pasteText(terminal: Terminal, text: string): void {
  const buffer = `llm-paste-${process.pid}`;
  tmux('set-buffer', '-b', buffer, text);
  terminal.paste(buffer);
}

let cleanupRegistered = false;

/**
 * Starts a detached session. A server whose last session was just killed may still be
 * exiting when the next test starts one ("server exited unexpectedly"): try again.
 */
function startSession(session: string, command: string): void {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    // The server and its socket file go with the test process.
    process.on('exit', () => {
      tmuxStatus('kill-server');
      rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.()}`, SOCKET), { force: true });
    });
  }
  for (let attempt = 1; ; attempt++) {
    const started = spawnSync('tmux', ['-L', SOCKET, 'new-session', '-d', '-s', session, '-x', '200', '-y', '50', command], { encoding: 'utf8' });
    if (started.status === 0) return;
    if (attempt === 5) throw new Error(`tmux new-session failed: ${started.stderr.trim()}`);
    execFileSync('sleep', ['0.2']);
  }
}
