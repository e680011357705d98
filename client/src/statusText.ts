/**
 * What the "Smart Placement" status item says, as pure functions (no editor import: unit-tested
 * as they are), and the platform's answers from "Check Deployed Worker", kept per Worker for the
 * session. Only the placement status is kept: never the token or anything the API sent besides.
 */

/** One Worker as the server describes it (see the server's `smartPlacement/prediction`). */
export interface WorkerSummary {
  readonly config: string;
  readonly env: string | null;
  readonly name: string | null;
  readonly status: string;
  readonly configured: string;
  readonly verdict: string;
  readonly prediction: string;
  readonly headline: string;
  readonly severity: "information" | "warning" | "error";
  readonly range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface PredictionSummary extends WorkerSummary {
  readonly workers: readonly WorkerSummary[];
}

/** What the platform said about one deployed Worker, when it was asked. */
export interface PlatformAnswer {
  /** `placement_status` from the Workers API; null when the platform has not decided (or placement is off). */
  readonly placementStatus: string | null;
  /** False when the API could not be read for this Worker. */
  readonly read: boolean;
  /** The prediction it was compared with (the command line's). */
  readonly predicted: string;
  readonly checkedAt: Date;
}

/** A file name as a glob that matches only itself: each glob character in a class of its own. */
export function literalGlob(name: string): string {
  return [...name].map((c) => ("*?[]{}".includes(c) ? `[${c}]` : c)).join("");
}

/** "api (env staging)", "this Worker". */
export function workerLabel(worker: Pick<WorkerSummary, "name" | "env">): string {
  const name = worker.name ?? "this Worker";
  return worker.env ? `${name} (env ${worker.env})` : name;
}

const twoDigits = (n: number): string => String(n).padStart(2, "0");

/** "Platform (checked 10:42): SUCCESS — predicted SUCCESS" (local time). */
export function platformLine(answer: PlatformAnswer): string {
  const at = `${twoDigits(answer.checkedAt.getHours())}:${twoDigits(answer.checkedAt.getMinutes())}`;
  const said = !answer.read ? "no answer" : (answer.placementStatus ?? "not analysed yet");
  return `Platform (checked ${at}): ${said} — predicted ${answer.predicted}`;
}

/** What the status item shows for the Workers of the active file, with the platform's last answer for each. */
export function statusContent(
  summary: PredictionSummary,
  platform: (worker: WorkerSummary) => PlatformAnswer | undefined = () => undefined,
): { text: string; detail: string; severity: WorkerSummary["severity"] } {
  const workers = summary.workers.length ? summary.workers : [summary];
  const severity = workers.some((w) => w.severity === "error")
    ? "error"
    : workers.some((w) => w.severity === "warning")
      ? "warning"
      : "information";
  const answered = (w: WorkerSummary): string => {
    const answer = platform(w);
    return answer ? ` · ${platformLine(answer)}` : "";
  };
  if (workers.length === 1) {
    const only = workers[0]!;
    return {
      text: `${summary.configured} · ${summary.verdict}`,
      detail: `${summary.prediction} (${summary.status})${answered(only)}`,
      severity,
    };
  }
  const text = `${summary.configured} · ${summary.verdict} (+${workers.length - 1} more)`;
  const detail = workers.map((w) => `${workerLabel(w)}: ${w.headline} (${w.status})${answered(w)}`).join("; ");
  return { text, detail, severity };
}

/** The platform's answers of this session, by config and environment. */
export class PlatformAnswers {
  private readonly answers = new Map<string, PlatformAnswer>();
  private readonly listeners = new Set<() => void>();

  /** `normalize` makes the config's URI the same whichever side wrote it (the editor's or the server's spelling). */
  constructor(private readonly normalize: (configUri: string) => string = (uri) => uri) {}

  private key(configUri: string, env: string | null): string {
    return `${this.normalize(configUri)}\u0000${env ?? ""}`;
  }

  set(configUri: string, env: string | null, answer: PlatformAnswer): void {
    this.answers.set(this.key(configUri, env), answer);
    for (const listener of this.listeners) listener();
  }

  get(configUri: string, env: string | null): PlatformAnswer | undefined {
    return this.answers.get(this.key(configUri, env));
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/**
 * The answers in `status --format json` output for the Workers of one config: each Worker's
 * environment and what the platform said. Anything else in the output is ignored.
 */
export function answersFromStatus(output: unknown, checkedAt: Date): Array<{ env: string | null; answer: PlatformAnswer }> {
  const workers = (output as { workers?: unknown } | null)?.workers;
  if (!Array.isArray(workers)) return [];
  return workers.flatMap((w: unknown) => {
    if (typeof w !== "object" || w === null) return [];
    const worker = w as { env?: unknown; prediction?: { status?: unknown }; platform?: { placementStatus?: unknown } | null };
    const predicted = worker.prediction?.status;
    if (typeof predicted !== "string") return [];
    const status = worker.platform?.placementStatus;
    return [
      {
        env: typeof worker.env === "string" ? worker.env : null,
        answer: {
          placementStatus: typeof status === "string" ? status : null,
          read: typeof worker.platform === "object" && worker.platform !== null,
          predicted,
          checkedAt,
        },
      },
    ];
  });
}
