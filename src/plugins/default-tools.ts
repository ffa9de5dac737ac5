import { Tool } from '../models/tools.js';
import type { LlmPlugin } from './types.js';

declare const __LLM_VERSION__: string;

/** The plugin name Python gives its default tools (part of each tool's hash in logs.db). */
const PLUGIN = 'llm.default_plugins.default_tools';
const NO_ARGUMENTS = { properties: {}, type: 'object' };

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Python's `llm_time()`: the time now in UTC and locally, with the zone and its offset. */
export function llmTime(now = new Date()): Record<string, unknown> {
  const offsetMinutes = -now.getTimezoneOffset();
  const abs = Math.abs(offsetMinutes);
  const january = new Date(now.getFullYear(), 0, 1).getTimezoneOffset();
  const july = new Date(now.getFullYear(), 6, 1).getTimezoneOffset();
  const isDst = now.getTimezoneOffset() < Math.max(january, july);
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const local = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const iso = now.toISOString();
  return {
    utc_time: `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`,
    utc_time_iso: `${iso.slice(0, 19)}.${iso.slice(20, 23)}000+00:00`,
    local_timezone: zone,
    local_time: local,
    timezone_offset: `UTC${offsetMinutes >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
    is_dst: isDst,
  };
}

/** Python llm's default tools, llm_version and llm_time. */
export const defaultToolsPlugin: LlmPlugin = {
  name: PLUGIN,
  registerTools(register) {
    register(new Tool({ name: 'llm_version', description: 'Return the installed version of llm', inputSchema: NO_ARGUMENTS, implementation: () => __LLM_VERSION__, plugin: PLUGIN }));
    register(new Tool({ name: 'llm_time', description: 'Returns the current time, as local time and UTC', inputSchema: NO_ARGUMENTS, implementation: () => llmTime(), plugin: PLUGIN }));
  },
};
