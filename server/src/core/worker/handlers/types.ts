import type ts from "typescript";
import type { ModuleFacts } from "../module";
import type { HandlerKind } from "../types";
import type { ClassifiedSubrequest } from "../summaries";
import { classifyHost, type HostCategoryOverrides } from "../hosts";
import { spanOf, type FunctionRef } from "../syntax";
import type { HandlerDiscovery } from "./discover";

/**
 * Round trips a framework makes itself for a route, known from its source rather than seen in the
 * project's code (Carbon's `GET /deploy` lists and rewrites the application's commands): listed at
 * `node` (what registers the route, `new Client(...)`), one step per entry of `steps`, a `"loop"`
 * counted twice as the walk counts a loop.
 */
export interface LibraryTrip {
  readonly node: ts.Node;
  readonly module: ModuleFacts;
  readonly subrequest: ClassifiedSubrequest;
  readonly steps: ReadonlyArray<"once" | "loop">;
}

/** A LibraryTrip to one host (a framework's REST API), listed at `node` with `note`. */
export function hostTrip(
  host: string,
  hostCategories: HostCategoryOverrides | undefined,
  node: ts.Node,
  module: ModuleFacts,
  note: string,
  steps: LibraryTrip["steps"],
): LibraryTrip {
  const subrequest: ClassifiedSubrequest = {
    file: module.path,
    span: spanOf(node, module.sourceFile),
    kind: "sdk",
    target: host,
    category: classifyHost(host, hostCategories).category,
    note,
  };
  return { node, module, subrequest, steps };
}

/** A handler's function(s) and how it was written: what runs for a request, an event, a route. */
export interface HandlerSite {
  readonly kind: HandlerKind;
  readonly form: string;
  readonly module: ModuleFacts;
  readonly span: { start: number; end: number };
  /** The function bodies run for this handler, in order (middleware, then the route's handlers). */
  readonly functions: readonly FunctionRef[];
  /**
   * Functions the framework runs at the same time, after `functions` (Next.js renders a route's
   * layouts, its page and generateMetadata concurrently): the longest of them counts.
   */
  readonly concurrent?: readonly FunctionRef[];
  readonly route?: string;
  /**
   * Calls of a library that stand for what it does for this route, walked after `functions`: the
   * Auth.js handler factory for its OAuth callback route (see CallClassifier.authCallbacks).
   */
  readonly calls?: ReadonlyArray<{
    readonly call: ts.CallExpression;
    readonly module: ModuleFacts;
    /**
     * A library function the framework calls with the request, not the call's own callee: the
     * call is then only where it is registered (`mount(auth.handler)`: better-auth's handler).
     */
    readonly callee?: ts.Expression;
  }>;
  /**
   * Calls walked as `calls` are, but before `functions`: what the framework does before it runs
   * the handler (grammY's `bot.init()` asking for a per-request bot's identity, see TelegramBotAdapter).
   */
  readonly callsBefore?: HandlerSite["calls"];
  /** Round trips the framework makes for the route before `functions` run (see LibraryTrip). */
  readonly tripsBefore?: readonly LibraryTrip[];
  /** Round trips the framework makes for the route after `functions` (and `calls`) ran. */
  readonly tripsAfter?: readonly LibraryTrip[];
  /** Why its round trips cannot be seen, when they cannot. */
  readonly opaque?: string;
  /**
   * Sites run one after another once this one's own parts ran, each as a whole (its own trips and
   * concurrent functions): a Mastra workflow whose steps include an agent (`createStep(agent)`).
   */
  readonly steps?: readonly HandlerSite[];
  /**
   * Its functions are what every call of a project function passes for a parameter (see
   * ValueResolver.callSitesOf): calls that may be in modules the walk that hands the request to it
   * does not import, so that walk is not kept.
   */
  readonly readsCallers?: true;
  /**
   * The index of the argument a call of the handler passes that the framework reads as its
   * context: when that value has `waitUntil` (an ExecutionContext, `{ waitUntil, env }`), the
   * framework hands `functions` to it and answers at once (Carbon), so they are off the response
   * path. Run by the runtime as the Worker's own fetch, the handler gets `env` there: no waitUntil.
   */
  readonly contextArgument?: number;
}

/**
 * Recognises one way of writing a Worker's handler that is not a plain object, class or function:
 * a framework's app (Hono, itty-router, ...), a wrapper (`withSentry(...)`, `new OAuthProvider(...)`).
 * Handler discovery asks each adapter in turn about a value it could not resolve by itself; the
 * first that recognises it answers. Adding a framework or wrapper is one adapter plus fixtures.
 */
export interface HandlerAdapter {
  /** For contributors and tests: what it recognises. */
  readonly name: string;
  /**
   * The handler sites of `value` (an expression with its wrappers, parentheses and `await`
   * removed), or undefined when this adapter does not recognise it. `binding` is the variable the
   * value was read from, when there is one (an app's routes may be registered on it later).
   */
  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined;
  /**
   * A call met on a request path that runs the project's code the way the framework does
   * (`fetchRequestHandler({ req, router })` runs a tRPC procedure, `getPosts()` runs a TanStack
   * server function's handler): the paths it may take, or undefined when it is not one.
   */
  callSitesOf?(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined;
  /**
   * A handler imported from a framework package that is not read (`import handler from
   * "@tanstack/react-start/server-entry"`): its sites, or undefined.
   */
  importSites?(imported: { module: string; name: string }, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined;
}

export interface AdapterContext {
  readonly discovery: HandlerDiscovery;
  /** How the value was reached, for the handler's `form` ("export default", "export default object, fetch"). */
  readonly form: string;
  readonly depth: number;
  /** The variable the value was read from, when there is one. */
  readonly binding?: ts.VariableDeclaration;
}
