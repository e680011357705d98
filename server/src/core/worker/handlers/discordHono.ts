import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, printNode, rootImport, spanOf, truncate, type FunctionRef } from "../syntax";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const { isCallExpression, isIdentifier, isNewExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

const PACKAGE = "discord-hono";
/** The route Discord posts interactions to: the app's fetch answers any POST. */
const INTERACTIONS = "POST interactions";
/**
 * The registration methods of a DiscordHono app: each registers a handler for one kind of
 * interaction (keyed by a command's name, a component's or modal's custom id), and names that kind
 * in the route. A set, not an object, so that `.constructor(...)` is no registration.
 */
const REGISTRATIONS: ReadonlySet<string> = new Set(["command", "component", "modal", "autocomplete", "cron"]);

type Registration = { readonly method: string; readonly key: string; readonly functions: FunctionRef[]; readonly call: ts.CallExpression };

/**
 * discord-hono (`new DiscordHono<Env>()`), a Discord HTTP-interactions app: `.command(name, h)`,
 * `.component(id, h)`, `.modal(id, h)`, `.autocomplete(name, complete, h?)`, `.cron(cron, h)`,
 * chained or on the app's variable; the app itself is the handler (`export default app`), or its
 * `fetch` is handed on (`honoApp.mount("/bot", app.fetch)`).
 *
 * What a request does, from discord-hono's source (`DiscordHono.fetch`, src/discord-hono.ts): a
 * GET is answered at once; a POST has its Ed25519 signature verified in the Worker, a ping is
 * answered, and any other interaction runs the one handler registered for its key and returns what
 * it returns: each registration is a request path, the worst counts. In a handler the context
 * (its first parameter) answers in the HTTP response (`c.res()`, `c.resModal()`,
 * `c.resAutocomplete()`, `c.resDefer()`: no subrequest); `c.resDefer(handler)` hands its callback
 * to `executionCtx.waitUntil`, off the response path; `c.rest(...)` and `c.followup(...)` are
 * REST requests to discord.com (the library table's "discord-hono" entry).
 */
export class DiscordHonoAdapter implements HandlerAdapter {
  readonly name = "discord-hono: new DiscordHono().command(name, handler)...";
  private readonly byApp = new Map<ts.Node, HandlerSite[]>();
  /** The first parameters of the handlers an app runs for an interaction: its context. */
  private readonly contexts = new Set<ts.ParameterDeclaration>();

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    const app = this.appOf(value, module);
    if (!app) return undefined;
    return this.sites(app, context.binding, module, `${context.form} DiscordHono`);
  }

  /** Whether a parameter is the context of an interaction a DiscordHono app handles. */
  isInteractionContext(parameter: ts.ParameterDeclaration): boolean {
    if (!this.contexts.has(parameter)) return false;
    // Known from the app's registrations, read beyond the walked function's imports.
    this.ctx.walker.cutWalk();
    return true;
  }

  /**
   * Whether a call is `c.resDefer(callback)` on an interaction's context (through `c.update()`,
   * `c.ephemeral()`, `c.flags(...)`): discord-hono hands the callback to `executionCtx.waitUntil`
   * and answers at once. The callback's first parameter is the same context.
   */
  isDeferCall(callee: ts.Expression, args: readonly ts.Expression[]): boolean {
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "resDefer" || this.contexts.size === 0) return false;
    let receiver = unwrapExpression(callee.expression);
    for (let i = 0; i < 8 && isCallExpression(receiver); i++) {
      const inner = unwrapExpression(receiver.expression);
      if (!isPropertyAccessExpression(inner)) return false;
      receiver = unwrapExpression(inner.expression);
    }
    const declaration = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
    if (!declaration || !ts.isParameter(declaration) || !this.isInteractionContext(declaration)) return false;
    const callback = args[0] ? unwrapExpression(args[0]) : undefined;
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callback.parameters[0])
      this.contexts.add(callback.parameters[0]);
    return true;
  }

  /** `new DiscordHono(...)`, or a chain of registrations on it: the `new` expression and the chain's calls. */
  private appOf(value: ts.Expression, module: ModuleFacts): { node: ts.NewExpression; chain: ts.CallExpression[] } | undefined {
    const chain: ts.CallExpression[] = [];
    let current = unwrapExpression(value);
    for (let i = 0; i < 64 && isCallExpression(current); i++) {
      const callee = unwrapExpression(current.expression);
      if (!isPropertyAccessExpression(callee) || !REGISTRATIONS.has(callee.name.text)) return undefined;
      chain.unshift(current);
      current = unwrapExpression(callee.expression);
    }
    if (!isNewExpression(current)) return undefined;
    const root = rootImport(current.expression, module);
    if (!root || root.module !== PACKAGE || root.name !== "DiscordHono") return undefined;
    return { node: current, chain };
  }

  private sites(
    app: { node: ts.NewExpression; chain: ts.CallExpression[] },
    binding: ts.VariableDeclaration | undefined,
    module: ModuleFacts,
    label: string,
  ): HandlerSite[] {
    const cached = this.byApp.get(app.node);
    if (cached) return cached;
    const registrations: Registration[] = [];
    for (const call of app.chain) this.addRegistration(call, module, registrations);
    // `const app = new DiscordHono(); app.command(...)`: registrations on its variable, in its module.
    const outer = app.chain[app.chain.length - 1] ?? app.node;
    const declared = ts.findAncestor(outer, (n) => ts.isVariableDeclaration(n) || ts.isFunctionLike(n) || ts.isStatement(n));
    const variable = declared && ts.isVariableDeclaration(declared) && declared.initializer ? declared : binding;
    if (variable)
      for (const call of module.calls) {
        if (!isCallExpression(call)) continue;
        if (this.heldApp(call, variable)) this.addRegistration(call, module, registrations);
      }
    const span = spanOf(app.node);
    const sites: HandlerSite[] = [];
    for (const r of registrations) {
      const kind = r.method;
      if (kind === "cron") {
        sites.push({ kind: "scheduled", form: `${label} cron ${r.key}`, module, span: spanOf(r.call), functions: r.functions });
        continue;
      }
      // `.autocomplete(name, complete, handler)`: the suggestions and the command are two interactions.
      r.functions.forEach((fn, index) =>
        sites.push({
          kind: "fetch",
          form: `${label} ${kind}`,
          module,
          span: spanOf(r.call),
          functions: [fn],
          route: `${INTERACTIONS} ${kind === "autocomplete" && index > 0 ? "command" : kind} ${r.key}`,
        }),
      );
    }
    if (!sites.some((s) => s.kind === "fetch"))
      sites.push({
        kind: "fetch",
        form: label,
        module,
        span,
        functions: [],
        route: INTERACTIONS,
        // Only crons: an interaction finds no handler and fails in the Worker, sending nothing.
        ...(registrations.length > 0
          ? {}
          : {
              opaque: `the handlers of the discord-hono app ${truncate(printNode(app.node))} could not be found: they are the request paths`,
            }),
      });
    for (const site of sites) for (const fn of site.functions) if (fn.fn.parameters[0]) this.contexts.add(fn.fn.parameters[0]);
    this.byApp.set(app.node, sites);
    return sites;
  }

  /** Whether a call is a registration chained on the app's variable (`app.command(...).modal(...)`). */
  private heldApp(call: ts.CallExpression, binding: ts.VariableDeclaration): boolean {
    let current: ts.Expression = call;
    for (let i = 0; i < 64 && isCallExpression(current); i++) {
      const callee = unwrapExpression(current.expression);
      if (!isPropertyAccessExpression(callee) || !REGISTRATIONS.has(callee.name.text)) return false;
      current = unwrapExpression(callee.expression);
    }
    // The outermost call of a chain on the variable: its inner calls are read with it.
    return isIdentifier(current) && declarationOf(current) === binding && !isPropertyAccessExpression(call.parent);
  }

  private addRegistration(call: ts.CallExpression, module: ModuleFacts, into: Registration[]): void {
    // Every call of a chain on the variable: walk it from the variable outward.
    const calls: ts.CallExpression[] = [];
    for (let current: ts.Expression = call; isCallExpression(current);) {
      calls.unshift(current);
      const callee = unwrapExpression(current.expression);
      if (!isPropertyAccessExpression(callee)) break;
      current = unwrapExpression(callee.expression);
    }
    for (const one of calls) {
      const callee = unwrapExpression(one.expression);
      if (!isPropertyAccessExpression(callee) || !REGISTRATIONS.has(callee.name.text)) continue;
      if (into.some((r) => r.call === one)) continue;
      const [first, ...rest] = one.arguments;
      if (!first) continue;
      const key = isStringLiteralLike(first) ? first.text : (this.ctx.values.evaluateString(first, 0) ?? truncate(printNode(first)));
      const functions: FunctionRef[] = [];
      for (const argument of rest) {
        const fn = this.ctx.values.functionFrom(argument, module);
        if (fn) functions.push(fn);
      }
      into.push({ method: callee.name.text, key, functions, call: one });
    }
  }
}
