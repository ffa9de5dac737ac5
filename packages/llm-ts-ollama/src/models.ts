import {
  type EmbedContext,
  EmbeddingModel,
  type EmbeddingInput,
  type ExecuteContext,
  Model,
  type ModelEvent,
  type OptionsSpec,
  type Prompt,
} from 'llm-ts';

/** The options Ollama takes (its Modelfile parameters), plus json_object and think. */
export const OLLAMA_OPTIONS: OptionsSpec = Object.freeze({
  num_ctx: { type: 'integer', min: 1, description: 'Sets the size of the context window used to generate the next token. (Default: 2048)' },
  repeat_last_n: {
    type: 'integer',
    min: -1,
    description: 'Sets how far back for the model to look back to prevent repetition. (Default: 64, 0 = disabled, -1 = num_ctx)',
  },
  repeat_penalty: { type: 'number', min: 0, description: 'Sets how strongly to penalize repetitions. (Default: 1.1)' },
  temperature: { type: 'number', min: 0, description: 'The temperature of the model: higher answers more creatively. (Default: 0.8)' },
  seed: { type: 'integer', description: 'Sets the random number seed to use for generation. (Default: 0)' },
  stop: {
    type: 'string_or_list',
    description: 'Stop sequences: when one is produced the model stops. A string, or a JSON list of strings.',
    check: (value) => (stopList(value) ? undefined : 'stop must be a string or a list of strings'),
  },
  num_predict: {
    type: 'integer',
    min: -2,
    description: 'Maximum number of tokens to predict when generating text. (Default: -1, infinite generation)',
  },
  top_k: { type: 'integer', min: 0, description: 'Reduces the probability of generating nonsense: lower is more conservative. (Default: 40)' },
  top_p: { type: 'number', min: 0, max: 1, description: 'Works together with top-k: lower is more focused. (Default: 0.9)' },
  min_p: { type: 'number', min: 0, max: 1, description: 'Minimum probability for a token, relative to the most likely token. (Default: 0.0)' },
  json_object: { type: 'boolean', description: 'Output a valid JSON object {...}. Prompt must mention JSON.' },
  think: { type: 'boolean', description: "Enable the model's thinking process." },
});

/** A stop value as a list: a string (or a JSON list given as a string) or a list of strings. */
export function stopList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  if (typeof value !== 'string') return undefined;
  if (value.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) && parsed.every((v) => typeof v === 'string') ? parsed : undefined;
    } catch {
      return [value];
    }
  }
  return [value];
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** A chat model served by Ollama (`POST /api/chat`). No key. */
export class OllamaChat extends Model {
  readonly modelId: string;
  override supportsSchema = true;
  override readonly optionsSpec: OptionsSpec = OLLAMA_OPTIONS;
  override attachmentTypes: ReadonlySet<string>;
  readonly capabilities: readonly string[] | null;

  constructor(modelId: string, capabilities: readonly string[] | null = null) {
    super();
    this.modelId = modelId;
    this.capabilities = capabilities;
    // Without capability data, accept images and let the server decide.
    const vision = !capabilities || capabilities.includes('vision');
    this.attachmentTypes = new Set(vision ? IMAGE_TYPES : []);
    this.supportsTools = !capabilities || capabilities.includes('tools');
  }

  override toString(): string {
    return `Ollama: ${this.modelId}`;
  }

  async *execute(prompt: Prompt, context: ExecuteContext): AsyncIterable<ModelEvent> {
    const { executeChat } = await import('./request.js');
    yield* executeChat(this, prompt, context);
  }
}

/** An embedding model served by Ollama (`POST /api/embed`). */
export class OllamaEmbed extends EmbeddingModel {
  readonly modelId: string;
  override batchSize: number | undefined = 8;

  constructor(modelId: string) {
    super();
    this.modelId = modelId;
  }

  override toString(): string {
    return `OllamaEmbed: ${this.modelId}`;
  }

  async embedBatch(items: EmbeddingInput[], context: EmbedContext): Promise<number[][]> {
    const { embed } = await import('./request.js');
    return embed(this.modelId, items as string[], context.signal);
  }
}
