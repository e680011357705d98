import * as path from "node:path";
import { analyzeConfig, analyzePagesProject, type ConfigAnalysis } from "../core/analysis";
import { pagesProjectOf } from "../core/pagesProject";
import { configFormatOf } from "../core/config/model";
import { discoverConfigs } from "../core/discovery";
import { ContainedFileSystem, dirname, normalizePath, relativePath, RunFileSystem } from "../core/fs";
import { NodeFileSystem } from "../host/nodeFileSystem";
import { createAnalysisCache } from "../core/worker/analyze";
import { workspaceRootsAbove } from "../core/worker/resolve";
import type { AssumeMode, PlatformRules } from "../core/platform";
import type { Severity } from "../core/rules/catalogue";
import { argumentsOf, assumeOption, parseOrReport, platformRulesOption, UsageError } from "./args";
import {
  buildReport,
  COLOUR,
  describeWorkers,
  escapeText,
  formatSarif,
  formatText,
  NO_COLOUR,
  wantsColour,
  formatEstimates,
  type JsonReport,
} from "./report";
import { parse as parseJsonc, type ParseError } from "jsonc-parser";
import { parsePlace, findCity } from "../core/estimate/places";
import type { EstimateOptions } from "../core/estimate/estimate";
import { runStatus } from "./status";
import { runTrace } from "./trace";

declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === "string" ? PACKAGE_VERSION : "0.0.0-dev";

const USAGE = `Usage: smart-placement check [PATH ...] [--format text|json|sarif] [--env NAME] [--platform-rules current|2024]
                             [--assume likely|strict] [--fail-on error|warning|information] [--max-warnings N] [--quiet]
                             [--backends FILE] [--from CITY,...]
       smart-placement estimate [PATH ...] [--env NAME] [--backends FILE] [--from CITY,...]

Checks the placement configuration of Cloudflare Workers and predicts what Smart Placement
will do with each, from wrangler.toml / wrangler.json / wrangler.jsonc and the Worker's source.

  PATH             a wrangler config file or a directory searched for them (default: .)
  --format FORMAT  text (default), json or sarif
  --env NAME       analyse as \`wrangler deploy --env NAME\` would (default: every environment)
  --platform-rules RULES
                   current (default): today's platform, where D1 queries are round trips like any
                   back end's; 2024: the 2024 rules, where a D1 binding pins the Worker (D1_PINNED)
  --assume MODE    likely (default): a fetch whose host cannot be resolved counts as a round trip
                   to a back end, and an awaited call on a client of a library the analyser does
                   not know as one round trip to its service (the reasons say what was assumed);
                   strict: such a call on the response path makes the prediction UNKNOWN
  --fail-on LEVEL  exit 1 when a finding is at least this severe: error (default), warning or information
  --max-warnings N exit 1 when there are more than N warnings
  --quiet          report errors only (and decide the exit status on them alone)
  --backends FILE  where back ends are, for the estimate: a JSON file mapping host names to a
                   cloud region, a Cloudflare location code or a city ({"db.example.com":
                   "aws:us-east-1"}); a package.json-like file with "smartPlacement": {"backends":
                   {...}} works too (the same as the editor setting smartPlacement.backends)
  --from CITY,...  the user cities to estimate for (names or Cloudflare location codes such as
                   SYD); default: New York, São Paulo, London, Frankfurt, Johannesburg, Mumbai,
                   Singapore, Tokyo, Sydney

\`estimate\` prints, per Worker and request path, how long a request takes from each user city
without placement and with it, and the change.

Severities and host lists come from the shared settings (.smart-placement.jsonc, .smart-placement.json
or "smartPlacement" in package.json) nearest each Worker's config, as in the editor.

Exit status: 0 nothing to fail on, 1 a finding fails the run (see --fail-on, --max-warnings),
2 usage error, unreadable path, no config found, or an --env that no config defines.

Also: smart-placement trace --help   (run the Worker locally and compare with the prediction)
      smart-placement status --help  (what the platform decided for a deployed Worker)`;

type FailOn = "error" | "warning" | "information";

