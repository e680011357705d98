import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { analyzeConfig, type WorkerResult } from "../core/analysis";
import type { WorkerEnvironment } from "../core/config/model";
import { getEntry, toPlainValue } from "../core/config/tree";
import { ContainedFileSystem, relativePath } from "../core/fs";
import { DEFAULT_PLATFORM_RULES, type AssumeMode, type PlatformRules } from "../core/platform";
import { classifyHost } from "../core/worker/hosts";
import { argumentsOf, assumeOption, platformRulesOption, UsageError } from "./args";
import { findConfigTargets } from "./configTargets";
import { escapeText } from "./report";
import type { TraceJsonReport, TraceJsonRequest, TraceJsonSubrequest, TraceJsonWorker } from "../core/trace/report";
import type { ObservedSubrequest, StubAnswer, TraceChildMessage, TraceSpec } from "./traceProtocol";

export const TRACE_USAGE = `Usage: smart-placement trace [PATH] [--request "METHOD /path" ...] [--env NAME] [--format text|json]
                             [--timeout MS] [--delay MS] [--stubs FILE] [--platform-rules current|2024]
                             [--assume likely|strict]

Runs the Worker in local workerd through the project's own Miniflare (installed with wrangler),
sends it requests, and records every outbound fetch. Nothing reaches the network: each fetch is
answered by a stub (default: 200 with an empty JSON body after --delay ms). For each request it
compares the observed sequential waves of back-end requests with the static prediction.

  PATH             a wrangler config file or a directory searched for them (default: .)
  --request REQ    "GET /products/1" or "/products/1" (repeatable); default: the routes the static
                   analysis found (path parameters filled with a placeholder), else "GET /"
  --env NAME       run the Worker as \`wrangler dev --env NAME\` would (default: the top level)
  --format FORMAT  text (default) or json
  --timeout MS     time limit per request, waitUntil work included (default 10000)
  --delay MS       how long each stubbed back end takes to answer (default 50)
  --stubs FILE     JSON: { "HOST": { "status": 404, "body": "...", "delayMs": 80 }, "*": {...} };
                   a host answers for its subdomains too
  --platform-rules RULES
                   current (default) or 2024: which rules the static prediction follows
  --assume MODE    likely (default) or strict: what the static prediction assumes of calls whose
                   target is unknown (see \`smart-placement --help\`)

This runs the Worker's code on this machine: use it on code you trust.
Exit status: 0 observed and predicted agree, 1 they disagree on some request, 2 usage error, or
the Worker could not be built, started or answered.`;

