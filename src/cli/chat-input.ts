// `llm chat` on a terminal: the keys readline gets, with a multi-line paste made one prompt.
// The terminal is asked for bracketed paste (ESC[?2004h): it then wraps what is pasted in
// ESC[200~ ... ESC[201~, so pasted newlines are told apart from a typed Enter.
import { EventEmitter } from 'node:events';
import type { Interface } from 'node:readline';
import type { ReadStream } from 'node:tty';
import { readline } from '../util/builtins.js';

const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';

interface Key {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
}

/**
 * What readline reads from instead of stdin: stdin's keys, passed on one by one, except a
 * paste. A paste without a newline is typed in as it is; with newlines, its lines are shown
 * and held, and its last line is left to edit: Enter sends them all as one prompt.
 */
export class ChatInput extends EventEmitter {
  readonly isTTY = true;
  private rl: Interface | undefined;
  private pasting: string | undefined;
  /** Lines of a multi-line paste (and what was typed before it), waiting for Enter. */
  private held: string | undefined;
  private readonly onKey = (text: string | undefined, key: Key | undefined) => this.key(text, key);
  private readonly onEnd = () => this.emit('end');

  constructor(
    private readonly stdin: ReadStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {
    super();
    readline().emitKeypressEvents(stdin);
    stdin.on('keypress', this.onKey);
    stdin.on('end', this.onEnd);
    process.once('exit', this.onExit);
    this.pasteOn();
  }

  private readonly onExit = () => this.stdout.write(PASTE_OFF);

  /** Asks the terminal for bracketed paste (again after an editor, which may turn it off). */
  pasteOn(): void {
    this.stdout.write(PASTE_ON);
  }

  /** The readline interface reading from this input. */
  attach(rl: Interface): void {
    this.rl = rl;
  }

  /** True while pasted lines wait for Enter. */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** The prompt a line read by readline stands for: the held pasted lines, then it. */
  complete(line: string): string {
    // Node 24's readline gives a recalled multi-line entry back with its lines apart by '\r'.
    line = line.replace(/\r/g, '\n');
    const held = this.held;
    this.held = undefined;
    if (held === undefined) return line;
    return line ? `${held}\n${line}` : held;
  }

  /** Forgets held pasted lines (Ctrl-C). */
  drop(): void {
    this.held = undefined;
  }

  setRawMode(mode: boolean): this {
    this.stdin.setRawMode(mode);
    return this;
  }

  pause(): this {
    this.stdin.pause();
    return this;
  }

  resume(): this {
    this.stdin.resume();
    return this;
  }

  /** Stops reading stdin and turns bracketed paste off again. */
  close(): void {
    this.stdin.off('keypress', this.onKey);
    this.stdin.off('end', this.onEnd);
    process.off('exit', this.onExit);
    this.stdout.write(PASTE_OFF);
  }

  private key(text: string | undefined, key: Key | undefined): void {
    if (key?.name === 'paste-start') {
      this.pasting = '';
      return;
    }
    if (key?.name === 'paste-end') {
      const pasted = this.pasting ?? '';
      this.pasting = undefined;
      this.paste(pasted.replace(/\r\n?/g, '\n'));
      return;
    }
    if (this.pasting !== undefined) {
      this.pasting += text ?? key?.sequence ?? '';
      return;
    }
    if (this.held !== undefined && (key?.name === 'return' || key?.name === 'enter')) {
      this.send(text, key);
      return;
    }
    this.emit('keypress', text, key);
  }

  /**
   * Enter with pasted lines held. Readline sends the line it edits and puts only that line in
   * its history (what up-arrow recalls): the whole prompt takes its place there.
   */
  private send(text: string | undefined, key: Key): void {
    const rl = this.rl as (Interface & { history?: string[]; historySize?: number }) | undefined;
    const history = rl?.history;
    const line = rl?.line ?? '';
    const prompt = line ? `${this.held}\n${line}` : this.held!;
    const top = history?.[0];
    const length = history?.length;
    // Readline acts on Enter at once: the line is read and in its history when emit returns.
    this.emit('keypress', text, key);
    if (!rl || !history || !rl.historySize) return;
    const added = history.length !== length || history[0] !== top;
    if (added) history.shift();
    if (history[0] !== prompt) history.unshift(prompt);
    if (history.length > rl.historySize) history.length = rl.historySize;
  }

  private paste(text: string): void {
    const rl = this.rl;
    if (!rl || !text) return;
    if (!text.includes('\n')) {
      rl.write(text);
      return;
    }
    const lines = text.split('\n');
    const last = lines.pop()!;
    const typed = rl.line;
    // The line as typed is cleared from readline and written out again with the pasted
    // lines; readline goes on from the row below, with no prompt, holding the last line.
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    const shown = typed + lines.join('\n');
    this.stdout.write(`${shown}\n`);
    this.held = this.held === undefined ? shown : `${this.held}\n${shown}`;
    rl.setPrompt('');
    if (last) rl.write(last);
  }
}

/** Stdin as readline's input on a terminal, or undefined when stdin or stdout is not one. */
export function chatInput(): ChatInput | undefined {
  const stdin = process.stdin as ReadStream;
  if (!stdin.isTTY || !process.stdout.isTTY || typeof stdin.setRawMode !== 'function') return undefined;
  return new ChatInput(stdin, process.stdout);
}
