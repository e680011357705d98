import type { PlacementSource, WorkerEnvironment, WranglerConfig } from "./model";
import type { ConfigEntry, TableNode } from "./tree";
import { spanContains, type Span } from "../text";

/** What is under the cursor in a wrangler config, for hover and completion. */
export type ConfigLocation =
  | { readonly kind: "placement"; readonly env: WorkerEnvironment; readonly source: PlacementSource }
  | { readonly kind: "placement-key"; readonly source: PlacementSource; readonly entry: ConfigEntry }
  | { readonly kind: "placement-value"; readonly source: PlacementSource; readonly entry: ConfigEntry }
  | { readonly kind: "main"; readonly env: WorkerEnvironment }
  | { readonly kind: "d1-database"; readonly env: WorkerEnvironment; readonly binding: string; readonly span: Span };

export function locateInConfig(config: WranglerConfig, offset: number): ConfigLocation | undefined {
  for (const env of config.environments) {
    for (const source of [env.placement, env.previewsPlacement]) {
      if (!source || ("inherited" in source && source.inherited)) continue;
      if (spanContains(source.entry.keySpan, offset)) return { kind: "placement", env, source };
      const table = source.entry.value;
      if (table.kind !== "table") continue;
      for (const entry of table.entries.values()) {
        if (spanContains(entry.keySpan, offset)) return { kind: "placement-key", source, entry };
        if (spanContains(entry.value.span, offset)) return { kind: "placement-value", source, entry };
      }
    }
    if (env.main && !isInheritedMain(env) && spanContains(env.main.entry.entrySpan, offset)) return { kind: "main", env };
    for (const database of env.d1Databases) {
      const node = database.entry;
      if (spanContains(node.span, offset) || (node.kind === "table" && bodyContains(node, offset)))
        return { kind: "d1-database", env, binding: database.binding, span: node.span };
    }
  }
  return undefined;
}

function isInheritedMain(env: WorkerEnvironment): boolean {
  return env.main !== undefined && env.table.entries.get("main") !== env.main.entry;
}

/** The `placement` table whose body holds `offset` (a blank line in `[placement]` counts). */
export function placementTableAt(config: WranglerConfig, offset: number): PlacementSource | undefined {
  for (const env of config.environments) {
    for (const source of [env.placement, env.previewsPlacement]) {
      if (!source || ("inherited" in source && source.inherited)) continue;
      const table = source.entry.value;
      if (table.kind === "table" && bodyContains(table, offset)) return source;
    }
  }
  return undefined;
}

function bodyContains(table: TableNode, offset: number): boolean {
  if (table.style === "header") return offset > table.span.end && offset <= (table.sectionEnd ?? table.bodyEnd);
  if (table.style === "inline" || table.style === "object") return offset > table.span.start && offset < table.span.end;
  return false;
}
