import {
  applyEdits as applyJsonEdits,
  createScanner,
  modify,
  parseTree,
  SyntaxKind,
  printParseErrorCode,
  type Node as JsonNode,
  type ParseError,
} from "jsonc-parser";
import type { Finding } from "./findings";
import { basename, dirname, joinPath, type FileSystem } from "./fs";
import type { EstimateOptions } from "./estimate/estimate";
import { findCity, parsePlace } from "./estimate/places";
import { isAssumeMode, isPlatformRules, type AssumeMode, type PlatformRules } from "./platform";
import { isRuleCode, RULES, type RuleCode, type SeverityOverride } from "./rules/catalogue";
import { closestMatches, quotedList } from "./strings";
import type { Span, TextEdit } from "./text";

/**
 * The settings the command line and the editor share, kept with the code: a `.smart-placement.jsonc`
 * or `.smart-placement.json` file, or a `smartPlacement` key in a package.json. The nearest one in
 * the Worker's config folder or a folder above it applies (one file, not merged across folders).
 * Same shape as the editor's `smartPlacement.*` settings, which override it in the editor:
 *
 *   { "severity": { "placement-region": "off" },
 *     "hosts": { "analytics": ["logs.example.com"], "global": [], "backend": [] },
 *     "platformRules": "current", "assume": "likely",
 *     "backends": { "db.example.com": "aws:us-east-1" }, "userLocations": ["London", "SIN"],
 *     "vars": { "API_BASE": "https://api.example.com" } }
 */
export const SETTINGS_FILE_NAMES = [".smart-placement.jsonc", ".smart-placement.json"] as const;
/** The key holding the settings inside a package.json. */
export const PACKAGE_JSON_KEY = "smartPlacement";

export type HostCategory = "analytics" | "global" | "backend";
export const HOST_CATEGORIES: readonly HostCategory[] = ["analytics", "global", "backend"];

export interface SharedSettings {
  readonly severity: Readonly<Record<string, SeverityOverride>>;
  readonly hosts: Readonly<Record<HostCategory, readonly string[]>>;
  /** Absent when the file does not say. */
  readonly platformRules?: PlatformRules;
  /** What to assume of calls whose target is unknown (see AssumeMode); absent when the file does not say. */
  readonly assume?: AssumeMode;
  /** Where back ends are, for the estimate: host -> cloud region, Cloudflare location code or city. */
  readonly backends?: Readonly<Record<string, string>>;
  /** Whom the estimate is for: city names or Cloudflare location codes. */
  readonly userLocations?: readonly string[];
  /**
   * Values of variables and secrets the config's `[vars]` does not hold (set as secrets or in the
   * dashboard), as the Worker gets them: URLs built from them resolve to their hosts.
   */
  readonly vars?: Readonly<Record<string, string>>;
}

export interface SettingsFile {
  /** Absolute path of the file the settings are in. */
  readonly file: string;
  /** A settings file of its own, or a key inside package.json. */
  readonly kind: "settings" | "package.json";
  readonly settings: SharedSettings;
  /** What is wrong in it (each ignored, the rest applies); a file that does not parse applies nothing. */
  readonly findings: readonly Finding[];
}

export const NO_SHARED_SETTINGS: SharedSettings = { severity: {}, hosts: { analytics: [], global: [], backend: [] } };

const SEVERITY_VALUES = ["error", "warning", "information", "hint", "off"] as const;
/** The keys a settings file may hold (the schema in schemas/ is generated to match). */
export const SETTINGS_KEYS = ["severity", "hosts", "platformRules", "assume", "backends", "userLocations", "vars"] as const;
/** How many folders up the search goes at most (a guard; real trees are far shallower). */
const MAX_DEPTH = 64;

