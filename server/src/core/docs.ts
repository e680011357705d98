import type { ConfigAnalysis, WorkerResult } from "./analysis";
import { findRegion } from "./data/regions";
import { asClause, describeWorker } from "./predict/words";
import { markdownText as md } from "./strings";
import type { Subrequest } from "./worker/types";

/** Hover and completion texts for `placement` keys and values (Markdown). */

export const PLACEMENT_KEY_DOCS: Readonly<Record<string, string>> = {
  mode: '**mode** — how the Worker is placed.\n\n- `"smart"`: Smart Placement measures the Worker and may run its fetch handler near the back end it talks to.\n- `"off"`: run near the user (the default).\n- `"targeted"`: run near the `region`, `host` or `hostname` given (optional with a target).\n\nRequired unless a target is set.',
  hint: "**hint** — a hint for Smart Placement (smart mode only), e.g. a region where the back end is. Not allowed together with `region`, `host` or `hostname`.",
  region:
    '**region** — place the Worker near a cloud region: `"aws:us-east-1"`, `"gcp:europe-west8"`, `"azure:westeurope"`. Exactly one of `region`, `host` and `hostname`.',
  host: '**host** — place the Worker near a TCP service, probed at `"host:port"` (e.g. `"db.example.com:5432"`). Exactly one of `region`, `host` and `hostname`.',
  hostname:
    '**hostname** — place the Worker near an HTTP service, probed at this host name (e.g. `"api.example.com"`, no scheme, path or port). Exactly one of `region`, `host` and `hostname`.',
};

export const MODE_VALUE_DOCS: Readonly<Record<string, string>> = {
  smart: "Smart Placement: the platform analyses the Worker's traffic and runs its fetch handler near its back end when that is faster.",
  off: "No placement: the Worker runs in the data centre nearest the request.",
  targeted: "Targeted placement: run near the `region`, `host` or `hostname` given.",
};

export const PLACEMENT_DOC =
  '**placement** — where Cloudflare runs this Worker\'s fetch handler. Smart format: `mode` `"smart"` or `"off"` (+ optional `hint`). Targeted format: one of `region`, `host`, `hostname`.\n\n[Cloudflare docs](https://developers.cloudflare.com/workers/configuration/placement/)';

export function regionDocs(value: string): string | undefined {
  const region = findRegion(value);
  if (!region) return undefined;
  const provider = region.provider === "aws" ? "Amazon Web Services" : region.provider === "gcp" ? "Google Cloud" : "Microsoft Azure";
  return `**${region.provider}:${region.code}** — ${provider}, ${region.name} (${region.location})`;
}

/** The status line of a hover: "**Smart Placement** (env staging): Off · would help: 2 sequential round trips to db.example.com". */
export function predictionHeadline(analysis: ConfigAnalysis, worker: WorkerResult): string {
  const words = describeWorker(analysis, worker);
  return `**Smart Placement**${worker.env.name ? ` (env ${md(worker.env.name)})` : ""}: ${md(words.headline)}`;
}

/**
 * The prediction for one Worker, as hover text on its `placement` / `main`: the headline, what
 * it rests on beyond the count (each reason once), and the status the platform would report.
 */
export function describePrediction(analysis: ConfigAnalysis, worker: WorkerResult): string {
  const words = describeWorker(analysis, worker);
  const more = [...words.unknowns, ...words.moreReasons].map((reason) => `- ${md(reason)}`);
  return [predictionHeadline(analysis, worker), ...(more.length ? ["", ...more] : []), "", `Predicted status: \`${words.status}\``].join(
    "\n",
  );
}

const NOT_COUNTED: Readonly<Record<Subrequest["category"], string>> = {
  backend: "",
  analytics: "an analytics or logging service, which Smart Placement ignores",
  global: "a globally distributed service, which Smart Placement ignores",
  binding: "a Cloudflare binding, not a round trip to a back end",
  unknown: "",
};

/**
 * Hover text for one subrequest in source: one line, only what the analysis adds to the
 * language's own hover (whether and how the call counts for Smart Placement).
 */
export function describeSubrequest(subrequest: Subrequest): string {
  const target = subrequest.target ? ` to ${md(subrequest.target)}` : "";
  const note = subrequest.note ? ` (${md(asClause(subrequest.note))})` : "";
  let fact: string;
  if (subrequest.waitUntil) fact = `not counted: inside \`waitUntil\`, off the response path${note}`;
  else if (!subrequest.criticalPath) fact = `not counted: not on the fetch handler's response path${note}`;
  else if (subrequest.category === "unknown" && subrequest.assumed !== undefined)
    fact = `${subrequest.roundTripIndex ? `round trip ${subrequest.roundTripIndex} of the longest path` : "a round trip, not on the longest path"}, by assumption: ${md(asClause(subrequest.assumed))}`;
  else if (subrequest.category === "unknown") fact = `cannot tell where this ${md(subrequest.kind)} call goes${note}`;
  else if (subrequest.category !== "backend")
    fact = `not counted: ${subrequest.target ? `${md(subrequest.target)} is` : "it goes to"} ${NOT_COUNTED[subrequest.category]}${note}`;
  else if (subrequest.roundTripIndex) fact = `round trip ${subrequest.roundTripIndex} of the longest path${target}${note}`;
  else fact = `a round trip${target}, not on the longest path${note}`;
  return `**Smart Placement:** ${fact}.`;
}
