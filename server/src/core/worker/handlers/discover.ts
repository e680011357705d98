import ts from "typescript";
import { basename, joinPath, relativePath } from "../../fs";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import type { HandlerKind } from "../types";
import type { HandlerSite } from "./types";
import { spanOf, printNode, calleeText, joinRoute, heritageName, isDurableObjectShaped, rootImport } from "../syntax";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  getModifiers,
  isArrayLiteralExpression,
  isCallExpression,
  isClassExpression,
  isClassLike,
  isFunctionDeclaration,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isStringLiteral,
  isStringLiteralLike,
  SyntaxKind,
} = ts;

const HANDLER_NAMES: Readonly<Record<string, HandlerKind>> = {
  fetch: "fetch",
  scheduled: "scheduled",
  queue: "queue",
  email: "email",
  tail: "tail",
  trace: "trace",
};
const ROUTER_MODULES = ["hono", "hono/tiny", "hono/quick", "itty-router", "elysia", "@hono/zod-openapi", "chanfana"];
const ROUTER_CLASSES = new Set(["Hono", "OpenAPIHono", "Router", "AutoRouter", "IttyRouter", "Elysia"]);
const ROUTE_METHODS = new Set(["get", "post", "put", "delete", "patch", "head", "options", "all"]);
const PAGES_HANDLERS = [
  "onRequest",
  "onRequestGet",
  "onRequestPost",
  "onRequestPut",
  "onRequestPatch",
  "onRequestDelete",
  "onRequestHead",
  "onRequestOptions",
];

/** The Worker's handlers in every form it can be written in: what runs for a request, an event, a route. */
export class HandlerDiscovery {
  constructor(private readonly ctx: AnalysisContext) {}

  handlersOf(module: ModuleFacts): HandlerSite[] {
    const sites: HandlerSite[] = [];
    const byDefault = module.exports.get("default");
    if (byDefault) sites.push(...this.handlersFromExport(byDefault, module, "export default", 0));
    for (const listener of module.listeners) {
      const fn = this.ctx.values.functionFrom(listener.handler, module);
      const kind = HANDLER_NAMES[listener.event];
      if (!kind) continue;
      sites.push({
        kind,
        form: `addEventListener("${listener.event}")`,
        module,
        span: spanOf(listener.call),
        functions: fn ? [fn] : [],
        ...(fn ? {} : { opaque: "the listener could not be resolved" }),
      });
    }
    for (const [name, binding] of module.exports) {
      if (name === "default") continue;
      const cls =
        binding.declaration && isClassLike(binding.declaration)
          ? { cls: binding.declaration, module }
          : binding.local
            ? this.ctx.values.classNamed(binding.local, module)
            : undefined;
      if (!cls) continue;
      const base = heritageName(cls.cls);
      if (base === "DurableObject" || isDurableObjectShaped(cls.cls)) {
        sites.push({
          kind: "durable-object",
          form: `Durable Object class ${name}`,
          module: cls.module,
          span: spanOf(cls.cls.name ?? cls.cls),
          functions: [],
        });
      } else if (base === "WorkerEntrypoint") {
        sites.push(...this.classHandlers(cls.cls, cls.module, `named entrypoint ${name}`, false));
      }
    }
    return sites;
  }

  private handlersFromExport(
    binding: { local?: string; expression?: ts.Expression; declaration?: ts.Node; reexport?: { module: string; name: string } },
    module: ModuleFacts,
    form: string,
    depth: number,
  ): HandlerSite[] {
    if (depth > 12) return [];
    if (binding.reexport) {
      const target = this.ctx.loader.moduleFor(binding.reexport.module, module);
      const exported = target?.exports.get(binding.reexport.name);
      return target && exported ? this.handlersFromExport(exported, target, form, depth + 1) : [];
    }
    if (binding.declaration && isClassLike(binding.declaration))
      return this.classHandlers(binding.declaration, module, `${form} class`, true);
    const expression = binding.expression ?? (binding.local ? ts.factory.createIdentifier(binding.local) : undefined);
    if (!expression) return [];
    return this.handlersFromExpression(binding.expression ?? undefined, binding.local, module, form, depth);
  }

