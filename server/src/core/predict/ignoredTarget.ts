import type { WorkerEnvironment } from "../config/model";
import { getEntry, stringValue } from "../config/tree";

/**
 * Why a placement that names a target is still not TARGETED: `mode = "smart"` together with a
 * `region`, `host` or `hostname`. Current Wrangler rejects the combination (the placement-mode
 * error), and a Wrangler from before placement targets deploys smart mode without the target:
 * either way the target is never applied. Undefined for any other placement.
 */
export function ignoredTargetReason(env: WorkerEnvironment): string | undefined {
  const node = env.placement?.entry.value;
  if (node?.kind !== "table" || stringValue(getEntry(node, "mode")?.value) !== "smart") return undefined;
  for (const key of ["region", "host", "hostname"] as const) {
    const value = stringValue(getEntry(node, key)?.value);
    if (value)
      return `not TARGETED: placement sets ${key} "${value}" with mode = "smart", a combination current Wrangler rejects (placement-mode), and a Wrangler without placement targets ignores the ${key}: the ${key} is never applied, so this is what Smart Placement would do with the code`;
  }
  return undefined;
}
