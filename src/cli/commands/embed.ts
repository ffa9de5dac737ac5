// Embedding commands: embed, embed-multi, similar, embed-models, collections.
// Startup stays light: only commander types here; each action imports the library.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { ClickUsageError, readStdinBytes } from '../util.js';

type Library = typeof import('../../index.js');
type Embeddings = typeof import('../../embeddings/index.js');

async function load(): Promise<{ lib: Library; emb: Embeddings }> {
  const actions = await import('../actions.js');
  return { lib: actions, emb: actions };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const NO_MODEL = 'You need to specify an embedding model (no default model is set)';

/** Content from `-c`, else `-i PATH` (or `-i -` / nothing: stdin); bytes with `--binary`. */
async function readContent(
  lib: Library,
  content: string | undefined,
  input: string | undefined,
  binary: boolean,
): Promise<string | Uint8Array> {
  if (content) return binary ? new Uint8Array(Buffer.from(content, 'utf8')) : content;
  let bytes: Buffer;
  if (!input || input === '-') bytes = await readStdinBytes();
  else {
    try {
      bytes = readFileSync(input);
    } catch {
      throw new ClickUsageError(`Invalid value for '-i' / '--input': File '${input}' does not exist.`);
    }
  }
  return binary ? new Uint8Array(bytes) : bytes.toString('utf8');
}

function isEmpty(value: string | Uint8Array): boolean {
  return typeof value === 'string' ? value === '' : value.byteLength === 0;
}

function databasePath(emb: Embeddings, database: string | undefined): string {
  return database || emb.embeddingsDbPath();
}

/**
 * `--files DIR GLOB` / `--attach ALIAS PATH`: pairs from a variadic option. Also accepts
 * the one-value `KEY=VALUE` form (`--files DIR=GLOB`, `--attach ALIAS=PATH`), which is
 * what an argv rewrite of click-style pairs produces: for `--files` the glob follows the
 * last `=`, for `--attach` the path follows the first.
 */
export function pairsFrom(
  values: readonly string[] | undefined,
  flag: '--files' | '--attach',
  usage: (message: string) => Error,
  isDirectory: (path: string) => boolean = () => false,
): [string, string][] {
  const list = [...(values ?? [])];
  const pairs: [string, string][] = [];
  const keyValue = (value: string): [string, string] | undefined => {
    const at = flag === '--files' ? value.lastIndexOf('=') : value.indexOf('=');
    if (at <= 0 || at === value.length - 1) return undefined;
    return [value.slice(0, at), value.slice(at + 1)];
  };
  for (let i = 0; i < list.length; i++) {
    const value = list[i]!;
    const split = keyValue(value);
    if (split && !(flag === '--files' && isDirectory(value))) {
      pairs.push(split);
      continue;
    }
    const next = list[i + 1];
    if (next === undefined) throw usage(`Option '${flag}' requires 2 arguments.`);
    pairs.push([value, next]);
    i++;
  }
  return pairs;
}

function writeOut(text: string | Uint8Array): void {
  process.stdout.write(text);
}

/** A progress bar on stderr, drawn only when stderr is a terminal. */
function progress(label: string, total: number | undefined): { update(done: number): void; finish(): void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update() {}, finish() {} };
  let drawn = false;
  const draw = (done: number) => {
    drawn = true;
    if (total && total > 0) {
      const width = 36;
      const ratio = Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      stream.write(`\r${label}  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]  ${Math.round(ratio * 100)}%`);
    } else stream.write(`\r${label}  ${done}`);
  };
  draw(0);
  return {
    update: draw,
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}

export function register(program: Command): void {
  program
    .command('embed')
    .description('Embed text and store or return the result')
    .argument('[collection]', 'Collection to store the embedding in')
    .argument('[id]', 'ID to store it under')
    .option('-i, --input <path>', 'File to embed')
    .option('-m, --model <model>', 'Embedding model to use (default: $LLM_EMBEDDING_MODEL)')
    .option('--store', 'Store the text itself in the database')
    .option('-d, --database <path>', 'Embeddings database (default: $LLM_EMBEDDINGS_DB)')
    .option('-c, --content <text>', 'Content to embed')
    .option('--binary', 'Treat input as binary data')
    .option('--metadata <json>', 'JSON object metadata to store')
    .option('-f, --format <format>', 'Output format: json, blob, base64 or hex')
    .action(async (collection: string | undefined, id: string | undefined, opts: EmbedFlags) => {
      await runEmbed(collection, id, opts);
    });

  program
    .command('embed-multi')
    .summary('Store embeddings for multiple strings at once in the specified collection.')
    .description(
      'Store embeddings for multiple strings at once in the specified collection.\n\n' +
        'Input comes from a CSV, TSV, JSON or newline-delimited JSON file (first column or key is the ID,\n' +
        'the other values joined with spaces are the content), from a SQL query (--sql), or from\n' +
        'files in directories (--files DIR GLOB; the relative path is the ID).',
    )
    .argument('<collection>', 'Collection to store the embeddings in')
    .argument('[input_path]', 'Input file, or - for stdin')
    .option('--format <format>', 'Format of input file (json, csv, tsv, nl) - defaults to auto-detect')
    .option('--files <dir_glob...>', 'Embed files in this directory - specify directory and glob pattern')
    .option('--encoding <encoding>', 'Encodings to try when reading --files (repeatable)', collect)
    .option('--binary', 'Treat --files as binary data')
    .option('--sql <sql>', 'Read input using this SQL query')
    .option('--attach <alias_path...>', 'Additional databases to attach - specify alias and file path')
    .option('--batch-size <n>', 'Batch size to use when running embeddings')
    .option('--prefix <prefix>', 'Prefix to add to the IDs', '')
    .option('-m, --model <model>', 'Embedding model to use (default: $LLM_EMBEDDING_MODEL)')
    .option('--prepend <text>', 'Prepend this string to all content before embedding')
    .option('--store', 'Store the text itself in the database')
    .option('-d, --database <path>', 'Embeddings database (default: $LLM_EMBEDDINGS_DB)')
    .action(async (collection: string, input: string | undefined, opts: EmbedMultiFlags) => {
      await runEmbedMulti(collection, input, opts);
    });

  program
    .command('similar')
    .description('Return top N similar IDs from a collection using cosine similarity.')
    .argument('<collection>', 'Collection to search')
    .argument('[id]', 'Find entries similar to this stored ID')
    .option('-i, --input <path>', 'File to embed for comparison')
    .option('-c, --content <text>', 'Content to embed for comparison')
    .option('--binary', 'Treat input as binary data')
    .option('-n, --number <n>', 'Number of results to return', '10')
    .option('-p, --plain', 'Output in plain text format')
    .option('-d, --database <path>', 'Embeddings database (default: $LLM_EMBEDDINGS_DB)')
    .option('--prefix <prefix>', 'Just IDs with this prefix', '')
    .action(async (collection: string, id: string | undefined, opts: SimilarFlags) => {
      await runSimilar(collection, id, opts);
    });

  const models = program.command('embed-models').description('Manage available embedding models');
  models
    .command('list', { isDefault: true })
    .description('List available embedding models')
    .option('-q, --query <text>', 'Search for embedding models matching these strings', collect)
    .action(async (opts: { query?: string[] }) => {
      const { lib } = await load();
      const lines: string[] = [];
      for (const { model, aliases } of lib.getEmbeddingModelsWithAliases()) {
        const text = String(model);
        if (opts.query?.length) {
          const haystack = [model.modelId, text, ...aliases].map((s) => s.toLowerCase());
          if (!opts.query.every((q) => haystack.some((h) => h.includes(q.toLowerCase())))) continue;
        }
        lines.push(aliases.length ? `${text} (aliases: ${aliases.join(', ')})` : text);
      }
      writeOut(`${lines.join('\n')}\n`);
    });
  models
    .command('default')
    .description('Show or set the default embedding model')
    .argument('[model]', 'Model to use as the default')
    .option('--remove-default', 'Reset to specifying no default model')
    .action(async (model: string | undefined, opts: { removeDefault?: boolean }) => {
      const { lib } = await load();
      if (!model && !opts.removeDefault) {
        const current = lib.getDefaultEmbeddingModel();
        if (current === null) process.stderr.write('<No default embedding model set>\n');
        else writeOut(`${current}\n`);
        return;
      }
      if (opts.removeDefault) {
        lib.setDefaultEmbeddingModel(null);
        return;
      }
      let found;
      try {
        found = lib.getEmbeddingModel(model);
      } catch (error) {
        if (lib.UnknownModelError.is(error)) throw new lib.UnknownModelError(`Unknown embedding model: ${model}`);
        throw error;
      }
      lib.setDefaultEmbeddingModel(found.modelId);
    });

  const collections = program.command('collections').description('View and manage collections of embeddings');
  collections
    .command('list', { isDefault: true })
    .description('View a list of collections')
    .option('-d, --database <path>', 'Path to embeddings database (default: $LLM_EMBEDDINGS_DB)')
    .option('--json', 'Output as JSON')
    .action(async (opts: { database?: string; json?: boolean }) => {
      const { emb, lib } = await load();
      const path = databasePath(emb, opts.database);
      if (!existsSync(path)) throw new lib.UsageError(`No collections table found in ${path}`);
      const db = emb.openEmbeddingsDb(path);
      try {
        const rows = db
          .prepare(
            `select collections.name, collections.model, count(embeddings.id) as num_embeddings
             from collections left join embeddings on collections.id = embeddings.collection_id
             group by collections.name, collections.model`,
          )
          .all() as { name: string; model: string; num_embeddings: number }[];
        if (opts.json) {
          writeOut(`${JSON.stringify(rows, null, 4)}\n`);
          return;
        }
        let text = '';
        for (const row of rows) {
          text += `${row.name}: ${row.model}\n  ${row.num_embeddings} embedding${row.num_embeddings === 1 ? '' : 's'}\n`;
        }
        writeOut(text);
      } finally {
        db.close();
      }
    });
  collections
    .command('delete')
    .description('Delete the specified collection')
    .argument('<collection>', 'Collection to delete')
    .option('-d, --database <path>', 'Path to embeddings database (default: $LLM_EMBEDDINGS_DB)')
    .action(async (name: string, opts: { database?: string }) => {
      const { emb, lib } = await load();
      const path = databasePath(emb, opts.database);
      if (!existsSync(path)) throw new lib.CollectionNotFoundError('Collection does not exist');
      const db = emb.openEmbeddingsDb(path);
      try {
        if (!emb.Collection.exists(db, name)) throw new lib.CollectionNotFoundError('Collection does not exist');
        new emb.Collection(name, { db, create: false }).delete();
      } finally {
        db.close();
      }
    });
  collections
    .command('path')
    .description('Output the path to the embeddings database')
    .action(async () => {
      const { emb } = await load();
      writeOut(`${emb.embeddingsDbPath()}\n`);
    });
}

interface EmbedFlags {
  input?: string;
  model?: string;
  store?: boolean;
  database?: string;
  content?: string;
  binary?: boolean;
  metadata?: string;
  format?: string;
}

async function runEmbed(collection: string | undefined, id: string | undefined, opts: EmbedFlags): Promise<void> {
  const { lib, emb } = await load();
  const format = opts.format;
  if (format !== undefined && !['json', 'blob', 'base64', 'hex'].includes(format)) {
    throw new ClickUsageError(`Invalid value for '-f' / '--format': '${format}' is not one of 'json', 'blob', 'base64', 'hex'.`);
  }
  let metadata: Record<string, unknown> | undefined;
  if (opts.metadata !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(opts.metadata);
    } catch {
      throw new ClickUsageError("Invalid value for '--metadata': metadata must be valid JSON");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ClickUsageError("Invalid value for '--metadata': metadata must be a JSON object");
    metadata = parsed as Record<string, unknown>;
  }
  if (collection && !id) throw new lib.UsageError('Must provide both collection and id');
  if (opts.store && !collection) throw new lib.UsageError('Must provide collection when using --store');

  const modelName = opts.model || process.env.LLM_EMBEDDING_MODEL || lib.getDefaultEmbeddingModel();
  let vector: number[];
  if (collection) {
    const db = emb.openEmbeddingsDb(databasePath(emb, opts.database));
    try {
      let target: InstanceType<Embeddings['Collection']>;
      if (emb.Collection.exists(db, collection)) target = new emb.Collection(collection, { db });
      else {
        if (!modelName) throw new lib.UsageError(NO_MODEL);
        lib.getEmbeddingModel(modelName); // an unknown model fails before anything is read or created
        const content = await readContent(lib, opts.content, opts.input, Boolean(opts.binary));
        if (isEmpty(content)) throw new lib.UsageError('No content provided');
        target = new emb.Collection(collection, { db, modelId: modelName });
        await target.embed(id!, content, { metadata, store: opts.store });
        if (format) print(emb, target.vector(id!) ?? [], format);
        return;
      }
      const content = await readContent(lib, opts.content, opts.input, Boolean(opts.binary));
      if (isEmpty(content)) throw new lib.UsageError('No content provided');
      await target.embed(id!, content, { metadata, store: opts.store });
      if (format) print(emb, target.vector(id!) ?? [], format);
      return;
    } finally {
      db.close();
    }
  }
  if (!modelName) throw new lib.UsageError(NO_MODEL);
  const model = lib.getEmbeddingModel(modelName);
  const content = await readContent(lib, opts.content, opts.input, Boolean(opts.binary));
  if (isEmpty(content)) throw new lib.UsageError('No content provided');
  vector = await model.embed(content);
  print(emb, vector, format ?? 'json');
}

function print(emb: Embeddings, vector: number[], format: string): void {
  if (format === 'json') writeOut(`[${vector.map((v) => String(v)).join(', ')}]\n`);
  else if (format === 'blob') writeOut(Buffer.concat([Buffer.from(emb.encode(vector)), Buffer.from('\n')]));
  else if (format === 'base64') writeOut(`${Buffer.from(emb.encode(vector)).toString('base64')}\n`);
  else if (format === 'hex') writeOut(`${Buffer.from(emb.encode(vector)).toString('hex')}\n`);
}

interface EmbedMultiFlags {
  format?: string;
  files?: string[];
  encoding?: string[];
  binary?: boolean;
  sql?: string;
  attach?: string[];
  batchSize?: string;
  prefix: string;
  model?: string;
  prepend?: string;
  store?: boolean;
  database?: string;
}

async function runEmbedMulti(collection: string, input: string | undefined, opts: EmbedMultiFlags): Promise<void> {
  const { lib, emb } = await load();
  // click's usage errors (exit 2) and its runtime ones (exit 1).
  const usage = (message: string) => new ClickUsageError(message);
  const runtime = (message: string) => new lib.UsageError(message);
  const isDirectory = (path: string) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };
  const files = pairsFrom(opts.files, '--files', usage, isDirectory);
  const attach = pairsFrom(opts.attach, '--attach', usage);
  if (opts.format !== undefined && !['json', 'csv', 'tsv', 'nl'].includes(opts.format)) {
    throw usage(`Invalid value for '--format': '${opts.format}' is not one of 'json', 'csv', 'tsv', 'nl'.`);
  }
  let batchSize: number | undefined;
  if (opts.batchSize !== undefined) {
    batchSize = Number(opts.batchSize);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw usage(`Invalid value for '--batch-size': '${opts.batchSize}' is not a positive integer.`);
  }
  if (opts.binary && !files.length) throw usage('--binary must be used with --files');
  if (opts.binary && opts.encoding?.length) throw usage('--binary cannot be used with --encoding');
  if (!input && !opts.sql && !files.length) throw usage('Either --sql or input path or --files is required');
  if (files.length && (input || opts.sql || opts.format)) throw usage('Cannot use --files with --sql, input path or --format');
  for (const [directory] of files) if (!isDirectory(directory)) throw usage(`Invalid directory: ${directory}`);

  // Read the input before touching the database, so bad input leaves nothing behind.
  let text: string | undefined;
  if (!files.length && !opts.sql) {
    if (input === '-') text = (await readStdinBytes()).toString('utf8');
    else {
      try {
        text = readFileSync(input!, 'utf8');
      } catch {
        throw usage(`Invalid value for '[INPUT_PATH]': File '${input}' does not exist.`);
      }
    }
  }

  const modelName = opts.model || process.env.LLM_EMBEDDING_MODEL || lib.getDefaultEmbeddingModel();
  const db = emb.openEmbeddingsDb(databasePath(emb, opts.database));
  try {
    for (const [alias, path] of attach) db.prepare(`attach database ? as "${alias.replace(/"/g, '""')}"`).run(path);
    let target: InstanceType<Embeddings['Collection']>;
    if (emb.Collection.exists(db, collection)) target = new emb.Collection(collection, { db });
    else {
      if (!modelName) throw runtime(NO_MODEL);
      lib.getEmbeddingModel(modelName);
      target = new emb.Collection(collection, { db, modelId: modelName });
    }

    let entries: Iterable<readonly [string, string | Uint8Array]>;
    let total: number | undefined;
    if (files.length) {
      const { globFiles, fileEntries } = await import('../actions.js');
      if (process.stderr.isTTY) total = files.reduce((sum, [dir, glob]) => sum + globFiles(dir, glob).length, 0);
      const prefix = opts.prefix;
      const prepend = opts.prepend;
      const source = fileEntries(files, {
        binary: opts.binary,
        encodings: opts.encoding,
        onUndecodable: (path) => process.stderr.write(`Could not decode text in file ${path}\n`),
      });
      entries = (function* () {
        for (const [id, value] of source) {
          yield [prefix + id, prepend && typeof value === 'string' ? prepend + value : value] as const;
        }
      })();
    } else {
      const { parseRows, rowToEntry } = await import('../actions.js');
      let rows: unknown[][];
      if (opts.sql) {
        try {
          rows = db.prepare(opts.sql).raw(true).all() as unknown[][];
        } catch (error) {
          throw runtime(`SQL error: ${(error as Error).message}`);
        }
      } else {
        rows = parseRows(text!, opts.format as 'json' | 'csv' | 'tsv' | 'nl' | undefined).map((row) =>
          row !== null && typeof row === 'object' ? Object.values(row) : [row],
        );
      }
      total = rows.length;
      entries = rows.map((values) => rowToEntry(values, { prefix: opts.prefix, prepend: opts.prepend }));
    }
    const bar = progress('Embedding', total);
    try {
      await target.embedMulti(entries, { store: opts.store, batchSize, onProgress: (done) => bar.update(done) });
    } finally {
      bar.finish();
    }
  } finally {
    db.close();
  }
}

