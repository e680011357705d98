/**
 * The one rule catalogue: every diagnostic code with its default severity, a one-line summary and
 * its documentation. Settings (package.json `contributes.configuration`), the README rule table and
 * the tests derive from this list; a test fails when they drift.
 */
export type Severity = "error" | "warning" | "information" | "hint";

export type RuleGroup = "config" | "prediction" | "source";

export interface RuleInfo {
  readonly code: string;
  readonly group: RuleGroup;
  readonly severity: Severity;
  /** When the rule fires, in one line (README table, settings description). */
  readonly summary: string;
  /** What to do about it (hover / docs). */
  readonly docs: string;
  /** True when Wrangler itself rejects the config for this (error exactly when Wrangler errors). */
  readonly mirrorsWrangler?: boolean;
  /** Titles of the quick fixes offered for this code. */
  readonly fixes?: readonly string[];
  /**
   * Whether "Fix all" (`source.fixAll.smartPlacement`, e.g. on save) applies this rule's preferred
   * fix: only where it makes the config what Wrangler accepts without guessing at intent beyond a
   * typo. Fixes that change what the Worker does (enabling placement, moving code) are offered,
   * never applied unasked.
   */
  readonly fixAll?: boolean;
}

/** The repository (package.json `repository.url`; a test keeps them equal). */
export const REPOSITORY_URL = "https://github.com/smart-placement/smart-placement";
/** Where the rule pages are in the repository (`npm run generate` writes them). */
export const RULE_DOCS_DIR = "docs/rules";

