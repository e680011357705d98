import * as path from "node:path";
import { analyzeConfig, analyzePagesProject, type ConfigAnalysis } from "../core/analysis";
import { pagesProjectOf } from "../core/pagesProject";
import { configFormatOf } from "../core/config/model";
import { discoverConfigs } from "../core/discovery";
import { ContainedFileSystem, dirname, normalizePath, relativePath, RunFileSystem } from "../core/fs";
import { NodeFileSystem } from "../host/nodeFileSystem";
import { createAnalysisCache } from "../core/worker/analyze";
import { DEFAULT_PLATFORM_RULES, isPlatformRules, type PlatformRules } from "../core/platform";
import { buildReport, escapeText, formatSarif, formatText, hasErrors } from "./report";

declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === "string" ? PACKAGE_VERSION : "0.0.0-dev";

const USAGE = `Usage: smart-placement check [PATH ...] [--format text|json|sarif] [--env NAME] [--platform-rules current|2024]

Checks the placement configuration of Cloudflare Workers and predicts what Smart Placement
will do with each, from wrangler.toml / wrangler.json / wrangler.jsonc and the Worker's source.

  PATH             a wrangler config file or a directory searched for them (default: .)
  --format FORMAT  text (default), json or sarif
  --env NAME       analyse as \`wrangler deploy --env NAME\` would (default: every environment)
  --platform-rules RULES
                   current (default): today's platform, where D1 queries are round trips like any
                   back end's; 2024: the 2024 rules, where a D1 binding pins the Worker (D1_PINNED)

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable path.`;

class UsageError extends Error {}

interface Options {
  paths: string[];
  format: "text" | "json" | "sarif";
  env: string | undefined;
  platformRules: PlatformRules;
}

function parseArgs(argv: readonly string[]): Options | "help" | "version" {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") return "help";
  if (command === "--version" || command === "-v") return "version";
  if (command !== "check")
    throw new UsageError(
      command === undefined
        ? "missing command: try `smart-placement check`"
        : `unknown command "${command}": try \`smart-placement check\``,
    );
  const options: Options = { paths: [], format: "text", env: undefined, platformRules: DEFAULT_PLATFORM_RULES };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--format") {
      const format = value();
      if (format !== "text" && format !== "json" && format !== "sarif")
        throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
      options.format = format;
    } else if (flag === "--env") options.env = value();
    else if (flag === "--platform-rules") {
      const rules = value();
      if (!isPlatformRules(rules)) throw new UsageError(`--platform-rules must be current or 2024, not "${rules}"`);
      options.platformRules = rules;
    } else if (flag === "--help" || flag === "-h") return "help";
    else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown option ${flag}`);
    else options.paths.push(arg);
  }
  if (options.paths.length === 0) options.paths.push(".");
  return options;
}

export function run(argv: readonly string[], cwd: string, out: (s: string) => void, err: (s: string) => void): number {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`smart-placement: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
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
  const fs = new RunFileSystem(new ContainedFileSystem(new RunFileSystem(disk), roots));
  const cache = createAnalysisCache(undefined, { oneRun: true });
  const analyses: ConfigAnalysis[] = [];
  for (const file of [...new Set(files)]) {
    const text = fs.readFile(file);
    if (text === undefined) {
      unreadable.push(file);
      continue;
    }
    try {
      analyses.push(analyzeConfig(fs, file, text, { env: options.env, cache, platformRules: options.platformRules }));
    } catch (error) {
      // One config never hides the others: say which failed, go on with the rest.
      err(`smart-placement: ${escapeText(relativePath(cwdPath, file))}: analysis failed: ${escapeText(String(error))}\n`);
      unreadable.push(file);
    }
  }
  // Pages projects without a wrangler config, found by a directory search.
  for (const dir of [...new Set(projects)]) {
    const project = pagesProjectOf(fs, dir);
    if (project) analyses.push(analyzePagesProject(fs, project, { env: options.env, cache }));
  }
  const report = buildReport(analyses, fs, cwdPath);
  if (options.format === "json") out(JSON.stringify(report, null, 2) + "\n");
  else if (options.format === "sarif") out(formatSarif(report, VERSION));
  else
    out(
      analyses.length === 0 && unreadable.length === 0 ? "No wrangler.toml, wrangler.json or wrangler.jsonc found.\n" : formatText(report),
    );
  for (const file of new Set(unreadable)) err(`smart-placement: cannot read ${escapeText(relativePath(cwdPath, file))}\n`);
  if (unreadable.length > 0) return 2;
  return hasErrors(report) ? 1 : 0;
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
  process.exitCode = run(
    process.argv.slice(2),
    process.cwd(),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  );
}

if (require.main === module) main();
