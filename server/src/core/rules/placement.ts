import { createScanner, SyntaxKind as JsonSyntaxKind } from "jsonc-parser";
import { parseTOML } from "toml-eslint-parser";
import { loadWranglerConfig, parseConfigText, type PlacementSource, type WranglerConfig } from "../config/model";
import { describeKind, getEntryAt, withoutBom, type ConfigEntry, type ConfigNode, type ParsedConfig, type TableNode } from "../config/tree";
import { closestRegions, findRegion } from "../data/regions";
import { singleFileFix, type Finding, type Fix } from "../findings";
import { removeEntry, renameKey, replaceWithString, setStringInTable } from "../fixes/configEdits";
import { closestMatches, quotedList } from "../strings";
import { applyEdits, type TextEdit } from "../text";
import { effectiveSeverity, type RuleCode } from "./catalogue";

export const TARGET_FIELDS = ["region", "host", "hostname"] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];
export const PLACEMENT_KEYS = ["mode", "hint", ...TARGET_FIELDS] as const;

/**
 * Checks one `placement` (or `previews.placement`) table. The error-severity part follows
 * Wrangler 4.164's `normalizeAndValidatePlacement` branch by branch, so an error appears exactly
 * when Wrangler rejects the config; the warnings go beyond what Wrangler checks.
 */
export function checkPlacement(config: WranglerConfig, source: PlacementSource): Finding[] {
  const check = new PlacementCheck(config, source);
  check.run();
  return check.findings;
}

/** Set while a fix is being checked: the check of the fixed text needs no fixes of its own. */
let checkingFix = false;

/** Fixes are checked by parsing the fixed text; configs larger than this get none. */
const MAX_FIXABLE_CHARS = 256 * 1024;

/** Comments of a config, by their text (a fix must keep every one). */
export function commentsOf(text: string, format: ParsedConfig["format"]): string[] {
  if (format === "toml") {
    try {
      return parseTOML(withoutBom(text), { tomlVersion: "1.0" }).comments.map((comment) => comment.value);
    } catch {
      return [];
    }
  }
  const comments: string[] = [];
  const scanner = createScanner(text, false);
  for (let token = scanner.scan(); token !== JsonSyntaxKind.EOF; token = scanner.scan()) {
    if (token === JsonSyntaxKind.LineCommentTrivia || token === JsonSyntaxKind.BlockCommentTrivia) comments.push(scanner.getTokenValue());
  }
  return comments;
}

/** Whether every comment of `before` is still in `after` (as many times). */
function keepsComments(before: readonly string[], after: readonly string[]): boolean {
  const left = new Map<string, number>();
  for (const comment of after) left.set(comment, (left.get(comment) ?? 0) + 1);
  for (const comment of before) {
    const n = left.get(comment) ?? 0;
    if (n === 0) return false;
    left.set(comment, n - 1);
  }
  return true;
}

class PlacementCheck {
  readonly findings: Finding[] = [];
  private readonly field: string;

  constructor(
    private readonly config: WranglerConfig,
    private readonly source: PlacementSource,
  ) {
    this.field = source.field;
  }

  run(): void {
    const node = this.source.entry.value;
    if (node.kind !== "table") {
      const shape = this.config.format === "toml" ? `[${this.source.path.join(".")}] table` : "object";
      this.report(
        "placement-type",
        node,
        `"${this.field}" must be a ${shape} with a "mode" (or a region/host/hostname target), but got ${describeKind(node)}.`,
      );
      return;
    }
    this.checkWranglerRules(node);
    this.checkUnknownKeys(node);
    this.checkTargetContents(node);
  }

