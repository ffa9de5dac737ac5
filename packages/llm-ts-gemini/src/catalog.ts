/**
 * Which Gemini models exist and what each can do, as plain data. Nothing here does I/O;
 * the plugin reads it at registration, which must stay cheap.
 */

/** Chat models, in the order llm-gemini registers them. Each is `gemini/<id>` with `<id>` as alias. */
export const CHAT_MODEL_IDS: readonly string[] = [
  'gemini-pro',
  'gemini-1.5-pro-latest',
  'gemini-1.5-flash-latest',
  'gemini-1.5-pro-001',
  'gemini-1.5-flash-001',
  'gemini-1.5-pro-002',
  'gemini-1.5-flash-002',
  'gemini-1.5-flash-8b-latest',
  'gemini-1.5-flash-8b-001',
  'gemini-exp-1114',
  'gemini-exp-1121',
  'gemini-exp-1206',
  'gemini-2.0-flash-exp',
  'learnlm-1.5-pro-experimental',
  'gemma-3-1b-it',
  'gemma-3-4b-it',
  'gemma-3-12b-it',
  'gemma-3-27b-it',
  'gemma-3n-e4b-it',
  'gemini-2.0-flash-thinking-exp-1219',
  'gemini-2.0-flash-thinking-exp-01-21',
  'gemini-2.0-flash',
  'gemini-2.0-pro-exp-02-05',
  'gemini-2.0-flash-lite',
  'gemini-2.5-pro-exp-03-25',
  'gemini-2.5-pro-preview-03-25',
  'gemini-2.5-flash-preview-04-17',
  'gemini-2.5-pro-preview-05-06',
  'gemini-2.5-flash-preview-05-20',
  'gemini-2.5-pro-preview-06-05',
  'gemini-2.5-flash',
  'gemini-2.5-pro',
  'gemini-2.5-flash-lite',
  'gemini-flash-latest',
  'gemini-flash-lite-latest',
  'gemini-2.5-flash-preview-09-2025',
  'gemini-2.5-flash-lite-preview-09-2025',
  'gemini-3-pro-preview',
  'gemini-3-flash-preview',
  'gemini-3.1-pro-preview',
  'gemini-3.1-pro-preview-customtools',
  'gemini-3.1-flash-lite-preview',
  'gemma-4-26b-a4b-it',
  'gemma-4-31b-it',
  'gemini-3.1-flash-lite',
  'gemini-3.5-flash',
  'gemini-3.6-flash',
  'gemini-3.5-flash-lite',
];

const GOOGLE_SEARCH_MODELS = new Set([
  'gemini-1.5-pro-latest',
  'gemini-1.5-flash-latest',
  'gemini-1.5-pro-001',
  'gemini-1.5-flash-001',
  'gemini-1.5-pro-002',
  'gemini-1.5-flash-002',
  'gemini-2.0-flash-exp',
  'gemini-2.0-flash',
  'gemini-2.5-pro-preview-03-25',
  'gemini-2.5-pro-exp-03-25',
  'gemini-2.5-flash-preview-04-17',
  'gemini-2.5-pro-preview-05-06',
  'gemini-2.5-flash-preview-05-20',
  'gemini-2.5-pro-preview-06-05',
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
  'gemini-flash-latest',
  'gemini-flash-lite-latest',
  'gemini-2.5-flash-preview-09-2025',
  'gemini-2.5-flash-lite-preview-09-2025',
  'gemini-3-pro-preview',
  'gemini-3-flash-preview',
  'gemini-3.1-pro-preview',
  'gemini-3.1-pro-preview-customtools',
  'gemini-3.1-flash-lite-preview',
  'gemini-3.1-flash-lite',
  'gemini-3.5-flash',
  'gemini-3.6-flash',
  'gemini-3.5-flash-lite',
]);

/** The oldest search-capable models take `googleSearchRetrieval` instead of `googleSearch`. */
export const SEARCH_RETRIEVAL_MODELS = new Set([
  'gemini-1.5-pro-latest',
  'gemini-1.5-flash-latest',
  'gemini-1.5-pro-001',
  'gemini-1.5-flash-001',
  'gemini-1.5-pro-002',
  'gemini-1.5-flash-002',
  'gemini-2.0-flash-exp',
]);

const THINKING_BUDGET_MODELS = new Set([
  'gemini-2.0-flash-thinking-exp-01-21',
  'gemini-2.0-flash-thinking-exp-1219',
  'gemini-2.5-flash-preview-04-17',
  'gemini-2.5-pro-exp-03-25',
  'gemini-2.5-pro-preview-03-25',
  'gemini-2.5-pro-preview-05-06',
  'gemini-2.5-flash-preview-05-20',
  'gemini-2.5-pro-preview-06-05',
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
  'gemini-flash-latest',
  'gemini-flash-lite-latest',
  'gemini-2.5-flash-preview-09-2025',
  'gemini-2.5-flash-lite-preview-09-2025',
]);

