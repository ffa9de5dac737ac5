// `llm serve`: every model behind one OpenAI-compatible endpoint, and a page to chat and
// browse logs.db. Loaded only when the server starts.
export { startServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, DRAIN_MS, type ServeOptions, type RunningServer } from './server.js';
