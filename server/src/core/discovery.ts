import { isWranglerConfigName } from "./config/model";
import { joinPath, type FileSystem } from "./fs";

/**
 * Wrangler configs below `root`, skipping node_modules and dot-folders, following symlinks at most
 * once per real directory (a symlink loop ends the walk there). Sorted for stable output.
 */
export function findConfigFiles(fs: FileSystem, root: string, maxFiles = 100_000): string[] {
  const found: string[] = [];
  const visited = new Set<string>();
  const pending = [root];
  while (pending.length > 0 && found.length < maxFiles) {
    const dir = pending.pop()!;
    const real = fs.realPath(dir);
    if (visited.has(real)) continue;
    visited.add(real);
    const names = fs.readDirectory(dir);
    if (!names) continue;
    for (const name of names) {
      const path = joinPath(dir, name);
      if (isWranglerConfigName(name) && fs.stat(path) === "file") found.push(path);
      else if (name !== "node_modules" && !name.startsWith(".") && fs.stat(path) === "directory") pending.push(path);
    }
  }
  return found.sort();
}
