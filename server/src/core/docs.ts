import type { WorkerResult } from "./analysis";
import { findRegion } from "./data/regions";
import { markdownCode, markdownText as md } from "./strings";
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

/** The prediction for one Worker, as hover text on its `placement` / `main`. */
export function describePrediction(worker: WorkerResult): string {
  const { prediction, env, effectivePlacement } = worker;
  const title = `**Smart Placement prediction${env.name ? ` (env ${md(env.name)})` : ""}: ${prediction.status}**`;
  const trips =
    prediction.roundTrips === null
      ? []
      : [
          `${prediction.roundTrips} sequential round trip${prediction.roundTrips === 1 ? "" : "s"} to back ends on the longest path${prediction.backends.length ? ": " + prediction.backends.map((b) => `${md(b.host)} (${b.roundTrips})`).join(", ") : ""}.`,
        ];
  const configured = effectivePlacement
    ? `Configured: ${markdownCode(JSON.stringify(effectivePlacement))}.`
    : "Placement is off: the Worker runs near the user.";
  const reasons = prediction.reasons.map((reason) => `- ${md(reason)}`);
  return [title, "", ...trips, configured, ...(reasons.length ? ["", ...reasons] : [])].join("\n");
}

const CATEGORY_TEXT: Readonly<Record<Subrequest["category"], string>> = {
  backend: "a back end Smart Placement considers",
  analytics: "an analytics/logging service: Smart Placement ignores it",
  global: "a globally distributed service: Smart Placement ignores it",
  binding: "a Cloudflare binding, not a back-end round trip",
  unknown: "unknown: the analyser cannot tell where it goes",
};

/** Hover text for one subrequest in source. */
export function describeSubrequest(subrequest: Subrequest): string {
  const where = subrequest.waitUntil
    ? "inside `waitUntil`: off the response path"
    : subrequest.criticalPath
      ? "on the response path"
      : "not on the fetch handler's response path";
  const order = subrequest.roundTripIndex ? `, round trip #${subrequest.roundTripIndex} of the longest path` : "";
  return [
    `**Subrequest: ${subrequest.kind}${subrequest.target ? ` → ${md(subrequest.target)}` : ""}**`,
    "",
    `- ${CATEGORY_TEXT[subrequest.category]}`,
    `- ${where}${order}`,
    ...(subrequest.note ? [`- ${md(subrequest.note)}`] : []),
  ].join("\n");
}
