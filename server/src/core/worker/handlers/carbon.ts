import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { propertyInitializer, rootImport, spanOf, type FunctionRef } from "../syntax";
import { firstAnswer, type ValueRef } from "../values";
import { getNameText } from "../valuesCore";
import { hostTrip, type AdapterContext, type HandlerAdapter, type HandlerSite } from "./types";

const {
  isArrayLiteralExpression,
  isAwaitExpression,
  isCallExpression,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isPropertyDeclaration,
  isSpreadElement,
} = ts;

const MAX_DEPTH = 8;
/** Carbon's core package and its fetch adapter (`createHandler`). */
const CARBON = "@buape/carbon";
const FETCH_ADAPTER = "@buape/carbon/adapters/fetch";
/** The route Carbon serves interactions at, under the client's `baseUrl`. */
const INTERACTIONS = "POST /interactions";
/** Where Carbon's own requests go: its RequestClient and its plugins' fetches (https://discord.com/api). */
const DISCORD = "discord.com";
/** The handlers of `new Client(options, handlers)` whose `run(interaction)` an interaction request runs. */
const HANDLER_LISTS: Readonly<Record<string, string>> = { commands: "command", components: "component", modals: "modal" };

type NodeRef<T extends ts.Node> = { readonly node: T; readonly module: ModuleFacts };

/**
 * Carbon (`@buape/carbon`), a Discord HTTP-interactions framework, served through its fetch adapter:
 * `const handler = createHandler(client)`, then `export default { fetch: handler }` or, as its
 * Cloudflare template writes it, `handler(request, { waitUntil: ctx.waitUntil.bind(ctx), env })`.
 *
 * What a request does, from Carbon's source (`Client.handleInteractionsRequest` and
 * `handleInteraction`, packages/carbon/src/classes/Client.ts): the signature is verified in the
 * Worker, a ping is answered at once, and any other interaction runs its handler (`run` of the
 * command, component or modal, after `preCheck`) as a promise that is handed to the context's
 * `waitUntil` when the context has one, else awaited; the HTTP answer is then `202 OK`. Replies are
 * never the HTTP response: `interaction.reply()`, `defer()`, `followUp()`, ... are REST requests to
 * discord.com (the library table's "Carbon (Discord)" entry counts them). So each handler is a
 * request path, the worst counts, and it is off the response path when the context Carbon is given
 * (the handler's second argument, `contextArgument`) has `waitUntil`: an ExecutionContext, or an
 * object with a `waitUntil` property. Given as the Worker's fetch itself, Carbon's context is the
 * runtime's second argument, `env`, which has none: the handler runs before the answer.
 */
export class CarbonAdapter implements HandlerAdapter {
  readonly name = "Carbon (Discord HTTP interactions): createHandler(client) of @buape/carbon/adapters/fetch";
  private readonly bySite = new Map<ts.Node, HandlerSite[]>();
  private readonly carbonModules = new WeakMap<ModuleFacts, boolean>();

  constructor(private readonly ctx: AnalysisContext) {}

