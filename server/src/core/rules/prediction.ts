import type { EffectivePlacement, WorkerEnvironment, WranglerConfig } from "../config/model";
import { singleFileFix, type Finding, type Fix } from "../findings";
import { enableSmartPlacement } from "../fixes/configEdits";
import { D1_PINNING_ENDED } from "../platform";
import type { Prediction } from "../predict/types";
import type { Span } from "../text";
import type { WorkerAnalysis } from "../worker/types";
import type { RuleCode } from "./catalogue";

/**
 * Findings that follow from the prediction, placed where the developer configures placement: on
 * the `placement` key, or on `main` when placement is absent.
 */
export function checkPrediction(
  config: WranglerConfig,
  env: WorkerEnvironment,
  placement: EffectivePlacement | null,
  analysis: WorkerAnalysis,
  prediction: Prediction,
): Finding[] {
  const findings: Finding[] = [];
  const anchor = anchorSpan(env);
  const where = env.name ? ` (env "${env.name}")` : "";
  const add = (code: RuleCode, message: string, fixes: Fix[] = []): void => {
    findings.push({ code, file: config.file, span: anchor, message: message + where, fixes, related: evidence(analysis) });
  };

  if (analysis.entryProblem?.kind === "language") {
    findings.push({
      code: "worker-language",
      file: config.file,
      span: env.main ? env.main.entry.value.span : anchor,
      message: `${analysis.entryProblem.message.replace(/\.$/, "")}${where}.`,
      fixes: [],
    });
  } else if (analysis.entryProblem) {
    findings.push({
      code: "worker-entry",
      file: config.file,
      span: env.main ? env.main.entry.value.span : anchor,
      message:
        prediction.status === "TARGETED" || prediction.status === "D1_PINNED"
          ? `${analysis.entryProblem.message} The prediction (${prediction.status}) follows from the config alone${where}.`
          : `${analysis.entryProblem.message} No placement prediction can be made${where}.`,
      fixes: [],
    });
  } else if (analysis.entryWarning) {
    findings.push({
      code: "worker-entry",
      file: config.file,
      span: env.main ? env.main.entry.value.span : anchor,
      message: `${analysis.entryWarning}${where}`,
      fixes: [],
    });
  }

  const smart = placement?.mode === "smart";
  const fetchHandlers = analysis.handlers.filter((h) => h.kind === "fetch");
  const otherHandlers = [...new Set(analysis.handlers.filter((h) => h.kind !== "fetch" && h.kind !== "durable-object").map((h) => h.kind))];

  if (placement) {
    if (prediction.status === "NO_FETCH_HANDLER") {
      add(
        "placement-no-fetch-handler",
        `Placement is configured, but this Worker has no fetch handler: placement only moves fetch handlers, so it has no effect${otherHandlers.length ? ` on its ${otherHandlers.join(", ")} handler${otherHandlers.length > 1 ? "s" : ""}` : ""}.`,
      );
    }
    if (fetchHandlers.length > 0 && otherHandlers.length > 0) {
      add(
        "placement-fetch-only",
        `Only the fetch handler is placed; the ${otherHandlers.join(", ")} handler${otherHandlers.length > 1 ? "s run" : " runs"} where it always does.`,
      );
    }
    if (analysis.servesAssetsBinding) {
      add(
        "placement-assets-binding",
        "The fetch handler serves static assets through the assets binding: once the Worker is placed near its back end, those assets are served from there, far from the user.",
      );
    }
    if (analysis.pagesCatchAllMiddleware) {
      add(
        "placement-pages-middleware",
        "functions/_middleware runs on every request: with placement, static assets are served from the placed location too.",
      );
    }
  }
  if (smart) {
    switch (prediction.status) {
      case "INSUFFICIENT_SUBREQUESTS":
        add(
          "placement-insufficient-subrequests",
          `Smart Placement will likely keep this Worker near the user: ${roundTripText(prediction.roundTrips)} to ${prediction.backends.length ? prediction.backends.map((b) => b.host).join(", ") : "a back end"} per request, and it needs more than one.`,
        );
        break;
      case "NO_VALID_HOSTS":
        add(
          "placement-no-valid-hosts",
          prediction.backends.length === 0 && analysis.subrequests.every((s) => !s.criticalPath)
            ? "Smart Placement will find no valid hosts: the fetch handler sends no subrequests to back-end services, so it stays near the user."
            : `Smart Placement will find no valid hosts: no subrequest on the fetch path goes to a back end it considers (analytics/logging, globally distributed services and Cloudflare bindings do not count). ${firstReason(prediction)}`.trim(),
        );
        break;
      case "D1_PINNED":
        add(
          "placement-d1-pinned",
          `This Worker has a D1 binding (${env.bindings.d1.join(", ")}): under the 2024 rules Smart Placement places it near the D1 database and ignores its other subrequests (Cloudflare ended D1 pinning on ${D1_PINNING_ENDED}).`,
        );
        break;
      default:
        break;
    }
  }
  // Wrangler v1 has no placement: a suggestion to enable it would not apply.
  if (!env.placement && !env.legacy && prediction.status === "SUCCESS") {
    const edits = enableSmartPlacement(config, env.path);
    add(
      "placement-suggest-smart",
      `Smart Placement would likely speed this Worker up: ${roundTripText(prediction.roundTrips)} in sequence to ${backendsText(prediction, analysis)} per request.`,
      edits ? [singleFileFix("Enable Smart Placement", config.file, edits, true)] : [],
    );
  }
  return findings;
}

/** Where a Worker-level finding goes: its placement key, else `main`, else the environment's key. */
export function anchorSpan(env: WorkerEnvironment): Span {
  if (env.placement) return env.placement.entry.keySpan;
  if (env.main) return env.main.entry.keySpan;
  return env.name ? env.table.span : { start: 0, end: 0 };
}

function roundTripText(count: number | null): string {
  if (count === null) return "an unknown number of round trips";
  return count === 1 ? "one round trip" : `${count} round trips`;
}

/** The back ends a count reaches, named; calls counted by assumption (no host to name) said so. */
function backendsText(prediction: Prediction, analysis: WorkerAnalysis): string {
  const hosts = prediction.backends.map((b) => b.host);
  const assumed = analysis.subrequests.some((s) => s.criticalPath && s.assumed !== undefined && s.target === null);
  if (!assumed) return hosts.length ? hosts.join(", ") : "back ends";
  return hosts.length ? `${hosts.join(", ")} and back ends it assumes (see the prediction)` : "back ends it assumes (see the prediction)";
}

function firstReason(prediction: Prediction): string {
  const reason = prediction.reasons[0];
  return reason ? reason.charAt(0).toUpperCase() + reason.slice(1) + (reason.endsWith(".") ? "" : ".") : "";
}

/** The subrequests on the response path, so an editor can link the finding to the code. */
function evidence(analysis: WorkerAnalysis): Finding["related"] {
  return analysis.subrequests
    .filter((s) => s.criticalPath)
    .slice(0, 10)
    .map((s) => ({ file: s.file, span: s.span, message: `${s.kind} to ${s.target ?? "an unknown target"} (${s.category})` }));
}
