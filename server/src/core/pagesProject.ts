import { joinPath, type FileSystem } from "./fs";
import { nearestManifest } from "./worker/handlers/frameworks";
import { resolveFile } from "./worker/resolve";

/** A Pages project found without a wrangler config: its folder and the output folder Pages serves. */
export interface PagesProject {
  readonly root: string;
  /** Relative to `root`, as `pages_build_output_dir` would say it. */
  readonly outputDir: string;
}

/**
 * Whether `dir` (a folder with a package.json and no wrangler config) is a Pages project: its
 * package.json runs `wrangler pages dev|deploy [DIR]` or depends on `@cloudflare/next-on-pages`,
 * and it has a `functions/` folder, a `_worker.js` in the output folder, or next-on-pages sources.
 * The script is split into words, never matched as text.
 */
export function pagesProjectOf(fs: FileSystem, dir: string): PagesProject | undefined {
  const manifest = nearestManifest(fs, dir);
  if (!manifest || manifest.file !== joinPath(dir, "package.json")) return undefined;
  if (manifest.dependencies.has("@cloudflare/next-on-pages")) return { root: dir, outputDir: ".vercel/output/static" };
  let outputDir: string | undefined;
  for (const script of manifest.scripts.values()) {
    const words = script.split(/\s+/).filter((w) => w !== "");
    for (let i = 0; i + 2 < words.length + 1; i++) {
      if (words[i] !== "wrangler" && !words[i]!.endsWith("/wrangler")) continue;
      if (words[i + 1] !== "pages" || (words[i + 2] !== "dev" && words[i + 2] !== "deploy" && words[i + 2] !== "publish")) continue;
      const positional = words.slice(i + 3).find((w, k, rest) => !w.startsWith("-") && (k === 0 || !rest[k - 1]!.startsWith("-")));
      outputDir ??= positional ?? ".";
    }
  }
  if (outputDir === undefined) return undefined;
  const hasFunctions = fs.stat(joinPath(dir, "functions")) === "directory";
  const hasWorker = resolveFile(fs, joinPath(joinPath(dir, outputDir), "_worker.js")) !== undefined;
  return hasFunctions || hasWorker ? { root: dir, outputDir } : undefined;
}
