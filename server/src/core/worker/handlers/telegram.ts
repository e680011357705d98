import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, printNode, rootImport, spanOf, truncate, type FunctionRef } from "../syntax";
import { firstAnswer } from "../values";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const {
  isAwaitExpression,
  isCallExpression,
  isIdentifier,
  isFunctionLike,
  isNewExpression,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isSourceFile,
  isSpreadAssignment,
  isVariableDeclaration,
} = ts;

const MAX_DEPTH = 10;
/** Packages whose `Bot` / `Telegraf` and `Composer` hold a Telegram bot's middleware and handlers. */
const BOT_PACKAGES = new Set(["grammy", "grammy/web", "telegraf"]);
const BOT_CLASSES = new Set(["Bot", "Telegraf"]);
const COMPOSER_CLASSES = new Set(["Composer"]);
/** Methods of a bot or composer that register middleware run for every update that reaches them. */
const MIDDLEWARE = new Set(["use"]);
/**
 * Methods that register handlers for some updates (grammY's and Telegraf's): each is a path of
 * its own, after the middleware. Their function arguments run in order (each calls `next()`), a
 * filter's predicate first.
 */
const HANDLERS = new Set([
  "on",
  "command",
  "hears",
  "callbackQuery",
  "inlineQuery",
  "chosenInlineResult",
  "gameQuery",
  "reaction",
  "preCheckoutQuery",
  "shippingQuery",
  "chatType",
  "filter",
  "drop",
  "branch",
  "fork",
  "lazy",
  "route",
  "errorBoundary",
  "action",
  "start",
  "help",
  "settings",
  "mention",
  "hashtag",
  "email",
  "url",
  "phone",
  "cashtag",
  "textMention",
]);
/**
 * Calls on an update's context that do their work in the Worker: grammY's filter checks
 * (`ctx.has(...)`, `ctx.hasCommand(...)`), `ctx.entities()`, and the i18n plugin's `ctx.t(...)`.
 */
export const UPDATE_CONTEXT_LOCAL = new Set([
  "has",
  "hasText",
  "hasCommand",
  "hasCallbackQuery",
  "hasChatType",
  "hasInlineQuery",
  "hasGameQuery",
  "hasReaction",
  "hasChosenInlineResult",
  "hasPreCheckoutQuery",
  "hasShippingQuery",
  "entities",
  "reactions",
  "t",
  "translate",
]);

type NodeRef<T extends ts.Node> = { readonly node: T; readonly module: ModuleFacts };

/**
 * A Telegram bot of grammY (or Telegraf) served by a webhook: `webhookCallback(bot, "cloudflare-mod")`
 * (called with the request, held in a name, or the handler itself) and `bot.handleUpdate(update)`.
 * One update runs the bot's middleware (`bot.use(fn)`), then the handler registered for it
 * (`bot.on`, `command`, `callbackQuery`, `hears`, ...; on a composer given to `bot.use`, after the
 * composer's own middleware): each handler is a request path, the worst counts. In the functions
 * it runs, the update's context (their first parameter) is a Bot API client: `ctx.reply(...)`,
 * `ctx.answerCallbackQuery()`, `ctx.api.sendMessage(...)` are round trips to api.telegram.org;
 * reading the update (`ctx.from.id`, `ctx.message.text.trim()`) is not.
 *
 * A grammY bot made without `botInfo` asks the Bot API for its own identity (`getMe`, in
 * `bot.init()`, which `webhookCallback` runs) before its first update. A bot that lives as long as
 * the isolate (made at module scope, or kept in a module variable) pays that on the isolate's first
 * request only: not counted. A bot made anew for every request (`new Bot(env.BOT_TOKEN)` in the
 * fetch handler or a factory it calls) pays it every time: one round trip to api.telegram.org
 * before the handler, located at the bot given to `webhookCallback` (see asksGetMe). Telegraf's
 * bots are left out.
 */
export class TelegramBotAdapter implements HandlerAdapter {
  readonly name = "Telegram bots (grammY, Telegraf): webhookCallback(bot), bot.handleUpdate(update)";
  private readonly byBot = new Map<ts.Node, HandlerSite[]>();
  /** The first parameters of the functions a bot runs for an update: its context. */
  private readonly contexts = new Set<ts.ParameterDeclaration>();
  private readonly botModules = new WeakMap<ModuleFacts, boolean>();
  /** `webhookCallback(bot, ...)` calls whose bot is made per request without `botInfo`, with that bot argument (see asksGetMe). */
  private readonly getMeCalls = new Map<ts.CallExpression, ts.Expression>();

