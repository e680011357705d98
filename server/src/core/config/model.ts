import { basename } from "../fs";
import { setOwn } from "../strings";
import type { BindingNames, OwnClasses } from "../worker/types";
import { parseJsonConfig } from "./json";
import { parseTomlConfig } from "./toml";
import { disabledVarsOf } from "./disabledVars";
import {
  getEntry,
  MAX_CONFIG_CHARS,
  overLimit,
  stringValue,
  type ConfigEntry,
  type ConfigFormat,
  type ConfigNode,
  type ParsedConfig,
  type TableNode,
} from "./tree";

export const CONFIG_FILE_NAMES = ["wrangler.toml", "wrangler.json", "wrangler.jsonc"] as const;

/** The format of a config file by its extension (`wrangler.toml`, or any `*.toml` given explicitly). */
export function configFormatOf(path: string): ConfigFormat | undefined {
  const name = basename(path);
  const extension = name.slice(name.lastIndexOf(".") + 1);
  return name.includes(".") && (extension === "toml" || extension === "json" || extension === "jsonc") ? extension : undefined;
}

export function isWranglerConfigName(name: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(name);
}

/** A `placement` (or `previews.placement`) as written, with where it came from. */
export interface PlacementSource {
  readonly entry: ConfigEntry;
  /** Path of the `placement` key from the root, e.g. ["env", "staging", "placement"]. */
  readonly path: readonly string[];
  /** Wrangler's name for it in messages: "placement", "previews.placement". */
  readonly field: string;
}

/**
 * A Worker as one `wrangler deploy [--env NAME]` sees it: the top level, or one environment with
 * Wrangler's inheritance applied (inheritable keys fall back to the top level; bindings and vars do not).
 */
export interface WorkerEnvironment {
  /** null for the top level. */
  readonly name: string | null;
  /** The environment's own table (the root for the top level). */
  readonly table: TableNode;
  /** Path of the environment's table from the root: [] or ["env", name]. */
  readonly path: readonly string[];
  /** Effective placement; `inherited` when an environment has none and takes the top level's. */
  readonly placement: (PlacementSource & { readonly inherited: boolean }) | undefined;
  /** `previews.placement` written in this environment's own table. */
  readonly previewsPlacement: PlacementSource | undefined;
  readonly workerName: string | null;
  readonly main: { readonly value: string; readonly entry: ConfigEntry } | undefined;
  readonly compatibilityDate: string | null;
  readonly pagesBuildOutputDir: string | null;
  readonly vars: Readonly<Record<string, string>>;
  /**
   * `[vars]` entries that are not strings (a table, an array, a number, a boolean), as the JSON value
   * the Worker's `env` holds: `SUBS = [{ name = "a", url = "https://..." }]`.
   */
  readonly structuredVars: Readonly<Record<string, unknown>>;
  readonly bindings: BindingNames;
  /**
   * Classes of this Worker the runtime runs apart from its fetch handler: the `class_name` of its
   * own (no `script_name`) `durable_objects.bindings` and `workflows`.
   */
  readonly ownClasses: OwnClasses;
  readonly d1Databases: ReadonlyArray<{ readonly binding: string; readonly databaseName: string | null; readonly entry: ConfigNode }>;
  readonly assets: { readonly entry: ConfigEntry; readonly runWorkerFirst: ConfigEntry | undefined } | undefined;
  readonly crons: readonly string[];
  /** `[build] command`, e.g. `cargo install -q worker-build && worker-build --release` (workers-rs). */
  readonly buildCommand: string | null;
  /** Wrangler's `alias`: module specifiers its bundler replaces with these paths (relative to the config). */
  readonly alias: Readonly<Record<string, string>>;
  /** A Wrangler v1 config (top-level `type`), as Wrangler v1 read it; null for today's configs. */
  readonly legacy: LegacyConfig | null;
}

/** What a Wrangler v1 config (`type = "webpack" | "javascript" | "rust"`) says about its entry. */
export interface LegacyConfig {
  readonly type: string;
  /** `[build.upload] main`, `dir` (default "dist") and `format`. */
  readonly uploadMain: string | null;
  readonly uploadDir: string | null;
  readonly format: string | null;
  /**
   * `[site] entry-point` (default "workers-site") when the config has `[site]`: Wrangler v1 read the
   * Worker's package.json from that folder instead of the config's.
   */
  readonly siteEntryPoint: string | null;
}

export interface WranglerConfig extends ParsedConfig {
  /** The config file; for a Pages project without one, the project's folder. */
  readonly file: string;
  /** Set for a Pages project found without a wrangler config. */
  readonly project?: { readonly root: string; readonly outputDir: string };
  /** Top level first, then each `[env.NAME]` in file order. Empty when the file does not parse. */
  readonly environments: readonly WorkerEnvironment[];
  /** Vars commented out in a `vars` table and set by no environment (disabledVars.ts): unset in every deploy. */
  readonly disabledVars?: readonly string[];
}