interface SimilarFlags {
  input?: string;
  content?: string;
  binary?: boolean;
  number: string;
  plain?: boolean;
  database?: string;
  prefix: string;
}

async function runSimilar(collection: string, id: string | undefined, opts: SimilarFlags): Promise<void> {
  const { lib, emb } = await load();
  const number = Number(opts.number);
  if (!Number.isInteger(number)) throw new ClickUsageError(`Invalid value for '-n' / '--number': '${opts.number}' is not a valid integer.`);
  if (!id && !opts.content && !opts.input) throw new lib.UsageError('Must provide content or an ID for the comparison');
  const path = databasePath(emb, opts.database);
  if (!existsSync(path)) throw new lib.UsageError('No embeddings table found in database');
  const db = emb.openEmbeddingsDb(path);
  try {
    if (!emb.Collection.exists(db, collection)) throw new lib.CollectionNotFoundError('Collection does not exist');
    const target = new emb.Collection(collection, { db, create: false });
    let results;
    if (id) {
      try {
        results = target.similarById(id, { number, prefix: opts.prefix });
      } catch (error) {
        if (lib.EmbeddingNotFoundError.is(error)) throw new lib.EmbeddingNotFoundError('ID not found in collection');
        throw error;
      }
    } else {
      const content = await readContent(lib, opts.content, opts.input, Boolean(opts.binary));
      if (isEmpty(content)) throw new lib.UsageError('No content provided');
      results = await target.similar(content, { number, prefix: opts.prefix });
    }
    const { pythonJsonDumps, pythonFloat } = await import('../actions.js');
    let text = '';
    for (const entry of results) {
      const score = entry.score === null ? 'null' : pythonFloat(entry.score);
      if (opts.plain) {
        text += `${entry.id} (${score})\n\n`;
        if (entry.content) text += `${indent(entry.content)}\n`;
        if (entry.metadata) text += `${indent(pythonJsonDumps(entry.metadata))}\n`;
        text += '\n';
      } else {
        text += `{"id": ${pythonJsonDumps(entry.id)}, "score": ${score}, "content": ${pythonJsonDumps(entry.content)}, "metadata": ${pythonJsonDumps(entry.metadata)}}\n`;
      }
    }
    writeOut(text);
  } finally {
    db.close();
  }
}

/** Python's textwrap.indent(text, "  "): every line that is not blank gets two spaces. */
function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? `  ${line}` : line))
    .join('\n');
}
