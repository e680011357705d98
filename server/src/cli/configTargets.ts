import * as path from "node:path";
import { configFormatOf } from "../core/config/model";
import { discoverConfigs } from "../core/discovery";
import { ContainedFileSystem, dirname, normalizePath } from "../core/fs";
import { NodeFileSystem } from "../host/nodeFileSystem";
import { workspaceRootsAbove } from "../core/worker/resolve";

/** The wrangler configs a command's path argument names, read through a file system contained in the project. */
export interface ConfigTargets {
  configs: string[];
  fs: ContainedFileSystem;
  /** The working directory, normalised: reports give paths relative to it. */
  cwdPath: string;
}

/**
 * Finds the configs `status` and `trace` work on, as `check` does: a directory is searched, a file must be a wrangler
 * config. Returns the message to print (exit code 2) when there is nothing to work on.
 */
export function findConfigTargets(cwd: string, pathArgument: string): ConfigTargets | { error: string } {
  const disk = new NodeFileSystem();
  const cwdPath = normalizePath(path.resolve(cwd));
  const target = normalizePath(path.resolve(cwd, pathArgument));
  const kind = disk.stat(target);
  let configs: string[];
  if (kind === "directory") configs = discoverConfigs(disk, target).files;
  else if (kind === "file" && configFormatOf(target)) configs = [target];
  else if (kind === "file") return { error: `${pathArgument} is not a wrangler config (wrangler.toml, wrangler.json or wrangler.jsonc)` };
  else return { error: `cannot read ${pathArgument}: no such file or directory` };
  if (configs.length === 0) return { error: `no wrangler.toml, wrangler.json or wrangler.jsonc found in ${pathArgument}` };
  const roots = [cwdPath, kind === "directory" ? target : dirname(target)];
  // Inside a workspace package, the workspace's other packages are the Worker's code too.
  const fs = new ContainedFileSystem(disk, [...roots, ...workspaceRootsAbove(disk, roots)]);
  return { configs, fs, cwdPath };
}
