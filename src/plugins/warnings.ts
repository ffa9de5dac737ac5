const warned = new Set<string>();

/** Prints one warning naming a plugin that failed (once per plugin per process). */
export function warnPluginFailure(name: string, error: unknown): void {
  if (warned.has(name)) return;
  warned.add(name);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Warning: plugin ${name} failed to load: ${message}\n`);
}
