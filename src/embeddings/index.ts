export { Collection, type CollectionOptions, type Entry, type EmbedOptions, type EmbedMultiOptions, type SimilarOptions, type Metadata, type EntryInput, type EntryWithMetadataInput } from './collection.js';
export { openEmbeddingsDb, embeddingsDbPath, migrateEmbeddings, MIGRATION_SET, MIGRATIONS, type Database } from './db.js';
export { encode, decode, cosineSimilarity, float32View } from './vector.js';
