import type { FileSystem } from "../fs";
import type { AssumeMode, PlatformRules } from "../platform";
import type { Finding } from "../findings";
import type { Span } from "../text";
import type { Step } from "./flow";

/** What the config says about the Worker, as the source analyser needs it. */
export interface WorkerAnalysisInput {
  readonly fs: FileSystem;
  /** Folder that holds the wrangler config (absolute). */
  readonly projectRoot: string;
  /** `main` as configured (relative to projectRoot), or null. */
  readonly main: string | null;
  /** `pages_build_output_dir` as configured, or null (Pages project: read `functions/`). */
  readonly pagesBuildOutputDir: string | null;
  /** `[vars]` with string values, e.g. { API_BASE: "https://api.example.com" }. */
  readonly vars: Readonly<Record<string, string>>;
  /**
   * Names in `vars` whose values come from the shared settings (secrets, dashboard variables), not
   * from this environment's `[vars]`: good for hosts, but one value for every environment, so no
   * branch is decided on them. Set only when there are some.
   */
  readonly settingsVars?: readonly string[];
  /**
   * Vars the config disables: commented out as `KEY = "value"` in a `vars` table, and set by no
   * environment nor the shared settings (see config/disabledVars.ts). Unset in the deployed
   * Worker, so a branch on one is decided; a var the config never mentions is not one (a secret).
   * Set only when there are some.
   */
  readonly disabledVars?: readonly string[];
  /**
   * `[vars]` entries that are not strings, as the JSON values `env` holds (a list of tables, a
   * table): a URL read from one (`env.SUBS[i].url`) is any of the URLs at that place. Set only when
   * there are some.
   */
  readonly structuredVars?: Readonly<Record<string, unknown>>;
  readonly bindings: BindingNames;
  /**
   * Bindings this environment does not declare that other environments of the same config do, with
   * the environments that declare them (`[[env.production.d1_databases]] binding = "DB"`): code that
   * uses `env.DB` runs the same under each, so a call on it is taken as that kind of binding's.
   */
  readonly otherEnvBindings?: ReadonlyArray<{ readonly name: string; readonly kind: keyof BindingNames; readonly envs: readonly string[] }>;
  /**
   * Every binding the environment declares, with its config section (`kv_namespaces`, `browser`,
   * `mtls_certificates`): what `env[name]` may be when the name is chosen at run time (dynamicBindings.ts).
   */
  readonly declaredBindings?: ReadonlyArray<{ readonly name: string; readonly section: string }>;
  /** Classes the config binds that run apart from the fetch handler (Durable Objects, Workflows). */
  readonly ownClasses?: OwnClasses;
  /** The config has `[assets]` (with or without a binding): without `main` it is an assets-only Worker. */
  readonly assets?: boolean;
  /** `[build] command`, when set (a workers-rs build says the Worker is written in Rust). */
  readonly buildCommand?: string | null;
  /**
   * Wrangler's `alias` (`"@acme/shared/errors": "../../packages/shared/src/errors.ts"`): a specifier
   * (or one under it, `key/...`) is the file or folder it maps to, absolute.
   */
  readonly alias?: Readonly<Record<string, string>>;
  /** The config's base name (`wrangler.toml`): a package.json script that names another config is not this Worker's. */
  readonly configName?: string;
  /** A Wrangler v1 config's entry fields. */
  readonly legacy?: {
    readonly type: string;
    readonly uploadMain: string | null;
    readonly uploadDir: string | null;
    readonly format: string | null;
    /** `[site] entry-point` when the config has `[site]` (default "workers-site"): where Wrangler v1 read package.json. */
    readonly siteEntryPoint?: string | null;
  } | null;
  /**
   * List subrequests in code no handler reaches too (default true). The editor turns it off: it
   * costs more than the rest of the analysis on large files and changes no diagnostic.
   */
  readonly listUnreached?: boolean;
  /** Which platform rules to follow (default "current": D1 queries are back-end round trips). */
  readonly platformRules?: PlatformRules;
  /**
   * What to assume of calls whose target cannot be named (default "likely": an unresolved host is a
   * back end, an awaited call on a client of an unknown library one round trip; see platform.ts).
   */
  readonly assume?: AssumeMode;
  /** Statements and calls the walk may take (default MAX_WALK_STEPS; tests set a small one). */
  readonly walkBudget?: number;
  /** Extra host patterns from settings, by category (suffix match, e.g. "logs.example.com"). */
  readonly hostCategories?: Readonly<Partial<Record<"analytics" | "global" | "backend", readonly string[]>>>;
}

/** The `class_name` of a Worker's own Durable Object and Workflow bindings (no `script_name`). */
export interface OwnClasses {
  readonly durableObjects: readonly string[];
  readonly workflows: readonly string[];
}

/** Binding names declared in the config, by kind. */
export interface BindingNames {
  readonly d1: readonly string[];
  readonly kv: readonly string[];
  readonly r2: readonly string[];
  readonly services: readonly string[];
  readonly durableObjects: readonly string[];
  readonly queues: readonly string[];
  readonly ai: readonly string[];
  readonly hyperdrive: readonly string[];
  /** `assets.binding`, usually "ASSETS". */
  readonly assets: readonly string[];
  readonly other: readonly string[];
}