  /** `export default <expr>` (or a local name): an object, a router, a class or a wrapper call. */
  private handlersFromExpression(
    expression: ts.Expression | undefined,
    localName: string | undefined,
    module: ModuleFacts,
    form: string,
    depth: number,
  ): HandlerSite[] {
    if (depth > 12) return [];
    if (!expression && localName) {
      const imported = module.imports.get(localName);
      if (imported) {
        const target = this.ctx.loader.moduleFor(imported.module, module);
        const exported = target?.exports.get(imported.name);
        if (target && exported) return this.handlersFromExport(exported, target, `${form} (imported)`, depth + 1);
        return [];
      }
      const cls = module.classes.get(localName);
      if (cls) return this.classHandlers(cls, module, `${form} class`, true);
      const variable = module.variables.get(localName);
      if (variable?.initializer) {
        if (this.isRouter(variable.initializer, module))
          return this.routerHandlers(localName, module, "", `${form} ${localName} (router)`, variable.name, depth);
        return this.handlersFromExpression(variable.initializer, undefined, module, form, depth + 1);
      }
      return [];
    }
    if (!expression) return [];
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) return this.handlersFromExpression(undefined, value.text, module, form, depth + 1);
    if (isObjectLiteralExpression(value)) return this.objectHandlers(value, module, `${form} object`, depth);
    if (isClassExpression(value)) return this.classHandlers(value, module, `${form} class`, true);
    if (this.isRouter(value, module)) return [{ kind: "fetch", form: `${form} router`, module, span: spanOf(value), functions: [] }];
    if (isCallExpression(value)) {
      // A wrapper: `withSentry(env => ..., handler)`, `instrument(handler, config)`.
      for (const arg of value.arguments) {
        const inner = unwrapExpression(arg);
        if (isObjectLiteralExpression(inner) || isIdentifier(inner) || isClassExpression(inner)) {
          const found = this.handlersFromExpression(inner, undefined, module, `${form} wrapped by ${calleeText(value)}(...)`, depth + 1);
          if (found.some((s) => s.kind === "fetch")) return found;
        }
      }
      const from = rootImport(value.expression, module);
      return [
        {
          kind: "fetch",
          form: `${form} ${calleeText(value)}(...)`,
          module,
          span: spanOf(value),
          functions: [],
          opaque: `the fetch handler is made by ${calleeText(value)}(...)${from ? ` from "${from.module}"` : ""}, whose subrequests the analyser cannot see`,
        },
      ];
    }
    return [];
  }

  private objectHandlers(object: ts.ObjectLiteralExpression, module: ModuleFacts, form: string, depth: number): HandlerSite[] {
    const sites: HandlerSite[] = [];
    for (const property of object.properties) {
      const name = property.name && (isIdentifier(property.name) || isStringLiteral(property.name)) ? property.name.text : undefined;
      const kind = name ? HANDLER_NAMES[name] : undefined;
      if (isSpreadAssignment(property)) {
        sites.push(...this.handlersFromExpression(property.expression, undefined, module, form, depth + 1));
        continue;
      }
      if (!kind || !name) continue;
      const span = spanOf(property.name!);
      if (isMethodDeclaration(property)) {
        sites.push({ kind, form, module, span, functions: [{ fn: property, module }] });
        continue;
      }
      const initializer = isPropertyAssignment(property)
        ? unwrapExpression(property.initializer)
        : isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (!initializer) continue;
      // `fetch: app.fetch` delegates to a router.
      if (
        kind === "fetch" &&
        isPropertyAccessExpression(initializer) &&
        initializer.name.text === "fetch" &&
        isIdentifier(initializer.expression)
      ) {
        const delegated = this.handlersFromExpression(
          undefined,
          initializer.expression.text,
          module,
          `${form}, fetch: ${initializer.expression.text}.fetch`,
          depth + 1,
        );
        const fetches = delegated.filter((s) => s.kind === "fetch");
        if (fetches.length > 0) {
          sites.push(...fetches);
          continue;
        }
      }
      const fn = this.ctx.values.functionFrom(initializer, module);
      sites.push({
        kind,
        form,
        module,
        span,
        functions: fn ? [fn] : [],
        ...(fn ? {} : { opaque: `the ${name} handler ${printNode(initializer)} could not be resolved` }),
      });
    }
    return sites;
  }

  private classHandlers(cls: ts.ClassLikeDeclaration, module: ModuleFacts, form: string, isDefault: boolean): HandlerSite[] {
    const base = heritageName(cls);
    if (base === "DurableObject")
      return [{ kind: "durable-object", form: `Durable Object class`, module, span: spanOf(cls.name ?? cls), functions: [] }];
    const sites: HandlerSite[] = [];
    for (const member of cls.members) {
      if (!isMethodDeclaration(member) || !member.name || !isIdentifier(member.name) || !member.body) continue;
      const name = member.name.text;
      const kind =
        HANDLER_NAMES[name] ?? (isDefault || base === "WorkerEntrypoint" ? (name === "constructor" ? undefined : "rpc") : undefined);
      if (!kind) continue;
      if (
        kind === "rpc" &&
        (getModifiers(member) ?? []).some((m) => m.kind === SyntaxKind.PrivateKeyword || m.kind === SyntaxKind.ProtectedKeyword)
      )
        continue;
      sites.push({
        kind,
        form: `${form}${base ? ` extends ${base}` : ""}`,
        module,
        span: spanOf(member.name),
        functions: [{ fn: member, module }],
      });
    }
    return sites;
  }

  private exportedFunctions(
    binding: { local?: string; expression?: ts.Expression; declaration?: ts.Node },
    module: ModuleFacts,
  ): Array<{ fn: ts.FunctionLikeDeclaration; module: ModuleFacts }> {
    if (binding.declaration && isFunctionDeclaration(binding.declaration)) return [{ fn: binding.declaration, module }];
    const local = binding.local;
    if (!local) return [];
    const fn = module.functions.get(local);
    if (fn) return [{ fn, module }];
    const init = module.variables.get(local)?.initializer;
    if (init && isArrayLiteralExpression(unwrapExpression(init))) {
      return (unwrapExpression(init) as ts.ArrayLiteralExpression).elements
        .map((e) => this.ctx.values.functionFrom(e, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined);
    }
    const resolved = init ? this.ctx.values.functionFrom(init, module) : undefined;
    return resolved ? [resolved] : [];
  }

  private exportSpan(binding: { local?: string; declaration?: ts.Node }, module: ModuleFacts): { start: number; end: number } {
    if (binding.declaration) {
      const name = (binding.declaration as ts.FunctionDeclaration).name;
      return spanOf(name ?? binding.declaration);
    }
    const variable = binding.local ? module.variables.get(binding.local) : undefined;
    return variable ? spanOf(variable.name) : { start: 0, end: 0 };
  }

  private isRouter(expression: ts.Expression, module: ModuleFacts): boolean {
    const value = unwrapExpression(expression);
    const callee = isNewExpression(value) || isCallExpression(value) ? unwrapExpression(value.expression) : undefined;
    if (!callee || !isIdentifier(callee)) return false;
    const imported = module.imports.get(callee.text);
    if (imported)
      return (
        ROUTER_MODULES.some((m) => imported.module === m || imported.module.startsWith(m + "/")) &&
        ROUTER_CLASSES.has(imported.name === "default" ? callee.text : imported.name)
      );
    return isNewExpression(value) && ROUTER_CLASSES.has(callee.text);
  }

  /** Each route of a Hono/itty router is a path through the fetch handler: middleware, then its handlers. */
  private routerHandlers(
    name: string,
    module: ModuleFacts,
    routePrefix: string,
    form: string,
    nameNode: ts.Node,
    depth: number,
  ): HandlerSite[] {
    const middleware: Array<{ fn: ts.FunctionLikeDeclaration; module: ModuleFacts }> = [];
    const sites: HandlerSite[] = [];
    for (const { receiver, method, call } of module.receiverCalls) {
      if (receiver !== name) continue;
      const args = call.arguments;
      if (method === "use") {
        for (const arg of args) {
          const fn = this.ctx.values.functionFrom(arg, module);
          if (fn) middleware.push(fn);
        }
        continue;
      }
      if (method === "route" && args.length >= 2 && isStringLiteralLike(args[0]!) && isIdentifier(unwrapExpression(args[1]!))) {
        const subName = (unwrapExpression(args[1]!) as ts.Identifier).text;
        const imported = module.imports.get(subName);
        const target = imported ? this.ctx.loader.moduleFor(imported.module, module) : module;
        const exported = imported && target ? target.exports.get(imported.name) : undefined;
        const local =
          exported?.local ??
          (exported?.expression && isIdentifier(exported.expression) ? exported.expression.text : undefined) ??
          (imported ? undefined : subName);
        if (target && local && depth < 8)
          sites.push(
            ...this.routerHandlers(local, target, joinRoute(routePrefix, args[0].text), form, nameNode, depth + 1).map((s) => ({
              ...s,
              functions: [...middleware, ...s.functions],
            })),
          );
        continue;
      }
      const isOn = method === "on";
      if (!ROUTE_METHODS.has(method) && !isOn) continue;
      const pathArg = isOn ? args[1] : args[0];
      const routePath = pathArg && isStringLiteralLike(pathArg) ? pathArg.text : "*";
      const verb = isOn ? (args[0] && isStringLiteralLike(args[0]) ? args[0].text.toUpperCase() : "ON") : method.toUpperCase();
      const handlerArgs = args.slice(isOn ? 2 : pathArg && isStringLiteralLike(pathArg) ? 1 : 0);
      const functions = handlerArgs
        .map((arg) => this.ctx.values.functionFrom(arg, module))
        .filter((f): f is { fn: ts.FunctionLikeDeclaration; module: ModuleFacts } => f !== undefined);
      sites.push({
        kind: "fetch",
        form,
        module,
        span: spanOf(call.expression),
        functions: [...middleware, ...functions],
        route: `${verb} ${joinRoute(routePrefix, routePath)}`,
      });
    }
    if (sites.length === 0) sites.push({ kind: "fetch", form, module, span: spanOf(nameNode), functions: middleware });
    return sites;
  }

  isRouterName(name: string, module: ModuleFacts): boolean {
    const init = module.variables.get(name)?.initializer;
    return init !== undefined && this.isRouter(init, module);
  }

  pagesHandlers(files: readonly string[]): HandlerSite[] {
    const root = joinPath(this.ctx.input.projectRoot, "functions");
    const sites: HandlerSite[] = [];
    for (const file of files) {
      const module = this.ctx.loader.modules.get(file);
      if (!module) continue;
      const route =
        "/" +
        relativePath(root, file)
          .replace(/\.[^.]+$/, "")
          .replace(/(^|\/)index$/, "")
          .replace(/\[\[([^\]]+)\]\]/g, ":$1*")
          .replace(/\[([^\]]+)\]/g, ":$1");
      for (const name of PAGES_HANDLERS) {
        const exported = module.exports.get(name);
        if (!exported) continue;
        const fns = this.exportedFunctions(exported, module);
        const verb = name === "onRequest" ? "ALL" : name.slice("onRequest".length).toUpperCase();
        sites.push({
          kind: "fetch",
          form: basename(file).startsWith("_middleware") ? "Pages middleware" : `Pages ${name}`,
          module,
          span: this.exportSpan(exported, module),
          functions: fns,
          route: `${verb} ${route.replace(/\/_middleware$/, "/*") || "/"}`,
        });
      }
    }
    return sites;
  }
}
