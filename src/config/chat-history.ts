import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userFile } from './user-dir.js';

/** How many prompts `llm chat` remembers across sessions. */
export const CHAT_HISTORY_SIZE = 1000;

/** `<user dir>/chat-history.txt`: one prompt a line (JSON-encoded when it has a newline). */
export function chatHistoryPath(): string {
  return userFile('chat-history.txt');
}

function decode(line: string): string {
  if (line.startsWith('"')) {
    try {
      return JSON.parse(line) as string;
    } catch {
      // not JSON after all: the line as it is
    }
  }
  return line;
}

/** Earlier prompts, newest first (as readline keeps its history). */
export function readChatHistory(): string[] {
  const path = chatHistoryPath();
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).map(decode);
  return lines.slice(-CHAT_HISTORY_SIZE).reverse();
}

/** Adds one prompt; the file is cut back to the last CHAT_HISTORY_SIZE now and then. */
export function appendChatHistory(prompt: string): void {
  if (!prompt.trim()) return;
  const path = chatHistoryPath();
  const line = prompt.includes('\n') || prompt.startsWith('"') ? JSON.stringify(prompt) : prompt;
  appendFileSync(path, line + '\n', { mode: 0o600 });
  const all = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  if (all.length > CHAT_HISTORY_SIZE * 2) writeFileSync(path, all.slice(-CHAT_HISTORY_SIZE).join('\n') + '\n');
}