interface TraceOptions {
  path: string;
  requests: Array<{ method: string; path: string }>;
  env: string | null;
  format: "text" | "json";
  timeoutMs: number;
  delayMs: number;
  stubsFile: string | undefined;
  platformRules: PlatformRules;
  /** What the static prediction assumes of calls whose target is unknown (default "likely"). */
  assume: AssumeMode | undefined;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** "GET /x", "post /x" or "/x" (GET). */
export function parseRequest(text: string): { method: string; path: string } | undefined {
  const parts = text.trim().split(/\s+/);
  const [method, target] = parts.length === 1 ? ["GET", parts[0]!] : parts.length === 2 ? [parts[0]!.toUpperCase(), parts[1]!] : [];
  if (method === undefined || target === undefined || !METHODS.has(method) || !target.startsWith("/")) return undefined;
  return { method, path: target };
}

function positiveInteger(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new UsageError(`${flag} must be a whole number of milliseconds from 0 to ${max}, not "${text}"`);
  return n;
}

function parseArgs(rest: readonly string[]): TraceOptions | "help" {
  const options: TraceOptions = {
    path: ".",
    requests: [],
    env: null,
    format: "text",
    timeoutMs: 10_000,
    delayMs: 50,
    stubsFile: undefined,
    platformRules: DEFAULT_PLATFORM_RULES,
    assume: undefined,
  };
  const paths: string[] = [];
  for (const { arg, flag, value } of argumentsOf(rest)) {
    if (flag === "--request") {
      const text = value();
      const request = parseRequest(text);
      if (!request) throw new UsageError(`--request must look like "GET /path", not "${escapeText(text)}"`);
      options.requests.push(request);
    } else if (flag === "--env") options.env = value();
    else if (flag === "--format") {
      const format = value();
      if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not "${escapeText(format)}"`);
      options.format = format;
    } else if (flag === "--timeout") options.timeoutMs = Math.max(1, positiveInteger(flag, value(), 600_000));
    else if (flag === "--delay") options.delayMs = positiveInteger(flag, value(), 60_000);
    else if (flag === "--stubs") options.stubsFile = value();
    else if (flag === "--platform-rules") options.platformRules = platformRulesOption(value());
    else if (flag === "--assume") options.assume = assumeOption(value());
    else if (flag === "--help" || flag === "-h") return "help";
    else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown option ${escapeText(flag)}`);
    else paths.push(arg);
  }
  if (paths.length > 1) throw new UsageError("trace takes one PATH (a wrangler config or a folder)");
  if (paths[0]) options.path = paths[0];
  return options;
}

/** The stubs file: every value checked, so a typo is a usage error rather than a surprise. */
function loadStubs(file: string, cwd: string, delayMs: number): TraceSpec["stubs"] {
  const fallback: StubAnswer = { status: 200, body: "{}", contentType: "application/json", delayMs };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path.resolve(cwd, file), "utf8"));
  } catch (error) {
    throw new UsageError(`--stubs ${escapeText(file)}: ${error instanceof SyntaxError ? "not JSON: " + error.message : "cannot read it"}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--stubs ${escapeText(file)}: expected an object of hosts, e.g. {"db.example.com": {"status": 404}}`);
  const hosts: Record<string, StubAnswer> = {};
  let defaultAnswer = fallback;
  for (const [host, spec] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof spec !== "object" || spec === null || Array.isArray(spec))
      throw new UsageError(`--stubs ${escapeText(file)}: "${escapeText(host)}" must be an object with status, body, delayMs`);
    const s = spec as Record<string, unknown>;
    for (const key of Object.keys(s))
      if (!["status", "body", "delayMs", "contentType"].includes(key))
        throw new UsageError(`--stubs ${escapeText(file)}: "${escapeText(host)}" has unknown key "${escapeText(key)}"`);
    const status = s.status ?? 200;
    if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599)
      throw new UsageError(`--stubs ${escapeText(file)}: "${escapeText(host)}".status must be a whole number from 200 to 599`);
    const delay = s.delayMs ?? delayMs;
    if (typeof delay !== "number" || !Number.isInteger(delay) || delay < 0 || delay > 60_000)
      throw new UsageError(`--stubs ${escapeText(file)}: "${escapeText(host)}".delayMs must be a whole number from 0 to 60000`);
    const body = s.body === undefined ? "{}" : typeof s.body === "string" ? s.body : JSON.stringify(s.body);
    const contentType = typeof s.contentType === "string" ? s.contentType : "application/json";
    const answer = { status, body, contentType, delayMs: delay };
    if (host === "*") defaultAnswer = answer;
    else hosts[host.toLowerCase()] = answer;
  }
  return { default: defaultAnswer, hosts };
}

// ---------------------------------------------------------------------------------------------
// Finding the project's own runtime

export interface Runtime {
  miniflare: string;
  miniflareVersion: string;
  esbuild: string;
  /** "wrangler" when found through the project's wrangler, "miniflare" when installed directly. */
  via: "wrangler" | "miniflare";
}

function resolveFrom(id: string, dir: string): string | undefined {
  try {
    return require.resolve(id, { paths: [dir] });
  } catch {
    return undefined;
  }
}

/** The package.json folder above a resolved file. */
function packageRoot(file: string, name: string): string | undefined {
  let dir = path.dirname(file);
  for (let i = 0; i < 10; i++) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === name) return dir;
      } catch {
        // not this one
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * Miniflare and esbuild as the Worker's project has them: installed directly, or as wrangler's own
 * dependencies (how most projects have them). Never downloads anything.
 */
export function findRuntime(projectDir: string): Runtime | string {
  const wranglerManifest = resolveFrom("wrangler/package.json", projectDir);
  const wranglerDir = wranglerManifest ? path.dirname(wranglerManifest) : undefined;
  const direct = resolveFrom("miniflare", projectDir);
  const miniflare = direct ?? (wranglerDir ? resolveFrom("miniflare", wranglerDir) : undefined);
  const esbuild = resolveFrom("esbuild", projectDir) ?? (wranglerDir ? resolveFrom("esbuild", wranglerDir) : undefined);
  if (!miniflare || !esbuild) {
    const missing = [!miniflare && "miniflare", !esbuild && "esbuild"].filter(Boolean).join(" and ");
    return `trace runs the Worker with the project's own Miniflare and esbuild, and cannot find ${missing} from ${projectDir}: install wrangler there (npm install --save-dev wrangler), which brings both, then run trace again`;
  }
  const root = packageRoot(miniflare, "miniflare");
  let version = "unknown";
  if (root)
    try {
      version = String((JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version?: string }).version ?? "unknown");
    } catch {
      // keep "unknown"
    }
  return { miniflare, miniflareVersion: version, esbuild, via: direct ? "miniflare" : "wrangler" };
}

