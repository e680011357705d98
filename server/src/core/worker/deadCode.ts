import ts from "typescript";
import type { AnalysisContext } from "./context";
import type { ModuleLoader } from "./loader";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf } from "./syntax";

const { isArrowFunction, isFunctionDeclaration, isFunctionExpression, isIdentifier, isSourceFile, isVariableDeclaration } = ts;

/**
 * Whether a node lies in a module-level function that nothing in the Worker refers to: a dead
 * export (a shared package's helper that only another app uses). Such a function cannot run for a
 * request, so a back-end call in it is no sign of wiring the analysis lost. Anything else is
 * referenced: a use of its name in its own module (a call, a callback passed on, an object
 * property), an import of it by a module the Worker loads (also through re-exports and `import *`),
 * a dynamic import of its module, or an export of it from an entry module. Only functions declared
 * at the top level are judged; a call in a class or an object literal is never called dead.
 */
export function inUnreferencedFunction(node: ts.Node, module: ModuleFacts, ctx: AnalysisContext, entries: ReadonlySet<string>): boolean {
  return inDeadExport(node, module, ctx.loader, entries) || inUnreadCallback(node, module, ctx);
}

function inDeadExport(node: ts.Node, module: ModuleFacts, loader: ModuleLoader, entries: ReadonlySet<string>): boolean {
  const top = topLevelFunction(node);
  if (!top) return false;
  const name = top.text;
  if (mentions(module.sourceFile, name, top)) return false;
  // Any other module that names it (an import, a use through an auto-import or a namespace) refers to it.
  for (const other of loader.modules.values())
    if (other !== module && other.text.includes(name) && mentions(other.sourceFile, name, undefined)) return false;
  const exportedAs = [...module.exports]
    .filter(([, b]) => b.local === name || (b.declaration && b.declaration.name === top))
    .map(([n]) => n);
  if (exportedAs.length === 0) return true;
  return !exportUsed(module, exportedAs, loader, entries);
}

/** The name of the outermost function around a node when it is declared at module level (`function f`, `const f = () =>`). */
function topLevelFunction(node: ts.Node): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (isFunctionDeclaration(current)) {
      found = isSourceFile(current.parent) && current.name ? current.name : undefined;
      if (!isSourceFile(current.parent)) continue;
      return found;
    }
    if ((isArrowFunction(current) || isFunctionExpression(current)) && isVariableDeclaration(current.parent)) {
      const declaration = current.parent;
      const statement = declaration.parent.parent;
      if (unwrapExpression(declaration.initializer!) === current && isIdentifier(declaration.name) && isSourceFile(statement.parent))
        return declaration.name;
    }
    if (isSourceFile(current)) return undefined;
  }
  return undefined;
}

/**
 * Whether `name` appears in a module other than as the function's own name or in an export list
 * (`export { name }`, `export { name } from "./m"`: whether those are used is followed by module).
 */
function mentions(source: ts.SourceFile, name: string, own: ts.Identifier | undefined): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isIdentifier(node) && node.text === name && node !== own && !ts.isExportSpecifier(node.parent)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Whether a module's export of these names is used by a module the Worker loads: imported (by name,
 * or the whole module with `import *`), re-exported under a name that is used in turn, imported
 * dynamically, or exported from an entry module.
 */
function exportUsed(module: ModuleFacts, names: readonly string[], loader: ModuleLoader, entries: ReadonlySet<string>): boolean {
  const pending: Array<{ module: ModuleFacts; names: readonly string[] }> = [{ module, names }];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const { module: target, names: exported } = pending.pop()!;
    const key = target.path + "\u0000" + exported.join(",");
    if (seen.has(key) || seen.size > 200) {
      if (seen.size > 200) return true;
      continue;
    }
    seen.add(key);
    if (entries.has(target.path)) return true;
    for (const importer of loader.modules.values()) {
      if (importer === target) continue;
      const resolves = (specifier: string): boolean => loader.moduleFor(specifier, importer) === target;
      for (const binding of importer.imports.values())
        if ((binding.name === "*" || exported.includes(binding.name)) && resolves(binding.module)) return true;
      if (importer.dynamicImports.some(resolves)) return true;
      const onward: string[] = [];
      for (const [as, binding] of importer.exports) {
        const reexport = binding.reexport;
        if (!reexport || !resolves(reexport.module)) continue;
        if (reexport.name === "*" || exported.includes(reexport.name)) onward.push(as);
      }
      if (importer.starReexports.some(resolves)) onward.push(...exported.filter((n) => n !== "default"));
      if (onward.length > 0) pending.push({ module: importer, names: onward });
    }
  }
  return false;
}

/**
 * Whether a node lies in a function given as a property of an object literal to a project function
 * that never reads that property: `syncCalendar(context, { upsert: async () => ..., remove: async
 * () => ... })` where the callee only ever calls `deps.upsert`. Proven only when the callee uses its
 * parameter solely as `deps.name` (not passed on whole, spread, or iterated) and no module the
 * Worker loads mentions the property's name anywhere else (a type's member of that name aside).
 */
function inUnreadCallback(node: ts.Node, module: ModuleFacts, ctx: AnalysisContext): boolean {
  for (let current: ts.Node | undefined = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const holder = ts.isMethodDeclaration(current) ? current : ts.isPropertyAssignment(current.parent) ? current.parent : undefined;
    if (!holder || !ts.isObjectLiteralExpression(holder.parent)) continue;
    const name = holder.name && (isIdentifier(holder.name) || ts.isStringLiteralLike(holder.name)) ? holder.name.text : undefined;
    if (name && unreadProperty(holder.parent, name, holder.name, module, ctx)) return true;
  }
  return false;
}

function unreadProperty(
  object: ts.ObjectLiteralExpression,
  name: string,
  own: ts.Node,
  module: ModuleFacts,
  ctx: AnalysisContext,
): boolean {
  const call = object.parent;
  if (!ts.isCallExpression(call)) return false;
  const position = call.arguments.indexOf(object);
  const callee = ctx.values.calledFunction(unwrapExpression(call.expression), module);
  const parameter = callee?.fn.parameters[position];
  const body = callee?.fn.body;
  if (!callee || !parameter || !body || !isIdentifier(parameter.name) || parameter.dotDotDotToken) return false;
  // Every use of the parameter must read one property of it.
  let opaque = false;
  const uses = (n: ts.Node): void => {
    if (opaque) return;
    if (isIdentifier(n) && n.text === (parameter.name as ts.Identifier).text && n !== parameter.name && declarationOf(n) === parameter) {
      const parent = n.parent;
      if (!ts.isPropertyAccessExpression(parent) || parent.expression !== n) opaque = true;
      return;
    }
    ts.forEachChild(n, uses);
  };
  uses(body);
  if (opaque) return false;
  for (const other of ctx.loader.modules.values())
    if (other.text.includes(name) && mentionsMember(other.sourceFile, name, own)) return false;
  return true;
}

/** Whether a module reads a property `name`: an identifier or a string of that text, names that define a member aside. */
function mentionsMember(source: ts.SourceFile, name: string, own: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n === own) return;
    if ((isIdentifier(n) || ts.isStringLiteralLike(n)) && n.text === name) {
      const parent = n.parent;
      // A type's member or another object's property of that name defines it; it does not read it.
      const defines =
        (ts.isPropertySignature(parent) ||
          ts.isMethodSignature(parent) ||
          ts.isPropertyAssignment(parent) ||
          ts.isMethodDeclaration(parent)) &&
        parent.name === n;
      if (!defines) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}