interface Options {
  command: "check" | "estimate";
  paths: string[];
  format: "text" | "json" | "sarif";
  env: string | undefined;
  /** Only when given: otherwise the shared settings', else the default. */
  platformRules: PlatformRules | undefined;
  /** Only when given: otherwise the shared settings', else "likely". */
  assume: AssumeMode | undefined;
  failOn: FailOn;
  maxWarnings: number | undefined;
  quiet: boolean;
  backendsFile: string | undefined;
  from: string[] | undefined;
}

function parseArgs(argv: readonly string[]): Options | "help" | "version" {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") return "help";
  if (command === "--version" || command === "-v") return "version";
  if (command !== "check" && command !== "estimate")
    throw new UsageError(
      command === undefined
        ? "missing command: try `smart-placement check`"
        : `unknown command "${command}": try \`smart-placement check\` or \`smart-placement estimate\``,
    );
  const options: Options = {
    command,
    paths: [],
    format: "text",
    env: undefined,
    platformRules: undefined,
    assume: undefined,
    failOn: "error",
    maxWarnings: undefined,
    quiet: false,
    backendsFile: undefined,
    from: undefined,
  };
  for (const { arg, flag, inline, value } of argumentsOf(rest)) {
    if (flag === "--format") {
      const format = value();
      if (format !== "text" && format !== "json" && format !== "sarif")
        throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
      options.format = format;
    } else if (flag === "--env") options.env = value();
    else if (flag === "--platform-rules") options.platformRules = platformRulesOption(value());
    else if (flag === "--assume") options.assume = assumeOption(value());
    else if (flag === "--fail-on") {
      const level = value();
      if (level !== "error" && level !== "warning" && level !== "information")
        throw new UsageError(`--fail-on must be error, warning or information, not "${level}"`);
      options.failOn = level;
    } else if (flag === "--max-warnings") {
      const count = value();
      if (!/^\d+$/.test(count) || !Number.isSafeInteger(Number(count)))
        throw new UsageError(`--max-warnings must be a whole number of 0 or more, not "${count}"`);
      options.maxWarnings = Number(count);
    } else if (flag === "--quiet" || flag === "-q") {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      options.quiet = true;
    } else if (flag === "--backends") options.backendsFile = value();
    else if (flag === "--from") {
      const cities = value()
        .split(",")
        .map((c) => c.trim())
        .filter((c) => c !== "");
      const unknown = cities.filter((c) => !findCity(c));
      if (unknown.length > 0 || cities.length === 0)
        throw new UsageError(
          `--from: ${unknown.length ? `"${unknown[0]}" is not a known city or Cloudflare location code` : "no city given"}`,
        );
      options.from = cities;
    } else if (flag === "--help" || flag === "-h") return "help";
    else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown option ${flag}`);
    else options.paths.push(arg);
  }
  if (options.paths.length === 0) options.paths.push(".");
  return options;
}

/** Where the text goes: whether stdout is a terminal, and the environment (NO_COLOR, FORCE_COLOR, TERM). */
export interface Terminal {
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function run(
  argv: readonly string[],
  cwd: string,
  out: (s: string) => void,
  err: (s: string) => void,
  terminal: Terminal = { isTTY: false, env: {} },
): number {
  const options = parseOrReport(() => parseArgs(argv), err);
  if (options === undefined) return 2;
  if (options === "help") {
    out(USAGE + "\n");
    return 0;
  }
  if (options === "version") {
    out(VERSION + "\n");
    return 0;
  }
  const disk = new NodeFileSystem();
  const cwdPath = normalizePath(path.resolve(cwd));
  let estimate: EstimateOptions;
  try {
    estimate = {
      ...(options.backendsFile ? { backends: readBackends(disk, path.resolve(cwd, options.backendsFile), options.backendsFile) } : {}),
      ...(options.from ? { userLocations: options.from } : {}),
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`smart-placement: ${escapeText(error.message)}\n`);
    return 2;
  }
  const files: string[] = [];
  const projects: string[] = [];
  const unreadable: string[] = [];
  const roots = [cwdPath];
  for (const given of options.paths) {
    const absolute = normalizePath(path.resolve(cwd, given));
    const kind = disk.stat(absolute);
    if (kind === "directory") {
      roots.push(absolute);
      const found = discoverConfigs(disk, absolute);
      files.push(...found.files);
      projects.push(...found.projects);
      unreadable.push(...found.unreadable);
    } else if (kind === "file" && disk.readFile(absolute) !== undefined) {
      if (!configFormatOf(absolute)) {
        err(`smart-placement: ${escapeText(given)} is not a wrangler config (wrangler.toml, wrangler.json or wrangler.jsonc)\n`);
        return 2;
      }
      roots.push(dirname(absolute));
      files.push(absolute);
    } else {
      err(
        `smart-placement: cannot read ${escapeText(given)}: ${kind === "file" ? "permission denied or too large" : "no such file or directory"}\n`,
      );
      return 2;
    }
  }
  // What the Workers read is confined to the folders the run was asked about (and the current
  // one): a symlink, `main` or an import pointing elsewhere finds nothing there.
  // Run inside a workspace package (`packages/worker`), the workspace it belongs to is read too:
  // its sibling packages are the Worker's code.
  roots.push(...workspaceRootsAbove(disk, roots));
  const fs = new RunFileSystem(new ContainedFileSystem(new RunFileSystem(disk), roots));
  const cache = createAnalysisCache(undefined, { oneRun: true });
  const platformRules = {
    ...(options.platformRules ? { platformRules: options.platformRules } : {}),
    ...(options.assume ? { assume: options.assume } : {}),
  };
  const analyses: ConfigAnalysis[] = [];
  for (const file of [...new Set(files)]) {
    const text = fs.readFile(file);
    if (text === undefined) {
      unreadable.push(file);
      continue;
    }
    try {
      analyses.push(analyzeConfig(fs, file, text, { env: options.env, cache, settingsFs: disk, ...platformRules, estimate }));
    } catch (error) {
      // One config never hides the others: say which failed, go on with the rest.
      err(`smart-placement: ${escapeText(relativePath(cwdPath, file))}: analysis failed: ${escapeText(String(error))}\n`);
      unreadable.push(file);
    }
  }
  // Pages projects without a wrangler config, found by a directory search.
  for (const dir of [...new Set(projects)]) {
    const project = pagesProjectOf(fs, dir);
    if (project) analyses.push(analyzePagesProject(fs, project, { env: options.env, cache, settingsFs: disk, ...platformRules, estimate }));
  }
  if (analyses.length === 0 && unreadable.length === 0) {
    err(`smart-placement: no wrangler.toml, wrangler.json or wrangler.jsonc found in ${options.paths.map(escapeText).join(", ")}\n`);
    return 2;
  }
  if (options.env !== undefined) {
    const missing = environmentProblem(analyses, options.env, cwdPath);
    if (missing.fatal) {
      err(`smart-placement: ${missing.fatal}\n`);
      return 2;
    }
    for (const note of missing.notes) err(`smart-placement: ${note}\n`);
  }
  const full = buildReport(analyses, fs, cwdPath);
  const report = options.quiet ? { ...full, diagnostics: full.diagnostics.filter((d) => d.severity === "error") } : full;
  if (options.command === "estimate") out(formatEstimates(analyses, cwdPath));
  else if (options.format === "json") out(JSON.stringify(report, null, 2) + "\n");
  else if (options.format === "sarif") out(formatSarif(report, VERSION));
  else out(formatText(report, describeWorkers(analyses), wantsColour(terminal.env, terminal.isTTY) ? COLOUR : NO_COLOUR));
  for (const file of new Set(unreadable)) err(`smart-placement: cannot read ${escapeText(relativePath(cwdPath, file))}\n`);
  if (unreadable.length > 0) return 2;
  return failsRun(report, options) ? 1 : 0;
}

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, information: 1, hint: 0 };

/** Whether the reported findings fail the run under --fail-on and --max-warnings. */
function failsRun(report: JsonReport, options: Pick<Options, "failOn" | "maxWarnings">): boolean {
  if (report.diagnostics.some((d) => RANK[d.severity] >= RANK[options.failOn])) return true;
  const warnings = report.diagnostics.filter((d) => d.severity === "warning").length;
  return options.maxWarnings !== undefined && warnings > options.maxWarnings;
}

/**
 * `--env NAME` that no config defines is a mistake (Wrangler would quietly deploy the top level):
 * fatal when no config that parses has it; a note for each config without it when others have it.
 */
function environmentProblem(analyses: readonly ConfigAnalysis[], env: string, cwd: string): { fatal?: string; notes: string[] } {
  const parsed = analyses.filter((analysis) => analysis.config.root !== undefined && configFormatOf(analysis.config.file));
  if (parsed.length === 0) return { notes: [] };
  const has = (analysis: ConfigAnalysis): boolean => analysis.config.environments.some((e) => e.name === env);
  const without = parsed.filter((analysis) => !has(analysis));
  if (without.length < parsed.length) {
    return {
      notes: without.map(
        (analysis) =>
          `${escapeText(relativePath(cwd, analysis.config.file))} has no environment "${escapeText(env)}": its top level is analysed, as Wrangler would deploy it`,
      ),
    };
  }
  const known = [...new Set(parsed.flatMap((analysis) => analysis.config.environments.flatMap((e) => (e.name === null ? [] : [e.name]))))];
  const where = parsed.length === 1 ? escapeText(relativePath(cwd, parsed[0]!.config.file)) : `any of the ${parsed.length} configs`;
  return {
    fatal: `no environment "${escapeText(env)}" in ${where} (${known.length > 0 ? `environments: ${known.map(escapeText).join(", ")}` : "it defines no [env.*]"})`,
    notes: [],
  };
}

/**
 * `--backends FILE`: host -> location, from the file itself, or from its `smartPlacement.backends`
 * or `backends` key (so package.json, or a project config file holding other settings, works).
 * The shared settings file's `backends` apply without the flag; where both locate a host, the flag wins.
 */
function readBackends(disk: NodeFileSystem, file: string, given: string): Record<string, string> {
  const text = disk.readFile(normalizePath(file));
  if (text === undefined) throw new UsageError(`--backends: cannot read ${given}`);
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (errors.length > 0 || !isObject(parsed)) throw new UsageError(`--backends: ${given} is not a JSON object`);
  const settings = isObject(parsed["smartPlacement"]) ? parsed["smartPlacement"] : parsed;
  const map = isObject(settings["backends"]) ? settings["backends"] : settings;
  const backends: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [host, location] of Object.entries(map)) {
    if (typeof location !== "string" || !parsePlace(location))
      throw new UsageError(
        `--backends: ${given}: the location of "${host}" must be a cloud region ("aws:us-east-1"), a Cloudflare location code ("FRA") or a city, not ${JSON.stringify(location)}`,
      );
    backends[host] = location;
  }
  return backends;
}

/** The commands that start processes or use the network run asynchronously; undefined for the others. */
export function runAsync(
  argv: readonly string[],
  cwd: string,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> | undefined {
  if (argv[0] === "trace") return runTrace(argv.slice(1), cwd, out, err);
  if (argv[0] === "status") return runStatus(argv.slice(1), cwd, out, err, process.env);
  return undefined;
}

/**
 * Writes to a stream that may be closed early (`| head -1`): a closed pipe ends the run quietly
 * with its exit status instead of a stack trace.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/** Runs the command line of this process (the `smart-placement` command starts here, see launch.ts). */
export function main(): void {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const out = (s: string): boolean => process.stdout.write(s);
  const err = (s: string): boolean => process.stderr.write(s);
  const terminal = { isTTY: process.stdout.isTTY === true, env: process.env };
  const pending = runAsync(process.argv.slice(2), process.cwd(), out, err);
  if (pending)
    pending.then(
      (code) => (process.exitCode = code),
      (error: unknown) => {
        err(`smart-placement: ${escapeText(error instanceof Error ? error.message : String(error))}\n`);
        process.exitCode = 2;
      },
    );
  else process.exitCode = run(process.argv.slice(2), process.cwd(), out, err, terminal);
}

if (require.main === module) main();
