// Daily and monthly budgets (USD), kept in <user dir>/budget.json: a prompt warns once 80 %
// of one is spent and is refused at 100 % unless forced. Spending is summed from logs.db.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { userDir } from '../config/user-dir.js';
import { readJsonObject, writeJsonFile } from '../config/json-file.js';
import { ConfigFileError, CostLimitError } from '../errors.js';
import { formatCost } from './cost.js';
import type { PricingOf } from './cost-cache.js';
import { spentSince } from './usage-totals.js';

export interface Budget {
  daily?: number;
  monthly?: number;
}

export interface BudgetState {
  period: 'daily' | 'monthly';
  limit: number;
  spent: number;
  /** spent / limit */
  share: number;
}

export const WARN_AT = 0.8;

export function budgetPath(): string {
  return join(userDir({ create: false }), 'budget.json');
}

export function loadBudget(): Budget | undefined {
  const path = budgetPath();
  const raw = readJsonObject(path, 'The budget');
  if (!raw) return undefined;
  const budget: Budget = {};
  for (const period of ['daily', 'monthly'] as const) {
    const value = raw[period];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ConfigFileError(`The budget at ${path}: ${period} must be a number of USD`, path);
    budget[period] = value;
  }
  return budget;
}

export function saveBudget(budget: Budget): void {
  writeJsonFile(join(userDir(), 'budget.json'), budget, 2);
}

export function clearBudget(): boolean {
  if (!existsSync(budgetPath())) return false;
  rmSync(budgetPath());
  return true;
}

/** What each budget has spent, today and this month (UTC). */
export function budgetStates(db: Database, budget: Budget, pricingOf: PricingOf, now = new Date()): BudgetState[] {
  const today = now.toISOString().slice(0, 10);
  const states: BudgetState[] = [];
  for (const [period, since] of [['daily', today], ['monthly', `${today.slice(0, 7)}-01`]] as const) {
    const limit = budget[period];
    if (limit === undefined) continue;
    const spent = spentSince(db, since, pricingOf).cost;
    states.push({ period, limit, spent, share: limit > 0 ? spent / limit : spent > 0 ? Infinity : 0 });
  }
  return states;
}

/**
 * Before a prompt: throws CostLimitError when a budget is spent (unless `force`), and
 * returns a warning line for each budget past 80 %.
 */
export function checkBudget(db: Database, pricingOf: PricingOf, force: boolean, now = new Date()): string[] {
  const budget = loadBudget();
  if (!budget) return [];
  const warnings: string[] = [];
  for (const state of budgetStates(db, budget, pricingOf, now)) {
    const when = state.period === 'daily' ? 'today' : 'this month';
    if (state.share >= 1 && !force) {
      throw new CostLimitError(`The ${state.period} budget of ${formatCost(state.limit)} is spent (${formatCost(state.spent)} ${when}); use --force to send anyway`);
    }
    if (state.share >= WARN_AT) warnings.push(`Warning: ${formatCost(state.spent)} of the ${state.period} budget of ${formatCost(state.limit)} spent ${when} (${Math.floor(state.share * 100)}%)`);
  }
  return warnings;
}
