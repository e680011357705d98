import { analyzeConfig } from "../core/analysis";
import { getEntry, stringValue } from "../core/config/tree";
import { relativePath } from "../core/fs";
import { DEFAULT_PLATFORM_RULES, type AssumeMode, type PlatformRules } from "../core/platform";
import locationData from "./data/placement-locations.json";
import { argumentsOf, assumeOption, parseOrReport, platformRulesOption, UsageError } from "./args";
import { findConfigTargets } from "./configTargets";
import { escapeText } from "./report";

export const STATUS_USAGE = `Usage: smart-placement status [PATH] [--env NAME] [--format text|json] [--api-base URL] [--timeout MS]
       smart-placement status --probe URL [-n 20] [--format text|json] [--timeout MS]

Asks the platform what Smart Placement decided for each deployed Worker and shows it beside the
static prediction. Reads the Worker's placement_status from the Workers API
(GET /accounts/{account_id}/workers/services/{name}).

  PATH             a wrangler config file or a directory searched for them (default: .)
  --env NAME       the Worker deployed with \`wrangler deploy --env NAME\` (default: the top level)
  --api-base URL   the API's base URL (default: $CLOUDFLARE_API_BASE_URL, else
                   https://api.cloudflare.com/client/v4)
  --probe URL      instead: send requests to a deployed URL and tally its cf-placement header
  -n N             how many requests --probe sends (default 20, at most 500)
  --timeout MS     time limit for each HTTP request (default 15000)
  --format FORMAT  text (default) or json

Credentials come from the environment variables Wrangler reads: CLOUDFLARE_API_TOKEN (a token
with Workers Scripts Read) and CLOUDFLARE_ACCOUNT_ID (else the config's account_id).
The token is sent only to the API base URL and never printed.

Exit status: 0 the platform agrees with the prediction (or has not decided yet), 1 they differ,
2 usage error, missing or refused credentials, or an API that cannot be read.`;

const DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";

/** A failure that ends the run with exit 2 and one clear message. */
class StatusError extends Error {}

interface StatusOptions {
  path: string;
  env: string | null;
  format: "text" | "json";
  apiBase: string | undefined;
  probe: string | undefined;
  count: number;
  timeoutMs: number;
  platformRules: PlatformRules;
  /** What the static prediction assumes of calls whose target is unknown (default "likely"). */
  assume: AssumeMode | undefined;
}

function parseArgs(rest: readonly string[]): StatusOptions | "help" {
  const options: StatusOptions = {
    path: ".",
    env: null,
    format: "text",
    apiBase: undefined,
    probe: undefined,
    count: 20,
    timeoutMs: 15_000,
    platformRules: DEFAULT_PLATFORM_RULES,
    assume: undefined,
  };
  const paths: string[] = [];
  let countGiven = false;
  for (const { arg, flag, value } of argumentsOf(rest)) {
    const whole = (text: string, min: number, max: number): number => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < min || n > max)
        throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${escapeText(text)}"`);
      return n;
    };
    if (flag === "--env") options.env = value();
    else if (flag === "--format") {
      const format = value();
      if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not "${escapeText(format)}"`);
      options.format = format;
    } else if (flag === "--api-base") options.apiBase = httpUrl(flag, value());
    else if (flag === "--probe") options.probe = httpUrl(flag, value());
    else if (flag === "-n" || flag === "--count") {
      options.count = whole(value(), 1, 500);
      countGiven = true;
    } else if (flag === "--timeout") options.timeoutMs = whole(value(), 1, 600_000);
    else if (flag === "--platform-rules") options.platformRules = platformRulesOption(value());
    else if (flag === "--assume") options.assume = assumeOption(value());
    else if (flag === "--help" || flag === "-h") return "help";
    else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown option ${escapeText(flag)}`);
    else paths.push(arg);
  }
  if (paths.length > 1) throw new UsageError("status takes one PATH (a wrangler config or a folder)");
  if (options.probe && paths.length > 0) throw new UsageError("--probe takes a URL, not a PATH: give one or the other");
  if (countGiven && !options.probe) throw new UsageError("-n goes with --probe URL");
  if (paths[0]) options.path = paths[0];
  return options;
}

function httpUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, not "${escapeText(text)}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError(`${flag} must be an http(s) URL, not "${escapeText(text)}"`);
  if (url.username || url.password) throw new UsageError(`${flag} must not carry a user name or password`);
  return url.href;
}

// ---------------------------------------------------------------------------------------------
// The Workers API

/** The platform's placement states (placement-facts.md), and what each means next to a prediction. */
const PLATFORM_STATES: Record<string, string> = {
  SUCCESS: "analysed: Smart Placement places the Worker near its back ends",
  INSUFFICIENT_INVOCATIONS: "too little traffic for a decision yet: this says nothing about the prediction",
  NO_VALID_HOSTS: "the Worker does not send subrequests to back ends Smart Placement considers",
  INSUFFICIENT_SUBREQUESTS: "the Worker does not send enough subrequests to back ends",
  UNSUPPORTED_APPLICATION: "placement made the Worker slower, so the platform reverted it",
};

