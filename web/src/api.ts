// The page's calls to the server: JSON reads, and the chat stream. A server that wants a
// token (bound beyond this machine) gets the one the user typed, kept in localStorage.

const TOKEN_KEY = 'llm-serve-token';

export class NeedsToken extends Error {}

/** The token typed earlier; undefined until localStorage is read (only once a request is refused). */
let token: string | null | undefined;

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

/**
 * Sends a request; when it is refused for want of a token, sends it again once with the
 * token kept in localStorage. A server on this machine needs none, so the page's first
 * view never waits for localStorage (its first read can take tens of ms).
 */
async function send(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  const response = await fetch(path, { ...init, headers: headers(init.headers) });
  if (response.status !== 401 || token !== undefined) return response;
  token = localStorage.getItem(TOKEN_KEY);
  return token ? fetch(path, { ...init, headers: headers(init.headers) }) : response;
}

export function saveToken(value: string): void {
  token = value;
  localStorage.setItem(TOKEN_KEY, value);
}

async function failure(response: Response): Promise<Error> {
  if (response.status === 401) return new NeedsToken('This server needs a token');
  try {
    const body = await response.json();
    return new Error(body?.error?.message ?? `HTTP ${response.status}`);
  } catch {
    return new Error(`HTTP ${response.status}`);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await send(path);
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export interface ChatRequest {
  model?: string;
  prompt: string;
  system?: string;
  conversation_id?: string;
  options?: Record<string, unknown>;
  attachments?: string[];
}

export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'done'; id: string; conversation_id: string | null; model: string; usage: { input: number | null; output: number | null } }
  | { type: 'error'; message: string };

/** Posts a prompt and calls `onEvent` for each server-sent event until the stream ends. */
export async function streamChat(request: ChatRequest, onEvent: (event: ChatEvent) => void, signal?: AbortSignal): Promise<void> {
  const response = await send('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal,
  });
  if (!response.ok) throw await failure(response);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) onEvent(JSON.parse(data) as ChatEvent);
    }
  }
}

export interface ModelInfo {
  id: string;
  type: 'chat' | 'embedding';
  alias_for?: string;
}

// The logs' JSON, as the server declares it (types only: nothing of src/ is bundled).
export type { ConversationPage, ConversationSummary, ConversationView, Cost, SearchHit, TurnView } from '../../src/serve/logs-json.js';