  private checkWranglerRules(table: TableNode): void {
    const hint = table.entries.get("hint");
    const targets = TARGET_FIELDS.flatMap((name) => {
      const entry = table.entries.get(name);
      return entry ? [{ name, entry }] : [];
    });
    const mode = table.entries.get("mode");

    if (hint && targets.length > 0) {
      // Wrangler stops at this error; so do we.
      this.report(
        "placement-hint",
        hint.keySpan,
        `"${this.field}.hint" (smart placement) cannot be combined with ${quotedList(
          targets.map((t) => t.name),
          "and",
        )} (targeted placement): remove one of them.`,
        this.removeFix("Remove hint", "hint", true),
        this.keepHintFix(
          table,
          targets.map((t) => t.name),
        ),
      );
      return;
    }

    if (hint) {
      this.checkMode(table, mode, ["off", "smart"], "required", 'with "hint"');
      const modeValue = stringOf(mode?.value);
      if (hint.value.kind !== "string") {
        this.report("placement-hint", hint.value, `"${this.field}.hint" must be a string, but got ${describeKind(hint.value)}.`);
      }
      if (isTruthy(hint.value) && modeValue !== "smart") {
        this.report(
          "placement-hint",
          hint.keySpan,
          `"${this.field}.hint" can only be set when "${this.field}.mode" is "smart"${mode ? `, but got ${display(mode.value)}` : ""}.`,
          this.setModeFix("smart", true),
          this.removeFix("Remove hint", "hint"),
        );
      }
      return;
    }

    if (targets.length > 0) {
      if (mode) this.checkMode(table, mode, ["targeted"], "optional", "with a region, host or hostname target");
      for (const { name, entry } of targets) {
        if (entry.value.kind !== "string") {
          this.report("placement-target", entry.value, `"${this.field}.${name}" must be a string, but got ${describeKind(entry.value)}.`);
        } else if (entry.value.value === "") {
          this.report("placement-target", entry.value, `"${this.field}.${name}" must be a non-empty string.`);
        }
      }
      if (targets.length > 1) {
        const qualified = targets.map((t) => `${this.field}.${t.name}`);
        const keepFixes = targets.map(({ name }) =>
          this.combinedFix(
            `Keep only ${name}`,
            targets.filter((t) => t.name !== name).map((t) => [...this.source.path, t.name]),
          ),
        );
        for (const { name, entry } of targets.slice(1)) {
          this.report(
            "placement-conflict",
            entry.keySpan,
            `${quotedList(qualified, "and")} are mutually exclusive: only one target can be set ("${name}" conflicts with "${targets[0]!.name}").`,
            ...keepFixes,
          );
        }
      }
      return;
    }

    this.checkMode(table, mode, ["off", "smart", "targeted"], "required", "");
    if (stringOf(mode?.value) === "targeted") {
      this.report(
        "placement-target",
        mode!.value,
        `"${this.field}.mode" is "targeted", which needs one of "${this.field}.region", "${this.field}.host" or "${this.field}.hostname".`,
        this.setModeFix("smart", true),
      );
    }
  }

  private checkMode(
    table: TableNode,
    mode: ConfigEntry | undefined,
    allowed: readonly string[],
    presence: "required" | "optional",
    context: string,
  ): void {
    const where = context ? ` ${context}` : "";
    if (!mode) {
      if (presence === "optional") return;
      const suggestion = allowed.includes("smart") ? "smart" : allowed[0]!;
      this.report(
        "placement-mode",
        this.source.entry.keySpan,
        `"${this.field}.mode" is required${where}: set it to ${quotedList(allowed)}.`,
        this.fix(`Add mode = "${suggestion}"`, setStringInTable(this.config, this.source.path, "mode", suggestion), true),
      );
      return;
    }
    const value = mode.value;
    const fixable = allowed.filter(
      (choice) => choice !== "targeted" || table.entries.has("region") || table.entries.has("host") || table.entries.has("hostname"),
    );
    if (value.kind !== "string" || !allowed.includes(value.value as string)) {
      const typed = value.kind === "string" ? (value.value as string) : "";
      const ranked = [...closestMatches(typed, fixable, 3), ...fixable];
      const ordered = [...new Set(ranked)];
      const fixes = ordered.map((choice, index) =>
        this.fix(`Change mode to "${choice}"`, replaceWithString(value, choice), index === 0 && ranked.length > fixable.length),
      );
      if (presence === "optional") fixes.push(this.removeFix("Remove mode", "mode"));
      const [closest] = value.kind === "string" ? closestMatches(typed, fixable, 3) : [];
      const allowedText = presence === "optional" ? `"targeted" or left out` : quotedList(allowed);
      this.report(
        "placement-mode",
        value,
        `"${this.field}.mode" must be ${allowedText}${where}, but got ${display(value)}.${closest ? ` Did you mean "${closest}"?` : ""}`,
        ...fixes,
      );
    }
  }

  /** Beyond Wrangler: keys it ignores without a word (its JSON schema forbids them). */
  private checkUnknownKeys(table: TableNode): void {
    for (const entry of table.entries.values()) {
      if ((PLACEMENT_KEYS as readonly string[]).includes(entry.key)) continue;
      const known = PLACEMENT_KEYS.filter((key) => !table.entries.has(key));
      const [closest] = closestMatches(entry.key, known);
      const fixes: Fix[] = [];
      if (closest) fixes.push(...this.fix(`Rename to "${closest}"`, renameKey(this.config, entry, closest), true));
      fixes.push(...this.removeFix(`Remove "${entry.key}"`, entry.key));
      this.report(
        "placement-unknown-key",
        entry.keySpan,
        `Wrangler ignores "${this.field}.${entry.key}"${closest ? ` (did you mean "${closest}"?)` : ""}; known keys are ${quotedList(PLACEMENT_KEYS)}.`,
        fixes,
      );
    }
  }