// ---------------------------------------------------------------------------------------------
// Waves and the comparison

export interface TimedRequest {
  startMs: number;
  endMs: number;
}

/**
 * Sequential waves: requests that overlap in time run in parallel and form one wave; a request that
 * starts after the current wave has ended starts the next. Returns each request's wave (1-based), in
 * the order given.
 */
export function assignWaves(requests: readonly TimedRequest[]): number[] {
  const order = requests.map((r, i) => ({ r, i })).sort((a, b) => a.r.startMs - b.r.startMs);
  const waves = new Array<number>(requests.length).fill(0);
  let wave = 0;
  let waveEnd = -Infinity;
  for (const { r, i } of order) {
    // 1 ms slack: a request started in the same tick as the previous one ended is still the next wave.
    if (r.startMs >= waveEnd - 1) {
      wave++;
      waveEnd = r.endMs;
    } else waveEnd = Math.max(waveEnd, r.endMs);
    waves[i] = wave;
  }
  return waves;
}

export function countWaves(requests: readonly TimedRequest[]): number {
  return Math.max(0, ...assignWaves(requests));
}

/** "GET /api/users/:id" → method and path segments; undefined when the route is not a path. */
function routePattern(route: string): { method: string; segments: string[] } | undefined {
  const space = route.indexOf(" ");
  if (space < 0) return undefined;
  const method = route.slice(0, space);
  const pathPart = route.slice(space + 1);
  if (!pathPart.startsWith("/") || pathPart.includes(" ")) return undefined;
  return { method, segments: pathPart.split("?")[0]!.split("/").slice(1) };
}

/** Whether a route pattern (`:param`, `*`, `{...}`) matches a request. */
export function routeMatches(route: string, method: string, requestPath: string): boolean {
  const pattern = routePattern(route);
  if (!pattern) return false;
  if (pattern.method !== "ALL" && pattern.method !== method && !(pattern.method === "GET" && method === "HEAD")) return false;
  const actual = requestPath.split("?")[0]!.split("/").slice(1);
  for (let i = 0; i < pattern.segments.length; i++) {
    const segment = pattern.segments[i]!;
    if (segment === "*" || segment.startsWith("*") || segment.startsWith("[[") || segment.startsWith("[...")) return true;
    if (i >= actual.length) return segment === "" && i === actual.length;
    if (segment.startsWith(":") || segment.startsWith("[") || segment.startsWith("{")) {
      if (actual[i] === "") return false;
      continue;
    }
    if (segment !== actual[i]) return false;
  }
  return actual.length === pattern.segments.length || (actual.length === pattern.segments.length + 1 && actual.at(-1) === "");
}

/** A request for a route: parameters become "1", a wildcard nothing; undefined when not a path. */
export function requestForRoute(route: string): { method: string; path: string } | undefined {
  const pattern = routePattern(route);
  if (!pattern) return undefined;
  const method = pattern.method === "ALL" ? "GET" : pattern.method;
  if (!METHODS.has(method)) return undefined;
  const query = route.slice(route.indexOf(" ") + 1).includes("?") ? "?" + route.split("?").slice(1).join("?") : "";
  const segments: string[] = [];
  for (const segment of pattern.segments) {
    if (segment === "*" || segment.startsWith("*") || segment.startsWith("[[") || segment.startsWith("[...")) break;
    segments.push(segment.startsWith(":") || segment.startsWith("[") || segment.startsWith("{") ? "1" : segment);
  }
  return { method, path: "/" + segments.join("/") + query };
}

// ---------------------------------------------------------------------------------------------
// The report

export type { TraceJsonReport, TraceJsonRequest, TraceJsonSubrequest, TraceJsonWorker };

