/**
 * The AI SDK provider packages this plugin knows by name: which package and factory to
 * load, where the key lives, and a curated list of models. Everything here is data.
 * Versions are the newest majors that still run on Node 20 (the AI SDK 6 generation,
 * LanguageModelV3); any other provider can be added with --package/--factory/--key-env.
 */
export interface CatalogModel {
  id: string;
  aliases?: string[];
  /** Attachment types the model accepts. */
  attachments?: string[];
}

export interface CatalogEntry {
  /** Shown in errors and `llm models`, e.g. `Mistral`. */
  label: string;
  /** npm spec installed by `llm ai-sdk add`. */
  package: string;
  /** The package's provider factory, e.g. `createMistral`. */
  factory: string;
  /** The provider's usual environment variable for its key (null: the package finds its own credentials). */
  keyEnv: string | null;
  /** The key is one way in, not required: without one the package finds other credentials (Vertex: Google's). */
  optionalKey?: boolean;
  /** Which of the provider's model functions to call (default: the provider itself). */
  method?: string;
  /** Extra settings `llm ai-sdk add` requires (given with --setting NAME=VALUE or --base-url). */
  needs?: string;
  models: CatalogModel[];
  /** Embedding models, registered as llm embedding models. */
  embeddingModels?: { id: string; aliases?: string[]; batchSize?: number }[];
}

const IMAGES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
/** What Gemini takes: images, PDFs, text, audio, video. */
const GEMINI_FILES = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif', 'application/pdf', 'text/plain', 'text/csv', 'audio/wav', 'audio/mp3', 'audio/mpeg', 'audio/aac', 'audio/ogg', 'audio/flac', 'video/mp4', 'video/mpeg', 'video/webm', 'video/quicktime'];

export const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  mistral: {
    label: 'Mistral',
    package: '@ai-sdk/mistral@^3',
    factory: 'createMistral',
    keyEnv: 'MISTRAL_API_KEY',
    models: [
      { id: 'mistral-large-latest', aliases: ['mistral-large'] },
      { id: 'mistral-medium-latest', aliases: ['mistral-medium'], attachments: IMAGES },
      { id: 'mistral-small-latest', aliases: ['mistral-small'], attachments: IMAGES },
      { id: 'magistral-medium-latest', aliases: ['magistral-medium'] },
      { id: 'magistral-small-latest', aliases: ['magistral-small'] },
      { id: 'pixtral-large-latest', aliases: ['pixtral-large'], attachments: IMAGES },
      { id: 'codestral-latest', aliases: ['codestral'] },
      { id: 'ministral-8b-latest', aliases: ['ministral-8b'] },
      { id: 'ministral-3b-latest', aliases: ['ministral-3b'] },
    ],
    embeddingModels: [{ id: 'mistral-embed' }],
  },
  groq: {
    label: 'Groq',
    package: '@ai-sdk/groq@^3',
    factory: 'createGroq',
    keyEnv: 'GROQ_API_KEY',
    models: [
      { id: 'llama-3.3-70b-versatile' },
      { id: 'llama-3.1-8b-instant' },
      { id: 'openai/gpt-oss-120b' },
      { id: 'openai/gpt-oss-20b' },
      { id: 'meta-llama/llama-4-scout-17b-16e-instruct', attachments: IMAGES },
      { id: 'moonshotai/kimi-k2-instruct' },
      { id: 'qwen/qwen3-32b' },
    ],
  },
  bedrock: {
    label: 'Amazon Bedrock',
    package: '@ai-sdk/amazon-bedrock@^4',
    factory: 'createAmazonBedrock',
    // AWS credentials as the AWS tools read them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    // AWS_SESSION_TOKEN, AWS_REGION; or AWS_BEARER_TOKEN_BEDROCK), requests signed with SigV4.
    keyEnv: null,
    models: [
      { id: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', aliases: ['bedrock-claude-sonnet-4.5'], attachments: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'] },
      { id: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', aliases: ['bedrock-claude-haiku-4.5'], attachments: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'] },
      { id: 'amazon.nova-pro-v1:0', aliases: ['nova-pro'], attachments: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] },
      { id: 'amazon.nova-lite-v1:0', aliases: ['nova-lite'], attachments: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] },
      { id: 'amazon.nova-micro-v1:0', aliases: ['nova-micro'] },
      { id: 'meta.llama3-3-70b-instruct-v1:0' },
      { id: 'mistral.mistral-large-2407-v1:0' },
    ],
    embeddingModels: [{ id: 'amazon.titan-embed-text-v2:0', aliases: ['titan-embed-v2'] }],
  },
  vertex: {
    label: 'Google Vertex AI',
    package: '@ai-sdk/google-vertex@^4',
    factory: 'createVertex',
    // Express mode: an API key (llm keys set vertex, or GOOGLE_VERTEX_API_KEY). Without
    // one: Google's application default credentials, with GOOGLE_VERTEX_PROJECT and
    // GOOGLE_VERTEX_LOCATION (or -s project=... -s location=...).
    keyEnv: 'GOOGLE_VERTEX_API_KEY',
    optionalKey: true,
    models: [
      { id: 'gemini-3.5-flash', attachments: GEMINI_FILES },
      { id: 'gemini-3.5-flash-lite', attachments: GEMINI_FILES },
      { id: 'gemini-3.1-pro-preview', attachments: GEMINI_FILES },
      { id: 'gemini-2.5-pro', attachments: GEMINI_FILES },
      { id: 'gemini-2.5-flash', attachments: GEMINI_FILES },
      { id: 'gemini-2.5-flash-lite', attachments: GEMINI_FILES },
    ],
    // Vertex embeds one text per gemini-embedding-001 request.
    embeddingModels: [{ id: 'gemini-embedding-001', batchSize: 1 }],
  },
  azure: {
    label: 'Azure OpenAI',
    package: '@ai-sdk/azure@^3',
    factory: 'createAzure',
    keyEnv: 'AZURE_API_KEY',
    // Chat Completions: every Azure OpenAI deployment serves it (the Responses API needs a recent one).
    method: 'chat',
    needs: 'your deployment names (--model NAME) and --setting resourceName=NAME or --base-url',
    models: [],
  },
};
