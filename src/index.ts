export {
  getModel,
  getModels,
  getAsyncModel,
  getAsyncModels,
  getModelsWithAliases,
  getEmbeddingModel,
  getEmbeddingModels,
  getEmbeddingModelsWithAliases,
  setAlias,
  removeAlias,
  getDefaultModel,
  setDefaultModel,
  getDefaultEmbeddingModel,
  setDefaultEmbeddingModel,
  registerPlugin,
  unregisterPlugin,
} from './plugins/registry.js';
export { getFragmentLoaders, getTemplateLoaders, type FragmentLoader, type TemplateLoader } from './plugins/loaders.js';
export type { LlmPlugin, ModelWithAliases, EmbeddingModelWithAliases, RegisterModel, RegisterEmbeddingModel } from './plugins/types.js';
export { Model, deferredEvents, type ExecuteContext } from './models/model.js';
export { Response } from './models/response.js';
export { Conversation, type ConversationInit } from './models/conversation.js';
export { Prompt, type Fragment, type PromptInput, type ChainInput, type ToolChoice } from './models/prompt.js';
export { Tool, ToolOutput, CancelToolCall, PauseChain, type ToolCall, type ToolResult, type ToolInit, type ToolImplementation, type ToolDef } from './models/tools.js';
export { ChainResponse, type ChainOptions } from './models/chain.js';
export type { BeforeCall, AfterCall, ToolCallbacks } from './models/tool-execution.js';
export { Toolbox, parseToolSpec, resolveToolSpecs, type ToolboxClass, type ToolboxMethod, type ToolSpec } from './tools/index.js';
export { ServerSideTool, WebSearch, CodeInterpreter, isServerSideTool, type ServerSideToolClass } from './tools/server-side/index.js';
/** Python's `json.dumps()` output (for plugins recording server-side tool results as Python does). */
export { pythonDumps } from './logs/json.js';
export { MCP, type McpOptions } from './tools/mcp/mcp-toolbox.js';
export { Attachment, type AttachmentInit } from './models/attachment.js';
export type { MapOptions } from './batch/map.js';
export type { MapResult, MapProgress } from './batch/run-local.js';
export type { BatchApi, BatchContext, BatchRequest, BatchSubmission, BatchStatus, BatchState, BatchResult } from './batch/adapter.js';
export { splitBatchRequests, batchLimit, type BatchLimits, type BatchEntry, type BatchGroup } from './batch/split.js';
export { onRetryWait, type RetryWait } from './streaming/http.js';
export { EmbeddingModel, type EmbeddingInput, type EmbedContext } from './models/embedding-model.js';
export type { ModelEvent, ModelEventChunk, Usage } from './models/events.js';
export type { Role, TextPart, ReasoningPart, AttachmentPart, ToolCallPart, ToolResultPart, MessageInput, PartInput } from './models/messages.js';
export { Message, Part, user, assistant, system, toolMessage } from './models/messages.js';
export type { StreamEvent } from './models/stream-events.js';
export type { ResponseDict, MessageDict, PartDict, AttachmentDict } from './models/serialization.js';
export { validateOptions, describeType, typeLabel, optionJsonSchema, pydanticOptionError, type OptionSpec, type OptionsSpec, type OptionValues, type OptionType } from './models/options.js';
export { schemaDsl, multiSchema, schemaId, type JsonSchema, type SchemaInput } from './models/schema.js';
export { userDir } from './config/user-dir.js';
export { getKey, loadKeys, setKey, keysPath } from './config/keys.js';
export { loadAliases, aliasesPath } from './config/aliases.js';
export { DEFAULT_MODEL } from './config/defaults.js';
export { SseDecoder, sseEvents, sseEventBatches, ndjsonLines, type SseEvent } from './streaming/sse.js';
export { providerFetch, retryPolicy, redact, type RetryPolicy, type ProviderRequest } from './streaming/http.js';
export { httpRequest, type HttpRequestInit, type HttpResponse, type HttpHeaders, type ByteStream, type ByteReader } from './streaming/transport.js';
export {
  LlmError,
  isLlmError,
  UnknownModelError,
  NeedsKeyError,
  OptionsError,
  AttachmentError,
  SchemaError,
  ConfigFileError,
  UsageError,
  ApiError,
  RateLimitError,
  AuthenticationError,
  ConnectionError,
  StreamInterruptedError,
  AbortedError,
  CollectionNotFoundError,
  EmbeddingNotFoundError,
  TimeoutError,
  ResponseTooLargeError,
} from './errors.js';
export { limits, type Limits, type Timeouts, type TimeoutInput } from './streaming/limits.js';
export {
  LogsDatabase,
  logsDbPath,
  logsEnabled,
  setLogsEnabled,
  listLogs,
  type LogTurnInput,
  type LoadedConversation,
  type ListOptions,
  type LogRow,
} from './logs/index.js';
export {
  Collection,
  openEmbeddingsDb,
  embeddingsDbPath,
  migrateEmbeddings,
  encode,
  decode,
  cosineSimilarity,
  type CollectionOptions,
  type Entry,
  type EmbedOptions,
  type EmbedMultiOptions,
  type SimilarOptions,
  type Metadata,
  type EntryInput,
  type EntryWithMetadataInput,
} from './embeddings/index.js';
export * from './pricing/index.js';
export { startServer, type ServeOptions, type RunningServer } from './serve/start.js';
