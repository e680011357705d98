import ts from "typescript";
import { basename, dirname, isInside, joinPath, type FileSystem } from "../../fs";
import { unwrapExpression } from "../module";

/**
 * Where a React Router / Remix app keeps its route modules can be moved from `app/`:
 * `appDirectory` in `react-router.config.*` (React Router 7), in the options of the Remix Vite
 * plugin in `vite.config.*` (`remix({ appDirectory: "src" })`), or in `remix.config.*` (Remix
 * before Vite). Each file is parsed with TypeScript's parser, never run.
 */
const CONFIGS = [
  "react-router.config.ts",
  "react-router.config.js",
  "react-router.config.mjs",
  "react-router.config.mts",
  "vite.config.ts",
  "vite.config.js",
  "vite.config.mjs",
  "vite.config.mts",
  "remix.config.js",
  "remix.config.mjs",
  "remix.config.cjs",
  "remix.config.ts",
];

const { isIdentifier, isObjectLiteralExpression, isPropertyAssignment, isStringLiteralLike } = ts;

/** The app folder of a React Router / Remix project rooted at `root`: the configured `appDirectory` when it exists, else `root/app`. */
export function reactRouterAppDirectory(fs: FileSystem, root: string): string {
  for (const name of CONFIGS) {
    const path = joinPath(root, name);
    const text = fs.readFile(path);
    if (text === undefined) continue;
    const configured = appDirectoryIn(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
    if (configured === undefined) continue;
    const dir = joinPath(root, configured);
    if (fs.stat(dir) === "directory") return dir;
  }
  return joinPath(root, "app");
}

/**
 * What a file of a React Router / Remix project rooted at `root` is to the framework: the app's
 * root route module (`app/root.tsx`, `.jsx`, `.ts` or `.js`), one of its route modules (under
 * `app/routes/`), or neither. A config whose `main` names one of these names the app's code, not a
 * Worker entry: the framework's build makes the Worker that runs it.
 */
export function reactRouterModuleKind(fs: FileSystem, root: string, file: string): "root route" | "route" | undefined {
  const app = reactRouterAppDirectory(fs, root);
  if (dirname(file) === app && /^root\.(tsx|jsx|ts|js)$/.test(basename(file))) return "root route";
  const routes = joinPath(app, "routes");
  if (file !== routes && isInside(file, routes) && /\.(tsx|jsx|ts|js)$/.test(file) && !file.endsWith(".d.ts")) return "route";
  return undefined;
}

/** The string given to an `appDirectory` property of an object literal in the file, if any. */
function appDirectoryIn(sourceFile: ts.SourceFile): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node, depth: number): void => {
    if (found !== undefined || depth > 60) return;
    if (isObjectLiteralExpression(node))
      for (const property of node.properties) {
        if (!isPropertyAssignment(property) || !(isIdentifier(property.name) || isStringLiteralLike(property.name))) continue;
        if (property.name.text !== "appDirectory") continue;
        const value = unwrapExpression(property.initializer);
        if (isStringLiteralLike(value) && value.text.trim() !== "") {
          found = value.text.trim();
          return;
        }
      }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(sourceFile, 0);
  return found;
}
