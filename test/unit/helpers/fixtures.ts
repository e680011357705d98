import type { JsonWorker } from "../../../server/src/cli/report";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const FIXTURES = path.resolve(__dirname, "../../fixtures/workers");

export interface Expected {
  description: string;
  prediction: { status: string; roundTrips: number | null; backends?: Array<{ host: string; roundTrips: number }> };
  subrequests: JsonWorker["subrequests"];
  diagnostics: string[];
  groundTruth?: { roundTrips?: number; path?: string; skip?: string; serviceWorker?: boolean };
  /** The platform rules the expectations follow, when not today's ("2024": D1 pins). */
  platformRules?: "current" | "2024";
}

export function fixtureDirs(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function configOf(dir: string): string {
  const name = ["wrangler.jsonc", "wrangler.json", "wrangler.toml"].find((n) => readdirSync(dir).includes(n));
  if (!name) throw new Error(`no wrangler config in ${dir}`);
  return path.join(dir, name);
}

export function expectedOf(dir: string): Expected {
  return JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as Expected;
}
