/**
 * The core never touches the disk itself: the language server (open documents over the disk),
 * the CLI (the disk) and the tests (in-memory files) hand it one of these.
 * Paths are absolute, with '/' separators.
 */
export interface FileSystem {
  /** The file's text, or undefined when it does not exist or cannot be read as text. */
  readFile(path: string): string | undefined;
  /** What is at `path`, following symlinks; undefined when nothing (or a broken link) is there. */
  stat(path: string): "file" | "directory" | undefined;
  /** Entry names of a directory, or undefined when it cannot be listed. */
  readDirectory(path: string): string[] | undefined;
  /** Canonical path with symlinks resolved (used to break symlink loops); identity if unknown. */
  realPath(path: string): string;
}

/** A FileSystem over a plain map of path -> text (tests, fuzzing, benchmarks). */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  /** Directory -> how many files are under it: stat() must not scan every file. */
  private readonly directories = new Map<string, number>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.set(path, text);
  }

  set(path: string, text: string): void {
    const p = normalizePath(path);
    if (!this.files.has(p)) this.countDirectories(p, 1);
    this.files.set(p, text);
  }

  delete(path: string): void {
    const p = normalizePath(path);
    if (this.files.delete(p)) this.countDirectories(p, -1);
  }

  readFile(path: string): string | undefined {
    return this.files.get(normalizePath(path));
  }

  stat(path: string): "file" | "directory" | undefined {
    const p = normalizePath(path);
    if (this.files.has(p)) return "file";
    return this.directories.has(p) ? "directory" : undefined;
  }

  readDirectory(path: string): string[] | undefined {
    const p = normalizePath(path);
    if (!this.directories.has(p)) return undefined;
    const prefix = p === "/" ? "/" : p + "/";
    const names = new Set<string>();
    for (const key of this.files.keys()) {
      if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split("/")[0]!);
    }
    return [...names].sort();
  }

  realPath(path: string): string {
    return normalizePath(path);
  }

  private countDirectories(file: string, delta: number): void {
    for (let dir = dirname(file); ;) {
      const count = (this.directories.get(dir) ?? 0) + delta;
      if (count > 0) this.directories.set(dir, count);
      else this.directories.delete(dir);
      const parent = dirname(dir);
      if (parent === dir) return;
      dir = parent;
    }
  }
}

/** What normalizePath changes: backslashes, empty, `.` and `..` segments, a trailing slash. */
const NOT_NORMAL = /\\|\/\/|(^|\/)\.\.?(\/|$)|.\/$/;

/** '/'-separated, no trailing slash, '.' and '..' resolved. Keeps a Windows drive letter. */
export function normalizePath(path: string): string {
  // Most paths are normal already (every join and dirname of the analysis asks): return them as they are.
  return path !== "" && !NOT_NORMAL.test(path) ? path : normalizeSegments(path);
}

/** normalizePath's work, segment by segment, for paths that need it. */
export function normalizeSegments(path: string): string {
  const slashed = path.replace(/\\/g, "/");
  const absolute = slashed.startsWith("/");
  const parts: string[] = [];
  for (const part of slashed.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
    } else parts.push(part);
  }
  const joined = parts.join("/");
  return absolute ? "/" + joined : joined || ".";
}

export function dirname(path: string): string {
  const p = normalizePath(path);
  const i = p.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : p.slice(0, i);
}

export function basename(path: string): string {
  const p = normalizePath(path);
  return p.slice(p.lastIndexOf("/") + 1);
}

export function joinPath(base: string, ...segments: string[]): string {
  let result = base;
  for (const segment of segments) {
    const s = segment.replace(/\\/g, "/");
    result = s.startsWith("/") || /^[A-Za-z]:\//.test(s) ? s : result + "/" + s;
  }
  return normalizePath(result);
}

/** `to` relative to the directory `from`, '/'-separated. */
export function relativePath(from: string, to: string): string {
  const a = normalizePath(from).split("/").filter(Boolean);
  const b = normalizePath(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => "..");
  return [...up, ...b.slice(i)].join("/") || ".";
}

/** Whether `path` is `root` or below it (both normalized, absolute). */
export function isInside(path: string, root: string): boolean {
  return path === root || root === "/" || path.startsWith(root.endsWith("/") ? root : root + "/");
}

/**
 * A FileSystem confined to workspace roots: what lies outside them (by canonical path, so a
 * symlink out of a root counts as outside) does not exist for the analysis. The one way out is
 * declared package resolution: a path through a `node_modules` folder of a root or of a folder
 * above one (a monorepo's hoisted packages). Without roots, nothing is confined.
 */
export class ContainedFileSystem implements FileSystem {
  private roots: string[] = [];

  constructor(
    private readonly inner: FileSystem,
    roots: readonly string[] = [],
  ) {
    this.setRoots(roots);
  }

  /** The roots, canonical. */
  setRoots(roots: readonly string[]): void {
    this.roots = [...new Set(roots.map((root) => this.inner.realPath(normalizePath(root))))];
  }

  getRoots(): readonly string[] {
    return this.roots;
  }

  /** Whether the analysis may see `path` (which exists). */
  allows(path: string): boolean {
    if (this.roots.length === 0) return true;
    const real = this.inner.realPath(path);
    if (this.roots.some((root) => isInside(real, root))) return true;
    const p = normalizePath(path);
    const at = p.indexOf("/node_modules/");
    if (at < 0) return false;
    const above = p.slice(0, at) || "/";
    return this.roots.some((root) => isInside(root, above) || isInside(above, root));
  }

  readFile(path: string): string | undefined {
    return this.allows(path) ? this.inner.readFile(path) : undefined;
  }

  stat(path: string): "file" | "directory" | undefined {
    const kind = this.inner.stat(path);
    return kind && this.allows(path) ? kind : undefined;
  }

  readDirectory(path: string): string[] | undefined {
    return this.allows(path) ? this.inner.readDirectory(path) : undefined;
  }

  realPath(path: string): string {
    return this.inner.realPath(path);
  }
}

/**
 * A file system whose answers are kept for the rest of one run: the CLI's files do not change
 * while it runs, and the Workers of a monorepo ask for the same shared files, folders and real
 * paths again and again (a real path costs a system call per folder of the path).
 */
export class RunFileSystem implements FileSystem {
  private readonly files = new Map<string, string | undefined>();
  private readonly kinds = new Map<string, "file" | "directory" | undefined>();
  private readonly listings = new Map<string, string[] | undefined>();
  private readonly realPaths = new Map<string, string>();

  constructor(private readonly inner: FileSystem) {}

  readFile(path: string): string | undefined {
    if (this.files.has(path)) return this.files.get(path);
    const text = this.inner.readFile(path);
    this.files.set(path, text);
    return text;
  }

  stat(path: string): "file" | "directory" | undefined {
    if (this.kinds.has(path)) return this.kinds.get(path);
    const kind = this.inner.stat(path);
    this.kinds.set(path, kind);
    return kind;
  }

  readDirectory(path: string): string[] | undefined {
    if (!this.listings.has(path)) this.listings.set(path, this.inner.readDirectory(path));
    const names = this.listings.get(path);
    return names && [...names];
  }

  realPath(path: string): string {
    let real = this.realPaths.get(path);
    if (real === undefined) {
      real = this.inner.realPath(path);
      this.realPaths.set(path, real);
    }
    return real;
  }
}
