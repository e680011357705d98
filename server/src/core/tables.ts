/**
 * A table's own entry for a key taken from the code being analysed. Indexing a plain object with
 * such a key finds Object's own members too (`constructor`, `toString`, `__proto__`): a Worker
 * importing from a package called `constructor` must find no entry, not a function.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