export const RULES = [
  {
    code: "config-syntax",
    group: "config",
    severity: "error",
    summary: "The config file does not parse.",
    docs: "Wrangler cannot read this file at all; semantic checks are skipped until it parses.",
    mirrorsWrangler: true,
  },
  {
    code: "placement-type",
    group: "config",
    severity: "error",
    summary: "`placement` is not a table/object.",
    docs: 'Write `[placement]` with `mode = "smart"` (TOML) or `"placement": { "mode": "smart" }` (JSON).',
    mirrorsWrangler: true,
  },
  {
    code: "placement-mode",
    group: "config",
    severity: "error",
    summary: "`mode` missing where required, not a string, or not allowed for the shape.",
    docs: 'Smart format: `mode` is required and is "off" or "smart". Targeted format (region/host/hostname): `mode` is optional and must be "targeted".',
    mirrorsWrangler: true,
    fixes: ["Change mode to the closest allowed value", "Add mode", "Remove mode"],
    fixAll: true,
  },
  {
    code: "placement-hint",
    group: "config",
    severity: "error",
    summary: "`hint` misused: not a string, set together with a target, or mode is not smart.",
    docs: '`hint` is allowed only with `mode = "smart"` and never together with region, host or hostname.',
    mirrorsWrangler: true,
    fixes: ["Remove hint", 'Set mode to "smart"', "Remove the target (region / host / hostname), keeping the hint"],
  },
  {
    code: "placement-conflict",
    group: "config",
    severity: "error",
    summary: "More than one of region / host / hostname.",
    docs: "region, host and hostname are mutually exclusive: keep exactly one.",
    mirrorsWrangler: true,
    fixes: ["Keep only region / host / hostname"],
  },
  {
    code: "placement-target",
    group: "config",
    severity: "error",
    summary: 'A target is not a string or is empty; `mode = "targeted"` without one.',
    docs: 'A targeted placement needs exactly one non-empty string: region ("aws:us-east-1"), host ("db.example.com:5432") or hostname ("api.example.com").',
    mirrorsWrangler: true,
    fixes: ['Set mode to "smart" (for mode = "targeted" without a target)'],
  },
  {
    code: "placement-unknown-key",
    group: "config",
    severity: "warning",
    summary: "A key inside `placement` that Wrangler silently ignores.",
    docs: "Wrangler drops unknown keys without a word (its JSON schema forbids them); a typo here silently changes nothing.",
    fixes: ["Rename to the closest known key", "Remove the key"],
    fixAll: true,
  },
  {
    code: "placement-region",
    group: "config",
    severity: "warning",
    summary: "`region` is not `aws:`/`gcp:`/`azure:` followed by a known region code.",
    docs: "Wrangler does not check the region; the platform cannot place a Worker near a region it does not know.",
    fixes: ["Change region to the closest known region"],
    fixAll: true,
  },
  {
    code: "placement-host",
    group: "config",
    severity: "warning",
    summary: "`host` is not `host:port`, or `hostname` has a scheme, path or port.",
    docs: "`host` is a TCP endpoint to probe (`db.example.com:5432`); `hostname` is an HTTP host name (`api.example.com`).",
    fixes: ["Use the host name only (hostname)", "Use hostname instead (host without a port)"],
    fixAll: true,
  },
  {
    code: "placement-assets-first",
    group: "config",
    severity: "warning",
    summary: "Smart mode together with `assets.run_worker_first = true`.",
    docs: "Every asset request then runs the Worker first, placed away from the user: static assets are served from the placed location. Wrangler warns only at deploy.",
  },
  {
    code: "placement-wrangler-version",
    group: "config",
    severity: "warning",
    summary: "The `wrangler` range in package.json admits versions without the configured placement feature.",
    docs: "`[placement]` needs Wrangler 2.20.0 or later; region/host/hostname targets need a Wrangler release with placement hints.",
  },
  {
    code: "placement-no-fetch-handler",
    group: "prediction",
    severity: "warning",
    summary: "Placement is configured, but the Worker has no fetch handler.",
    docs: "Smart Placement only places fetch handlers; Workers without one are ignored.",
  },
  {
    code: "placement-insufficient-subrequests",
    group: "prediction",
    severity: "information",
    summary: "Smart mode, but the fetch handler reaches a back end at most once per request.",
    docs: 'Smart Placement helps Workers that make more than one round trip to back-end infrastructure per request; with one it keeps the Worker near the user. Given only when every path was followed; a call whose host could not be named but that the prediction counts as a back end by assumption (the default `assume` setting, "likely") was followed, and counting it can only raise the count, so the note holds whatever it reaches.',
  },
  {
    code: "placement-no-valid-hosts",
    group: "prediction",
    severity: "warning",
    summary: "Smart mode, but no subrequest on the fetch path goes to a back end Smart Placement considers (or there are none).",
    docs: "Analytics/logging services, globally distributed services (Google APIs, CDN-fronted hosts) and Cloudflare bindings are not considered; a fetch handler that sends no subrequests stays near the user. Given only when every path was followed.",
  },
  {
    code: "placement-d1-pinned",
    group: "prediction",
    severity: "information",
    summary: "Smart mode with a D1 binding, under the 2024 rules: the Worker is placed near its D1 database.",
    docs: 'Only with the setting platformRules = "2024": a Worker with a D1 binding is placed near the database and its other subrequests are not considered. Cloudflare ended this on 2025-02-13; today D1 queries are round trips like any back end\'s.',
  },
  {
    code: "placement-fetch-only",
    group: "prediction",
    severity: "information",
    summary: "Placement is configured and the Worker also has non-fetch handlers.",
    docs: "Only the fetch handler is placed; scheduled, queue, email, tail handlers and RPC methods run as before.",
  },
  {
    code: "placement-assets-binding",
    group: "prediction",
    severity: "warning",
    summary: "Placement is configured and the fetch path serves `env.ASSETS.fetch`.",
    docs: "Assets fetched through the binding are served from where the Worker runs, away from the user once placed.",
  },
  {
    code: "placement-pages-middleware",
    group: "prediction",
    severity: "warning",
    summary: "Placement on Pages with a catch-all `functions/_middleware`.",
    docs: "Middleware that runs on every request means static assets are served from the placed location too.",
  },
  {
    code: "placement-target-far",
    group: "prediction",
    severity: "warning",
    summary:
      "`hint` or `region` is far from the back end the Worker talks to most (located by `smartPlacement.backends` or its host name).",
    docs: "The Worker is placed near the hint or region, so every round trip to a back end elsewhere crosses that distance. Point it at the back end's region (the quick fix picks the nearest one of the same cloud).",
    fixes: ["Change hint / region to the region nearest the back end"],
  },
  {
    code: "placement-suggest-smart",
    group: "prediction",
    severity: "hint",
    summary: "Placement is absent and the Worker makes two or more sequential round trips to a back end.",
    docs: "Smart Placement would likely lower request duration.",
    fixes: ["Enable Smart Placement"],
  },
  {
    code: "worker-entry",
    group: "prediction",
    severity: "warning",
    summary:
      "The Worker's entry (`main`) cannot be found, is build output that does not exist yet, or is a module with no Worker handler in a framework's app.",
    docs: "Without the entry no prediction can be made (status UNKNOWN). Build the project or fix `main`.",
  },
  {
    code: "worker-language",
    group: "prediction",
    severity: "information",
    summary: "The Worker is written in Rust (workers-rs) or Go: the analyser reads JavaScript, TypeScript and Python only.",
    docs: "No prediction is made from the code (status UNKNOWN with this reason); placement findings on the config still apply.",
  },
  {
    code: "subrequest-blocking-analytics",
    group: "source",
    severity: "warning",
    summary: "An analytics/logging call awaited on the response path.",
    docs: "Smart Placement ignores analytics hosts, and awaiting them delays the response: run them in `ctx.waitUntil(...)`.",
    fixes: ["Move into ctx.waitUntil(...)"],
  },
  {
    code: "trace-disagrees",
    group: "source",
    severity: "warning",
    summary:
      "In the editor, after Trace Locally: a request made a different number of sequential round trips to back ends than the prediction counts.",
    docs: "Trace Locally runs the Worker in local workerd (as `smart-placement trace` does) and compares what each request did with the static count. This is shown on the fetch handler or route the request took, with the request and both counts, until a file of the Worker changes or a new trace agrees. More observed than predicted: a loop that ran more than twice, or a call the analysis could not follow. Fewer: a branch not taken, an early return, or a stubbed answer that ended the request early; send a request that takes the longest path (`--request`), or set stub answers (`--stubs`).",
  },
  {
    code: "settings-file",
    group: "config",
    severity: "warning",
    summary:
      "The shared settings (`.smart-placement.json[c]`, or `smartPlacement` in package.json) do not parse or hold a value that is not understood.",
    docs: "What is not understood is ignored and the rest applies; a file that does not parse applies nothing. The command line and the editor read the same file, so a mistake here changes both.",
  },
  {
    code: "source-syntax",
    group: "source",
    severity: "warning",
    summary: "A file of the Worker has syntax errors, or a stray Markdown code fence: what it does cannot be read.",
    docs: "The parser recovers from syntax errors, but what it recovers need not be what the file means (a half-finished edit): a handler may be lost, or a call misread. A Markdown code fence left in a file (a line of three backticks) even parses, as template literals, but swallows the code after it into a string and throws when the module loads. The message names the line and column of the first error. The Worker's prediction is UNKNOWN until the file parses.",
  },
  {
    code: "analysis-limit",
    group: "source",
    severity: "information",
    summary: "A file is too large or too deeply nested to analyse.",
    docs: "The analyser skips files over its limits rather than slow the editor down: sources over 2 MB or nested more than 400 levels, configs over 1 MB, nested more than 64 levels, with a string too long for the parser or more than 256 environments. The Worker's prediction is then UNKNOWN.",
  },
] as const satisfies readonly RuleInfo[];

export type RuleCode = (typeof RULES)[number]["code"];

const BY_CODE = new Map<string, RuleInfo>(RULES.map((rule) => [rule.code, rule]));

export function ruleInfo(code: RuleCode): RuleInfo {
  return BY_CODE.get(code)!;
}

export function isRuleCode(code: string): code is RuleCode {
  return BY_CODE.has(code);
}

/** The rule's page in the repository, as linked from diagnostics and SARIF. */
export function ruleDocsUrl(code: RuleCode): string {
  return `${REPOSITORY_URL}/blob/main/${RULE_DOCS_DIR}/${code}.md`;
}

/** A per-code override from settings: a severity, or "off". */
export type SeverityOverride = Severity | "off";

export function effectiveSeverity(code: RuleCode, overrides: Readonly<Record<string, SeverityOverride>> | undefined): Severity | undefined {
  const override = overrides?.[code];
  if (override === "off") return undefined;
  return override ?? ruleInfo(code).severity;
}
