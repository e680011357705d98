import { isWranglerConfigName } from "./config/model";
import { pagesProjectOf } from "./pagesProject";
import { isInside, joinPath, type FileSystem } from "./fs";

/** What a search for configs found, and what it could not look into. */
export interface Discovery {
  /** Config files, sorted. */
  readonly files: string[];
  /** Folders that could not be listed and configs that are not readable files (below the root). */
  readonly unreadable: string[];
  /** Symlinks out of the root that were not followed (never listed: what is outside is not shown). */
  readonly outside: number;
  /** Pages projects without a wrangler config (`functions/`, `_worker.js`, next-on-pages), by folder, sorted. */
  readonly projects: string[];
  /** Whether the search stopped at `maxFiles`. */
  readonly truncated: boolean;
}

/**
 * Wrangler configs below `root`, skipping node_modules and dot-folders. Symlinks are followed only
 * while their canonical path stays inside the root's, and at most once per real directory (a
 * symlink loop ends the walk there). Sorted for stable output.
 */
export function discoverConfigs(fs: FileSystem, root: string, maxFiles = 100_000): Discovery {
  const found: string[] = [];
  const projects: string[] = [];
  const unreadable: string[] = [];
  let outside = 0;
  const realRoot = fs.realPath(root);
  const visited = new Set<string>();
  const pending = [root];
  while (pending.length > 0 && found.length < maxFiles) {
    const dir = pending.pop()!;
    const real = fs.realPath(dir);
    if (!isInside(real, realRoot)) {
      outside++;
      continue;
    }
    if (visited.has(real)) continue;
    visited.add(real);
    const names = fs.readDirectory(dir);
    if (!names) {
      unreadable.push(dir);
      continue;
    }
    if (names.includes("package.json") && !names.some(isWranglerConfigName) && pagesProjectOf(fs, dir)) projects.push(dir);
    for (const name of names) {
      const path = joinPath(dir, name);
      const kind = fs.stat(path);
      if (kind === "directory") {
        if (name !== "node_modules" && !name.startsWith(".")) pending.push(path);
      } else if (!isWranglerConfigName(name)) continue;
      else if (kind === undefined) unreadable.push(path);
      else if (isInside(fs.realPath(path), realRoot)) found.push(path);
      else outside++;
    }
  }
  return { files: found.sort(), projects: projects.sort(), unreadable: unreadable.sort(), outside, truncated: found.length >= maxFiles };
}

/** The config files of discoverConfigs. */
export function findConfigFiles(fs: FileSystem, root: string, maxFiles = 100_000): string[] {
  return discoverConfigs(fs, root, maxFiles).files;
}
