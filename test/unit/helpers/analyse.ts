import { MemoryFileSystem } from "../../../server/src/core/fs";
import type { AssumeMode, PlatformRules } from "../../../server/src/core/platform";
import { predict } from "../../../server/src/core/predict/predict";
import { analyzeWorker } from "../../../server/src/core/worker/analyze";
import type { BindingNames, WorkerAnalysis, WorkerAnalysisInput } from "../../../server/src/core/worker/types";

export const NO_BINDINGS: BindingNames = {
  d1: [],
  kv: [],
  r2: [],
  services: [],
  durableObjects: [],
  queues: [],
  ai: [],
  hyperdrive: [],
  assets: [],
  other: [],
};

export function analyse(
  files: Record<string, string>,
  options: {
    main?: string | null;
    vars?: Record<string, string>;
    structuredVars?: Record<string, unknown>;
    bindings?: Partial<BindingNames>;
    pages?: string;
    platformRules?: PlatformRules;
    hostCategories?: WorkerAnalysisInput["hostCategories"];
    assume?: AssumeMode;
  } = {},
): WorkerAnalysis {
  const fs = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [`/w/${p}`, t])));
  return analyzeWorker({
    fs,
    projectRoot: "/w",
    main: options.main === undefined ? "src/index.ts" : options.main,
    pagesBuildOutputDir: options.pages ?? null,
    vars: options.vars ?? {},
    ...(options.structuredVars ? { structuredVars: options.structuredVars } : {}),
    bindings: { ...NO_BINDINGS, ...options.bindings },
    ...(options.platformRules ? { platformRules: options.platformRules } : {}),
    ...(options.hostCategories ? { hostCategories: options.hostCategories } : {}),
    ...(options.assume ? { assume: options.assume } : {}),
  });
}

export const one = (source: string, options?: Parameters<typeof analyse>[1]): WorkerAnalysis =>
  analyse({ "src/index.ts": source }, options);
export const statusOf = (a: WorkerAnalysis, d1: string[] = [], targeted = false, platformRules?: PlatformRules): string =>
  predict(a, { targeted, d1Bindings: d1, ...(platformRules ? { platformRules } : {}) }).status;

/** The critical-path subrequests as `target candidates…`, in source order. */
export const criticalTargets = (a: WorkerAnalysis): string[] =>
  a.subrequests
    .filter((s) => s.criticalPath)
    .map((s) => [s.target ?? "?", ...(s.candidates ?? []).map((c) => `${c.host}:${c.category}`)].join(" "));

/** A module whose default export's fetch handler runs `body`, after `head` at module level. */
export const fetchHandler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request: Request, env: any, ctx: any) {\n${body}\nreturn new Response(); } };`;
