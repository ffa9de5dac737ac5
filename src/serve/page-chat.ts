// POST /api/chat: the page's chat. A prompt, optionally continuing a logged conversation
// (as `llm --cid`), streamed back as SSE: text pieces, then the ids of the logged turn.
import { UsageError } from '../errors.js';
import type { Message } from '../models/messages.js';
import { attachmentFromUrl } from './chat-messages.js';
import { HttpError, toHttpError } from './errors.js';
import type { Gateway } from './gateway.js';
import { startReading } from './reading.js';
import { SSE_HEADERS, sseBody } from './sse.js';

type Json = Record<string, any>;

export async function pageChat(body: Json, signal: AbortSignal, gateway: Gateway): Promise<Response> {
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  const attachments = Array.isArray(body.attachments) ? body.attachments.map((url: unknown, i: number) => attachmentFromUrl(String(url), i)) : [];
  if (!prompt && !attachments.length) throw new HttpError(400, 'Type a prompt first', 'invalid_request_error', 'prompt');
  let history: Message[] = [];
  let model = typeof body.model === 'string' && body.model ? body.model : undefined;
  const conversationId = typeof body.conversation_id === 'string' && body.conversation_id ? body.conversation_id : undefined;
  if (conversationId) {
    const loaded = gateway.db().loadConversation(conversationId);
    if (!loaded) throw new UsageError(`No conversation found with id=${conversationId}`);
    history = loaded.messages;
    model ??= loaded.model ?? undefined;
  }
  const options = body.options && typeof body.options === 'object' ? (body.options as Record<string, unknown>) : {};
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const response = gateway.start({
    model,
    turn: { history, system: typeof body.system === 'string' && body.system ? body.system : undefined, text: prompt, attachments, toolResults: [] },
    options,
    stream: true,
    signal: controller.signal,
    ...(conversationId ? { conversationId } : {}),
  });
  const reader = await startReading(response, gateway);
  return new Response(
    sseBody(async (send) => {
      try {
        await reader.each((event) => {
          if (event.type === 'text') send({ type: 'text', text: event.text });
        });
      } catch (error) {
        send({ type: 'error', message: toHttpError(error).message });
        return;
      } finally {
        signal.removeEventListener('abort', abort);
      }
      const usage = await response.usage();
      send({ type: 'done', id: response.id, conversation_id: response.conversation?.id ?? null, model: response.model.modelId, usage: { input: usage.input, output: usage.output } });
    }, abort),
    { headers: SSE_HEADERS },
  );
}
