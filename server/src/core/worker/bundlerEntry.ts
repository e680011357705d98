import ts from "typescript";
import { basename, dirname, joinPath, type FileSystem } from "../fs";
import type { PackageManifest } from "./handlers/frameworks";
import { unwrapExpression as skip } from "./module";
import { isSourceFile, resolveFile } from "./resolve";

/**
 * The source a rollup or esbuild build bundles into a Worker whose built script is not there yet (a
 * Wrangler v1 project whose `[build] command` runs `rollup -c`, or `node build.mjs` calling
 * esbuild's `build({ entryPoints })`, directly or through a package.json script). Read from the
 * build's config or script statically (parsed, never run): the one `input` (rollup) or
 * `entryPoints` (esbuild) it names, a string, a one-element array or a one-entry object.
 */
export interface BundlerSource {
  readonly path: string;
  /** How it was found, for the reason: `the input of rollup.config.js`. */
  readonly via: string;
}

const ROLLUP_CONFIGS = ["rollup.config.js", "rollup.config.mjs", "rollup.config.cjs", "rollup.config.ts"];
const RUNNERS = new Set(["node", "tsx", "ts-node", "bun"]);
/** Larger files are not parsed (a build config is a few hundred lines). */
const MAX_CONFIG_CHARS = 200_000;

/** The source entry named by the rollup config or esbuild script the build command runs (in `dirs`: the package's folder, then the root). */
export function bundlerSource(
  fs: FileSystem,
  dirs: readonly string[],
  manifest: PackageManifest | undefined,
  buildCommand: string | null,
): BundlerSource | undefined {
  const words = buildWords(buildCommand, manifest);
  const files: string[] = [];
  for (const [i, word] of words.entries()) {
    // `rollup -c`, `rollup -c rollup.worker.js`, `rollup --config=build/rollup.mjs`.
    if (basename(word) === "rollup") {
      const flag = words.slice(i + 1).findIndex((w) => w === "-c" || w === "--config" || w.startsWith("--config="));
      if (flag < 0) continue;
      const at = words[i + 1 + flag]!;
      const named = at.includes("=") ? at.slice(at.indexOf("=") + 1) : words[i + 2 + flag];
      if (named !== undefined && !named.startsWith("-") && isSourceFile(named)) files.push(named);
      else files.push(...ROLLUP_CONFIGS);
    }
    // `node build.mjs`: a build script (esbuild's JavaScript API).
    if (RUNNERS.has(word) && words[i + 1] !== undefined && isSourceFile(words[i + 1]!)) files.push(words[i + 1]!);
  }
  for (const dir of dirs)
    for (const name of new Set(files)) {
      const file = joinPath(dir, name);
      if (fs.stat(file) !== "file") continue;
      const found = entryOfConfig(fs, file, dir);
      if (found) return { path: found.path, via: `the ${found.option} of ${name}` };
    }
  return undefined;
}

/** The build command's words, with the words of the package.json scripts it runs (one level; `yarn build`, `npm run build`, `run -T rollup`). */
function buildWords(buildCommand: string | null, manifest: PackageManifest | undefined): string[] {
  const words = (buildCommand ?? "").split(/\s+/).filter((w) => w !== "");
  const scripts = manifest?.scripts;
  if (!scripts) return words;
  const all = [...words];
  for (let i = 0; i < words.length; i++) {
    if (!["npm", "pnpm", "yarn", "bun"].includes(words[i]!)) continue;
    const name = words[i + 1] === "run" ? words[i + 2] : words[i + 1];
    const script = name !== undefined ? scripts.get(name) : undefined;
    if (script) all.push(...script.split(/\s+/).filter((w) => w !== ""));
  }
  return all;
}

/**
 * The one existing source file a config's `input` or `entryPoints` names, relative to the folder the
 * build runs in (rollup and esbuild resolve them from the working directory), else to the config's.
 */
function entryOfConfig(fs: FileSystem, file: string, cwd: string): { path: string; option: string } | undefined {
  const text = fs.readFile(file);
  if (text === undefined || text.length > MAX_CONFIG_CHARS) return undefined;
  let source: ts.SourceFile;
  try {
    source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  } catch {
    return undefined;
  }
  const found = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      (node.name.text === "input" || node.name.text === "entryPoints")
    ) {
      const value = oneString(node.initializer);
      const path =
        value !== undefined ? (resolveFile(fs, joinPath(cwd, value)) ?? resolveFile(fs, joinPath(dirname(file), value))) : undefined;
      if (path) found.set(path, node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (found.size !== 1) return undefined;
  const [[path, option]] = [...found];
  return { path: path!, option: option! };
}

/** `"src/index.ts"`, `["src/index.ts"]`, `{ worker: "src/index.ts" }`: the one string named. */
function oneString(expression: ts.Expression): string | undefined {
  const value = skip(expression);
  if (ts.isStringLiteralLike(value)) return value.text;
  if (ts.isArrayLiteralExpression(value) && value.elements.length === 1) return oneString(value.elements[0]!);
  if (ts.isObjectLiteralExpression(value) && value.properties.length === 1) {
    const only = value.properties[0]!;
    if (ts.isPropertyAssignment(only)) return oneString(only.initializer);
  }
  return undefined;
}
