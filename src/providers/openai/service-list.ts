// The well-known OpenAI-compatible services `llm providers add` knows (data only: the
// OpenAI plugin reads the key variables at start-up).

export interface Service {
  name: string;
  label: string;
  baseUrl: string;
  /** Name of its key in keys.json (`llm keys set NAME`), or null for a local server. */
  keyName: string | null;
  envVar: string | null;
  /** Used when the service's /models cannot be read (no key yet, or offline). */
  models: readonly string[];
  supportsTools: boolean;
  supportsSchema: boolean;
}

const hosted = (
  name: string,
  label: string,
  baseUrl: string,
  envVar: string,
  models: string[],
  extra: Partial<Service> = {},
): Service => ({ name, label, baseUrl, keyName: name, envVar, models, supportsTools: true, supportsSchema: true, ...extra });

const local = (name: string, label: string, baseUrl: string): Service => ({
  name,
  label,
  baseUrl,
  keyName: null,
  envVar: null,
  models: [],
  supportsTools: true,
  supportsSchema: true,
});

export const SERVICES: readonly Service[] = [
  hosted('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY', ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-flash', 'meta-llama/llama-3.3-70b-instruct']),
  hosted('groq', 'Groq', 'https://api.groq.com/openai/v1', 'GROQ_API_KEY', ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'openai/gpt-oss-120b', 'qwen/qwen3-32b']),
  hosted('together', 'Together AI', 'https://api.together.xyz/v1', 'TOGETHER_API_KEY', ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'deepseek-ai/DeepSeek-V3', 'Qwen/Qwen2.5-72B-Instruct-Turbo']),
  hosted('deepseek', 'DeepSeek', 'https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY', ['deepseek-chat', 'deepseek-reasoner']),
  hosted('xai', 'xAI', 'https://api.x.ai/v1', 'XAI_API_KEY', ['grok-4', 'grok-3', 'grok-3-mini']),
  hosted('fireworks', 'Fireworks AI', 'https://api.fireworks.ai/inference/v1', 'FIREWORKS_API_KEY', ['accounts/fireworks/models/llama-v3p3-70b-instruct', 'accounts/fireworks/models/deepseek-v3']),
  hosted('cerebras', 'Cerebras', 'https://api.cerebras.ai/v1', 'CEREBRAS_API_KEY', ['llama-3.3-70b', 'llama3.1-8b', 'qwen-3-32b']),
  hosted('mistral', 'Mistral (OpenAI-compatible endpoint)', 'https://api.mistral.ai/v1', 'MISTRAL_API_KEY', ['mistral-large-latest', 'mistral-small-latest', 'codestral-latest']),
  local('lmstudio', 'LM Studio (local)', 'http://localhost:1234/v1'),
  local('llamacpp', 'llama.cpp server (local)', 'http://localhost:8080/v1'),
  local('vllm', 'vLLM (local)', 'http://localhost:8000/v1'),
];

/** The environment variable holding a known service's key, by its key name. */
export function serviceKeyEnvVar(keyName: string): string | null {
  return SERVICES.find((s) => s.keyName === keyName)?.envVar ?? null;
}