/** The settings file that applies to a Worker whose config is in `directory`, if any. */
export function findSettingsFile(fs: FileSystem, directory: string): SettingsFile | undefined {
  let dir = directory;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    for (const name of SETTINGS_FILE_NAMES) {
      const file = joinPath(dir, name);
      if (fs.stat(file) !== "file") continue;
      return parseSettingsFile(file, fs.readFile(file));
    }
    const packageJson = joinPath(dir, "package.json");
    if (fs.stat(packageJson) === "file") {
      const found = parsePackageJsonSettings(packageJson, fs.readFile(packageJson) ?? "");
      if (found) return found;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Whether `path` is a file that may hold shared settings (its change affects Workers below it). */
export function isSettingsFileName(path: string): boolean {
  const name = basename(path);
  return (SETTINGS_FILE_NAMES as readonly string[]).includes(name) || name === "package.json";
}

/** A `.smart-placement.json[c]` file's settings; `text` undefined when it cannot be read. */
export function parseSettingsFile(file: string, text: string | undefined): SettingsFile {
  if (text === undefined)
    return broken(file, "settings", { start: 0, end: 0 }, `${basename(file)} cannot be read; its settings are not used.`);
  const parsed = parseJson(text);
  if ("error" in parsed)
    return broken(
      file,
      "settings",
      parsed.error.span,
      `${basename(file)} does not parse (${parsed.error.message}); its settings are not used.`,
    );
  return readSettings(file, "settings", parsed.tree, "");
}

/** The `smartPlacement` key of a package.json, or undefined when it has none (or does not parse). */
export function parsePackageJsonSettings(file: string, text: string): SettingsFile | undefined {
  // Most package.json files have no settings: skip parsing those.
  if (!text.includes(`"${PACKAGE_JSON_KEY}"`)) return undefined;
  const parsed = parseJson(text);
  // A package.json that does not parse is Wrangler's and npm's to report, not ours.
  if ("error" in parsed || parsed.tree.type !== "object") return undefined;
  const property = parsed.tree.children?.find((child) => child.children?.[0]?.value === PACKAGE_JSON_KEY);
  const value = property?.children?.[1];
  if (!value) return undefined;
  return readSettings(file, "package.json", value, `${PACKAGE_JSON_KEY}.`);
}

function parseJson(text: string): { tree: JsonNode } | { error: { message: string; span: Span } } {
  const errors: ParseError[] = [];
  let tree: JsonNode | undefined;
  try {
    tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  } catch (error) {
    return { error: { message: error instanceof RangeError ? "nested too deeply" : String(error), span: { start: 0, end: 0 } } };
  }
  const first = errors[0];
  if (first || !tree) {
    const start = Math.min(first?.offset ?? 0, text.length);
    const what = first
      ? printParseErrorCode(first.error)
          .replace(/([a-z])([A-Z])/g, "$1 $2")
          .toLowerCase()
      : "it is empty";
    return { error: { message: what, span: { start, end: Math.min(text.length, start + Math.max(first?.length ?? 0, 1)) } } };
  }
  return { tree };
}

function broken(file: string, kind: SettingsFile["kind"], span: Span, message: string): SettingsFile {
  return { file, kind, settings: NO_SHARED_SETTINGS, findings: [{ code: "settings-file", file, span, message, fixes: [] }] };
}

function spanOf(node: JsonNode): Span {
  return { start: node.offset, end: node.offset + node.length };
}

function describe(node: JsonNode): string {
  if (node.type === "string") return JSON.stringify(node.value);
  return node.type === "null" ? "null" : `${node.type === "array" || node.type === "object" ? "an" : "a"} ${node.type}`;
}

/** Reads the settings object, reporting (and skipping) each part it does not understand. */
function readSettings(file: string, kind: SettingsFile["kind"], node: JsonNode, prefix: string): SettingsFile {
  const findings: Finding[] = [];
  const report = (at: JsonNode, message: string): void => {
    findings.push({ code: "settings-file", file, span: spanOf(at), message, fixes: [] });
  };
  const where = kind === "package.json" ? `"${PACKAGE_JSON_KEY}" in package.json` : basename(file);
  if (node.type !== "object") {
    report(node, `${where} must be an object like { "severity": { ... }, "hosts": { ... } }, but it is ${describe(node)}; it is not used.`);
    return { file, kind, settings: NO_SHARED_SETTINGS, findings };
  }
  const severity: Record<string, SeverityOverride> = {};
  const hosts: Record<HostCategory, string[]> = { analytics: [], global: [], backend: [] };
  let platformRules: PlatformRules | undefined;
  let assume: AssumeMode | undefined;
  let backends: Record<string, string> | undefined;
  let userLocations: string[] | undefined;
  let vars: Record<string, string> | undefined;
  for (const property of node.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (!keyNode || !value) continue;
    const key = String(keyNode.value);
    if (key === "$schema") continue;
    if (key === "severity") readSeverity(value, `${prefix}severity`, severity, report);
    else if (key === "hosts") readHosts(value, `${prefix}hosts`, hosts, report);
    else if (key === "platformRules") {
      if (isPlatformRules(value.value)) platformRules = value.value;
      else report(value, `"${prefix}platformRules" must be "current" or "2024", not ${describe(value)}; it is ignored.`);
    } else if (key === "assume") {
      if (isAssumeMode(value.value)) assume = value.value;
      else report(value, `"${prefix}assume" must be "likely" or "strict", not ${describe(value)}; it is ignored.`);
    } else if (key === "backends") backends = readBackends(value, `${prefix}backends`, report);
    else if (key === "userLocations") userLocations = readUserLocations(value, `${prefix}userLocations`, report);
    else if (key === "vars") vars = readVars(value, `${prefix}vars`, report);
    else {
      const [closest] = closestMatches(key, SETTINGS_KEYS);
      report(
        keyNode,
        `Unknown setting "${prefix}${key}"${closest ? ` (did you mean "${closest}"?)` : ""}; known settings are ${quotedList(SETTINGS_KEYS, "and")}.`,
      );
    }
  }
  const settings: SharedSettings = {
    severity,
    hosts,
    ...(platformRules ? { platformRules } : {}),
    ...(assume ? { assume } : {}),
    ...(backends ? { backends } : {}),
    ...(userLocations ? { userLocations } : {}),
    ...(vars ? { vars } : {}),
  };
  return { file, kind, settings, findings };
}

function readVars(node: JsonNode, name: string, report: (at: JsonNode, message: string) => void): Record<string, string> | undefined {
  if (node.type !== "object") {
    report(node, `"${name}" must be an object of variable name to value, like { "API_BASE": "https://api.example.com" }; it is ignored.`);
    return undefined;
  }
  const vars: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const property of node.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (!keyNode || !value) continue;
    const variable = String(keyNode.value);
    if (value.type === "string") vars[variable] = value.value as string;
    else report(value, `The value of "${variable}" in "${name}" must be a string, not ${describe(value)}; it is ignored.`);
  }
  return vars;
}

function readBackends(node: JsonNode, name: string, report: (at: JsonNode, message: string) => void): Record<string, string> | undefined {
  if (node.type !== "object") {
    report(node, `"${name}" must be an object of host name to location, like { "db.example.com": "aws:us-east-1" }; it is ignored.`);
    return undefined;
  }
  const backends: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const property of node.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (!keyNode || !value) continue;
    const host = String(keyNode.value);
    if (value.type === "string" && parsePlace(value.value as string)) backends[host] = value.value as string;
    else
      report(
        value,
        `The location of "${host}" in "${name}" must be a cloud region ("aws:us-east-1"), a Cloudflare location code ("FRA") or a city, not ${describe(value)}; it is ignored.`,
      );
  }
  return backends;
}