export type SubrequestKind = "fetch" | "d1" | "kv" | "r2" | "durable-object" | "service" | "queue" | "socket" | "sdk" | "ai" | "other";

export type SubrequestCategory = "backend" | "analytics" | "global" | "binding" | "unknown";

export interface Subrequest {
  readonly file: string;
  readonly span: Span;
  readonly kind: SubrequestKind;
  /** Host, binding name, or null when unknown. */
  readonly target: string | null;
  readonly category: SubrequestCategory;
  /** Inside waitUntil: off the critical path. */
  readonly waitUntil: boolean;
  /** On the fetch handler's response path. */
  readonly criticalPath: boolean;
  /** 1-based position in the round-trip sequence of the longest path, when it is on it. */
  readonly roundTripIndex?: number;
  /** Why it was classified so (hover text), e.g. "api.honeycomb.io is an analytics service". */
  readonly note?: string;
  /**
   * When the target is one of several hosts chosen at run time (`env.STAGE === "prod" ? A : B`):
   * each with its category; `target` is the one counted (a back end if any is one).
   */
  readonly candidates?: ReadonlyArray<{ readonly host: string; readonly category: SubrequestCategory }>;
  /**
   * Counted as a round trip to a back end although its target is unknown (`category` stays
   * "unknown"), under the "likely" assumption: the sentence saying what was assumed.
   */
  readonly assumed?: string;
}

export type HandlerKind = "fetch" | "scheduled" | "queue" | "email" | "tail" | "trace" | "alarm" | "rpc" | "durable-object";

export interface Handler {
  readonly kind: HandlerKind;
  readonly file: string;
  /** The handler's name / declaration, where a code lens or hover goes. */
  readonly span: Span;
  /** How it was written, e.g. "export default object", "Hono app", "addEventListener", "Pages onRequestGet". */
  readonly form: string;
  /** For routers: the route, e.g. "GET /users/:id". */
  readonly route?: string;
  /** Round trips to valid back ends along this handler's longest path (fetch handlers). */
  readonly roundTrips?: number;
  /**
   * The back-end round trips of that path in order (fetch handlers): each step's count (2 in a
   * loop) and the hosts it reaches (several when they run in parallel).
   */
  readonly backendSteps?: ReadonlyArray<BackendStep>;
}

/** One step of a path that reaches back ends: `count` sequential round trips to the slowest of `hosts`. */
export interface BackendStep {
  readonly count: number;
  readonly hosts: readonly string[];
}

/** Why there is no code to read: another language, or a web framework's output not built yet. */
export type EntryProblemKind = "language" | "framework-output" | "build-output";

export interface WorkerAnalysis {
  /** Resolved entry file (absolute), or null. */
  readonly entry: string | null;
  /** Why the entry could not be resolved, when it could not. */
  readonly entryProblem: {
    readonly message: string;
    /**
     * "language": the Worker is written in a language the analyser does not read (Python, Rust).
     * "framework-output": its code is a web framework's build output, not built yet: it serves
     * requests (a fetch handler), so what the config alone decides still applies.
     * "build-output": its code is a bundler's or compiler's output, not built yet, and no source
     * for it was found: what the config alone decides (a target, a D1 binding under the 2024
     * rules) still applies.
     */
    readonly kind?: EntryProblemKind;
  } | null;
  /** A config problem that did not stop the prediction (its `main` is missing, and a package.json deploy script names the entry that is read): the `worker-entry` diagnostic. */
  readonly entryWarning?: string;
  /** How the entry was found when it was not `main` (framework sources, a package.json script, a Wrangler v1 config), or why there is no code (assets only). */
  readonly notes?: readonly string[];
  readonly handlers: readonly Handler[];
  readonly subrequests: readonly Subrequest[];
  /** Largest number of sequential round trips to valid back ends on any fetch path; null if no fetch handler. */
  readonly roundTrips: number | null;
  /** The same, counting calls whose target is unknown as round trips too (an upper bound). */
  readonly possibleRoundTrips: number | null;
  /** The steps of the worst fetch path, in order (hover evidence). */
  readonly criticalSteps: readonly Step[];
  readonly backends: ReadonlyArray<{ readonly host: string; readonly roundTrips: number }>;
  /** Things that could not be resolved (dynamic dispatch, unknown libraries), each a sentence. */
  readonly unknowns: readonly string[];
  /** Whether the fetch path serves `env.ASSETS.fetch` (or the configured assets binding). */
  readonly servesAssetsBinding: boolean;
  /** Pages: a catch-all functions/_middleware exists. */
  readonly pagesCatchAllMiddleware: boolean;
  /** Source findings (subrequest-blocking-analytics with its waitUntil fix, analysis-limit). */
  readonly findings: readonly Finding[];
  /** Every source file read, absolute (so edits to them re-trigger analysis). */
  readonly files: readonly string[];
}
