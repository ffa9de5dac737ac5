// Indexes llm-ts adds to logs.db for browsing it (`llm serve`'s logs page). Python llm
// neither creates nor reads them: an extra index changes no table, and sqlite-utils keeps
// indexes when it rebuilds a table. Named `llm_ts_*` so they are plainly ours.
import type { Database } from 'better-sqlite3';

export const BROWSE_INDEXES = [
  // Conversations newest first, and the date filter: a walk down this index.
  'CREATE INDEX IF NOT EXISTS llm_ts_turns_datetime ON turns (datetime_utc, id)',
  'CREATE INDEX IF NOT EXISTS llm_ts_responses_datetime ON responses (datetime_utc, id)',
  // The tool filter (turns whose answer called a tool), and a conversation continued by its messages.
  // The models and tools offered as filters: read by skipping from one value to the next.
  'CREATE INDEX IF NOT EXISTS llm_ts_turns_model ON turns (model)',
  'CREATE INDEX IF NOT EXISTS llm_ts_responses_model ON responses (model)',
  // The turn counts of legacy conversations (threads have Python's idx_turns_thread_id).
  'CREATE INDEX IF NOT EXISTS llm_ts_responses_conversation ON responses (conversation_id)',
  'CREATE INDEX IF NOT EXISTS llm_ts_turns_tip ON turns (tip_message_hash)',
  "CREATE INDEX IF NOT EXISTS llm_ts_parts_tool_call ON parts (tool_name) WHERE type = 'tool_call'",
];

/** Creates the browsing indexes that are missing (once per logs.db: a few hundred ms on 100,000 turns). */
export function ensureBrowseIndexes(db: Database): void {
  if (db.readonly) return;
  db.transaction(() => {
    for (const sql of BROWSE_INDEXES) db.exec(sql);
  })();
}