  /** `export default { fetch: createHandler(client) }` and the like. */
  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value) || !this.isCreateHandler(value, module)) return undefined;
    return this.handlerSites(value, module, `${context.form} createHandler`);
  }

  /** `handler(request, { waitUntil, env })` with `handler = createHandler(client)`, or `createHandler(client)(request, ctx)`. */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    // A cheap first check: this module imports Carbon, or the callee is imported from one that does.
    const callee = unwrapExpression(call.expression);
    const imported = isIdentifier(callee) ? module.imports.get(callee.text) : undefined;
    const from = imported ? this.ctx.loader.moduleFor(imported.module, module) : undefined;
    if (!this.importsCarbon(module) && !(from && this.importsCarbon(from))) return undefined;
    const handler = this.createHandlerOf(call.expression, module, 0);
    return handler ? this.handlerSites(handler.node, handler.module, "createHandler") : undefined;
  }

  private importsCarbon(module: ModuleFacts): boolean {
    let known = this.carbonModules.get(module);
    if (known === undefined) {
      known = false;
      for (const imported of module.imports.values())
        if (imported.module === CARBON || imported.module.startsWith(`${CARBON}/`)) known = true;
      this.carbonModules.set(module, known);
    }
    return known;
  }

  private isCreateHandler(call: ts.CallExpression, module: ModuleFacts): boolean {
    const root = rootImport(call.expression, module);
    return !!root && root.module === FETCH_ADAPTER && root.name === "createHandler" && isIdentifier(unwrapExpression(call.expression));
  }

  /** The `createHandler(client)` call a callee is or holds. */
  private createHandlerOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.CallExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isCallExpression(value)) return this.isCreateHandler(value, module) ? { node: value, module } : undefined;
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
      this.createHandlerOf(source.expression, source.module, depth + 1),
    );
  }

  /** The `new Client(options, handlers)` of Carbon a value holds. */
  private clientOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.NewExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      return root && root.module === CARBON && root.name === "Client" ? { node: value, module } : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.clientOf(source.expression, source.module, depth + 1));
  }

  private handlerSites(call: ts.CallExpression, module: ModuleFacts, label: string): HandlerSite[] {
    const known = this.bySite.get(call);
    if (known) return known;
    const span = spanOf(call);
    const client = call.arguments[0] ? this.clientOf(call.arguments[0], module, 0) : undefined;
    const sites: HandlerSite[] = [];
    const handlers = client?.node.arguments?.[1];
    // A client given no handlers at all (`{ commands: [] }`, a bot serving only a plugin's routes).
    let none = false;
    if (client && handlers)
      for (const { literal, module: at } of this.ctx.values.objectLiterals(handlers, client.module, 0))
        for (const property of literal.properties) {
          const list = property.name ? getNameText(property.name) : undefined;
          const kind = list ? HANDLER_LISTS[list] : undefined;
          const held = propertyInitializer(property);
          if (!kind || !held) continue;
          const listed = unwrapExpression(held);
          if (isArrayLiteralExpression(listed) && listed.elements.length === 0) none = true;
          for (const item of this.elementsOf({ expression: held, module: at }, 0))
            this.addHandler(item, kind, label, module, span, sites, 0);
        }
    // Its other routes (GET /deploy, a plugin's) are paths too: the interactions' stay said unresolved when they are.
    const routes = client ? this.routeSites(client, label, module, span) : [];
    const result: HandlerSite[] =
      sites.length > 0 || (none && routes.length > 0)
        ? [...sites, ...routes]
        : [
            ...routes,
            {
              kind: "fetch",
              form: label,
              module,
              span,
              functions: [],
              route: INTERACTIONS,
              contextArgument: 1,
              opaque: client
                ? "Carbon: the client's commands, components and modals could not be resolved: their run() methods are the request paths"
                : "Carbon: the client given to createHandler(...) could not be resolved: its commands' run() methods are the request paths",
            },
          ];
    this.bySite.set(call, result);
    return result;
  }

  /**
   * One command, component or modal instance: its `preCheck` and `run` as a path; a command with
   * subcommands (`subcommands`, `subcommandGroups`) runs one of them, each a path; a command's own
   * `components` are paths too.
   */
  private addHandler(
    item: ValueRef,
    kind: string,
    label: string,
    module: ModuleFacts,
    span: { start: number; end: number },
    sites: HandlerSite[],
    depth: number,
  ): void {
    if (depth > MAX_DEPTH) return;
    const ref = this.ctx.values.classOfInstance(item.expression, item.module);
    if (!ref) return;
    const field = (name: string): ts.Expression | undefined => {
      for (
        let current: typeof ref | undefined = ref, level = 0;
        current && level < 8;
        current = this.ctx.values.baseClassOf(current), level++
      ) {
        const member = current.cls.members.find((m) => isPropertyDeclaration(m) && m.name && getNameText(m.name) === name);
        if (member && isPropertyDeclaration(member) && member.initializer) return member.initializer;
      }
      return undefined;
    };
    for (const nested of ["subcommands", "subcommandGroups"]) {
      const held = field(nested);
      if (held)
        for (const sub of this.elementsOf({ expression: held, module: ref.module }, 0))
          this.addHandler(sub, kind, label, module, span, sites, depth + 1);
    }
    const own = field("components");
    if (own)
      for (const component of this.elementsOf({ expression: own, module: ref.module }, 0))
        this.addHandler(component, "component", label, module, span, sites, depth + 1);
    const run = this.ctx.values.methodOf(ref, "run");
    if (!run) return;
    const functions: FunctionRef[] = [];
    const preCheck = this.ctx.values.methodOf(ref, "preCheck");
    if (preCheck) functions.push(preCheck);
    functions.push(run);
    const nameValue = field(kind === "command" ? "name" : "customId");
    const name =
      (nameValue ? this.ctx.values.evaluateString(nameValue, 0) : undefined) ?? (ref.cls.name ? ref.cls.name.text : "(anonymous)");
    sites.push({
      kind: "fetch",
      form: `${label} ${kind} ${name}`,
      module,
      span,
      functions,
      route: `${INTERACTIONS} ${kind} ${name}`,
      contextArgument: 1,
    });
  }

  /**
   * The client's other routes, which Carbon's fetch adapter awaits before it answers (the handler
   * of the matched route, `return await route.handler(req, ctx)`; only interactions are handed to
   * waitUntil): `GET /deploy` (Client.handleDeployRequest) and the routes of the plugins it knows
   * (the third argument of `new Client(options, handlers, plugins)`). Their requests are Carbon's
   * own, to discord.com, counted from its source (packages/carbon/src/classes/Client.ts,
   * plugins/linked-roles/LinkedRoles.ts).
   */
  private routeSites(
    client: NodeRef<ts.NewExpression>,
    label: string,
    module: ModuleFacts,
    span: { start: number; end: number },
  ): HandlerSite[] {
    const sites: HandlerSite[] = [];
    const options = this.optionsOf(client.node.arguments?.[0], client.module);
    const route = (path: string, rest: Partial<HandlerSite>): HandlerSite => ({
      kind: "fetch",
      form: `${label} route ${path}`,
      module,
      span,
      functions: [],
      route: path,
      ...rest,
    });
    // `GET /deploy` (unless `disableDeployRoute: true`), behind the deploy secret: deployCommands.
    // Without a `deploySecret` no request passes the check (the adapter answers 401).
    const deployable = !options.lacks("deploySecret");
    if (deployable && !options.flag("disableDeployRoute")) {
      const steps: Array<"once" | "loop"> = [];
      let how: string;
      const devGuilds = options.value("devGuilds");
      if (devGuilds) {
        const listed = unwrapExpression(devGuilds.expression);
        const count = isArrayLiteralExpression(listed) && !listed.elements.some(isSpreadElement) ? listed.elements.length : undefined;
        if (count === undefined) steps.push("loop");
        else for (let i = 0; i < Math.min(count, 8); i++) steps.push("once");
        how = "with devGuilds set it PUTs every command to each development guild, one guild after another";
      } else {
        // Commands limited to guilds (`guildIds`) are PUT guild by guild first.
        if (this.hasGuildCommands(client)) steps.push("loop");
        // The request picks the mode (`?mode=reconcile`): the worst is reconcile.
        steps.push("once", "loop", "loop", "loop");
        how =
          "with ?mode=reconcile it reads the application's live commands, then deletes, updates and creates them one request at a time (three loops, each counted twice)";
      }
      sites.push(
        route("GET /deploy", {
          tripsBefore: [
            hostTrip(
              DISCORD,
              this.ctx.input.hostCategories,
              client.node,
              client.module,
              `Carbon's GET /deploy (deployCommands): ${how}`,
              steps,
            ),
          ],
        }),
      );
    }
    const plugins = client.node.arguments?.[2];
    if (plugins)
      for (const item of this.elementsOf({ expression: plugins, module: client.module }, 0)) {
        const plugin = this.newOf(item.expression, item.module, 0);
        if (plugin) sites.push(...this.pluginSites(plugin, route, deployable));
      }
    return sites;
  }

  /** The routes of a Carbon plugin the analyser knows: LinkedRoles (`@buape/carbon/linked-roles`). */
  private pluginSites(
    plugin: NodeRef<ts.NewExpression>,
    route: (path: string, rest: Partial<HandlerSite>) => HandlerSite,
    deployable: boolean,
  ): HandlerSite[] {
    const root = rootImport(plugin.node.expression, plugin.module);
    if (!root || (root.module !== `${CARBON}/linked-roles` && root.module !== CARBON) || root.name !== "LinkedRoles") return [];
    const options = this.optionsOf(plugin.node.arguments?.[0], plugin.module);
    const sites: HandlerSite[] = [];
    // Behind the client's deploy secret too.
    if (deployable && !options.flag("disableDeployRoute"))
      sites.push(
        route("GET /linked-roles/deploy", {
          tripsBefore: [
            hostTrip(
              DISCORD,
              this.ctx.input.hostCategories,
              plugin.node.expression,
              plugin.module,
              "Carbon LinkedRoles, GET /linked-roles/deploy: PUTs the role connection metadata",
              ["once"],
            ),
          ],
        }),
      );
    if (!options.flag("disableVerifyUserCallbackRoute")) {
      // The OAuth callback: token exchange, the user (oauth2/@me), each metadata checker in turn, the role connection PUT.
      const note =
        "Carbon LinkedRoles, GET /linked-roles/verify-user/callback: exchanges the OAuth code for a token and reads the user (oauth2/@me) before the metadataCheckers run, then PUTs the user's role connection";
      const checkers: FunctionRef[] = [];
      const held = options.value("metadataCheckers");
      if (held)
        for (const { literal, module: at } of this.ctx.values.objectLiterals(held.expression, held.module, 0))
          for (const property of literal.properties) {
            if (isMethodDeclaration(property)) {
              checkers.push({ fn: property, module: at });
              continue;
            }
            const value = propertyInitializer(property);
            const fn = value ? this.ctx.values.functionFrom(value, at) : undefined;
            if (fn) checkers.push(fn);
          }
      sites.push(
        route("GET /linked-roles/verify-user/callback", {
          functions: checkers,
          tripsBefore: [hostTrip(DISCORD, this.ctx.input.hostCategories, plugin.node, plugin.module, note, ["once", "once"])],
          tripsAfter: [hostTrip(DISCORD, this.ctx.input.hostCategories, plugin.node, plugin.module, note, ["once"])],
        }),
      );
    }
    return sites;
  }

  /** An options object of Carbon's (`new Client(options)`, `new LinkedRoles(options)`): its properties, read through names. */
  private optionsOf(
    expression: ts.Expression | undefined,
    module: ModuleFacts,
  ): { flag(name: string): boolean; value(name: string): ValueRef | undefined; lacks(name: string): boolean } {
    const literals = expression ? this.ctx.values.objectLiterals(expression, module, 0) : [];
    // Every property is seen: a literal was found and nothing is spread into it.
    const complete = literals.length > 0 && literals.every(({ literal }) => !literal.properties.some(ts.isSpreadAssignment));
    const value = (name: string): ValueRef | undefined => {
      for (const { literal, module: at } of literals)
        for (const property of literal.properties) {
          const held = property.name && getNameText(property.name) === name ? propertyInitializer(property) : undefined;
          if (held) return { expression: held, module: at };
        }
      return undefined;
    };
    return {
      value,
      // Only a literal `true` turns a route off: a value read at run time may leave it on.
      flag: (name) => value(name)?.expression.kind === ts.SyntaxKind.TrueKeyword,
      lacks: (name) => complete && value(name) === undefined,
    };
  }

  /** Whether a command given to the client is limited to guilds (a `guildIds` field): deployed guild by guild. */
  private hasGuildCommands(client: NodeRef<ts.NewExpression>): boolean {
    const handlers = client.node.arguments?.[1];
    if (!handlers) return false;
    for (const { literal, module: at } of this.ctx.values.objectLiterals(handlers, client.module, 0))
      for (const property of literal.properties) {
        const held = property.name && getNameText(property.name) === "commands" ? propertyInitializer(property) : undefined;
        if (!held) continue;
        for (const item of this.elementsOf({ expression: held, module: at }, 0)) {
          for (
            let ref = this.ctx.values.classOfInstance(item.expression, item.module), level = 0;
            ref && level < 8;
            ref = this.ctx.values.baseClassOf(ref), level++
          )
            if (ref.cls.members.some((m) => isPropertyDeclaration(m) && m.name && getNameText(m.name) === "guildIds" && m.initializer))
              return true;
        }
      }
    return false;
  }

  /** The `new X(...)` a value holds, through names. */
  private newOf(expression: ts.Expression, module: ModuleFacts, depth: number): NodeRef<ts.NewExpression> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) return { node: value, module };
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.newOf(source.expression, source.module, depth + 1));
  }

  /** The elements of a list a value holds (an array literal, through names; spreads of lists). */
  private elementsOf(source: ValueRef, depth: number): ValueRef[] {
    if (depth > MAX_DEPTH) return [];
    const value = unwrapExpression(source.expression);
    if (isArrayLiteralExpression(value))
      return value.elements.flatMap((element) =>
        isSpreadElement(element)
          ? this.elementsOf({ expression: element.expression, module: source.module }, depth + 1)
          : [{ expression: element, module: source.module }],
      );
    if (isIdentifier(value)) return this.ctx.values.valuesOf(value, source.module).flatMap((held) => this.elementsOf(held, depth + 1));
    return [];
  }
}