/** Predicted states the platform can also report, so the two can be compared directly. */
const COMPARABLE = new Set(["SUCCESS", "NO_VALID_HOSTS", "INSUFFICIENT_SUBREQUESTS"]);

export interface StatusJsonWorker {
  config: string;
  env: string | null;
  name: string | null;
  prediction: { status: string; roundTrips: number | null };
  /** What the API said; null when it could not be read. */
  platform: { placementMode: string | null; placementStatus: string | null } | null;
  agreement: "agree" | "differ" | "waiting" | "not-compared" | "error";
  explanation: string;
}

export interface StatusJsonReport {
  version: 1;
  workers: StatusJsonWorker[];
}

interface Credentials {
  token: string;
  accountId: string | undefined;
  apiBase: string;
}

/** Whatever an answer or error says, the token never reaches the output. */
function redact(text: string, token: string): string {
  return token.length >= 4 ? text.split(token).join("[token]") : text;
}

async function getJson(url: string, token: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    text = await response.text();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError")
      throw new StatusError(`no answer from the API within ${timeoutMs} ms (${hostOf(url)})`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new StatusError(`cannot reach the API at ${hostOf(url)}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new StatusError(`the API answered HTTP ${response.status} with something that is not JSON (${hostOf(url)})`);
  }
  return { status: response.status, body };
}

function hostOf(url: string): string {
  return new URL(url).host;
}

function apiErrors(body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return "";
  return errors
    .slice(0, 3)
    .map(
      (e: { code?: unknown; message?: unknown }) =>
        `${typeof e?.message === "string" ? e.message : "error"}${typeof e?.code === "number" ? ` (${e.code})` : ""}`,
    )
    .join("; ");
}

/** placement_status and placement_mode from the service's answer, wherever this API version puts them. */
export function placementOf(body: unknown): { placementMode: string | null; placementStatus: string | null } {
  const result = (body as { result?: Record<string, unknown> } | null)?.result;
  const script = (result?.default_environment as { script?: Record<string, unknown> } | undefined)?.script;
  const sources = [script, result].filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null);
  const pick = (key: "mode" | "status"): string | null => {
    for (const source of sources) {
      const flat = source[`placement_${key}`];
      if (typeof flat === "string") return flat;
      const nested = (source.placement as Record<string, unknown> | undefined)?.[key];
      if (typeof nested === "string") return nested;
    }
    return null;
  };
  return { placementMode: pick("mode"), placementStatus: pick("status") };
}

function compareWithPlatform(
  predicted: string,
  platform: { placementMode: string | null; placementStatus: string | null },
): Pick<StatusJsonWorker, "agreement" | "explanation"> {
  const status = platform.placementStatus;
  const head = `predicted ${predicted}, platform ${status ?? "not analysed yet"}`;
  if (status === null && predicted === "NO_FETCH_HANDLER")
    return { agreement: "not-compared", explanation: `${head}: Smart Placement only places Workers with a fetch handler` };
  if (status === null)
    return {
      agreement: "waiting",
      explanation:
        platform.placementMode === "smart"
          ? `${head}: the platform decides minutes after a deploy, once the Worker has had traffic from several places`
          : `${head}: Smart Placement is not enabled for the deployed Worker (placement mode ${platform.placementMode ?? "off"})`,
    };
  const meaning = PLATFORM_STATES[status] ?? "a state this tool does not know";
  if (status === "INSUFFICIENT_INVOCATIONS") return { agreement: "waiting", explanation: `${head}: ${meaning}` };
  if (status === predicted) return { agreement: "agree", explanation: `${head}: agree` };
  if (!COMPARABLE.has(predicted) || !COMPARABLE.has(status)) return { agreement: "not-compared", explanation: `${head}: ${meaning}` };
  const why =
    predicted === "SUCCESS"
      ? "the analysis found sequential round trips the platform did not see in real traffic (a path that is rarely taken, or back ends the platform does not count)"
      : status === "SUCCESS"
        ? "the platform saw more round trips to back ends than the analysis found (calls it could not follow: try `smart-placement trace`)"
        : "the platform classified the Worker's back ends differently";
  return { agreement: "differ", explanation: `${head}: ${meaning}; ${why}` };
}

// ---------------------------------------------------------------------------------------------
// --probe

export interface ProbeJson {
  version: 1;
  probe: {
    url: string;
    requests: number;
    answered: number;
    failed: number;
    placements: Array<{
      value: string | null;
      kind: "remote" | "local" | "absent" | "malformed";
      location: string | null;
      city: string | null;
      count: number;
    }>;
    errors: string[];
  };
}

const LOCATIONS = (locationData as { locations: Record<string, string[]> }).locations;

/** "remote-LHR" → placed near London; "local-EWR" → not placed; anything else is malformed. */
export function readPlacementHeader(value: string | null): {
  kind: "remote" | "local" | "absent" | "malformed";
  location: string | null;
  city: string | null;
} {
  if (value === null) return { kind: "absent", location: null, city: null };
  const dash = value.indexOf("-");
  const kind = value.slice(0, dash);
  const code = value.slice(dash + 1);
  const isCode = code.length === 3 && [...code].every((c) => c >= "A" && c <= "Z");
  if (dash < 0 || (kind !== "remote" && kind !== "local") || !isCode) return { kind: "malformed", location: null, city: null };
  const place = Object.hasOwn(LOCATIONS, code) ? LOCATIONS[code] : undefined;
  return { kind, location: code, city: place ? `${place[0]}, ${place[1]}` : null };
}

async function probe(url: string, count: number, timeoutMs: number): Promise<ProbeJson> {
  const tally = new Map<string, ProbeJson["probe"]["placements"][number]>();
  const errors = new Map<string, number>();
  let answered = 0;
  for (let i = 0; i < count; i++) {
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "manual",
        headers: { "cache-control": "no-cache" },
      });
      await response.arrayBuffer();
      answered++;
      const value = response.headers.get("cf-placement");
      const read = readPlacementHeader(value);
      const key = read.kind === "absent" ? "" : value!;
      const entry = tally.get(key) ?? { value: read.kind === "absent" ? null : value, ...read, count: 0 };
      entry.count++;
      tally.set(key, entry);
    } catch (error) {
      const name = (error as { name?: string }).name;
      const cause = (error as { cause?: { code?: string } }).cause;
      const what =
        name === "TimeoutError" || name === "AbortError"
          ? `no answer within ${timeoutMs} ms`
          : `${cause?.code ?? (error as Error).message}`;
      errors.set(what, (errors.get(what) ?? 0) + 1);
    }
  }
  return {
    version: 1,
    probe: {
      url,
      requests: count,
      answered,
      failed: count - answered,
      placements: [...tally.values()].sort((a, b) => b.count - a.count),
      errors: [...errors].map(([what, n]) => `${n} × ${what}`),
    },
  };
}

function formatProbe(report: ProbeJson): string {
  const p = report.probe;
  const lines = [escapeText(`${p.url}: ${p.requests} requests, ${p.answered} answered`)];
  const width = Math.max(10, ...p.placements.map((e) => (e.value ?? "(absent)").length));
  for (const e of p.placements) {
    const label = escapeText(e.value ?? "(absent)").padEnd(width);
    const meaning =
      e.kind === "remote"
        ? `placed: ran near ${e.city ?? `${e.location} (a data centre this tool does not know)`}`
        : e.kind === "local"
          ? `not placed: ran where the request arrived, ${e.city ?? e.location}`
          : e.kind === "absent"
            ? "no cf-placement header: Smart Placement is off, or has not decided yet"
            : "not a cf-placement value this tool understands (expected remote-XXX or local-XXX)";
    lines.push(`  ${label}  ${String(e.count).padStart(3)}  ${meaning}`);
  }
  for (const error of p.errors) lines.push(escapeText(`  failed: ${error}`));
  const remote = p.placements.filter((e) => e.kind === "remote").reduce((n, e) => n + e.count, 0);
  if (p.answered > 0)
    lines.push(
      `${remote} of ${p.answered} answered requests placed (${Math.round((remote / p.answered) * 100)}%; the platform leaves about 1% unplaced as a baseline).`,
    );
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// The command

export async function runStatus(
  rest: readonly string[],
  cwd: string,
  out: (s: string) => void,
  err: (s: string) => void,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const options = parseOrReport(() => parseArgs(rest), err);
  if (options === undefined) return 2;
  if (options === "help") {
    out(STATUS_USAGE + "\n");
    return 0;
  }
  if (options.probe) {
    const report = await probe(options.probe, options.count, options.timeoutMs);
    out(options.format === "json" ? JSON.stringify(report, null, 2) + "\n" : formatProbe(report));
    if (report.probe.answered === 0) {
      err(`smart-placement: ${escapeText(hostOf(options.probe))} did not answer any of ${options.count} requests\n`);
      return 2;
    }
    return 0;
  }

  const token = environment.CLOUDFLARE_API_TOKEN?.trim() ?? "";
  const fail = (message: string): number => {
    err(`smart-placement: ${escapeText(redact(message, token))}\n`);
    return 2;
  };
  let apiBase: string;
  try {
    apiBase =
      options.apiBase ??
      (environment.CLOUDFLARE_API_BASE_URL ? httpUrl("CLOUDFLARE_API_BASE_URL", environment.CLOUDFLARE_API_BASE_URL) : DEFAULT_API_BASE);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!token)
    return fail(
      "CLOUDFLARE_API_TOKEN is not set: create an API token with the Workers Scripts Read permission (dash.cloudflare.com → My Profile → API Tokens) and export it",
    );

  // The Workers, as `check` finds them.
  const targets = findConfigTargets(cwd, options.path);
  if ("error" in targets) return fail(targets.error);
  const { configs, fs, cwdPath } = targets;

  const credentials: Credentials = {
    token,
    accountId: environment.CLOUDFLARE_ACCOUNT_ID?.trim() || undefined,
    apiBase: apiBase.replace(/\/+$/, ""),
  };
  const workers: StatusJsonWorker[] = [];
  for (const configFile of configs) {
    const text = fs.readFile(configFile);
    if (text === undefined) return fail(`cannot read ${relativePath(cwdPath, configFile)}`);
    const analysis = analyzeConfig(fs, configFile, text, {
      env: options.env,
      platformRules: options.platformRules,
      ...(options.assume ? { assume: options.assume } : {}),
    });
    const configAccount = stringValue(getEntry(analysis.config.root, "account_id")?.value);
    for (const result of analysis.workers) {
      const base: Omit<StatusJsonWorker, "platform" | "agreement" | "explanation"> = {
        config: relativePath(cwdPath, configFile),
        env: result.env.name,
        name: result.env.workerName,
        prediction: { status: result.prediction.status, roundTrips: result.prediction.roundTrips },
      };
      const accountId = credentials.accountId ?? configAccount;
      if (!result.env.workerName) {
        workers.push({
          ...base,
          platform: null,
          agreement: "error",
          explanation: "the config has no name: the deployed Worker cannot be looked up",
        });
        continue;
      }
      if (!accountId)
        return fail(
          "CLOUDFLARE_ACCOUNT_ID is not set and the config has no account_id: export the account's ID (dash.cloudflare.com → Workers & Pages, right column)",
        );
      const url = `${credentials.apiBase}/accounts/${encodeURIComponent(accountId)}/workers/services/${encodeURIComponent(result.env.workerName)}`;
      let answer: { status: number; body: unknown };
      try {
        answer = await getJson(url, token, options.timeoutMs);
      } catch (error) {
        if (error instanceof StatusError) return fail(error.message);
        throw error;
      }
      const detail = apiErrors(answer.body);
      const said = detail ? `: ${detail}` : "";
      if (answer.status === 401 || answer.status === 403 || (answer.status === 400 && detail.includes("(10000)")))
        return fail(
          `the API refused the token (HTTP ${answer.status}${said}): check that CLOUDFLARE_API_TOKEN is valid and has Workers Scripts Read for account ${accountId}`,
        );
      if (answer.status === 404) {
        workers.push({
          ...base,
          platform: null,
          agreement: "error",
          explanation: `no Worker named ${result.env.workerName} in account ${accountId} (HTTP 404${said}): deploy it first, or check the name and --env`,
        });
        continue;
      }
      if (answer.status < 200 || answer.status >= 300 || (answer.body as { success?: unknown } | null)?.success === false) {
        workers.push({ ...base, platform: null, agreement: "error", explanation: `the API answered HTTP ${answer.status}${said}` });
        continue;
      }
      const platform = placementOf(answer.body);
      workers.push({ ...base, platform, ...compareWithPlatform(result.prediction.status, platform) });
    }
  }

  const report: StatusJsonReport = { version: 1, workers };
  const safe = (text: string): string => redact(text, token);
  if (options.format === "json") out(safe(JSON.stringify(report, null, 2)) + "\n");
  else {
    const lines: string[] = [];
    for (const w of workers) {
      const mark = w.agreement === "agree" ? "✓" : w.agreement === "differ" ? "✗" : w.agreement === "error" ? "!" : "–";
      lines.push(escapeText(safe(`${w.config}: ${w.name ?? "(unnamed)"}${w.env ? ` [env ${w.env}]` : ""}`)));
      lines.push(escapeText(safe(`  ${mark} ${w.explanation}`)));
    }
    const count = (a: StatusJsonWorker["agreement"]): number => workers.filter((w) => w.agreement === a).length;
    lines.push(
      `${workers.length} Worker${workers.length === 1 ? "" : "s"}: ${count("agree")} agree, ${count("differ")} differ, ${count("waiting")} waiting for the platform` +
        (count("not-compared") ? `, ${count("not-compared")} not compared` : "") +
        (count("error") ? `, ${count("error")} could not be read` : "") +
        ".",
    );
    out(lines.join("\n") + "\n");
  }
  if (workers.some((w) => w.agreement === "error")) return 2;
  return workers.some((w) => w.agreement === "differ") ? 1 : 0;
}
