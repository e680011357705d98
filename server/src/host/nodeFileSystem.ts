import * as fs from "node:fs";
import { normalizePath, type FileSystem } from "../core/fs";

/** Files larger than this are not read (the analyser reports them instead of stalling on them). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads at most `limit` bytes of a regular file, counting the bytes actually read: `stat` sizes
 * lie (files under /proc report 0 and never end). Undefined when the file is not a regular file,
 * cannot be read, or holds more than `limit` bytes. Opened non-blocking, so a FIFO swapped in
 * after the check cannot block the read.
 */
export function readFileBounded(path: string, limit = MAX_FILE_BYTES): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > limit) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit + 1 - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > limit) return undefined;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** UTF-8 text of a bounded read (see readFileBounded). */
export function readTextBounded(path: string, limit = MAX_FILE_BYTES): string | undefined {
  return readFileBounded(path, limit)?.toString("utf8");
}

/**
 * On Linux, the system's realpath: one call, where Node's own asks for every folder of the path
 * (the CLI asks for every file a Worker reads, to keep the run inside the folders it was given).
 * Elsewhere Node's, which keeps the case of the path as given on case-insensitive disks.
 */
const REAL_PATH: (path: string) => string = process.platform === "linux" ? fs.realpathSync.native : fs.realpathSync;

/** The disk, as the core sees it. Never throws: unreadable things are simply absent. */
export class NodeFileSystem implements FileSystem {
  constructor(private readonly maxFileBytes = MAX_FILE_BYTES) {}

  readFile(path: string): string | undefined {
    return readTextBounded(path, this.maxFileBytes);
  }

  stat(path: string): "file" | "directory" | undefined {
    try {
      // No exception for a missing path: resolution asks for a path with each extension in turn.
      const stat = fs.statSync(path, { throwIfNoEntry: false });
      return stat?.isFile() ? "file" : stat?.isDirectory() ? "directory" : undefined;
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
      return normalizePath(REAL_PATH(path));
    } catch {
      return normalizePath(path);
    }
  }
}