const round = (ms: number): number => Math.round(ms * 10) / 10;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

function lineColumn(text: string | undefined, offset: number): { line: number; column: number } {
  if (text === undefined) return { line: 1, column: 1 };
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

function compare(
  request: { method: string; path: string },
  result: WorkerResult,
  observed: { waves: number; backends: Array<{ host: string; requests: number }> },
  untimedRoundTrips: boolean,
): Pick<TraceJsonRequest, "predicted" | "agreement" | "explanation"> {
  const fetchHandlers = result.analysis.handlers.filter((h) => h.kind === "fetch");
  const matching = fetchHandlers.filter((h) => h.route !== undefined && routeMatches(h.route, request.method, request.path));
  const routed = matching.filter((h) => h.roundTrips !== undefined);
  const predictedCount = routed.length > 0 ? Math.max(...routed.map((h) => h.roundTrips!)) : result.prediction.roundTrips;
  const predicted = { roundTrips: predictedCount, routes: matching.map((h) => h.route!) };
  const where = routed.length > 0 ? `for ${routed.map((h) => h.route).join(", ")}` : "on the Worker's longest path";
  if (predictedCount === null)
    return { predicted, agreement: "not-compared", explanation: `no static count to compare with (${result.prediction.status})` };
  const waves = plural(observed.waves, "sequential wave");
  if (untimedRoundTrips)
    return {
      predicted,
      agreement: "not-compared",
      explanation: `observed ${waves} of fetches; the prediction (${predictedCount} ${where}) also counts calls the trace cannot time (TCP sockets, or bindings workerd serves itself: see "not traced")`,
    };
  if (observed.waves === predictedCount)
    return { predicted, agreement: "agree", explanation: `observed ${waves} to back ends, predicted ${predictedCount} ${where}: agree` };
  // The static count takes a round trip in a loop as two ("more than once"): a loop that ran more
  // often is what it describes, not a disagreement.
  const loop = result.analysis.criticalSteps.some((step) => step.note?.startsWith("in a loop"));
  if (observed.waves > predictedCount && predictedCount >= 2 && loop)
    return {
      predicted,
      agreement: "agree",
      explanation: `observed ${waves} to back ends, predicted ${predictedCount} ${where}, where a loop counts as two (it may run more often): agree`,
    };
  const hosts = observed.backends.map((b) => `${b.host} ×${b.requests}`).join(", ");
  const why =
    observed.waves > predictedCount
      ? "the Worker made more sequential round trips than the analysis counts (a loop that ran more than twice, or a call the analysis could not follow)"
      : routed.length > 0
        ? "the Worker made fewer than the analysis counts (a branch not taken, an early return, or a stub's answer that ended the request early)"
        : "this request may not take the longest path the prediction describes: send one that does with --request";
  return {
    predicted,
    agreement: "disagree",
    explanation: `observed ${waves} to back ends${hosts ? ` (${hosts})` : ""}, predicted ${predictedCount} ${where}: ${why}`,
  };
}

function analyseRequest(
  request: { method: string; path: string },
  message: Extract<TraceChildMessage, { type: "request" }>,
  result: WorkerResult,
  untimedRoundTrips: boolean,
): TraceJsonRequest {
  const responseMs = message.responseMs;
  const subrequests: TraceJsonSubrequest[] = message.subrequests
    .slice()
    .sort((a: ObservedSubrequest, b: ObservedSubrequest) => a.startMs - b.startMs)
    .map((s) => ({
      via: s.via,
      method: s.method,
      url: s.url,
      target: s.target,
      category: s.via === "service" ? "binding" : classifyHost(s.target).category,
      startMs: round(s.startMs),
      endMs: round(s.endMs),
      status: s.status,
      afterResponse: responseMs === null || s.endMs > responseMs + 0.5,
      wave: null,
    }));
  const counted = subrequests.filter((s) => s.category === "backend" && !s.afterResponse);
  assignWaves(counted).forEach((wave, i) => (counted[i]!.wave = wave));
  const observed = {
    waves: countWaves(counted),
    backends: [...new Set(counted.map((s) => s.target))].map((host) => ({
      host,
      requests: counted.filter((s) => s.target === host).length,
    })),
  };
  const base = {
    method: request.method,
    path: request.path,
    status: message.status,
    responseMs: responseMs === null ? null : round(responseMs),
    subrequests,
  };
  if (message.error !== null) {
    const output = message.runtimeOutput ? `\n${message.runtimeOutput}` : "";
    return {
      ...base,
      error: message.error + output,
      observed: null,
      predicted: { roundTrips: result.prediction.roundTrips, routes: [] },
      agreement: "error",
      explanation:
        message.status === null
          ? `the Worker did not answer: ${message.error}`
          : message.error.includes("CONNECT")
            ? `the Worker opened a TCP socket (connect()), which the trace cannot serve: workerd said "${message.error}"`
            : `the Worker threw: ${message.error} (the subrequests before it are shown; nothing is compared)`,
    };
  }
  return { ...base, error: null, observed, ...compare(request, result, observed, untimedRoundTrips) };
}

// ---------------------------------------------------------------------------------------------
// Running one Worker

let childOverride: string | undefined;

/** Runs the child from this built file instead (the test suite bundles it once rather than through tsx each time). */
export function useTraceChildScript(file: string | undefined): void {
  childOverride = file;
}

function childScript(): { file: string; execArgv: string[] } {
  if (childOverride) return { file: childOverride, execArgv: [] };
  const built = path.join(__dirname, "trace-child.js");
  if (existsSync(built)) return { file: built, execArgv: [] };
  // Run from source (the test suite): the TypeScript module through tsx.
  return { file: path.join(__dirname, "traceChild.ts"), execArgv: ["--import", "tsx"] };
}

/** Ends the child and everything it started (workerd): it leads its own process group. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export interface ChildOutcome {
  messages: TraceChildMessage[];
  /** Set when the child could not finish: a time limit passed, or it died. */
  failure: string | null;
}

