// Prices, costs, usage totals, budgets and token counts. The price list itself
// (@pydantic/genai-prices) loads only when a cost is computed.
export type { Cost, ModelPricing, StatedPrices, UsageRecord, TokenCount } from './types.js';
export { priceUsage, sumCosts, formatCost, findPrices } from './cost.js';
export { updatePriceList, resetPriceList, PriceUpdateError } from './update.js';
export { priceListInfo, loadPriceList, updatedPricesPath, DEFAULT_PRICES_URL, type PriceListInfo } from './price-list.js';
export { refreshCostCache, costsOf, COST_TABLE, type PricingOf } from './cost-cache.js';
export { usageTotals, spentSince, type UsageTotal, type UsageQuery, type UsageGrouping } from './usage-totals.js';
export { registryPricing } from './registry-pricing.js';
export { loadBudget, saveBudget, clearBudget, budgetStates, checkBudget, budgetPath, type Budget, type BudgetState } from './budget.js';
export { checkMaxCost } from './max-cost.js';
export { estimateTokens, estimatePromptTokens } from './count.js';
