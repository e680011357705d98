import { findNodeAtLocation, parseTree } from "jsonc-parser";
import semver from "semver";
import type { PlacementSource, WorkerEnvironment, WranglerConfig } from "../config/model";
import { getEntry, stringValue, type ConfigNode } from "../config/tree";
import { dirname, joinPath, type FileSystem } from "../fs";
import { dedupeFindings, type Finding } from "../findings";
import type { Span } from "../text";
import { checkPlacement, TARGET_FIELDS } from "./placement";

/**
 * First Wrangler release that accepts each placement feature. Found by reading the config
 * validation of published Wrangler releases (binary search over the npm versions):
 * `[placement]` 2.20.0 (also stated by Cloudflare's Smart Placement docs), `hint` 3.77.0,
 * region/host/hostname targets 4.53.0.
 */
export const WRANGLER_FEATURE_VERSIONS = {
  placement: "2.20.0",
  hint: "3.77.0",
  targets: "4.53.0",
} as const;

/** All config checks of one file: syntax first, and nothing else on a file that does not parse. */
export function checkConfig(config: WranglerConfig, fs?: FileSystem, onlyEnv?: string | null): Finding[] {
  if (config.syntaxError) {
    return [{ code: "config-syntax", file: config.file, span: config.syntaxError.span, message: config.syntaxError.message, fixes: [] }];
  }
  if (config.limit) {
    const name = config.file.slice(config.file.lastIndexOf("/") + 1);
    return [
      {
        code: "analysis-limit",
        file: config.file,
        span: config.limit.span,
        message: `${name} was not analysed: ${config.limit.message}.`,
        fixes: [],
      },
    ];
  }
  const findings: Finding[] = [];
  const environments = selectEnvironments(config, onlyEnv);
  const sources = onlyEnv === undefined ? ownPlacements(config) : environments.flatMap((env) => placementsValidatedFor(config, env));
  for (const source of sources) findings.push(...checkPlacement(config, source));
  for (const env of environments) findings.push(...checkAssetsFirst(config, env));
  if (fs) findings.push(...checkWranglerVersion(config, fs));
  return dedupeFindings(findings);
}

/**
 * `undefined`: every environment (an editor, or the CLI without --env); `null`: the top level only;
 * a name: that environment only, as `wrangler deploy --env NAME` validates it.
 */
export function selectEnvironments(config: WranglerConfig, onlyEnv: string | null | undefined): readonly WorkerEnvironment[] {
  if (onlyEnv === undefined) return config.environments;
  const selected = config.environments.filter((env) => env.name === onlyEnv);
  // Like Wrangler, an environment the file does not define deploys the top level.
  return selected.length > 0 ? selected : config.environments.slice(0, 1);
}

/**
 * What `wrangler deploy --env NAME` validates: the top level's placements (checked on every
 * deploy, as the oracle fixtures show) and the environment's own.
 */
function placementsValidatedFor(config: WranglerConfig, env: WorkerEnvironment): PlacementSource[] {
  const top = config.environments[0];
  return [...(top ? placementsWrittenIn(top) : []), ...(env !== top ? placementsWrittenIn(env) : [])];
}

function placementsWrittenIn(env: WorkerEnvironment): PlacementSource[] {
  return [...(env.placement && !env.placement.inherited ? [env.placement] : []), ...(env.previewsPlacement ? [env.previewsPlacement] : [])];
}

/** Every placement written in the file (an inherited one is checked where it is written). */
export function ownPlacements(config: WranglerConfig): PlacementSource[] {
  return config.environments.flatMap(placementsWrittenIn);
}

/** Wrangler warns at deploy time when smart mode meets `assets.run_worker_first = true`. */
function checkAssetsFirst(config: WranglerConfig, env: WorkerEnvironment): Finding[] {
  const placement = env.placement?.entry.value;
  const mode = getEntry(placement, "mode");
  const runWorkerFirst = env.assets?.runWorkerFirst;
  if (stringValue(mode?.value) !== "smart" || runWorkerFirst?.value.kind !== "boolean" || runWorkerFirst.value.value !== true) return [];
  return [
    {
      code: "placement-assets-first",
      file: config.file,
      span: mode!.value.span,
      message:
        'Smart Placement with "assets.run_worker_first = true": every request, asset requests included, runs the Worker first, which may be placed far from the user, so static assets are served slower. Serve assets first, or keep placement off.',
      fixes: [],
      related: [{ file: config.file, span: runWorkerFirst.entrySpan, message: "run_worker_first is set here" }],
    },
  ];
}

/** The feature each placement needs, with the place that uses it. */
function featuresInUse(config: WranglerConfig): Array<{ feature: keyof typeof WRANGLER_FEATURE_VERSIONS; node: ConfigNode }> {
  const used: Array<{ feature: keyof typeof WRANGLER_FEATURE_VERSIONS; node: ConfigNode }> = [];
  for (const source of ownPlacements(config)) {
    const value = source.entry.value;
    used.push({ feature: "placement", node: value });
    const hint = getEntry(value, "hint");
    if (hint) used.push({ feature: "hint", node: hint.value });
    for (const field of TARGET_FIELDS) {
      const target = getEntry(value, field);
      if (target) used.push({ feature: "targets", node: target.value });
    }
  }
  return used;
}

function checkWranglerVersion(config: WranglerConfig, fs: FileSystem): Finding[] {
  const used = featuresInUse(config);
  if (used.length === 0) return [];
  const found = nearestWranglerRange(fs, dirname(config.file));
  if (!found) return [];
  let minimum: string | undefined;
  try {
    minimum = semver.minVersion(found.range)?.version;
  } catch {
    return []; // not a semver range (a tag, a URL, "workspace:*"): nothing to compare
  }
  if (!minimum) return [];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const { feature, node } of used) {
    const needed = WRANGLER_FEATURE_VERSIONS[feature];
    if (!semver.lt(minimum, needed) || reported.has(feature)) continue;
    reported.add(feature);
    const what = feature === "placement" ? "[placement]" : feature === "hint" ? '"hint"' : "region/host/hostname targets";
    findings.push({
      code: "placement-wrangler-version",
      file: config.file,
      span: node.span,
      message: `${what} needs Wrangler ${needed} or later, but ${found.file.slice(found.file.lastIndexOf("/") + 1)} allows wrangler "${found.range}" (from ${minimum}), which would not apply it.`,
      fixes: [],
      related: [{ file: found.file, span: found.span, message: `wrangler "${found.range}"` }],
    });
  }
  return findings;
}

/** The `wrangler` dependency range in the nearest package.json that declares one. */
export function nearestWranglerRange(fs: FileSystem, startDir: string): { file: string; range: string; span: Span } | undefined {
  let dir = startDir;
  for (let depth = 0; depth < 64; depth++) {
    const file = joinPath(dir, "package.json");
    const text = fs.readFile(file);
    if (text !== undefined) {
      const found = wranglerRangeIn(text);
      if (found) return { file, ...found };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function wranglerRangeIn(packageJson: string): { range: string; span: Span } | undefined {
  const tree = parseTree(packageJson, [], { allowTrailingComma: true });
  if (!tree) return undefined;
  for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
    const node = findNodeAtLocation(tree, [field, "wrangler"]);
    if (node?.type === "string") return { range: node.value as string, span: { start: node.offset, end: node.offset + node.length } };
  }
  return undefined;
}
