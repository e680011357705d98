import ts from "typescript";
import { MAX_VALUE_DEPTH, type AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { sdkFor } from "./sdks";
import type { BindingNames } from "./types";
import {
  HOLE,
  hostOf,
  isPlainHost,
  truncate,
  printNode,
  isEnvLike,
  rootImport,
  isConstDeclaration,
  findAncestor,
  localFunction,
  declarationOf,
} from "./syntax";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  isArrowFunction,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isClassLike,
  isElementAccessExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isStringLiteral,
  isStringLiteralLike,
  isTemplateExpression,
  isVariableDeclaration,
  SyntaxKind,
} = ts;

/** What names and expressions stand for: functions, bindings, strings and hosts, the incoming request. */
export class ValueResolver {
  constructor(private readonly ctx: AnalysisContext) {}

  classNamed(name: string, module: ModuleFacts): { cls: ts.ClassLikeDeclaration; module: ModuleFacts } | undefined {
    const cls = module.classes.get(name);
    if (cls) return { cls, module };
    const imported = module.imports.get(name);
    if (!imported) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const exported = target?.exports.get(imported.name);
    if (!target || !exported) return undefined;
    if (exported.declaration && isClassLike(exported.declaration)) return { cls: exported.declaration, module: target };
    return exported.local ? this.classNamed(exported.local, target) : undefined;
  }

