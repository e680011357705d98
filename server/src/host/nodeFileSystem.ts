import * as fs from "node:fs";
import { normalizePath, type FileSystem } from "../core/fs";

/** Files larger than this are not read (the analyser reports them instead of stalling on them). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** The disk, as the core sees it. Never throws: unreadable things are simply absent. */
export class NodeFileSystem implements FileSystem {
  readFile(path: string): string | undefined {
    try {
      const stat = fs.statSync(path);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      return fs.readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  }

  stat(path: string): "file" | "directory" | undefined {
    try {
      const stat = fs.statSync(path);
      return stat.isFile() ? "file" : stat.isDirectory() ? "directory" : undefined;
    } catch {
      return undefined;
    }
  }

  readDirectory(path: string): string[] | undefined {
    try {
      return fs.readdirSync(path);
    } catch {
      return undefined;
    }
  }

  realPath(path: string): string {
    try {
      return normalizePath(fs.realpathSync(path));
    } catch {
      return normalizePath(path);
    }
  }
}