export function runChild(spec: TraceSpec, startupLimitMs = 120_000): Promise<ChildOutcome> {
  const { file, execArgv } = childScript();
  const env = { ...process.env };
  // The Worker runs on this machine: nothing it could reach needs the Cloudflare credentials.
  delete env.CLOUDFLARE_API_TOKEN;
  delete env.CF_API_TOKEN;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...execArgv, file], {
      cwd: process.cwd(),
      env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: process.platform !== "win32",
    });
    const messages: TraceChildMessage[] = [];
    let stderr = "";
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // Stopped itself (Ctrl-C, or the editor cancelling): end the Worker's process group first.
    const onSignal = (signal: NodeJS.Signals): void => {
      killGroup(child.pid);
      process.kill(process.pid, signal);
    };
    const finish = (failure: string | null): void => {
      if (settled) return;
      settled = true;
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      clearTimeout(timer);
      killGroup(child.pid);
      child.kill("SIGKILL");
      resolve({ messages, failure });
    };
    // A watchdog renewed by every message: the build and start get startupLimitMs, each request
    // its time limit and a margin for the child's own clean-up.
    const arm = (ms: number, what: string): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(`${what} took longer than ${Math.round(ms / 1000)} s; the run was stopped`), ms);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    arm(startupLimitMs, "building and starting the Worker");
    child.stdout?.on("data", () => undefined);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("message", (message: TraceChildMessage) => {
      messages.push(message);
      if (message.type === "done") finish(null);
      else if (message.type === "fatal") finish(null);
      else if (message.type === "built") arm(startupLimitMs, "starting the Worker");
      else arm(spec.timeoutMs + spec.settleMs + 10_000, "a request");
    });
    child.on("error", (error) => finish(`could not start the trace process: ${error.message}`));
    // "close", not "exit": at "exit" the child's last messages (its requests, "done") may still be
    // in the IPC channel; "close" comes after the channel and the pipes are drained.
    child.on("close", (code, signal) => {
      if (!settled) finish(`the trace process ended early (${signal ?? `exit ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ""}`);
    });
    child.send(spec);
  });
}

function stringList(node: unknown): string[] {
  return Array.isArray(node) ? node.filter((v): v is string => typeof v === "string") : [];
}

/** A config value for this environment, else the top level's (compatibility settings inherit). */
function inherited(env: WorkerEnvironment, root: WorkerEnvironment, key: string): unknown {
  const entry = getEntry(env.table, key) ?? getEntry(root.table, key);
  return entry ? toPlainValue(entry.value) : undefined;
}

/**
 * The `[vars]` Miniflare gives the Worker, as Wrangler gives them: text as strings, and anything else
 * (`MAX_ITEMS = 50`, `[vars.LIMITS]`, `REGIONS = ["eu", "us"]`) as its JSON value (a JSON binding),
 * so `env.LIMITS.max` is what it is once deployed. Plain objects: the config model's have no prototype.
 */
export function traceVars(env: Pick<WorkerEnvironment, "vars" | "structuredVars">): Record<string, unknown> {
  const vars: Record<string, unknown> = { ...env.vars };
  for (const [name, value] of Object.entries(env.structuredVars))
    // Defined, not assigned: a var named `__proto__` is a var like any other.
    Object.defineProperty(vars, name, {
      value: JSON.parse(JSON.stringify(value)) as unknown,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return vars;
}

function durableObjectClasses(env: WorkerEnvironment): Record<string, string> {
  const entry = getEntry(env.table, "durable_objects");
  const value = entry ? toPlainValue(entry.value) : undefined;
  const bindings = (value as { bindings?: unknown } | undefined)?.bindings;
  const result: Record<string, string> = {};
  if (Array.isArray(bindings))
    for (const b of bindings as Array<Record<string, unknown>>) {
      // Only classes this Worker defines run here; another script's are not available locally.
      if (typeof b?.name === "string" && typeof b.class_name === "string" && b.script_name === undefined) result[b.name] = b.class_name;
    }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The command

export async function runTrace(rest: readonly string[], cwd: string, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let options: TraceOptions | "help";
  let stubs: TraceSpec["stubs"];
  try {
    options = parseArgs(rest);
    if (options === "help") {
      out(TRACE_USAGE + "\n");
      return 0;
    }
    stubs = options.stubsFile
      ? loadStubs(options.stubsFile, cwd, options.delayMs)
      : { default: { status: 200, body: "{}", contentType: "application/json", delayMs: options.delayMs }, hosts: {} };
  } catch (error) {
    if (error instanceof UsageError) {
      err(`smart-placement: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const targets = findConfigTargets(cwd, options.path);
  if ("error" in targets) {
    err(`smart-placement: ${escapeText(targets.error)}\n`);
    return 2;
  }
  const { configs, fs, cwdPath } = targets;
  const rel = (file: string): string => relativePath(cwdPath, file);
  const workers: TraceJsonWorker[] = [];

  for (const configFile of configs) {
    const text = fs.readFile(configFile);
    if (text === undefined) {
      err(`smart-placement: cannot read ${escapeText(rel(configFile))}\n`);
      return 2;
    }
    const analysis = analyzeConfig(fs, configFile, text, {
      env: options.env,
      platformRules: options.platformRules,
      ...(options.assume ? { assume: options.assume } : {}),
    });
    if (analysis.config.syntaxError) {
      err(`smart-placement: ${escapeText(rel(configFile))} does not parse: run \`smart-placement check\` for details\n`);
      return 2;
    }
    if (analysis.workers.length === 0) {
      err(`smart-placement: ${escapeText(rel(configFile))} has no environment "${escapeText(options.env ?? "")}"\n`);
      return 2;
    }
    const root = analysis.config.environments[0]!;
    for (const result of analysis.workers) workers.push(await traceWorker(result, root, configFile, options, stubs, fs, rel));
  }

  const all = workers.flatMap((w) => w.requests);
  const report: TraceJsonReport = {
    version: 1,
    workers,
    summary: {
      requests: all.length,
      agree: all.filter((r) => r.agreement === "agree").length,
      disagree: all.filter((r) => r.agreement === "disagree").length,
      notCompared: all.filter((r) => r.agreement === "not-compared").length,
      errors: all.filter((r) => r.agreement === "error").length + workers.filter((w) => w.error !== null).length,
    },
  };
  if (options.format === "json") out(JSON.stringify(report, null, 2) + "\n");
  else out(formatTrace(report));
  for (const worker of workers)
    if (worker.error) err(`smart-placement: ${escapeText(worker.config)}: ${escapeText(worker.error.split("\n")[0]!)}\n`);
  if (report.summary.errors > 0) return 2;
  return report.summary.disagree > 0 ? 1 : 0;
}

async function traceWorker(
  result: WorkerResult,
  root: WorkerEnvironment,
  configFile: string,
  options: TraceOptions,
  stubs: TraceSpec["stubs"],
  fs: ContainedFileSystem,
  rel: (file: string) => string,
): Promise<TraceJsonWorker> {
  const { analysis, prediction, env } = result;
  const worker: TraceJsonWorker = {
    config: rel(configFile),
    env: env.name,
    name: env.workerName,
    entry: analysis.entry ? rel(analysis.entry) : null,
    prediction: { status: prediction.status, roundTrips: prediction.roundTrips },
    runtime: null,
    notTraced: [],
    error: null,
    requests: [],
  };
  const texts = new Map<string, string | undefined>();
  const at = (file: string, offset: number): { line: number; column: number } => {
    if (!texts.has(file)) texts.set(file, fs.readFile(file));
    return lineColumn(texts.get(file), offset);
  };
  let untimedRoundTrips = false;
  for (const s of analysis.subrequests) {
    const untraceable =
      s.kind === "socket"
        ? "a TCP socket (connect()): workerd opens it itself, the trace cannot intercept it"
        : s.criticalPath && !s.waitUntil && s.category === "backend" && s.kind !== "fetch" && s.kind !== "service"
          ? `${s.kind} runs inside workerd (Miniflare's local ${s.kind}), so its round trips are not timed`
          : undefined;
    if (!untraceable) continue;
    if (s.criticalPath && !s.waitUntil && s.category === "backend") untimedRoundTrips = true;
    worker.notTraced.push({ file: rel(s.file), ...at(s.file, s.span.start), kind: s.kind, target: s.target, reason: untraceable });
  }
  for (const name of env.bindings.hyperdrive)
    worker.notTraced.push({
      file: rel(configFile),
      line: 1,
      column: 1,
      kind: "socket",
      target: name,
      reason: "a Hyperdrive binding: database drivers connect over TCP, which the trace cannot intercept",
    });

  if (!analysis.entry) {
    worker.error = `cannot trace: ${analysis.entryProblem?.message ?? "the Worker has no entry (main)"}`;
    return worker;
  }
  if (analysis.entryProblem?.kind === "language") {
    worker.error = `cannot trace: ${analysis.entryProblem.message}`;
    return worker;
  }
  const runtime = findRuntime(path.dirname(configFile));
  if (typeof runtime === "string") {
    worker.error = runtime;
    return worker;
  }
  const requests =
    options.requests.length > 0
      ? options.requests
      : dedupeRequests(
          analysis.handlers
            .filter((h) => h.kind === "fetch" && h.route !== undefined)
            .map((h) => requestForRoute(h.route!))
            .filter((r): r is { method: string; path: string } => r !== undefined),
        );
  if (requests.length === 0) requests.push({ method: "GET", path: "/" });
  const serviceWorker = analysis.handlers.some((h) => h.kind === "fetch" && h.form.startsWith("addEventListener"));
  const spec: TraceSpec = {
    esbuild: runtime.esbuild,
    miniflare: runtime.miniflare,
    entry: analysis.entry,
    projectRoot: path.dirname(configFile),
    serviceWorker,
    compatibilityDate: String(inherited(env, root, "compatibility_date") ?? "2025-01-01"),
    compatibilityFlags: stringList(inherited(env, root, "compatibility_flags")),
    vars: traceVars(env),
    bindings: {
      kv: [...env.bindings.kv],
      r2: [...env.bindings.r2],
      d1: [...env.bindings.d1],
      services: [...env.bindings.services],
      durableObjects: durableObjectClasses(env),
    },
    origin: "http://localhost",
    requests,
    timeoutMs: options.timeoutMs,
    settleMs: Math.min(2000, Math.max(100, options.delayMs * 2 + 50)),
    stubs,
  };
  const outcome = await runChild(spec);
  const built = outcome.messages.find((m): m is Extract<TraceChildMessage, { type: "built" }> => m.type === "built");
  const ready = outcome.messages.find((m): m is Extract<TraceChildMessage, { type: "ready" }> => m.type === "ready");
  worker.runtime = {
    miniflare: runtime.miniflareVersion,
    via: runtime.via,
    buildMs: built ? Math.round(built.ms) : null,
    startMs: ready ? Math.round(ready.ms) : null,
  };
  for (const message of outcome.messages)
    if (message.type === "request") worker.requests.push(analyseRequest(requests[message.index]!, message, result, untimedRoundTrips));
  const fatal = outcome.messages.find((m): m is Extract<TraceChildMessage, { type: "fatal" }> => m.type === "fatal");
  if (fatal)
    worker.error =
      fatal.phase === "build"
        ? `the Worker does not build:\n${fatal.message}`
        : fatal.phase === "start"
          ? `workerd could not start the Worker:\n${fatal.message}`
          : `the trace failed: ${fatal.message}`;
  else if (outcome.failure) worker.error = outcome.failure;
  return worker;
}

function dedupeRequests(requests: Array<{ method: string; path: string }>): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  return requests.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Text output

const BAR_WIDTH = 32;

function bar(start: number, end: number, total: number): string {
  const from = Math.min(BAR_WIDTH - 1, Math.floor((start / total) * BAR_WIDTH));
  const to = Math.max(from + 1, Math.min(BAR_WIDTH, Math.round((end / total) * BAR_WIDTH)));
  return " ".repeat(from) + "█".repeat(to - from) + " ".repeat(BAR_WIDTH - to);
}

export function formatTrace(report: TraceJsonReport): string {
  const lines: string[] = [];
  for (const worker of report.workers) {
    const title = `${worker.config}: ${worker.name ?? "(unnamed)"}${worker.env ? ` [env ${worker.env}]` : ""}`;
    const predicted =
      worker.prediction.roundTrips === null
        ? worker.prediction.status
        : `${worker.prediction.status}, ${plural(worker.prediction.roundTrips, "round trip")}`;
    lines.push(escapeText(`${title} — predicted ${predicted}`));
    if (worker.runtime)
      lines.push(
        escapeText(
          `  ran in local workerd: miniflare ${worker.runtime.miniflare} (the project's own${worker.runtime.via === "wrangler" ? ", through wrangler" : ""})` +
            (worker.runtime.buildMs !== null ? `, built in ${worker.runtime.buildMs} ms` : "") +
            (worker.runtime.startMs !== null ? `, started in ${worker.runtime.startMs} ms` : ""),
        ),
      );
    for (const request of worker.requests) {
      const answered =
        request.status === null
          ? "no answer"
          : `${request.status}${request.responseMs !== null ? ` in ${Math.round(request.responseMs)} ms` : ""}`;
      lines.push(escapeText(`  ${request.method} ${request.path} → ${answered}`));
      const total = Math.max(1, request.responseMs ?? 0, ...request.subrequests.map((s) => s.endMs));
      for (const s of request.subrequests) {
        const label = (s.wave !== null ? `wave ${s.wave}` : s.afterResponse ? "after" : "").padEnd(7);
        const what = s.url ?? `service binding ${s.target}`;
        const note = s.afterResponse ? ", after the response: waitUntil" : s.wave === null ? ", not a back end Smart Placement counts" : "";
        lines.push(
          escapeText(
            `    ${label}|${bar(s.startMs, s.endMs, total)}| ${`${Math.round(s.startMs)}–${Math.round(s.endMs)} ms`.padStart(13)}  ${s.method} ${what} (${s.category}${note})`,
          ),
        );
      }
      if (request.subrequests.length === 0 && request.agreement !== "error") lines.push("    no subrequests");
      const mark = request.agreement === "agree" ? "✓" : request.agreement === "disagree" ? "✗" : request.agreement === "error" ? "!" : "–";
      lines.push(escapeText(`    ${mark} ${request.explanation}`));
      if (request.agreement === "error" && request.error)
        for (const line of request.error.split("\n").slice(1, 8)) lines.push(escapeText(`      ${line}`));
    }
    for (const n of worker.notTraced)
      lines.push(escapeText(`  not traced: ${n.file}:${n.line}:${n.column} ${n.kind}${n.target ? ` ${n.target}` : ""}: ${n.reason}`));
    if (worker.error)
      for (const [i, line] of worker.error.split("\n").slice(0, 12).entries())
        lines.push(escapeText(`  ${i === 0 ? "error: " : "  "}${line}`));
    lines.push("");
  }
  const s = report.summary;
  lines.push(
    `${plural(report.workers.length, "Worker")} traced, ${plural(s.requests, "request")}: ${s.agree} agree, ${s.disagree} disagree` +
      (s.notCompared ? `, ${s.notCompared} not compared` : "") +
      (s.errors ? `, ${plural(s.errors, "error")}` : "") +
      ".",
  );
  return lines.join("\n") + "\n";
}
