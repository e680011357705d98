import ts from "typescript";
import { dirname, joinPath } from "../../fs";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { isPackageSpecifier, splitSpecifier } from "../resolve";
import { rootImport } from "../syntax";
import { nearestManifest } from "./frameworks";

const { isIdentifier, isObjectLiteralExpression, isPropertyAssignment, isShorthandPropertyAssignment, isStringLiteralLike } = ts;

/**
 * The folder of the package a React Router / Remix server build comes from, as the Worker imports it:
 * `createRequestHandler(build)` or `createRequestHandler({ build })` with
 * `import * as build from "remix-app"` (a package of the same workspace, whose `main` points at build
 * output a fresh clone does not have), `"remix-app/build"`, or a relative path into another package
 * (`"../../remix-app/build"`). That package's route modules are what the handler runs. Undefined when
 * the build is not imported, or its package cannot be found.
 */
export function remixBuildPackageRoot(ctx: AnalysisContext, call: ts.CallExpression, module: ModuleFacts): string | undefined {
  const build = buildArgument(call);
  const imported = build ? rootImport(build, module) : undefined;
  if (!imported) return undefined;
  const specifier = imported.module;
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    // The build folder itself is not there before a build: the nearest folder of it that is.
    let dir = joinPath(dirname(module.path), specifier);
    for (let i = 0; i < 8 && ctx.fs.stat(dir) !== "directory"; i++) dir = dirname(dir);
    const manifest = nearestManifest(ctx.fs, dir);
    return manifest ? dirname(manifest.file) : undefined;
  }
  if (!isPackageSpecifier(specifier) || specifier.includes(":")) return undefined;
  const { packageName } = splitSpecifier(specifier);
  const workspace = ctx.loader.resolver.workspacePackages(dirname(module.path)).get(packageName);
  if (workspace) return workspace;
  // Installed as a symlink to a package of the repository: the manifest of the file it resolves to.
  const resolved = ctx.loader.resolver.resolve(specifier, module.path);
  const manifest = resolved ? nearestManifest(ctx.fs, dirname(resolved)) : undefined;
  return manifest ? dirname(manifest.file) : undefined;
}

/** The build a request handler factory is given: its first argument, or that argument's `build` property. */
function buildArgument(call: ts.CallExpression): ts.Expression | undefined {
  const first = call.arguments[0] ? unwrapExpression(call.arguments[0]) : undefined;
  if (!first || !isObjectLiteralExpression(first)) return first && isIdentifier(first) ? first : undefined;
  for (const property of first.properties) {
    const name = property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
    if (name !== "build") continue;
    if (isShorthandPropertyAssignment(property)) return property.name;
    if (isPropertyAssignment(property)) {
      const value = unwrapExpression(property.initializer);
      return isIdentifier(value) ? value : undefined;
    }
  }
  return undefined;
}