function readUserLocations(node: JsonNode, name: string, report: (at: JsonNode, message: string) => void): string[] | undefined {
  if (node.type !== "array") {
    report(node, `"${name}" must be a list of cities or Cloudflare location codes, like ["London", "SIN"]; it is ignored.`);
    return undefined;
  }
  const cities: string[] = [];
  for (const item of node.children ?? []) {
    if (item.type !== "string") report(item, `A city in "${name}" must be a string, not ${describe(item)}; it is ignored.`);
    else if (findCity(item.value as string)) cities.push(item.value as string);
    else report(item, `${describe(item)} in "${name}" is not a known city or Cloudflare location code; it is ignored.`);
  }
  return cities.length > 0 ? cities : undefined;
}

function readSeverity(
  node: JsonNode,
  name: string,
  into: Record<string, SeverityOverride>,
  report: (at: JsonNode, message: string) => void,
): void {
  if (node.type !== "object") {
    report(node, `"${name}" must be an object of rule code to severity, like { "placement-region": "off" }; it is ignored.`);
    return;
  }
  const codes = RULES.map((rule) => rule.code as string);
  for (const property of node.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (!keyNode || !value) continue;
    const code = String(keyNode.value);
    if (!isRuleCode(code)) {
      const [closest] = closestMatches(code, codes, 3);
      report(keyNode, `"${code}" is not a rule code${closest ? ` (did you mean "${closest}"?)` : ""}; it is ignored.`);
    } else if (typeof value.value === "string" && (SEVERITY_VALUES as readonly string[]).includes(value.value)) {
      into[code] = value.value as SeverityOverride;
    } else {
      report(value, `The severity of "${code}" must be ${quotedList(SEVERITY_VALUES)}, not ${describe(value)}; it is ignored.`);
    }
  }
}

function readHosts(
  node: JsonNode,
  name: string,
  into: Record<HostCategory, string[]>,
  report: (at: JsonNode, message: string) => void,
): void {
  if (node.type !== "object") {
    report(
      node,
      `"${name}" must be an object with lists of host names: { "analytics": [...], "global": [...], "backend": [...] }; it is ignored.`,
    );
    return;
  }
  for (const property of node.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (!keyNode || !value) continue;
    const category = String(keyNode.value);
    if (!(HOST_CATEGORIES as readonly string[]).includes(category)) {
      report(keyNode, `"${name}.${category}" is not a host list; the lists are ${quotedList(HOST_CATEGORIES, "and")}.`);
      continue;
    }
    if (value.type !== "array") {
      report(value, `"${name}.${category}" must be a list of host names, like ["logs.example.com"]; it is ignored.`);
      continue;
    }
    for (const item of value.children ?? []) {
      if (item.type === "string" && (item.value as string).length > 0) into[category as HostCategory].push(item.value as string);
      else report(item, `A host in "${name}.${category}" must be a non-empty string, not ${describe(item)}; it is ignored.`);
    }
  }
}

