// The JSON the logs page reads (GET /api/conversations, /api/search, /api/conversations/:id),
// declared once for the server (conversation-list.ts, logs-api.ts) and the page
// (web/src/api.ts). Types only, importing only a file of types: the page's typecheck
// (web/tsconfig.json, no Node types) reads this file and its bundle drops it.
import type { Cost } from '../pricing/types.js';

export type { Cost };

export interface ConversationSummary {
  id: string;
  name: string | null;
  /** The model of the conversation's newest (matching) turn. */
  model: string | null;
  turns: number;
  last_id: string;
  datetime_utc: string | null;
  /** The sum of its turns' costs (as the conversation view's); null when any turn's cost is unknown. */
  cost: Cost | null;
  /** The cost as `llm logs -u` shows it (`$0.000123`, `unknown`). */
  cost_text: string;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  /** Pass as `before` for the next page; null on the last page. */
  next: string | null;
}

export interface SearchHit {
  id: string;
  conversation_id: string | null;
  conversation_name: string | null;
  model: string | null;
  datetime_utc: string | null;
  prompt: string;
  response: string;
}

/**
 * One turn of a conversation. Its tool calls, tool results and attachments are rows as
 * `llm logs --json` gives them (src/logs/reader.ts, LogRow); these are the fields the page reads.
 */
export interface TurnView {
  id: string;
  model: string | null;
  datetime_utc: string | null;
  system: string | null;
  prompt: string | null;
  response: string | null;
  reasoning: string | null;
  tool_calls: { name: string; arguments: unknown; tool_call_id: string | null }[];
  tool_results: { name: string; output: string; tool_call_id: string | null; exception: string | null }[];
  attachments: { type: string | null; path: string | null; url: string | null }[];
  input_tokens: number | null;
  output_tokens: number | null;
  duration_ms: number | null;
  /** What the turn cost (the price list of src/pricing), null when unknown. */
  cost: Cost | null;
  /** The cost as `llm logs -u` shows it (`$0.000123`, `unknown`). */
  cost_text: string;
}

export interface ConversationView {
  id: string;
  name: string | null;
  model: string | null;
  /** The sum of the turns' costs; null when any turn's cost is unknown. */
  cost: Cost | null;
  cost_text: string;
  turns: TurnView[];
}