/** More `[env.*]` than this and the file is not analysed (each is a Worker to analyse on every keystroke). */
export const MAX_ENVIRONMENTS = 256;

export function parseConfigText(text: string, format: ConfigFormat): ParsedConfig {
  if (text.length > MAX_CONFIG_CHARS)
    return overLimit(
      format,
      text,
      `${Math.round(text.length / 1024)} KB is over the ${MAX_CONFIG_CHARS / 1024 / 1024} MB limit for configs`,
    );
  return format === "toml" ? parseTomlConfig(text) : parseJsonConfig(text, format);
}

export function loadWranglerConfig(file: string, text: string, format = configFormatOf(file) ?? "toml"): WranglerConfig {
  const parsed = parseConfigText(text, format);
  const envs = getEntry(parsed.root, "env")?.value;
  if (envs?.kind === "table" && envs.entries.size > MAX_ENVIRONMENTS) {
    const limited = overLimit(format, text, `it has ${envs.entries.size} environments, over the limit of ${MAX_ENVIRONMENTS}`);
    return { ...limited, file, environments: [] };
  }
  const environments = parsed.root ? buildEnvironments(parsed.root) : [];
  const disabledVars = disabledVarsOf(parsed);
  return { ...parsed, file, environments, ...(disabledVars.length > 0 ? { disabledVars } : {}) };
}

function buildEnvironments(root: TableNode): WorkerEnvironment[] {
  const top = buildEnvironment(root, [], null, undefined);
  const result = [top];
  const envs = getEntry(root, "env")?.value;
  if (envs?.kind === "table") {
    for (const [name, entry] of envs.entries) {
      if (entry.value.kind === "table") result.push(buildEnvironment(entry.value, ["env", name], name, top));
    }
  }
  return result;
}

function buildEnvironment(
  table: TableNode,
  path: readonly string[],
  name: string | null,
  top: WorkerEnvironment | undefined,
): WorkerEnvironment {
  const own = (key: string): ConfigEntry | undefined => getEntry(table, key);
  const ownPlacement = own("placement");
  const placement = ownPlacement
    ? { entry: ownPlacement, path: [...path, "placement"], field: "placement", inherited: false }
    : top?.placement
      ? { ...top.placement, inherited: true }
      : undefined;
  const previews = own("previews")?.value;
  const previewsPlacementEntry = getEntry(previews, "placement");
  const mainEntry = own("main");
  const mainValue = stringValue(mainEntry?.value);
  const main = mainEntry && mainValue !== undefined ? { value: mainValue, entry: mainEntry } : top?.main;
  const assetsEntry = own("assets") ?? top?.assets?.entry;
  const d1Databases = tablesIn(own("d1_databases")?.value).map((db) => ({
    binding: stringValue(getEntry(db, "binding")?.value) ?? "",
    databaseName: stringValue(getEntry(db, "database_name")?.value) ?? null,
    entry: db as ConfigNode,
  }));
  return {
    name,
    table,
    path,
    placement,
    previewsPlacement: previewsPlacementEntry
      ? { entry: previewsPlacementEntry, path: [...path, "previews", "placement"], field: "previews.placement" }
      : undefined,
    workerName:
      stringValue(own("name")?.value) ?? (top?.workerName != null && name ? `${top.workerName}-${name}` : (top?.workerName ?? null)),
    main,
    compatibilityDate: stringValue(own("compatibility_date")?.value) ?? top?.compatibilityDate ?? null,
    pagesBuildOutputDir: stringValue(own("pages_build_output_dir")?.value) ?? top?.pagesBuildOutputDir ?? null,
    vars: stringVars(own("vars")?.value),
    structuredVars: structuredVars(own("vars")?.value),
    bindings: bindingNames(table, assetsEntry),
    ownClasses: {
      durableObjects: ownClassNames(getEntry(getEntry(table, "durable_objects")?.value, "bindings")?.value),
      workflows: ownClassNames(getEntry(table, "workflows")?.value),
    },
    d1Databases,
    assets: assetsEntry ? { entry: assetsEntry, runWorkerFirst: getEntry(assetsEntry.value, "run_worker_first") } : undefined,
    crons: stringsIn(getEntry(own("triggers")?.value ?? top?.table.entries.get("triggers")?.value, "crons")?.value),
    buildCommand: stringValue(getEntry(own("build")?.value, "command")?.value) ?? top?.buildCommand ?? null,
    alias: own("alias") ? stringVars(own("alias")?.value) : (top?.alias ?? stringVars(undefined)),
    legacy: legacyOf(table) ?? top?.legacy ?? null,
  };
}

