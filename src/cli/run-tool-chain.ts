// `llm prompt -T ...`: the prompt as a tool chain, each response logged as it completes.
import type { Conversation } from '../models/conversation.js';
import type { PromptInput } from '../models/prompt.js';
import type { Response } from '../models/response.js';
import type { LogsDatabase } from '../logs/database.js';
import { extractFencedCodeBlock } from '../logs/index.js';
import { markdownToStdout } from './render/index.js';
import { writeChain, type ToolChainSettings } from './run-tools.js';

/** How the chain's text is shown: streamed, or (with -x/--xl/--json) once it is all in. */
export interface ChainDisplay {
  extract?: boolean;
  extractLast?: boolean;
  /** Nothing is printed: the caller prints the responses' JSON. */
  json?: boolean;
  /** Each response's text rendered as Markdown (a terminal). */
  markdown?: boolean;
}

/** Runs the chain; resolves with its responses, in order. */
export async function runToolChain(
  conversation: Conversation,
  text: string,
  input: PromptInput,
  settings: ToolChainSettings,
  database: () => LogsDatabase | undefined,
  display: ChainDisplay = {},
): Promise<Response[]> {
  const chain = conversation.chain(text, { ...input, ...settings });
  const done: Response[] = [];
  const onResponse = (response: Response) => {
    database()?.logResponse(response);
    done.push(response);
  };
  if (!display.json && !display.extract && !display.extractLast) {
    await writeChain(chain, input.stream !== false, onResponse, display.markdown ? markdownToStdout : undefined);
    return done;
  }
  // As Python: the chain's whole text (a space where two responses would run together),
  // then the code block extracted from it, or the whole text when it has none.
  let whole = '';
  for await (const response of chain.responses()) {
    const piece = await response.text();
    if (piece) {
      if (whole && !/\s$/.test(whole) && !/^\s/.test(piece)) whole += ' ';
      whole += piece;
    }
    onResponse(response);
  }
  if (!display.json) {
    const shown = display.extract || display.extractLast ? (extractFencedCodeBlock(whole, display.extractLast) ?? whole) : whole;
    process.stdout.write(shown + '\n');
  }
  return done;
}
