// `--max-cost`: a request is not sent when what was spent so far plus the estimated cost
// of its input would pass the limit. Output is charged after it arrives, so the estimate
// covers input only; a chain is stopped before its next request, before its tools run.
import { CostLimitError } from '../errors.js';
import type { Response } from '../models/response.js';
import { formatCost, priceUsage, sumCosts } from './cost.js';
import { estimatePromptTokens } from './count.js';

/**
 * Throws CostLimitError when the next request would take the total past `maxCost` USD:
 * `first` is a chain's first request (not yet sent); otherwise the next request repeats the
 * last one's input and output, so it costs at least that much input.
 */
export async function checkMaxCost(first: Response | undefined, previous: readonly Response[], maxCost: number): Promise<void> {
  const costs = await Promise.all(previous.map((r) => r.cost()));
  const spent = previous.length ? sumCosts(costs) : { total: 0 };
  const last = previous[previous.length - 1];
  const model = (first ?? last)!.model;
  if (spent === null) throw new CostLimitError(`Stopped: no price is known for ${model.modelId}, so --max-cost ${formatCost(maxCost)} cannot be kept`);
  let tokens: number;
  if (first) tokens = (await countFirst(first)).tokens;
  else {
    const usage = await last!.usage();
    tokens = (usage.input ?? 0) + (usage.output ?? 0);
  }
  const estimate = priceUsage({ model: model.modelId, input: tokens, output: 0, details: null, pricing: model.pricing });
  if (estimate === null) throw new CostLimitError(`Not sent: no price is known for ${model.modelId}, so --max-cost ${formatCost(maxCost)} cannot be kept`);
  if (spent.total + estimate.total <= maxCost) return;
  const next = `about ${tokens.toLocaleString('en-US')} input tokens, ${formatCost(estimate.total)}`;
  if (!previous.length) throw new CostLimitError(`Not sent: the prompt (${next}) would pass --max-cost ${formatCost(maxCost)}`);
  throw new CostLimitError(
    `Stopped after ${previous.length} response${previous.length === 1 ? '' : 's'}: cost so far ${formatCost(spent.total)}; the next request (${next}) would pass --max-cost ${formatCost(maxCost)}`,
  );
}

/** The first request's input: counted by the model when it can (exactly), else estimated. */
async function countFirst(response: Response): Promise<{ tokens: number }> {
  const model = response.model;
  try {
    return await model.countPromptTokens(response.prompt, { key: model.needsKey ? model.getKey(response.requestInit.key) : undefined, signal: response.requestInit.signal });
  } catch {
    return estimatePromptTokens(response.prompt);
  }
}