function legacyOf(table: TableNode): LegacyConfig | undefined {
  const type = stringValue(getEntry(table, "type")?.value);
  if (type === undefined) return undefined;
  const upload = getEntry(getEntry(table, "build")?.value, "upload")?.value;
  const site = getEntry(table, "site")?.value;
  return {
    type,
    uploadMain: stringValue(getEntry(upload, "main")?.value) ?? null,
    uploadDir: stringValue(getEntry(upload, "dir")?.value) ?? null,
    format: stringValue(getEntry(upload, "format")?.value) ?? null,
    siteEntryPoint: site ? (stringValue(getEntry(site, "entry-point")?.value) ?? "workers-site") : null,
  };
}

function tablesIn(node: ConfigNode | undefined): TableNode[] {
  return node?.kind === "array" ? node.items.filter((item): item is TableNode => item.kind === "table") : [];
}

function stringsIn(node: ConfigNode | undefined): string[] {
  return node?.kind === "array" ? node.items.flatMap((item) => (item.kind === "string" ? [item.value as string] : [])) : [];
}

function stringVars(node: ConfigNode | undefined): Record<string, string> {
  // No prototype: the analysis asks `name in vars` for names from source (`env.constructor`).
  const vars = Object.create(null) as Record<string, string>;
  if (node?.kind === "table") {
    for (const [key, entry] of node.entries) if (entry.value.kind === "string") setOwn(vars, key, entry.value.value as string);
  }
  return vars;
}

function structuredVars(node: ConfigNode | undefined): Record<string, unknown> {
  const vars = Object.create(null) as Record<string, unknown>;
  if (node?.kind === "table")
    for (const [key, entry] of node.entries) if (entry.value.kind !== "string") setOwn(vars, key, plainValue(entry.value));
  return vars;
}

/** A config value as plain JSON (tables as objects without a prototype, TOML dates as their text). */
function plainValue(node: ConfigNode): unknown {
  if (node.kind === "table") {
    const object = Object.create(null) as Record<string, unknown>;
    for (const [key, entry] of node.entries) setOwn(object, key, plainValue(entry.value));
    return object;
  }
  if (node.kind === "array") return node.items.map(plainValue);
  return node.value;
}

function bindingsOf(node: ConfigNode | undefined, key = "binding"): string[] {
  return tablesIn(node).flatMap((table) => {
    const value = stringValue(getEntry(table, key)?.value);
    return value ? [value] : [];
  });
}

/** The `class_name` of bindings to classes of this Worker's own (no `script_name`: not another Worker's). */
function ownClassNames(node: ConfigNode | undefined): string[] {
  return tablesIn(node).flatMap((table) => {
    const name = stringValue(getEntry(table, "class_name")?.value);
    return name && getEntry(table, "script_name") === undefined ? [name] : [];
  });
}

function bindingNames(table: TableNode, assets: ConfigEntry | undefined): BindingNames {
  const get = (key: string): ConfigNode | undefined => getEntry(table, key)?.value;
  const durableObjects = getEntry(get("durable_objects"), "bindings")?.value;
  const queues = getEntry(get("queues"), "producers")?.value;
  const ai = stringValue(getEntry(get("ai"), "binding")?.value);
  const assetsBinding = stringValue(getEntry(assets?.value, "binding")?.value);
  const other = [
    ...bindingsOf(get("vectorize")),
    ...bindingsOf(get("analytics_engine_datasets")),
    ...bindingsOf(get("dispatch_namespaces")),
    ...bindingsOf(get("send_email"), "name"),
    ...bindingsOf(get("workflows")),
  ];
  return {
    d1: bindingsOf(get("d1_databases")),
    kv: bindingsOf(get("kv_namespaces")),
    r2: bindingsOf(get("r2_buckets")),
    services: bindingsOf(get("services")),
    durableObjects: bindingsOf(durableObjects, "name"),
    queues: bindingsOf(queues),
    ai: ai ? [ai] : [],
    hyperdrive: bindingsOf(get("hyperdrive")),
    assets: assetsBinding ? [assetsBinding] : [],
    other,
  };
}

/** What Wrangler uploads for a placement (its `parseConfigPlacement`), or null for none / off. */
export type EffectivePlacement =
  | { readonly mode: "smart"; readonly hint?: string }
  | { readonly mode: "targeted"; readonly region?: string; readonly host?: string; readonly hostname?: string };

export function effectivePlacement(env: WorkerEnvironment): EffectivePlacement | null {
  const node = env.placement?.entry.value;
  if (node?.kind !== "table") return null;
  const field = (key: string): ConfigNode | undefined => getEntry(node, key)?.value;
  const mode = stringValue(field("mode"));
  const hint = field("hint");
  const hintValue = hint && hint.kind !== "table" && hint.kind !== "array" ? hint.value : hint ? true : undefined;
  if (!hintValue && mode === "off") return null;
  if (hintValue || mode === "smart") return typeof hintValue === "string" ? { mode: "smart", hint: hintValue } : { mode: "smart" };
  for (const key of ["region", "host", "hostname"] as const) {
    const value = stringValue(field(key));
    if (value) return { mode: "targeted", [key]: value };
  }
  return null;
}