const ALL_LEVELS = ['minimal', 'low', 'medium', 'high'] as const;
const THINKING_LEVELS: Readonly<Record<string, readonly string[]>> = {
  'gemini-3-flash-preview': ALL_LEVELS,
  'gemini-3-pro-preview': ['low', 'high'],
  'gemini-3.1-pro-preview': ['low', 'medium', 'high'],
  'gemini-3.1-pro-preview-customtools': ['low', 'medium', 'high'],
  'gemini-3.1-flash-lite-preview': ALL_LEVELS,
  'gemini-3.1-flash-lite': ALL_LEVELS,
  'gemini-3.5-flash': ALL_LEVELS,
  'gemini-3.6-flash': ALL_LEVELS,
  'gemini-3.5-flash-lite': ALL_LEVELS,
};

const NO_VISION_MODELS = new Set(['gemma-3-1b-it', 'gemma-3n-e4b-it']);
const NO_MEDIA_RESOLUTION_MODELS = new Set(['gemma-3-1b-it', 'gemma-3-4b-it', 'gemma-3-12b-it', 'gemma-3-27b-it', 'gemma-3n-e4b-it']);

export const MEDIA_RESOLUTIONS = ['low', 'medium', 'high', 'ultra_high', 'unspecified'] as const;

/**
 * What Gemini accepts as attachments. `text/html` stands for llm-gemini's
 * `text/html; charset=utf-8` (this port drops MIME parameters), `video/youtube` is a
 * YouTube URL sent by reference.
 */
export const ATTACHMENT_TYPES: ReadonlySet<string> = new Set([
  'text/plain',
  'text/csv',
  'text/html',
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/heic',
  'image/heif',
  'audio/wav',
  'audio/mp3',
  'audio/aiff',
  'audio/aac',
  'audio/ogg',
  'application/ogg',
  'audio/flac',
  'audio/mpeg',
  'video/mp4',
  'video/mpeg',
  'video/mov',
  'video/avi',
  'video/x-flv',
  'video/mpg',
  'video/webm',
  'video/wmv',
  'video/3gpp',
  'video/quicktime',
  'video/youtube',
]);

export interface Capabilities {
  vision: boolean;
  schema: boolean;
  googleSearch: boolean;
  urlContext: boolean;
  codeExecution: boolean;
  thinkingBudget: boolean;
  thinkingLevels: readonly string[] | undefined;
  mediaResolution: boolean;
}

export function capabilitiesOf(id: string): Capabilities {
  const isGemini3 = id.startsWith('gemini-3');
  return {
    vision: !NO_VISION_MODELS.has(id),
    schema: !id.includes('flash-thinking') && !id.includes('gemma-3'),
    googleSearch: GOOGLE_SEARCH_MODELS.has(id),
    urlContext: id.startsWith('gemini-2.5') || isGemini3 || id === 'gemini-flash-latest' || id === 'gemini-flash-lite-latest',
    codeExecution:
      !id.startsWith('gemini-2.0-flash-lite') &&
      ['gemini-1.5', 'gemini-2', 'gemini-3', 'gemini-flash'].some((prefix) => id.startsWith(prefix)),
    thinkingBudget: THINKING_BUDGET_MODELS.has(id),
    thinkingLevels: THINKING_LEVELS[id],
    mediaResolution: !NO_MEDIA_RESOLUTION_MODELS.has(id),
  };
}

export interface EmbeddingSpec {
  /** The id users pick, e.g. `gemini-embedding-001-768`. */
  id: string;
  /** The model named in the request. */
  geminiId: string;
  /** Asks the API for vectors of this size (`outputDimensionality`). */
  dimensions?: number;
  /** Cuts vectors to this size on our side (the experimental model's sizes). */
  truncate?: number;
  /** Scale reduced vectors to unit length (gemini-embedding-001 does not do it itself). */
  normalize?: boolean;
  binary?: boolean;
}

export const EMBEDDING_MODELS: readonly EmbeddingSpec[] = [
  { id: 'text-embedding-004', geminiId: 'text-embedding-004' },
  { id: 'gemini-embedding-exp-03-07', geminiId: 'gemini-embedding-exp-03-07' },
  ...[128, 256, 512, 1024, 2048].map((n) => ({
    id: `gemini-embedding-exp-03-07-${n}`,
    geminiId: 'gemini-embedding-exp-03-07',
    truncate: n,
  })),
  { id: 'gemini-embedding-001', geminiId: 'gemini-embedding-001' },
  ...[768, 1536].map((n) => ({
    id: `gemini-embedding-001-${n}`,
    geminiId: 'gemini-embedding-001',
    dimensions: n,
    normalize: true,
  })),
  { id: 'gemini-embedding-2', geminiId: 'gemini-embedding-2' },
  ...[768, 1536].map((n) => ({ id: `gemini-embedding-2-${n}`, geminiId: 'gemini-embedding-2', dimensions: n })),
  { id: 'gemini-embedding-2-preview', geminiId: 'gemini-embedding-2-preview', binary: true },
  ...[768, 1536].map((n) => ({
    id: `gemini-embedding-2-preview-${n}`,
    geminiId: 'gemini-embedding-2-preview',
    dimensions: n,
    binary: true,
  })),
];
