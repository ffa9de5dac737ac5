export { LogsDatabase, logsDbPath, conversationName, fragmentHash, INCOMPLETE_KEY, type LogTurnInput, type LoadedConversation } from './database.js';
export { logsEnabled, setLogsEnabled, logsOffPath } from '../config/logs-off.js';
export { listLogs, incompleteMarker, type ListOptions, type LogRow } from './reader.js';
export { renderMarkdown, renderJson, renderShort, truncateString, extractFencedCodeBlock, tokenUsageString } from './render.js';
export { messageHash, messageToDict } from './parts.js';
export { canonicalJson, pythonDumps } from './json.js';
export { MIGRATION_NAMES } from './fresh-schema.js';
export { listFragments, setFragmentAlias, removeFragmentAlias, FRAGMENT_ALIAS, type StoredFragment } from './fragment-store.js';
export { ensureBrowseIndexes, BROWSE_INDEXES } from './browse-indexes.js';
