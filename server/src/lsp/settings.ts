import type { SeverityOverride } from "../core/rules/catalogue";
import { isRuleCode } from "../core/rules/catalogue";
import { setOwn } from "../core/strings";
import {
  DEFAULT_ASSUME,
  DEFAULT_PLATFORM_RULES,
  isAssumeMode,
  isPlatformRules,
  type AssumeMode,
  type PlatformRules,
} from "../core/platform";

/** The `smartPlacement.*` settings, one shape for client and server (package.json mirrors it). */
export interface Settings {
  /** Per-code severity override, or "off". */
  readonly severity: Readonly<Record<string, SeverityOverride>>;
  /** Host suffixes to treat as analytics/logging, globally distributed or back-end services. */
  readonly hosts: { readonly analytics: readonly string[]; readonly global: readonly string[]; readonly backend: readonly string[] };
  readonly codeLens: { readonly enabled: boolean };
  /** "current" (default) or "2024": which of the platform's rules the prediction follows. */
  readonly platformRules: PlatformRules;
  /** "likely" (default) or "strict": what the prediction assumes of calls whose target is unknown. */
  readonly assume: AssumeMode;
  /** Where back ends are (host -> region id, location code or city), for the estimate. */
  readonly backends: Readonly<Record<string, string>>;
  /** User cities the estimate is for; empty: the default cities. */
  readonly userLocations: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = {
  severity: {},
  hosts: { analytics: [], global: [], backend: [] },
  codeLens: { enabled: true },
  platformRules: DEFAULT_PLATFORM_RULES,
  assume: DEFAULT_ASSUME,
  backends: {},
  userLocations: [],
};

const SEVERITIES = new Set(["error", "warning", "information", "hint", "off"]);

/** Accepts whatever the client sent; drops what is not understood instead of failing. */
export function normalizeSettings(raw: unknown): Settings {
  if (typeof raw !== "object" || raw === null) return DEFAULT_SETTINGS;
  const value = raw as Record<string, unknown>;
  const severity: Record<string, SeverityOverride> = {};
  if (typeof value["severity"] === "object" && value["severity"] !== null) {
    for (const [code, level] of Object.entries(value["severity"] as Record<string, unknown>)) {
      if (isRuleCode(code) && typeof level === "string" && SEVERITIES.has(level)) severity[code] = level as SeverityOverride;
    }
  }
  const hosts = (typeof value["hosts"] === "object" && value["hosts"] !== null ? value["hosts"] : {}) as Record<string, unknown>;
  const list = (key: string): string[] =>
    Array.isArray(hosts[key]) ? (hosts[key] as unknown[]).filter((h): h is string => typeof h === "string" && h.length > 0) : [];
  const codeLens = value["codeLens"] as Record<string, unknown> | undefined;
  return {
    severity,
    hosts: { analytics: list("analytics"), global: list("global"), backend: list("backend") },
    codeLens: { enabled: typeof codeLens?.["enabled"] === "boolean" ? (codeLens["enabled"] as boolean) : true },
    platformRules: isPlatformRules(value["platformRules"]) ? value["platformRules"] : DEFAULT_PLATFORM_RULES,
    assume: isAssumeMode(value["assume"]) ? value["assume"] : DEFAULT_ASSUME,
    backends: stringRecord(value["backends"]),
    userLocations: Array.isArray(value["userLocations"])
      ? (value["userLocations"] as unknown[]).filter((c): c is string => typeof c === "string" && c.trim() !== "")
      : [],
  };
}

/** An object's string values only, in a record without a prototype (host names come from users). */
function stringRecord(raw: unknown): Record<string, string> {
  const result = Object.create(null) as Record<string, string>;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return result;
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === "string") setOwn(result, key, v);
  return result;
}
