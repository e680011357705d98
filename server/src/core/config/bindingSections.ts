import { getEntry, getEntryAt, stringValue, type ConfigNode, type TableNode } from "./tree";

/** A binding the config declares, with the config section it is declared in (`kv_namespaces`, `browser`). */
export interface DeclaredBinding {
  readonly name: string;
  readonly section: string;
}

/**
 * Where bindings are declared: the section's path, the key that names the binding, and whether the
 * section is one table (`[ai] binding = "AI"`) or a list of them (`[[kv_namespaces]]`).
 */
const SECTIONS: ReadonlyArray<{ readonly path: readonly string[]; readonly key: string; readonly single?: true }> = [
  { path: ["kv_namespaces"], key: "binding" },
  { path: ["r2_buckets"], key: "binding" },
  { path: ["d1_databases"], key: "binding" },
  { path: ["services"], key: "binding" },
  { path: ["hyperdrive"], key: "binding" },
  { path: ["durable_objects", "bindings"], key: "name" },
  { path: ["queues", "producers"], key: "binding" },
  { path: ["vectorize"], key: "binding" },
  { path: ["analytics_engine_datasets"], key: "binding" },
  { path: ["dispatch_namespaces"], key: "binding" },
  { path: ["workflows"], key: "binding" },
  { path: ["send_email"], key: "name" },
  { path: ["mtls_certificates"], key: "binding" },
  { path: ["secrets_store_secrets"], key: "binding" },
  { path: ["pipelines"], key: "binding" },
  { path: ["vpc_services"], key: "binding" },
  { path: ["worker_loaders"], key: "binding" },
  { path: ["ratelimits"], key: "name" },
  { path: ["unsafe", "bindings"], key: "name" },
  { path: ["ai"], key: "binding", single: true },
  { path: ["browser"], key: "binding", single: true },
  { path: ["images"], key: "binding", single: true },
  { path: ["version_metadata"], key: "binding", single: true },
  { path: ["assets"], key: "binding", single: true },
];

/**
 * Every binding an environment's own table declares, with its section (bindings are not inherited
 * from the top level). Wider than BindingNames, which lists the kinds the analysis classifies calls
 * of: this is for telling what `env[name]` may be when the name is chosen at run time.
 */
export function declaredBindings(table: TableNode): DeclaredBinding[] {
  const out: DeclaredBinding[] = [];
  for (const { path, key, single } of SECTIONS) {
    const node: ConfigNode | undefined = getEntryAt(table, path)?.value;
    const tables = single ? (node?.kind === "table" ? [node] : []) : node?.kind === "array" ? node.items : [];
    for (const item of tables) {
      const name = stringValue(getEntry(item, key)?.value);
      if (name) out.push({ name, section: path.join(".") });
    }
  }
  return out;
}
