// What `llm prices`, `llm usage`, `llm count` and `llm budget` run: they call the pricing
// library (src/pricing) and render its answers.
import { existsSync } from 'node:fs';
import { getModel } from '../plugins/registry.js';
import { LogsDatabase, logsDbPath } from '../logs/index.js';
import {
  budgetStates,
  clearBudget,
  loadBudget,
  saveBudget,
  findPrices,
  formatCost,
  priceUsage,
  priceListInfo,
  registryPricing,
  resetPriceList,
  updatePriceList,
  usageTotals,
  type UsageGrouping,
  type UsageTotal,
} from '../pricing/index.js';
import { CliUsage } from './util.js';
import type { CountFlags, UsageFlags } from './commands/pricing.js';

const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
};

export async function showPrices(flags: { model?: string; json?: boolean }): Promise<void> {
  const info = priceListInfo();
  if (flags.model) {
    const model = getModel(flags.model);
    const found = findPrices(model.modelId, model.pricing);
    if (flags.json) {
      out(JSON.stringify({ model: model.modelId, prices: found }, null, 2));
      return;
    }
    if (!found) {
      out(`${model.modelId}: price unknown (not in ${info.source})`);
      return;
    }
    out(`${model.modelId}: ${found.provider} ${found.model}, USD per million tokens unless the name says otherwise`);
    for (const [name, value] of Object.entries(found.prices)) {
      if (value === undefined) continue;
      out(`  ${name}: ${typeof value === 'number' ? value : JSON.stringify(value)}`);
    }
    out(`Source: ${found.source}`);
    return;
  }
  if (flags.json) {
    out(JSON.stringify(info, null, 2));
    return;
  }
  if (info.kind === 'bundled') {
    out(`Prices: ${info.source}, the snapshot bundled with llm-ts${info.date ? `, of ${info.date}` : ' (date unknown)'}`);
    out('Source: https://github.com/pydantic/genai-prices');
    out('Run `llm prices update` to fetch a newer list.');
  } else {
    out(`Prices: fetched ${info.date} by llm prices update`);
    out(`Source: ${info.source}`);
    out(`File: ${info.path}`);
  }
}

export async function updatePrices(source: string | undefined, flags: { reset?: boolean }): Promise<void> {
  if (flags.reset) {
    const removed = resetPriceList();
    out(removed ? `Removed the fetched price list; using ${priceListInfo().source} again` : `No fetched price list; using ${priceListInfo().source}`);
    return;
  }
  const result = await updatePriceList(source);
  out(`Saved ${result.models} models from ${result.providers} providers to ${result.path}`);
  out(`Source: ${result.source}`);
}

const GROUPINGS: readonly UsageGrouping[] = ['model', 'day', 'week', 'month', 'conversation', 'total'];

function costCell(row: UsageTotal): string {
  if (row.cost === null) return 'unknown';
  const known = formatCost(row.cost);
  return row.unpriced_turns ? `${known} + unknown` : known;
}

