import type { JsonWorker } from "../../../server/src/cli/report";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const FIXTURES = path.resolve(__dirname, "../../fixtures/workers");

export interface Expected {
  description: string;
  prediction: {
    status: string;
    roundTrips: number | null;
    backends?: Array<{ host: string; roundTrips: number }>;
    /** When given, the prediction's reasons exactly. */
    reasons?: string[];
  };
  subrequests: JsonWorker["subrequests"];
  diagnostics: string[];
  groundTruth?: { roundTrips?: number; path?: string; skip?: string; serviceWorker?: boolean };
  /** Source files the editor also opens (relative to the fixture), where a finding is on a file with no subrequest. */
  open?: string[];
  /**
   * Environments of the config (`[env.NAME]`), each checked as the top level is: its prediction and,
   * when given, every subrequest. The top level's fields above are the Worker deployed without `--env`.
   */
  environments?: Record<string, { prediction: Expected["prediction"]; subrequests?: JsonWorker["subrequests"] }>;
  /** The platform rules the expectations follow, when not today's ("2024": D1 pins). */
  platformRules?: "current" | "2024";
  /** What the prediction assumes of calls whose target is unknown, when not the default ("likely"). */
  assume?: "likely" | "strict";
}

export function fixtureDirs(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * The fixture's wrangler config: `wrangler.jsonc|json|toml`, else a named one (`wrangler.staging.toml`);
 * undefined for a Pages project without a config (analysed as a folder).
 */
export function configOf(dir: string): string | undefined {
  const names = readdirSync(dir);
  const name =
    ["wrangler.jsonc", "wrangler.json", "wrangler.toml"].find((n) => names.includes(n)) ??
    names.find((n) => n.startsWith("wrangler.") && /\.(toml|json|jsonc)$/.test(n));
  return name ? path.join(dir, name) : undefined;
}

export function expectedOf(dir: string): Expected {
  return JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as Expected;
}