  constructor(private readonly ctx: AnalysisContext) {}

  /** `export default { fetch: webhookCallback(bot, "cloudflare-mod") }`. */
  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value) || !this.isWebhookCallback(value, module)) return undefined;
    return this.callbackSites(value, module, `${context.form} webhookCallback`);
  }

  /** `webhookCallback(bot, ...)(request)`, `handle(request)` with `handle = webhookCallback(...)`, `bot.handleUpdate(update)`. */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (isPropertyAccessExpression(callee) && callee.name.text === "handleUpdate" && call.arguments.length > 0) {
      const bot = this.receiverOf(callee.expression, module, 0);
      return bot && BOT_CLASSES.has(bot.kind) ? this.registered(bot.ref, "handleUpdate") : undefined;
    }
    // Asked about every call the walk cannot classify: only where grammY is imported, or the callee is
    // imported from a module that imports it (`import { handle } from "./bot"`).
    if (!this.importsBot(module) && !this.importedFromBotModule(callee, module)) return undefined;
    const made = this.callbackOf(callee, module, 0);
    if (!made) return undefined;
    const sites = this.callbackSites(made.node, made.module, "webhookCallback");
    const bot = made.node.arguments[0];
    if (made.shared || !bot || !this.getMeEachRequest(made.node, made.module)) return sites;
    // `bot.init()` asks for the bot's identity before the update runs (see the class comment).
    this.getMeCalls.set(made.node, bot);
    return sites.map((site) => (site.opaque ? site : { ...site, callsBefore: [{ call: made.node, module: made.module, callee: bot }] }));
  }

  /**
   * Whether a call, walked with `callee` standing for it (HandlerSite.callsBefore), is the Bot API's
   * `getMe` that `webhookCallback` runs for a bot made per request without `botInfo`.
   */
  asksGetMe(call: ts.CallExpression, callee: ts.Expression): boolean {
    return this.getMeCalls.get(call) === callee;
  }

  /**
   * Whether the grammY bot a `webhookCallback(bot, ...)` call made inside a function is given is
   * made anew each time, without `botInfo`: reached through no module-scope name, and not made at
   * module scope.
   */
  private getMeEachRequest(call: ts.CallExpression, module: ModuleFacts): boolean {
    if (atModuleScope(call)) return false;
    const bot = this.receiverOf(call.arguments[0]!, module, 0);
    if (!bot || bot.kind !== "Bot" || bot.shared || atModuleScope(bot.ref.node)) return false;
    const root = rootImport(bot.ref.node.expression, bot.ref.module);
    if (!root || root.module === "telegraf") return false;
    return !this.hasBotInfo(bot.ref);
  }

  /** `new Bot(token, { botInfo })`: options that give (or may give: a spread, options not read) the bot's identity. */
  private hasBotInfo(bot: NodeRef<ts.NewExpression>): boolean {
    const options = bot.node.arguments?.[1];
    if (!options) return false;
    const literal = this.objectLiteralOf(options, bot.module, 0);
    if (!literal) return true;
    return literal.properties.some(
      (p) =>
        isSpreadAssignment(p) ||
        (p.name !== undefined && (isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "botInfo"),
    );
  }

  private objectLiteralOf(expression: ts.Expression, module: ModuleFacts, depth: number): ts.ObjectLiteralExpression | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) return value;
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
      this.objectLiteralOf(source.expression, source.module, depth + 1),
    );
  }

  /** Whether a parameter is the context of an update a bot handles (see the class comment). */
  isUpdateContext(parameter: ts.ParameterDeclaration): boolean {
    if (!this.contexts.has(parameter)) return false;
    // Known from the bot's registrations, read beyond the walked function's imports.
    this.ctx.walker.cutWalk();
    return true;
  }

  private isWebhookCallback(call: ts.CallExpression, module: ModuleFacts): boolean {
    const callee = unwrapExpression(call.expression);
    const root = rootImport(callee, module);
    return !!root && BOT_PACKAGES.has(root.module) && root.name === "webhookCallback" && isIdentifier(callee);
  }

  /** The `webhookCallback(bot, ...)` call a callee is or holds. */
  private callbackOf(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): (NodeRef<ts.CallExpression> & { shared?: boolean }) | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isCallExpression(value)) return this.isWebhookCallback(value, module) ? { node: value, module } : undefined;
    if (!isIdentifier(value)) return undefined;
    const found = firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
      this.callbackOf(source.expression, source.module, depth + 1),
    );
    return found && moduleScopeName(value) ? { ...found, shared: true } : found;
  }

  private callbackSites(call: ts.CallExpression, module: ModuleFacts, label: string): HandlerSite[] {
    const bot = call.arguments[0] ? this.receiverOf(call.arguments[0], module, 0) : undefined;
    if (!bot || !BOT_CLASSES.has(bot.kind))
      return [
        {
          kind: "fetch",
          form: label,
          module,
          span: spanOf(call),
          functions: [],
          route: this.route("update"),
          opaque: `the Telegram bot given to webhookCallback(...) could not be resolved: its handlers are the request paths`,
        },
      ];
    return this.registered(bot.ref, label);
  }

  /**
   * The bot or composer (`new Bot(...)`, `new Composer()`) a value holds, through names, imports,
   * project factories and the parameters of registrars (`registerAdmin(bot)`), and what it is.
   */
  private receiverOf(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { ref: NodeRef<ts.NewExpression>; kind: string; shared?: boolean } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let value = unwrapExpression(expression);
    if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      if (!root || !BOT_PACKAGES.has(root.module)) return undefined;
      const name =
        root.name === "*" || root.name === "default"
          ? isPropertyAccessExpression(value.expression)
            ? value.expression.name.text
            : ""
          : root.name;
      return BOT_CLASSES.has(name) || COMPOSER_CLASSES.has(name) ? { ref: { node: value, module }, kind: name } : undefined;
    }
    if (isIdentifier(value)) {
      const found = firstAnswer(this.ctx.values.valuesOf(value, module), (source) =>
        this.receiverOf(source.expression, source.module, depth + 1),
      );
      // Held in a module-scope name (`let bot` set once, `const bot = createBot()` at the top): shared by requests.
      if (found) return moduleScopeName(value) ? { ...found, shared: true } : found;
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) {
        const passed = this.ctx.values.argumentsPassedFor(declaration);
        const sources = passed.length > 0 ? passed : this.ctx.values.argumentsAtCallSites(declaration);
        return firstAnswer(sources, (source) => this.receiverOf(source.expression, source.module, depth + 1));
      }
      return undefined;
    }
    if (isCallExpression(value)) {
      const factory = this.ctx.values.calledFunction(unwrapExpression(value.expression), module);
      if (!factory) return undefined;
      return firstAnswer(this.ctx.values.returnedValues(factory.fn, factory.module), (returned) =>
        this.receiverOf(returned.expression, returned.module, depth + 1),
      );
    }
    return undefined;
  }

  /**
   * The paths of a bot: for each handler registered on it (or on a composer it uses), the bot's
   * middleware, the composer's, then the handler's functions. Registrations are read in every
   * loaded module (a registrar of another module may be given the bot): the walk is not kept.
   */
  private registered(bot: NodeRef<ts.NewExpression>, label: string): HandlerSite[] {
    const cached = this.byBot.get(bot.node);
    if (cached) return cached;
    this.ctx.walker.cutWalk();
    const registrations = this.registrations();
    const paths: Array<{ functions: FunctionRef[]; name: string; span: ts.Node; module: ModuleFacts }> = [];
    const visit = (receiver: ts.Node, before: FunctionRef[], seen: Set<ts.Node>): void => {
      if (seen.has(receiver)) return;
      seen.add(receiver);
      const own = registrations.filter((r) => r.receiver === receiver);
      const middleware = [...before];
      for (const r of own) if (MIDDLEWARE.has(r.method)) middleware.push(...r.functions);
      for (const r of own) {
        if (MIDDLEWARE.has(r.method)) {
          for (const composer of r.composers) visit(composer, middleware, seen);
          continue;
        }
        if (r.functions.length > 0)
          paths.push({
            functions: [...middleware, ...r.functions],
            name: `${r.method} ${r.trigger}`.trim(),
            span: r.call,
            module: r.module,
          });
      }
      if (paths.length === 0 && receiver === bot.node && middleware.length > 0)
        paths.push({ functions: middleware, name: "middleware", span: bot.node, module: bot.module });
    };
    visit(bot.node, [], new Set());
    const sites: HandlerSite[] =
      paths.length === 0
        ? [
            {
              kind: "fetch",
              form: label,
              module: bot.module,
              span: spanOf(bot.node),
              functions: [],
              route: this.route("update"),
              opaque: `the handlers of the Telegram bot ${truncate(printNode(bot.node))} (${bot.module.path.split("/").pop()}) could not be found: they are the request paths`,
            },
          ]
        : paths.map((p) => ({
            kind: "fetch",
            form: `${label} ${p.name.split(" ")[0]}`,
            module: p.module,
            span: spanOf(p.span),
            functions: p.functions,
            route: this.route(p.name),
          }));
    for (const site of sites) for (const fn of site.functions) if (fn.fn.parameters[0]) this.contexts.add(fn.fn.parameters[0]);
    this.byBot.set(bot.node, sites);
    return sites;
  }

  /** Every registration on a bot or composer in the loaded modules, in source order within a module. */
  private registrations(): Array<{
    receiver: ts.Node;
    method: string;
    trigger: string;
    functions: FunctionRef[];
    composers: ts.Node[];
    call: ts.CallExpression;
    module: ModuleFacts;
  }> {
    const found: ReturnType<TelegramBotAdapter["registrations"]> = [];
    for (const module of this.ctx.loader.modules.values()) {
      for (const call of module.calls) {
        if (!isCallExpression(call) || call.arguments.length === 0) continue;
        const callee = unwrapExpression(call.expression);
        if (!isPropertyAccessExpression(callee)) continue;
        const method = callee.name.text;
        if (!MIDDLEWARE.has(method) && !HANDLERS.has(method)) continue;
        const receiver = this.registrationReceiver(callee.expression, module);
        if (!receiver) continue;
        const functions: FunctionRef[] = [];
        const composers: ts.Node[] = [];
        for (const argument of call.arguments) {
          const fn = this.ctx.values.functionFrom(argument, module);
          if (fn) {
            functions.push(fn);
            continue;
          }
          const composer = this.receiverOf(argument, module, 0);
          if (composer && COMPOSER_CLASSES.has(composer.kind)) composers.push(composer.ref.node);
        }
        const first = call.arguments[0]!;
        const trigger = functions.some((f) => f.fn === unwrapExpression(first)) ? "" : truncate(printNode(first));
        found.push({ receiver, method, trigger, functions, composers, call, module });
      }
    }
    return found;
  }

  /**
   * The bot or composer a registration is made on: `bot.on(...)`, and through the composers that
   * filters return (`bot.chatType("private").command(...)`, `bot.on("message").filter(...)`).
   */
  private registrationReceiver(expression: ts.Expression, module: ModuleFacts): ts.Node | undefined {
    let value = unwrapExpression(expression);
    for (let i = 0; i < 8 && isCallExpression(value); i++) {
      const callee = unwrapExpression(value.expression);
      if (!isPropertyAccessExpression(callee) || !HANDLERS.has(callee.name.text)) return undefined;
      value = unwrapExpression(callee.expression);
    }
    if (!isIdentifier(value) && !isPropertyAccessExpression(value)) return undefined;
    return this.receiverOf(value, module, 0)?.ref.node;
  }

  /** `POST /webhook telegram callbackQuery /^buy_/`: the route being walked, then the handler. */
  private route(name: string): string {
    const route = this.ctx.walker.currentRoute();
    return `${route !== undefined && route.includes(" /") ? route : "POST"} telegram ${name}`;
  }

  private importedFromBotModule(callee: ts.Expression, module: ModuleFacts): boolean {
    const imported = isIdentifier(callee) ? module.imports.get(callee.text) : undefined;
    const target = imported ? this.ctx.loader.moduleFor(imported.module, module) : undefined;
    return !!target && this.importsBot(target);
  }

  private importsBot(module: ModuleFacts): boolean {
    let known = this.botModules.get(module);
    if (known === undefined) {
      known = false;
      for (const imported of module.imports.values()) if (BOT_PACKAGES.has(imported.module)) known = true;
      this.botModules.set(module, known);
    }
    return known;
  }
}

/** Whether a node runs when its module is loaded: no function around it. */
function atModuleScope(node: ts.Node): boolean {
  for (let at = node.parent; at && !isSourceFile(at); at = at.parent) if (isFunctionLike(at)) return false;
  return true;
}

/** Whether a name is a variable declared at module scope. */
function moduleScopeName(name: ts.Identifier): boolean {
  const declaration = declarationOf(name);
  return !!declaration && isVariableDeclaration(declaration) && atModuleScope(declaration);
}