  /** Beyond Wrangler: the contents of region, host and hostname, which it does not check. */
  private checkTargetContents(table: TableNode): void {
    const region = table.entries.get("region")?.value;
    if (region?.kind === "string" && region.value !== "" && !findRegion(region.value as string)) {
      const value = region.value as string;
      const suggestions = closestRegions(value);
      this.report(
        "placement-region",
        region,
        `"${value}" is not a known cloud region: write "aws:", "gcp:" or "azure:" followed by the provider's region code (e.g. "aws:us-east-1")${suggestions.length ? `; did you mean ${quotedList(suggestions)}?` : "."}`,
        ...suggestions.map((s, i) => this.fix(`Change region to "${s}"`, replaceWithString(region, s), i === 0)),
      );
    }
    const host = table.entries.get("host");
    if (host?.value.kind === "string" && host.value.value !== "") this.checkHost(host);
    const hostname = table.entries.get("hostname")?.value;
    if (hostname?.kind === "string" && hostname.value !== "") this.checkHostname(hostname, hostname.value as string);
  }

  private checkHost(entry: ConfigEntry): void {
    const value = entry.value.kind === "string" ? (entry.value.value as string) : "";
    const parsed = parseEndpoint(value);
    if (parsed && !parsed.scheme && parsed.port && !parsed.path) return;
    const fixes: Fix[] = [];
    if (parsed && !parsed.port && !this.hasKey("hostname")) {
      fixes.push(
        ...this.fix(
          `Use hostname = "${parsed.host}" (an HTTP host) instead`,
          [...renameKey(this.config, entry, "hostname"), ...replaceWithString(entry.value, parsed.host)],
          true,
        ),
      );
    }
    const problem = !parsed ? "is not a host name" : parsed.scheme ? "has a scheme" : parsed.path ? "has a path" : "has no port";
    this.report(
      "placement-host",
      entry.value,
      `"${this.field}.host" ${problem}: it is a TCP endpoint "host:port" to probe (e.g. "db.example.com:5432"); for an HTTP service use "hostname".`,
      fixes,
    );
  }