  /** A function value: inline, a local function, or one imported from an analysed module. */
  functionFrom(
    expression: ts.Expression,
    module: ModuleFacts,
    depth = 0,
  ): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const value = unwrapExpression(expression);
    if (isArrowFunction(value) || isFunctionExpression(value)) return { fn: value, module };
    if (isIdentifier(value)) return this.functionNamed(value.text, module, depth);
    if (isCallExpression(value)) {
      // `createFactory(...)(...)`, `handler.bind(x)`: the function inside, when there is one.
      if (isPropertyAccessExpression(value.expression) && value.expression.name.text === "bind")
        return this.functionFrom(value.expression.expression, module, depth + 1);
      for (const arg of value.arguments) {
        const fn = this.functionFrom(arg, module, depth + 1);
        if (fn) return fn;
      }
    }
    return undefined;
  }

  private functionNamed(name: string, module: ModuleFacts, depth = 0): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (depth > 12) return undefined;
    const local = module.functions.get(name);
    if (local) return { fn: local, module };
    const imported = module.imports.get(name);
    if (!imported || imported.name === "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    if (!target) return undefined;
    const exported = target.exports.get(imported.name);
    if (exported?.declaration && isFunctionDeclaration(exported.declaration)) return { fn: exported.declaration, module: target };
    if (exported?.reexport) {
      const next = this.ctx.loader.moduleFor(exported.reexport.module, target);
      return next ? this.functionNamed(exported.reexport.name, next, depth + 1) : undefined;
    }
    if (exported?.local) return this.functionNamed(exported.local, target, depth + 1);
    if (exported?.expression) return this.functionFrom(exported.expression, target, depth + 1);
    for (const star of target.starReexports) {
      const next = this.ctx.loader.moduleFor(star, target);
      const found = next && this.functionNamed(imported.name, next, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  calledFunction(callee: ts.Expression, module: ModuleFacts): { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } | undefined {
    if (isIdentifier(callee)) {
      const local = localFunction(callee);
      if (local) return { fn: local, module };
      return this.functionNamed(callee.text, module);
    }
    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      // this.helper() inside a class
      if (receiver.kind === SyntaxKind.ThisKeyword) {
        const cls = findAncestor(callee, isClassLike);
        const member = cls?.members.find(
          (m): m is ts.MethodDeclaration => isMethodDeclaration(m) && !!m.name && isIdentifier(m.name) && m.name.text === method,
        );
        return member ? { fn: member, module } : undefined;
      }
      // namespace import: utils.helper()
      if (isIdentifier(receiver)) {
        const imported = module.imports.get(receiver.text);
        if (imported?.name === "*") {
          const target = this.ctx.loader.moduleFor(imported.module, module);
          return target ? this.functionNamed(method, target) : undefined;
        }
        // a module-level object of functions: const api = { load() {...} }
        const variable = module.variables.get(receiver.text);
        const init = variable?.initializer && unwrapExpression(variable.initializer);
        if (init && isObjectLiteralExpression(init)) {
          for (const property of init.properties) {
            if (!property.name || !isIdentifier(property.name) || property.name.text !== method) continue;
            if (isMethodDeclaration(property)) return { fn: property, module };
            if (isPropertyAssignment(property)) return this.functionFrom(property.initializer, module);
          }
        }
      }
    }
    return undefined;
  }

  /** `env.NAME`, `c.env.NAME`, `this.env.NAME`, `context.env.NAME`, or `NAME` destructured from one. */
  bindingOf(expression: ts.Expression, depth = 0): { name: string; kind: keyof BindingNames } | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    let name: string | undefined;
    if (isPropertyAccessExpression(value) && isEnvLike(value.expression)) name = value.name.text;
    else if (isElementAccessExpression(value) && isEnvLike(value.expression) && isStringLiteralLike(value.argumentExpression))
      name = value.argumentExpression.text;
    else if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isBindingElement(declaration)) {
        const pattern = declaration.parent;
        const source = isVariableDeclaration(pattern.parent) ? pattern.parent.initializer : undefined;
        const fromParam = isParameter(pattern.parent);
        if ((source && isEnvLike(source)) || (fromParam && isObjectBindingPattern(pattern)))
          name = (
            declaration.propertyName && isIdentifier(declaration.propertyName)
              ? declaration.propertyName
              : (declaration.name as ts.Identifier)
          ).text;
      } else if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
        return this.bindingOf(declaration.initializer, depth + 1);
      }
    }
    if (!name) return undefined;
    const kind = this.ctx.bindingKinds.get(name);
    return kind ? { name, kind } : undefined;
  }

  isIncomingRequest(expression: ts.Expression, depth = 0): boolean {
    if (depth > MAX_VALUE_DEPTH) return false;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) {
        const fn = declaration.parent;
        return fn.parameters.indexOf(declaration) === 0 && /^(req|request|r)$/i.test(value.text);
      }
      if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
        const init = unwrapExpression(declaration.initializer);
        if (isNewExpression(init) && isIdentifier(init.expression) && init.expression.text === "Request" && init.arguments?.[0])
          return this.isIncomingRequest(init.arguments[0], depth + 1);
      }
      return false;
    }
    if (isPropertyAccessExpression(value))
      return (
        (value.name.text === "raw" && isPropertyAccessExpression(value.expression) && value.expression.name.text === "req") ||
        (value.name.text === "request" && isIdentifier(value.expression))
      );
    if (isNewExpression(value) && isIdentifier(value.expression) && value.expression.text === "Request" && value.arguments?.[0]) {
      const first = unwrapExpression(value.arguments[0]);
      return (
        this.isIncomingRequest(first, depth + 1) ||
        (isPropertyAccessExpression(first) && first.name.text === "url" && this.isIncomingRequest(first.expression, depth + 1))
      );
    }
    return false;
  }

  /** The host a database client connects to: a URL string, `{ url, host }`, or Hyperdrive. */
  connectionTarget(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    if (isPropertyAccessExpression(value) && value.name.text === "connectionString") {
      const binding = this.bindingOf(unwrapExpression(value.expression));
      if (binding?.kind === "hyperdrive") return `hyperdrive:${binding.name}`;
    }
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (!isPropertyAssignment(property) || !property.name || !isIdentifier(property.name)) continue;
        if (["url", "connectionString", "host", "hostname", "databaseUrl", "datasourceUrl"].includes(property.name.text)) {
          const found = this.connectionTarget(property.initializer);
          if (found) return found;
        }
      }
      return undefined;
    }
    const text = this.evaluateString(value, 0);
    if (text === undefined) return undefined;
    return hostOf(text) ?? (isPlainHost(text) ? text.toLowerCase() : undefined);
  }

  socketTarget(expression: ts.Expression | undefined): string | null {
    if (!expression) return null;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (isPropertyAssignment(property) && property.name && isIdentifier(property.name) && property.name.text === "hostname") {
          const host = this.evaluateString(property.initializer, 0);
          return host && !host.includes(HOLE) ? host.toLowerCase() : null;
        }
      }
      return null;
    }
    const text = this.evaluateString(value, 0);
    if (!text || text.includes(HOLE)) return null;
    return text.split(":")[0]!.toLowerCase() || null;
  }

  /**
   * The string an expression evaluates to, with HOLE where a part is unknown: literals, templates,
   * concatenation, constants, `[vars]` through `env.X`, `new URL(path, base)`, `url.href`.
   */
  evaluateString(expression: ts.Expression, depth: number): string | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isStringLiteralLike(value)) return value.text;
    if (isTemplateExpression(value)) {
      let text = value.head.text;
      for (const span of value.templateSpans) text += (this.evaluateString(span.expression, depth + 1) ?? HOLE) + span.literal.text;
      return text;
    }
    if (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken) {
      return (this.evaluateString(value.left, depth + 1) ?? HOLE) + (this.evaluateString(value.right, depth + 1) ?? HOLE);
    }
    if (isPropertyAccessExpression(value) || isElementAccessExpression(value)) {
      const name = isPropertyAccessExpression(value)
        ? value.name.text
        : isStringLiteralLike(value.argumentExpression)
          ? value.argumentExpression.text
          : undefined;
      if (name && isEnvLike(value.expression) && name in this.ctx.input.vars) return this.ctx.input.vars[name];
      if (name === "href" || name === "toString") return this.evaluateString(value.expression, depth + 1);
      if (name && isIdentifier(value.expression)) {
        // A constant object: CONFIG.API_BASE
        const declaration = declarationOf(value.expression);
        const init =
          declaration && isVariableDeclaration(declaration) && declaration.initializer
            ? unwrapExpression(declaration.initializer)
            : undefined;
        if (init && isObjectLiteralExpression(init)) {
          const property = init.properties.find(
            (p): p is ts.PropertyAssignment =>
              isPropertyAssignment(p) && !!p.name && (isIdentifier(p.name) || isStringLiteral(p.name)) && p.name.text === name,
          );
          if (property) return this.evaluateString(property.initializer, depth + 1);
        }
      }
      return undefined;
    }
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "toString")
      return this.evaluateString(value.expression.expression, depth + 1);
    if (
      isNewExpression(value) &&
      isIdentifier(value.expression) &&
      (value.expression.text === "URL" || value.expression.text === "Request")
    ) {
      const [first, second] = value.arguments ?? [];
      if (!first) return undefined;
      const path = this.evaluateString(first, depth + 1);
      if (value.expression.text === "Request" || !second) return path;
      const base = this.evaluateString(second, depth + 1);
      if (path !== undefined && hostOf(path)) return path;
      return base;
    }
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      // Declared in the file: only a constant has a known value. Otherwise maybe imported.
      if (declaration)
        return isVariableDeclaration(declaration) && declaration.initializer && isConstDeclaration(declaration)
          ? this.evaluateString(declaration.initializer, depth + 1)
          : undefined;
      return this.importedConstant(value, depth);
    }
    return undefined;
  }

  /** `API_BASE` imported from the module that declares `export const API_BASE = "https://..."`. */
  private importedConstant(identifier: ts.Identifier, depth: number): string | undefined {
    const module = this.ctx.loader.moduleBySourceFile.get(identifier.getSourceFile());
    const imported = module?.imports.get(identifier.text);
    if (!module || !imported) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const exported = target?.exports.get(imported.name);
    const variable = exported?.local ? target?.variables.get(exported.local) : undefined;
    return variable?.initializer ? this.evaluateString(variable.initializer, depth + 1) : undefined;
  }

  /** A function value created by a package (`const handler = createRequestHandler(build)`). */
  madeByPackage(identifier: ts.Identifier, module: ModuleFacts): { call: string; module: string } | undefined {
    const declaration = declarationOf(identifier);
    const init =
      declaration && isVariableDeclaration(declaration) && declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
    if (!init || !(isCallExpression(init) || isNewExpression(init))) return undefined;
    const root = rootImport(init.expression, module);
    if (!root || root.module.startsWith(".") || root.module.startsWith("cloudflare:") || sdkFor(root.module)) return undefined;
    return { call: truncate(printNode(init.expression)), module: root.module };
  }
}