/**
 * Settings of the editor laid over the shared ones: a severity the editor sets wins for that code;
 * host lists add up (both only add hosts to the built-in table).
 */
export function mergeSeverity(
  shared: Readonly<Record<string, SeverityOverride>> | undefined,
  editor: Readonly<Record<string, SeverityOverride>> | undefined,
): Readonly<Record<string, SeverityOverride>> {
  return { ...shared, ...editor };
}

export function mergeHosts(
  editor: Readonly<Partial<Record<HostCategory, readonly string[]>>> | undefined,
  shared: Readonly<Record<HostCategory, readonly string[]>> | undefined,
): Readonly<Record<HostCategory, readonly string[]>> | undefined {
  if (!shared)
    return editor ? { analytics: editor.analytics ?? [], global: editor.global ?? [], backend: editor.backend ?? [] } : undefined;
  const merged = (category: HostCategory): string[] => [...new Set([...(editor?.[category] ?? []), ...shared[category]])];
  return { analytics: merged("analytics"), global: merged("global"), backend: merged("backend") };
}

/**
 * The estimate's options of the editor or the command line laid over the shared file's: a back end
 * located by both is where the editor or `--backends` says; user cities given (non-empty) win.
 */
export function mergeEstimateOptions(
  given: EstimateOptions | undefined,
  shared: Pick<SharedSettings, "backends" | "userLocations">,
): EstimateOptions | undefined {
  if (!shared.backends && !shared.userLocations) return given;
  const backends = Object.assign(Object.create(null) as Record<string, string>, shared.backends, given?.backends);
  const userLocations = given?.userLocations && given.userLocations.length > 0 ? given.userLocations : shared.userLocations;
  return { backends, ...(userLocations ? { userLocations } : {}) };
}

/**
 * Edits that turn a rule off in a settings file, keeping its comments and layout (jsonc-parser's
 * `modify`). `text` undefined: a new `.smart-placement.jsonc` file's whole text.
 */
export function disableRuleEdits(settings: Pick<SettingsFile, "kind"> | undefined, text: string | undefined, code: RuleCode): TextEdit[] {
  if (!settings || text === undefined) {
    return [
      {
        start: 0,
        end: 0,
        newText: `{\n  // Shared by the smart-placement command line and editor.\n  "severity": {\n    "${code}": "off"\n  }\n}\n`,
      },
    ];
  }
  const path = settings.kind === "package.json" ? [PACKAGE_JSON_KEY, "severity", code] : ["severity", code];
  const indentation = /^[ \t]+(?=")/m.exec(text)?.[0];
  const options = {
    formattingOptions: {
      insertSpaces: !indentation?.includes("\t"),
      tabSize: indentation && !indentation.includes("\t") ? indentation.length : 2,
      eol: text.includes("\r\n") ? "\r\n" : "\n",
    },
  };
  return (
    afterTrailingComment(text, path) ??
    modify(text, path, "off", options).map((edit) => ({ start: edit.offset, end: edit.offset + edit.length, newText: edit.content }))
  );
}

/**
 * jsonc-parser appends a property right after the last value, before a comment at the end of
 * that value's line, and its formatting then moves the comment to the new property. When there
 * is such a comment, the comma goes after the value and the new property on a line of its own
 * after the comment, indented like the value's line.
 */
function afterTrailingComment(text: string, path: readonly string[]): TextEdit[] | undefined {
  const [raw] = modify(text, [...path], "off", {});
  if (!raw || raw.length !== 0 || !raw.content.startsWith(",") || raw.content.includes("{")) return undefined;
  const scanner = createScanner(text, false);
  scanner.setPosition(raw.offset);
  let kind = scanner.scan();
  while (kind === SyntaxKind.Trivia) kind = scanner.scan();
  if (kind !== SyntaxKind.LineCommentTrivia && kind !== SyntaxKind.BlockCommentTrivia) return undefined;
  const commentEnd = scanner.getTokenOffset() + scanner.getTokenLength();
  let lineStart = raw.offset;
  while (lineStart > 0 && text[lineStart - 1] !== "\n") lineStart--;
  const line = text.slice(lineStart, raw.offset);
  const indentation = line.slice(0, line.length - line.trimStart().length);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  return [
    { start: raw.offset, end: raw.offset, newText: "," },
    { start: commentEnd, end: commentEnd, newText: `${eol}${indentation}${JSON.stringify(path[path.length - 1])}: "off"` },
  ];
}

/** `text` with the edits applied (jsonc-parser's order of application). */
export function applySettingsEdits(text: string, edits: readonly TextEdit[]): string {
  return applyJsonEdits(
    text,
    edits.map((e) => ({ offset: e.start, length: e.end - e.start, content: e.newText })),
  );
}