  private checkHostname(node: ConfigNode, value: string): void {
    const parsed = parseEndpoint(value);
    if (parsed && !parsed.scheme && !parsed.port && !parsed.path) return;
    const parts = parsed
      ? [parsed.scheme ? "a scheme" : "", parsed.path ? "a path" : "", parsed.port ? "a port" : ""].filter((p) => p !== "")
      : [];
    const problem = !parsed
      ? "is not a host name"
      : parts.length > 1
        ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`
        : parts.join("");
    this.report(
      "placement-host",
      node,
      `"${this.field}.hostname" ${parsed ? `has ${problem}` : problem}: write the HTTP host name only (e.g. "api.example.com"); a TCP endpoint with a port goes in "host".`,
      ...(parsed ? [this.fix(`Use "${parsed.host}"`, replaceWithString(node, parsed.host), true)] : []),
    );
  }

  private hasKey(key: string): boolean {
    const node = this.source.entry.value;
    return node.kind === "table" && node.entries.has(key);
  }

  private setModeFix(mode: string, preferred = false): Fix[] {
    return this.fix(`Set mode to "${mode}"`, setStringInTable(this.config, this.source.path, "mode", mode), preferred);
  }

  private removeFix(title: string, key: string, preferred = false): Fix[] {
    return this.fix(title, removeEntry(this.config, [...this.source.path, key]), preferred);
  }

  private combinedFix(title: string, paths: readonly (readonly string[])[]): Fix[] {
    return this.fix(title, sequentialRemovals(this.config, paths));
  }

  /**
   * The other way out of hint + target: keep the hint, drop the target(s). A hint needs
   * mode = "smart", so the mode is set too when it is not already.
   */
  private keepHintFix(table: TableNode, targets: readonly string[]): Fix[] {
    const removed = targets.join(" and ");
    const paths = targets.map((name) => [...this.source.path, name]);
    if (stringOf(table.entries.get("mode")?.value) === "smart")
      return this.fix(`Remove ${removed}`, sequentialRemovals(this.config, paths));
    const steps = [...paths.map((path) => (config: ParsedConfig) => removeEntry(config, path))];
    steps.push((config) => setStringInTable(config, this.source.path, "mode", "smart"));
    return this.fix(`Remove ${removed} and set mode to "smart"`, sequentialEdits(this.config, steps));
  }

  private fix(title: string, edits: readonly TextEdit[] | undefined, preferred = false): Fix[] {
    if (checkingFix || !edits || edits.length === 0 || !this.fixIsSafe(edits)) return [];
    return [singleFileFix(title, this.config.file, edits, preferred)];
  }

  private errorsBefore: number | undefined;

  /**
   * A fix is offered only when the fixed text still parses, keeps every comment, and has no more
   * Wrangler errors in this placement than before (renaming a key to "mode" beside a target would
   * trade a warning for an error).
   */
  private fixIsSafe(edits: readonly TextEdit[]): boolean {
    const { text, format, file } = this.config;
    if (text.length > MAX_FIXABLE_CHARS) return false;
    const fixed = applyEdits(text, edits);
    if (!keepsComments(commentsOf(text, format), commentsOf(fixed, format))) return false;
    const after = loadWranglerConfig(file, fixed, format);
    if (!after.root) return false;
    this.errorsBefore ??= this.errorsIn(this.config);
    return this.errorsIn(after) <= this.errorsBefore;
  }

  private errorsIn(config: WranglerConfig): number {
    const entry = getEntryAt(config.root, this.source.path);
    if (!entry) return 0;
    checkingFix = true;
    try {
      return checkPlacement(config, { ...this.source, entry }).filter((f) => effectiveSeverity(f.code, undefined) === "error").length;
    } finally {
      checkingFix = false;
    }
  }

  private report(code: RuleCode, at: ConfigNode | { start: number; end: number }, message: string, ...fixes: Fix[][]): void {
    const span = "kind" in at ? at.span : at;
    this.findings.push({ code, file: this.config.file, span, message, fixes: fixes.flat() });
  }
}

/**
 * Removes several entries. Each removal is computed on the text left by the previous one (two
 * neighbours in an inline table share a separator), and the result is one edit over the changed
 * region of the original text.
 */
function sequentialRemovals(config: WranglerConfig, paths: readonly (readonly string[])[]): TextEdit[] | undefined {
  return sequentialEdits(
    config,
    paths.map((path) => (current: ParsedConfig) => removeEntry(current, path)),
  );
}

/** Edits computed one after another, each on the text the previous left, as one edit of the original. */
function sequentialEdits(
  config: WranglerConfig,
  steps: ReadonlyArray<(current: ParsedConfig) => readonly TextEdit[] | undefined>,
): TextEdit[] | undefined {
  let current: ParsedConfig = config;
  for (const step of steps) {
    const edits = step(current);
    if (!edits) return undefined;
    current = parseConfigText(applyEdits(current.text, edits), config.format);
    if (!current.root) return undefined;
  }
  const before = config.text;
  const after = current.text;
  if (after === before) return undefined;
  let start = 0;
  while (start < after.length && start < before.length && after[start] === before[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && after[endAfter - 1] === before[endBefore - 1]) {
    endBefore--;
    endAfter--;
  }
  return [{ start, end: endBefore, newText: after.slice(start, endAfter) }];
}

function stringOf(node: ConfigNode | undefined): string | undefined {
  return node?.kind === "string" ? (node.value as string) : undefined;
}

/** JavaScript truthiness of the value, as Wrangler's `if (hint && ...)` sees it. */
function isTruthy(node: ConfigNode): boolean {
  if (node.kind === "table" || node.kind === "array" || node.kind === "datetime") return true;
  return Boolean(node.value);
}

function display(node: ConfigNode): string {
  return node.kind === "string" ? JSON.stringify(node.value) : describeKind(node);
}

interface Endpoint {
  readonly host: string;
  readonly scheme: boolean;
  readonly port: string;
  readonly path: boolean;
}

/** Splits "https://api.example.com:8443/v1" into its parts with the WHATWG URL parser. */
export function parseEndpoint(value: string): Endpoint | undefined {
  const scheme = value.includes("://");
  let url: URL;
  try {
    // A non-special scheme keeps any port as written (a special one drops its default port).
    url = new URL(scheme ? value : `tcp://${value}`);
  } catch {
    return undefined;
  }
  if (!url.hostname) return undefined;
  const path = (url.pathname !== "" && url.pathname !== "/") || url.search !== "" || url.hash !== "" || value.endsWith("/");
  let port = url.port;
  if (scheme && port === "") {
    // `https://host:443` parses with an empty port (the default); find out whether one was written.
    const authority = value.slice(value.indexOf("://") + 3).split(/[/?#]/)[0] ?? "";
    if (authority.lastIndexOf(":") > authority.lastIndexOf("]")) port = authority.slice(authority.lastIndexOf(":") + 1);
  }
  return { host: url.hostname, scheme, port, path };
}