export async function showUsage(flags: UsageFlags): Promise<void> {
  const by = (flags.by ?? 'model') as UsageGrouping;
  if (!GROUPINGS.includes(by)) throw new CliUsage(`Invalid value for '-b' / '--by': '${flags.by}' is not one of ${GROUPINGS.join(', ')}`);
  if (flags.json && flags.csv) throw new CliUsage('--json and --csv cannot be used together');
  if (flags.since && !/^\d{4}-\d{2}-\d{2}$/.test(flags.since)) {
    throw new CliUsage(`Invalid value for '-s' / '--since': '${flags.since}' is not a date like 2026-11-01`);
  }
  const path = flags.database ?? logsDbPath();
  if (!existsSync(path)) {
    if (flags.database) throw new CliUsage(`No log database found at ${path}`);
    if (flags.json) out('[]');
    return;
  }
  const db = LogsDatabase.open(path);
  try {
    if (flags.refresh) (await import('../pricing/cost-cache.js')).refreshCostCache(db.db, registryPricing, { force: true });
    let model = flags.model;
    if (model) {
      try {
        model = getModel(model).modelId;
      } catch {
        // An unknown model still filters by the name given.
      }
    }
    const rows = usageTotals(db.db, { by, since: flags.since, model }, registryPricing);
    if (flags.json) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    const withName = by === 'conversation';
    const header = [by, ...(withName ? ['name'] : []), 'turns', 'input', 'output', 'cost'];
    if (flags.csv) {
      const csv = (value: unknown): string => {
        const text = value === null || value === undefined ? '' : String(value);
        return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      };
      out([...header.slice(0, -1), 'cost_usd', 'unpriced_turns'].join(','));
      for (const row of rows) {
        out([row.key, ...(withName ? [row.name] : []), row.turns, row.input_tokens, row.output_tokens, row.cost, row.unpriced_turns].map(csv).join(','));
      }
      return;
    }
    if (!rows.length) {
      out('No logged prompts' + (flags.since ? ` since ${flags.since}` : ''));
      return;
    }
    const table = rows.map((row) => [
      row.key || '(none)',
      ...(withName ? [(row.name ?? '').slice(0, 40)] : []),
      row.turns.toLocaleString('en-US'),
      row.input_tokens.toLocaleString('en-US'),
      row.output_tokens.toLocaleString('en-US'),
      costCell(row),
    ]);
    if (rows.length > 1) {
      // The total is unknown only if every row is.
      const sum = (pick: (r: UsageTotal) => number) => rows.reduce((n, r) => n + pick(r), 0);
      const total: UsageTotal = {
        key: 'total',
        turns: sum((r) => r.turns),
        input_tokens: sum((r) => r.input_tokens),
        output_tokens: sum((r) => r.output_tokens),
        cost: rows.every((r) => r.cost === null) ? null : Math.round(sum((r) => r.cost ?? 0) * 1e10) / 1e10,
        unpriced_turns: sum((r) => r.unpriced_turns),
      };
      table.push([
        'total',
        ...(withName ? [''] : []),
        total.turns.toLocaleString('en-US'),
        total.input_tokens.toLocaleString('en-US'),
        total.output_tokens.toLocaleString('en-US'),
        costCell(total),
      ]);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    const numeric = (i: number) => i >= header.length - 4;
    const line = (cells: string[]) => cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    out(line(header));
    out(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of table) out(line(row));
    if (rows.some((r) => r.unpriced_turns)) out('\n"unknown": prompts to models with no known price are not counted in the cost.');
  } finally {
    db.close();
  }
}

export async function showBudget(flags: { json?: boolean; database?: string }): Promise<void> {
  const budget = loadBudget();
  if (!budget || (budget.daily === undefined && budget.monthly === undefined)) {
    if (flags.json) out('[]');
    else out('No budget set. Set one with: llm budget set --daily 5 --monthly 50');
    return;
  }
  const path = flags.database ?? logsDbPath();
  const db = LogsDatabase.open(path);
  try {
    const states = budgetStates(db.db, budget, registryPricing);
    if (flags.json) {
      out(JSON.stringify(states, null, 2));
      return;
    }
    for (const state of states) {
      const when = state.period === 'daily' ? 'today' : 'this month';
      out(`${state.period}: ${formatCost(state.spent)} of ${formatCost(state.limit)} spent ${when} (${Math.floor(state.share * 100)}%)`);
    }
  } finally {
    db.close();
  }
}

function usd(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.replace(/^\$/, ''));
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) throw new CliUsage(`Invalid value for '${flag}': '${value}' is not a number of USD`);
  return number;
}

export async function setBudget(flags: { daily?: string; monthly?: string }): Promise<void> {
  const daily = usd(flags.daily, '--daily');
  const monthly = usd(flags.monthly, '--monthly');
  if (daily === undefined && monthly === undefined) throw new CliUsage('Give --daily, --monthly or both');
  const budget = { ...(loadBudget() ?? {}), ...(daily !== undefined ? { daily } : {}), ...(monthly !== undefined ? { monthly } : {}) };
  saveBudget(budget);
  out(`Budget: ${[budget.daily !== undefined ? `${formatCost(budget.daily)} a day` : '', budget.monthly !== undefined ? `${formatCost(budget.monthly)} a month` : ''].filter(Boolean).join(', ')}`);
}

export async function clearBudgetCommand(): Promise<void> {
  out(clearBudget() ? 'Budget removed' : 'No budget set');
}

export async function countPrompt(promptArg: string | undefined, flags: CountFlags): Promise<void> {
  const { resolveAttachments, resolveFragments } = await import('./setup.js');
  const { readPipedStdin } = await import('./util.js');
  const model = getModel(flags.model);
  const dbPath = logsDbPath();
  const attachments = await resolveAttachments(flags.attachment, undefined);
  const fragments = await resolveFragments(flags.fragment, dbPath, attachments);
  const systemFragments = await resolveFragments(flags.systemFragment, dbPath);
  let text = promptArg;
  if (text === undefined && !flags.fragment?.length && !attachments.length) text = await readPipedStdin();
  const count = await model.countTokens(text ?? '', { system: flags.system, fragments, systemFragments, attachments, key: flags.key });
  let inputCost = null;
  try {
    inputCost = priceUsage({ model: model.modelId, input: count.tokens, output: 0, details: null, pricing: model.pricing });
  } catch {
    // A broken price list does not stop a count.
  }
  if (flags.json) {
    out(JSON.stringify({ model: model.modelId, ...count, input_cost: inputCost?.total ?? null }, null, 2));
    return;
  }
  const tokens = `${count.exact ? '' : 'about '}${count.tokens.toLocaleString('en-US')} tokens`;
  out(`${tokens} (${count.exact ? 'exact: ' : ''}${count.method}), input cost ${formatCost(inputCost)}`);
}
