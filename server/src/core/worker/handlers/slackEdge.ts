import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, printNode, propertyInitializer, spanOf, truncate, type FunctionRef } from "../syntax";
import { getNameText } from "../valuesCore";
import { hostTrip, type AdapterContext, type HandlerAdapter, type HandlerSite, type LibraryTrip } from "./types";

const { isCallExpression, isIdentifier, isNewExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

/** The packages that export slack-edge's apps (slack-cloudflare-workers re-exports slack-edge). */
const PACKAGES: ReadonlySet<string> = new Set(["slack-edge", "slack-cloudflare-workers"]);
const APPS: ReadonlySet<string> = new Set(["SlackApp", "SlackOAuthApp"]);
const SLACK = "slack.com";
/** The route Slack posts events, commands and interactions to: the app's run answers any POST. */
const EVENTS = "POST slack events";

/**
 * A registration method and whether its first function is an ack (run before the HTTP response)
 * or the lazy listener (run in `ctx.waitUntil`). From slack-edge's source (src/app.ts): `event`,
 * `anyMessage`, `message` and `function` take only lazy listeners (the framework acks itself);
 * the others take `(constraint, ack, lazy?)`. A set, not an object, so that `.constructor(...)` is
 * no registration.
 */
const LAZY_ONLY: ReadonlySet<string> = new Set(["event", "anyMessage", "message", "function", "assistantThreadStarted"]);
const ACK_THEN_LAZY: ReadonlySet<string> = new Set([
  "command",
  "action",
  "shortcut",
  "globalShortcut",
  "messageShortcut",
  "view",
  "viewSubmission",
  "viewClosed",
  "options",
]);

type Registration = {
  readonly method: string;
  readonly key: string;
  readonly ack: FunctionRef[];
  readonly lazy: FunctionRef[];
  readonly call: ts.CallExpression;
};
type App = { readonly node: ts.NewExpression; readonly chain: ts.CallExpression[]; readonly name: string };

/**
 * Middleware registrations: run for every request, on the response path (before or after the
 * authorize); `assistant(...)` registers lazy listeners of its own, not read.
 */
const MIDDLEWARE: ReadonlySet<string> = new Set(["use", "middleware", "beforeAuthorize", "afterAuthorize"]);
const OTHER: ReadonlySet<string> = new Set(["assistant"]);
/** Events slack-edge answers without running the authorize (`eventsToSkipAuthorize`). */
const SKIP_AUTHORIZE: ReadonlySet<string> = new Set(["app_uninstalled", "tokens_revoked"]);

function isRegistrationMethod(name: string): boolean {
  return LAZY_ONLY.has(name) || ACK_THEN_LAZY.has(name) || MIDDLEWARE.has(name) || OTHER.has(name);
}

/**
 * slack-edge's apps (`new SlackApp({ env })`, `new SlackOAuthApp({ env, installationStore })`, also
 * through slack-cloudflare-workers or a project's barrel re-exporting it), with listeners
 * registered by `.event(type, lazy)`, `.message(pattern, lazy)`, `.command(name, ack, lazy?)`,
 * `.action(...)`, `.shortcut(...)`, `.view(...)` ..., chained or on the app's variable; requests
 * reach it by `app.run(request, ctx)`.
 *
 * What a request does, from slack-edge's source (`SlackApp.handleEventRequest`): the signature is
 * verified in the Worker; then, unless the app was built with its own `authorize`, the default
 * authorize runs before any listener: the single-team one (`SlackApp`) awaits `auth.test` on
 * slack.com, the installation store's one (`SlackOAuthApp`) reads the installation (KV) and awaits
 * `auth.test` too: one round trip before the ack. The ack handler runs on the response path (what
 * it awaits counts); the lazy listeners run in `ctx.waitUntil`, off it. `SlackOAuthApp`'s install
 * page answers at once; its OAuth redirect exchanges the code (`oauth.v2.access`) and calls
 * `auth.test`: two round trips.
 */
export class SlackEdgeAdapter implements HandlerAdapter {
  readonly name = "slack-edge: new SlackApp({ env }).event(type, lazy).command(name, ack, lazy)...";
  private readonly byApp = new Map<ts.Node, HandlerSite[]>();
  /** The first parameters of the listeners (ack and lazy) of the apps read. */
  private readonly listeners = new Set<ts.ParameterDeclaration>();

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    const app = this.appOf(value, module);
    if (!app) return undefined;
    return this.sites(app, context.binding, module, `${context.form} ${app.name}`);
  }

  /** `app.run(request, ctx)` on a slack-edge app: its listeners' paths. */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "run" || call.arguments.length === 0) return undefined;
    const app = this.heldAppOf(callee.expression, module);
    return app ? this.sites(app.app, app.binding, module, app.app.name) : undefined;
  }

  /**
   * Whether a declaration is what a slack-edge listener is given (its first parameter, or a name
   * bound from it: `async ({ context }) => ...`): its calls go to Slack's Web API.
   */
  isListenerArgument(declaration: ts.Node): boolean {
    if (this.listeners.size === 0) return false;
    let node: ts.Node = declaration;
    for (let i = 0; i < 8 && ts.isBindingElement(node); i++) node = node.parent.parent;
    if (!ts.isParameter(node) || !this.listeners.has(node)) return false;
    // Known from the app's registrations, read beyond the walked function's imports.
    this.ctx.walker.cutWalk();
    return true;
  }

  /** Whether a call registers a listener on a slack-edge app: it runs nothing now. */
  isRegistration(call: ts.CallExpression, module: ModuleFacts): boolean {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || !isRegistrationMethod(callee.name.text)) return false;
    return this.appOf(callee.expression, module) !== undefined || this.heldAppOf(callee.expression, module) !== undefined;
  }

  /** The app a variable (or a chain on it) holds: `const app = new SlackApp(...)...; app.run(...)`. */
  private heldAppOf(expression: ts.Expression, module: ModuleFacts): { app: App; binding: ts.VariableDeclaration } | undefined {
    let current = unwrapExpression(expression);
    for (let i = 0; i < 64 && isCallExpression(current); i++) {
      const callee = unwrapExpression(current.expression);
      if (!isPropertyAccessExpression(callee) || !isRegistrationMethod(callee.name.text)) return undefined;
      current = unwrapExpression(callee.expression);
    }
    if (!isIdentifier(current)) return undefined;
    const declaration = declarationOf(current);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    const app = this.appOf(declaration.initializer, module);
    return app ? { app, binding: declaration } : undefined;
  }

  /** `new SlackApp(...)`, or a chain of registrations on it. */
  private appOf(value: ts.Expression, module: ModuleFacts): App | undefined {
    const chain: ts.CallExpression[] = [];
    let current = unwrapExpression(value);
    for (let i = 0; i < 64 && isCallExpression(current); i++) {
      const callee = unwrapExpression(current.expression);
      if (!isPropertyAccessExpression(callee) || !isRegistrationMethod(callee.name.text)) return undefined;
      chain.unshift(current);
      current = unwrapExpression(callee.expression);
    }
    if (!isNewExpression(current) || !isIdentifier(current.expression)) return undefined;
    const imported = module.imports.get(current.expression.text);
    const name = imported && this.packageExport(imported, module, 0);
    return name ? { node: current, chain, name } : undefined;
  }

  /**
   * The app class an import names (`SlackApp`, `SlackOAuthApp`) when it comes from slack-edge or
   * slack-cloudflare-workers, directly or through the project's modules re-exporting them
   * (`export * from "slack-edge"` in a barrel).
   */
  private packageExport(imported: { module: string; name: string }, from: ModuleFacts, depth: number): string | undefined {
    if (!APPS.has(imported.name) || depth > 4) return undefined;
    if (PACKAGES.has(imported.module)) return imported.name;
    if (!imported.module.startsWith(".")) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, from);
    if (!target) return undefined;
    const exported = target.exports.get(imported.name);
    if (exported?.reexport) return this.packageExport(exported.reexport, target, depth + 1);
    if (exported) return undefined;
    for (const star of target.starReexports) {
      const found = this.packageExport({ module: star, name: imported.name }, target, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  private sites(app: App, binding: ts.VariableDeclaration | undefined, module: ModuleFacts, label: string): HandlerSite[] {
    const cached = this.byApp.get(app.node);
    if (cached) return cached;
    const registrations: Registration[] = [];
    for (const call of app.chain) this.addRegistration(call, module, registrations);
    const outer = app.chain[app.chain.length - 1] ?? app.node;
    const declared = ts.findAncestor(outer, (n) => ts.isVariableDeclaration(n) || ts.isFunctionLike(n) || ts.isStatement(n));
    const variable = declared && ts.isVariableDeclaration(declared) && declared.initializer ? declared : binding;
    if (variable)
      for (const call of module.calls) {
        if (!isCallExpression(call) || isPropertyAccessExpression(call.parent)) continue;
        const callee = unwrapExpression(call.expression);
        if (!isPropertyAccessExpression(callee) || !isRegistrationMethod(callee.name.text)) continue;
        if (this.heldAppOf(callee.expression, module)?.binding === variable) {
          const calls: ts.CallExpression[] = [];
          for (let current: ts.Expression = call; isCallExpression(current);) {
            calls.unshift(current);
            const inner = unwrapExpression(current.expression);
            if (!isPropertyAccessExpression(inner)) break;
            current = unwrapExpression(inner.expression);
          }
          for (const one of calls) this.addRegistration(one, module, registrations);
        }
      }
    const { trip: authorize, before } = this.authorizeOf(app, module);
    const sites: HandlerSite[] = [];
    const middleware = registrations.filter((r) => MIDDLEWARE.has(r.method)).flatMap((r) => r.ack);
    for (const r of registrations) {
      if (MIDDLEWARE.has(r.method)) continue;
      const skips = r.method === "event" && SKIP_AUTHORIZE.has(r.key);
      const route = `${EVENTS} ${r.method} ${r.key}`;
      const span = spanOf(r.call);
      sites.push({
        kind: "fetch",
        form: `${label} ${r.method}`,
        module,
        span,
        functions: [...(skips ? [] : before), ...middleware, ...r.ack],
        route,
        ...(authorize && !skips ? { tripsBefore: [authorize] } : {}),
      });
      // The lazy listeners run in the waitUntil of the context `run` is given (its second argument).
      if (r.lazy.length > 0)
        sites.push({ kind: "fetch", form: `${label} ${r.method} (lazy)`, module, span, functions: r.lazy, route, contextArgument: 1 });
    }
    if (!sites.some((site) => site.route !== undefined && site.contextArgument === undefined))
      sites.push({
        kind: "fetch",
        form: label,
        module,
        span: spanOf(app.node),
        functions: [...before, ...middleware],
        route: EVENTS,
        ...(authorize ? { tripsBefore: [authorize] } : {}),
      });
    if (app.name === "SlackOAuthApp")
      sites.push({
        kind: "fetch",
        form: `${label} OAuth redirect`,
        module,
        span: spanOf(app.node),
        functions: [],
        route: "GET /slack/oauth_redirect",
        tripsBefore: [
          hostTrip(SLACK, this.ctx.input.hostCategories, app.node, module, "slack-edge's OAuth redirect: oauth.v2.access, then auth.test", [
            "once",
            "once",
          ]),
        ],
      });
    for (const r of registrations) for (const { fn } of [...r.ack, ...r.lazy]) if (fn.parameters[0]) this.listeners.add(fn.parameters[0]);
    this.byApp.set(app.node, sites);
    return sites;
  }

  /**
   * What runs before the ack: the app's own `authorize` function when it is given one (walked,
   * `before`), else the default authorize's `auth.test` (`trip`).
   */
  private authorizeOf(app: App, module: ModuleFacts): { trip?: LibraryTrip; before: FunctionRef[] } {
    const options = app.node.arguments?.[0];
    const literals = options ? this.ctx.values.objectLiterals(options, module, 0) : [];
    for (const { literal, module: at } of literals)
      for (const property of literal.properties) {
        const held = property.name !== undefined && getNameText(property.name) === "authorize" ? propertyInitializer(property) : undefined;
        if (!held) continue;
        const fn = this.ctx.values.functionFrom(held, at);
        return { before: fn ? [fn] : [] };
      }
    // Options not seen (or spread in): the default authorize is assumed, as slack-edge's examples use it.
    const how =
      app.name === "SlackOAuthApp"
        ? "the installation store's authorize (KV read, then auth.test)"
        : "the single-team authorize (auth.test)";
    return {
      trip: hostTrip(SLACK, this.ctx.input.hostCategories, app.node, module, `slack-edge's ${how}, before the ack`, ["once"]),
      before: [],
    };
  }

  private addRegistration(call: ts.CallExpression, module: ModuleFacts, into: Registration[]): void {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || !isRegistrationMethod(callee.name.text)) return;
    if (into.some((r) => r.call === call)) return;
    const [first, ...rest] = call.arguments;
    if (!first) return;
    const key = isStringLiteralLike(first) ? first.text : (this.ctx.values.evaluateString(first, 0) ?? truncate(printNode(first)));
    const functions: FunctionRef[] = [];
    for (const argument of rest) {
      const fn = this.ctx.values.functionFrom(argument, module);
      if (fn) functions.push(fn);
    }
    const method = callee.name.text;
    if (OTHER.has(method)) return;
    if (MIDDLEWARE.has(method)) {
      const fn = this.ctx.values.functionFrom(first, module);
      if (fn) into.push({ method, key: "", ack: [fn], lazy: [], call });
      return;
    }
    const ackFirst = ACK_THEN_LAZY.has(method);
    into.push({
      method,
      key,
      ack: ackFirst ? functions.slice(0, 1) : [],
      lazy: ackFirst ? functions.slice(1) : functions,
      call,
    });
  }
}
