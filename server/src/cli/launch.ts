// The `smart-placement` command. Starts the CLI (dist/cli-main.js) with V8's code cache, so that a
// run after the first one skips compiling the CLI and, when it parses a Worker, the TypeScript
// compiler. The cache lives in the user's cache folder, in a folder per version of the CLI. Any
// trouble with it (missing, corrupt, unwritable, another Node) means a normal start, the output is
// the same either way. SMART_PLACEMENT_NO_CACHE=1 turns it off.
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { homedir } from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";

declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === "string" ? PACKAGE_VERSION : "0.0.0-dev";

/** The bundles whose compiled code is cached: the CLI and the compiler it loads on demand. */
const CACHED = new Set(["cli-main.js", "typescript.js"]);

/** Where the code cache of this version lives, or undefined when there is no place for it (or it is turned off). */
export function codeCacheDirectory(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  if (env["SMART_PLACEMENT_NO_CACHE"]) return undefined;
  const base =
    env["XDG_CACHE_HOME"] ||
    (platform === "win32"
      ? env["LOCALAPPDATA"]
      : platform === "darwin"
        ? home && path.join(home, "Library", "Caches")
        : home && path.join(home, ".cache"));
  return base ? path.join(base, "smart-placement", VERSION) : undefined;
}

interface CompilableModule {
  exports: unknown;
}

/**
 * Node 20 and 22.0 have no `module.enableCompileCache`: compile our bundles through `vm.Script`
 * with cached data instead, the way Node itself would, and save the cache when it was missing or
 * rejected (V8 rejects data from another build or a corrupt file, and compiles from source).
 */
function compileWithCache(module: CompilableModule, filename: string, directory: string): void {
  const source = readFileSync(filename, "utf8");
  const cacheFile = path.join(directory, `${path.basename(filename, ".js")}-${process.version}-${process.arch}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const body = source.startsWith("#!") ? `//${source.slice(2)}` : source;
  const script = new vm.Script(Module.wrap(body), { filename, ...(cachedData ? { cachedData } : {}) });
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At exit: the functions the run compiled are in the cache too.
    process.once("exit", () => saveCache(script, cacheFile, directory));
  }
  wrapper.call(module.exports, module.exports, Module.createRequire(filename), module, filename, path.dirname(filename));
}

function saveCache(script: vm.Script, cacheFile: string, directory: string): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(directory, { recursive: true });
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
  }
}

type Compile = (module: CompilableModule, filename: string) => void;

/** Turns the code cache on for the bundles next to this file, in the way this Node supports. */
export function enableCodeCache(directory: string): void {
  const nodeModule = Module as unknown as {
    enableCompileCache?: (dir: string) => unknown;
    _extensions: Record<string, Compile>;
  };
  try {
    if (typeof nodeModule.enableCompileCache === "function") {
      nodeModule.enableCompileCache(directory);
      return;
    }
    const original = nodeModule._extensions[".js"]!;
    const here = __dirname;
    nodeModule._extensions[".js"] = (module, filename) => {
      if (path.dirname(filename) === here && CACHED.has(path.basename(filename))) compileWithCache(module, filename, directory);
      else original(module, filename);
    };
  } catch {
    // A Node without either hook: a normal start.
  }
}

if (require.main === module) {
  const directory = codeCacheDirectory(process.env, process.platform, homedir());
  if (directory) enableCodeCache(directory);
  (require("./cli-main.js") as { main: () => void }).main();
}
