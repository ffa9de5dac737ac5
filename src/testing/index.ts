// llm-ts/testing: the plugin author's kit. Scripted models and a loopback fake provider,
// so a plugin's tests run offline against its real wire format.
export { MockModel, MockEmbeddingModel, type MockCall, type MockChunk, type MockModelInit } from './mock-model.js';
export {
  startProviderServer,
  startFakeServer,
  jsonReply,
  sseReply,
  sseEvent,
  ndjsonReply,
  errorReply,
  replayReply,
  loadCassette,
  type ProviderServer,
  type FakeServer,
  type Handler,
  type RecordedRequest,
  type Reply,
  type ReplySource,
} from './provider-server.js';
