import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { useTraceChildScript } from "../../../server/src/cli/trace";

/**
 * Bundles trace's child process once for a test file (as the build does for dist/), so each trace
 * starts plain Node instead of compiling TypeScript again. Returns the clean-up.
 */
export function bundleTraceChild(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), "sp-trace-child-"));
  const outfile = path.join(dir, "trace-child.js");
  buildSync({
    entryPoints: [path.resolve(__dirname, "../../../server/src/cli/traceChild.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    logLevel: "warning",
  });
  useTraceChildScript(outfile);
  return () => {
    useTraceChildScript(undefined);
    rmSync(dir, { recursive: true, force: true });
  };
}
