import ts from "typescript";
import { dirname, joinPath, relativePath } from "../../fs";
import type { AnalysisContext } from "../context";
import { classifyHost } from "../hosts";
import { unwrapExpression, type ModuleFacts } from "../module";
import { resolveFile } from "../resolve";
import { libraryFor } from "../sdks";
import type { ClassifiedSubrequest } from "../summaries";
import { printNode, propertyInitializer, rootImport, spanOf, truncate, type FunctionRef } from "../syntax";
import type { ValueRef } from "../values";
import { firstAnswer, getNameText } from "../valuesCore";
import { nearestManifest } from "./frameworks";
import type { HandlerAdapter, HandlerSite, LibraryTrip } from "./types";

const { isArrayLiteralExpression, isCallExpression, isIdentifier, isNewExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

const MAX_DEPTH = 8;
/** The methods of a Mastra agent that run it: one model call per step, its tools between steps. */
export const MASTRA_RUN_METHODS: ReadonlySet<string> = new Set([
  "generate",
  "stream",
  "generateVNext",
  "streamVNext",
  "generateLegacy",
  "streamLegacy",
]);
/** The Mastra server's own routes that run an agent. */
const AGENT_ROUTES = ["generate", "stream"];

/** Where `mastra build` reads the project from (its default `--dir`), relative to the app's root. */
export const MASTRA_ENTRY = ["src/mastra/index", "mastra/index"];

/** The Mastra entry module of a project rooted at `root` (`src/mastra/index.ts`), or undefined. */
export function mastraEntry(fs: AnalysisContext["fs"], root: string): string | undefined {
  for (const name of MASTRA_ENTRY) {
    const found = resolveFile(fs, joinPath(root, name));
    if (found) return found;
  }
  return undefined;
}

/** A class or function imported from Mastra's packages (`@mastra/core`, `@mastra/core/agent`, `@mastra/memory`, ...). */
function fromMastra(expression: ts.Expression, module: ModuleFacts, name: string): boolean {
  const root = rootImport(expression, module);
  return !!root && root.module.startsWith("@mastra/") && root.name === name;
}

/** A step of a workflow that is read: the function it runs, or the agent it runs (`createStep(agent)`). */
type StepRun = { readonly fn: FunctionRef } | { readonly agent: AgentValue };

/** A registered agent: the `new Agent({...})` that makes it and its options. */
interface AgentValue {
  readonly node: ts.NewExpression;
  readonly module: ModuleFacts;
  readonly options: ts.Expression | undefined;
}

/**
 * Mastra (`@mastra/core`): a project's `new Mastra({ agents, workflows, server: { apiRoutes } })`
 * in `src/mastra/index.ts` is what `mastra build` (with `CloudflareDeployer`) turns into the Worker,
 * written to `.mastra/output`. Its server's routes are the request paths:
 *
 * - `POST /api/agents/<key>/generate` and `/stream` run the registered agent: a model call to its
 *   provider (the AI SDK provider its `model` is made by, `openai("gpt-4o")`,
 *   `createOpenAI({ baseURL })(...)`, or a `"provider/model"` string), as `generateText` is
 *   counted; with tools, the tool the model picks (the worst counts) and the model asked once more
 *   (Mastra lets an agent take several steps; how many cannot be told, counted as the AI SDK's
 *   `maxSteps` is). Memory recalls the thread before the model call and saves the messages after:
 *   a round trip each to its storage, when the storage is a remote one.
 * - `POST /api/workflows/<key>/start-async` runs the workflow's steps (`.then(step)`,
 *   `.parallel([...])`) one after another: their `execute` functions.
 * - `server.apiRoutes` (`registerApiRoute(path, { method, handler })`): the handler.
 *
 * In any code on a request path, `agent.generate(...)` on a `new Agent(...)` (also
 * `mastra.getAgent("key")`) is that agent's run (see `callSitesOf`).
 */
export class MastraAdapter implements HandlerAdapter {
  readonly name = "Mastra: new Mastra({ agents, workflows }), agent.generate()";
  /** The `new Mastra(...)` options the framework's entry registers, once read (for `mastra.getAgent` in steps). */
  private config: ValueRef | undefined;

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(): HandlerSite[] | undefined {
    return undefined;
  }

  /** The Mastra server's routes for the entry module (see the class comment). */
  sites(files: readonly string[]): HandlerSite[] {
    const entry = files.map((f) => this.ctx.loader.modules.get(f)).find((m): m is ModuleFacts => m !== undefined);
    if (!entry) return [];
    const made = this.mastraIn(entry);
    if (!made) {
      return [
        {
          kind: "fetch",
          form: "Mastra server",
          module: entry,
          span: { start: 0, end: 0 },
          functions: [],
          route: "ALL /*",
          opaque: `Mastra: no new Mastra({...}) was found in ${relativePath(this.ctx.input.projectRoot, entry.path)}, so the agents and workflows its server runs are unknown`,
        },
      ];
    }
    this.config = made;
    const sites: HandlerSite[] = [];
    const where = { module: made.module, span: spanOf(made.expression, made.module.sourceFile) };
    for (const [key, value] of this.entries(made, "agents")) {
      const agent = this.agentOf(value.expression, value.module, 0);
      for (const action of AGENT_ROUTES)
        sites.push(
          agent
            ? this.agentSite(agent, `POST /api/agents/${key}/${action}`, `Mastra agent ${key}`, where)
            : {
                kind: "fetch",
                form: `Mastra agent ${key}`,
                ...where,
                functions: [],
                route: `POST /api/agents/${key}/${action}`,
                opaque: `Mastra: the agent ${key} could not be read (no new Agent({...}) found for it)`,
              },
        );
    }
    for (const [key, value] of this.entries(made, "workflows")) {
      const steps = this.workflowSteps(value.expression, value.module, 0);
      const form = `Mastra workflow ${key}`;
      const route = `POST /api/workflows/${key}/start-async`;
      const unread = steps?.filter((s): s is { unread: string } => "unread" in s).map((s) => s.unread) ?? [];
      const opaque = !steps
        ? `Mastra: the steps of the workflow ${key} could not be read`
        : unread.length > 0
          ? `Mastra: the workflow ${key}'s step${unread.length > 1 ? "s" : ""} ${unread.join(", ")} could not be read (neither createStep({ execute }), a tool nor an agent)`
          : undefined;
      const read = (steps ?? []).filter((s): s is StepRun => !("unread" in s));
      // An agent as a step (`createStep(agent)`) runs as the agent does: its own site, in order.
      const agents = read.some((s) => "agent" in s);
      sites.push({
        kind: "fetch",
        form,
        ...where,
        functions: agents ? [] : read.map((s) => (s as { fn: FunctionRef }).fn),
        route,
        ...(agents
          ? {
              steps: read.map((s) =>
                "agent" in s
                  ? this.agentSite(s.agent, undefined, `${form}: agent step`, where, false)
                  : { kind: "fetch" as const, form, ...where, functions: [s.fn] },
              ),
            }
          : {}),
        ...(opaque ? { opaque } : {}),
      });
    }
    for (const [route, handler] of this.apiRoutes(made))
      sites.push({
        kind: "fetch",
        form: "Mastra apiRoutes",
        ...where,
        functions: handler ? [handler] : [],
        route,
        ...(handler ? {} : { opaque: `Mastra: the handler of the custom route ${route} could not be resolved` }),
      });
    return sites;
  }

  /**
   * `agent.generate(...)` / `agent.stream(...)` on a Mastra agent (`new Agent(...)`, or
   * `mastra.getAgent("key")` of the project's Mastra): that agent's run.
   */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || !MASTRA_RUN_METHODS.has(callee.name.text)) return undefined;
    if (!this.inMastraProject(module)) return undefined;
    const agent = this.runAgent(callee.expression, module, 0);
    if (!agent) return undefined;
    const where = { module, span: spanOf(call, module.sourceFile) };
    return [this.agentSite(agent, undefined, "Mastra agent", where)];
  }

  /**
   * The project's Mastra is known, or the package the module is in depends on a Mastra package:
   * only then is a `generate()` call's receiver asked what it holds (a question that may read
   * parameters, which costs, and would make the walk not kept for nothing elsewhere).
   */
  private inMastraProject(module: ModuleFacts): boolean {
    if (this.config) return true;
    const manifest = nearestManifest(this.ctx.fs, dirname(module.path));
    if (!manifest) return false;
    let known = this.dependsOnMastra.get(manifest.file);
    if (known === undefined) {
      known = [...manifest.dependencies].some((name) => name.startsWith("@mastra/"));
      this.dependsOnMastra.set(manifest.file, known);
    }
    return known;
  }

  private readonly dependsOnMastra = new Map<string, boolean>();

  /** The agent an expression holds: a `new Agent(...)`, or `mastra.getAgent("key")`, through names. */
  private runAgent(expression: ts.Expression, module: ModuleFacts, depth: number): AgentValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) return this.agentOf(value, module, depth);
    if (isCallExpression(value)) return this.registeredAgent(value, module);
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module, depth), (held) => this.runAgent(held.expression, held.module, depth + 1));
  }

  /** `X.getAgent("key")`: the agent registered under `key` in the `new Mastra` X holds, else the project's. */
  private registeredAgent(call: ts.CallExpression, module: ModuleFacts): AgentValue | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "getAgent" || !call.arguments[0]) return undefined;
    const key = isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : this.ctx.values.evaluateString(call.arguments[0], 0);
    if (key === undefined) return undefined;
    let made = this.mastraValue(callee.expression, module, 0);
    if (!made && this.config) {
      // The step's `{ mastra }` parameter: the project's Mastra, read from its entry, not through imports.
      this.ctx.walker.cutWalk();
      made = this.config;
    }
    if (!made) return undefined;
    const registered = this.entries(made, "agents").find(([name]) => name === key);
    return registered ? this.agentOf(registered[1].expression, registered[1].module, 0) : undefined;
  }

  /**
   * The sites of one agent run: memory recall, the model, the worst tool and the model again, memory
   * save. An agent run as a workflow step (`createStep(agent)`) is given only the prompt, no thread
   * nor resource: its memory is not used (`withMemory` false).
   */
  private agentSite(
    agent: AgentValue,
    route: string | undefined,
    form: string,
    where: { module: ModuleFacts; span: { start: number; end: number } },
    withMemory = true,
  ): HandlerSite {
    const options = agent.options;
    const client = options ? this.ctx.classifier.modelClient(options, agent.module) : undefined;
    const modelNode = this.property(options, agent.module, "model") ?? { expression: agent.node, module: agent.module };
    const stringModel = client && client.target === libraryFor("ai")?.fallbackTarget ? this.routerModel(modelNode) : undefined;
    const model = stringModel ?? client;
    const modelTrip = (why: string): LibraryTrip => ({
      node: modelNode.expression,
      module: modelNode.module,
      subrequest: {
        file: modelNode.module.path,
        span: spanOf(modelNode.expression, modelNode.module.sourceFile),
        kind: model?.kind ?? "sdk",
        target: model?.target ?? null,
        category: model?.category ?? "unknown",
        note: `${form}: ${why} (${model?.note ?? "the model's provider is unknown"})`,
      },
      steps: ["once"],
    });
    const tools = options ? this.ctx.classifier.toolsIn(options, agent.module).tools : [];
    const memory = withMemory ? this.memoryTrips(agent) : { before: [], after: [] };
    return {
      kind: "fetch",
      form,
      ...where,
      functions: [],
      ...(route ? { route } : {}),
      tripsBefore: [...memory.before, modelTrip("the model is asked")],
      tripsAfter: [...(tools.length > 0 ? [modelTrip("the model is asked again after a tool ran")] : []), ...memory.after],
      ...(tools.length > 0 ? { concurrent: tools } : {}),
    };
  }

  /** `model: "openai/gpt-4o"` (Mastra's model router): the provider's API, from the AI SDK's provider table. */
  private routerModel(
    model: ValueRef,
  ): { kind: "sdk"; target: string; category: ClassifiedSubrequest["category"]; note: string } | undefined {
    const text = isStringLiteralLike(unwrapExpression(model.expression))
      ? (unwrapExpression(model.expression) as ts.StringLiteralLike).text
      : this.ctx.values.evaluateString(model.expression, 0);
    const provider = text?.includes("/") ? text.slice(0, text.indexOf("/")) : undefined;
    const host = provider ? libraryFor("ai")?.models?.hosts[`@ai-sdk/${provider}`] : undefined;
    if (!host) return undefined;
    return {
      kind: "sdk",
      target: host,
      category: classifyHost(host, this.ctx.input.hostCategories).category,
      note: `Mastra model router model "${text}" at ${host}`,
    };
  }

  /**
   * `memory: new Memory({ storage })` (or the Mastra's `storage`): the thread is recalled before the
   * model is asked and the messages saved after, one round trip each to a remote store (at least:
   * semantic recall adds its vector store). A store that is a local file (`file:`, `:memory:`), or
   * none given, sends nothing; one whose URL cannot be read is a store of unknown place.
   */
  private memoryTrips(agent: AgentValue): { before: LibraryTrip[]; after: LibraryTrip[] } {
    const none = { before: [], after: [] };
    const memory = this.property(agent.options, agent.module, "memory");
    if (!memory) return none;
    const made = this.newOf(memory.expression, memory.module, "Memory", 0);
    const storage =
      (made && this.property(made.node.arguments?.[0], made.module, "storage")) ??
      (this.config ? this.property(this.config.expression, this.config.module, "storage") : undefined);
    // No storage given anywhere: no store is known to be reached.
    if (!storage) return none;
    let target: string | null = null;
    let category: ClassifiedSubrequest["category"] = "unknown";
    let what = "its storage could not be read";
    const store = this.newAny(storage.expression, storage.module, 0);
    const options = store?.node.arguments?.[0];
    // `new D1Store({ binding: env.DB })` (@mastra/cloudflare-d1): D1 queries on the binding; with
    // `{ accountId, apiToken, databaseId }` instead, D1's HTTP API at api.cloudflare.com.
    const d1 = store && fromMastra(store.node.expression, store.module, "D1Store") ? this.d1Store(options, store.module) : undefined;
    const url = options && (this.property(options, store.module, "url") ?? this.property(options, store.module, "connectionString"));
    const text = url ? this.ctx.values.evaluateString(url.expression, 0) : undefined;
    if (text !== undefined && /^(file:|:memory:)/.test(text)) return none;
    const hosts = url ? this.ctx.values.urlHosts(url.expression) : undefined;
    let kind: ClassifiedSubrequest["kind"] = "sdk";
    if (d1) {
      ({ kind, target, category } = d1);
      what = d1.what;
    } else if (hosts?.length === 1) {
      target = hosts[0]!;
      category = classifyHost(target, this.ctx.input.hostCategories).category;
      what = `its storage at ${target}`;
    }
    const { expression: node, module } = storage;
    const trip = (when: string): LibraryTrip => ({
      node,
      module,
      subrequest: {
        file: module.path,
        span: spanOf(node, module.sourceFile),
        kind,
        target,
        category,
        note: `Mastra agent memory: ${when}, ${what}`,
        ...(target === null ? { unresolved: true as const } : {}),
      },
      steps: ["once"],
    });
    return { before: [trip("the thread is recalled before the model is asked")], after: [trip("the messages are saved after")] };
  }

  /**
   * A D1Store's place (its options given): the D1 binding it is given (`binding: env.DB`), whose
   * queries are round trips to the database as any D1 query is (a binding under the 2024 rules), or
   * D1's HTTP API (`accountId`, `apiToken`, `databaseId`). Undefined when neither can be told.
   */
  private d1Store(
    options: ts.Expression | undefined,
    module: ModuleFacts,
  ): { kind: ClassifiedSubrequest["kind"]; target: string | null; category: ClassifiedSubrequest["category"]; what: string } | undefined {
    const binding = this.property(options, module, "binding");
    if (binding) {
      const held = this.ctx.values.bindingOf(binding.expression);
      const name = held?.kind === "d1" ? held.name : this.ctx.input.bindings.d1.length === 1 ? this.ctx.input.bindings.d1[0]! : null;
      const rules2024 = this.ctx.input.platformRules === "2024";
      return {
        kind: "d1",
        target: name,
        category: rules2024 ? "binding" : "backend",
        what: `a D1 query on ${name ?? "a D1 database"} (${rules2024 ? "D1 pins the Worker near the database under the 2024 rules" : "a round trip to the database"})`,
      };
    }
    if (this.property(options, module, "databaseId")) {
      const host = "api.cloudflare.com";
      return {
        kind: "sdk",
        target: host,
        category: classifyHost(host, this.ctx.input.hostCategories).category,
        what: `D1's HTTP API at ${host}`,
      };
    }
    return undefined;
  }

  /** The first `new Mastra({...})` in the entry module (exported or not), with its options. */
  private mastraIn(module: ModuleFacts): ValueRef | undefined {
    let found: ValueRef | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (isNewExpression(node) && fromMastra(node.expression, module, "Mastra") && node.arguments?.[0])
        found = { expression: node.arguments[0], module };
      else ts.forEachChild(node, visit);
    };
    visit(module.sourceFile);
    return found;
  }

  /** The options of the `new Mastra(...)` an expression holds. */
  private mastraValue(expression: ts.Expression, module: ModuleFacts, depth: number): ValueRef | undefined {
    const made = this.newOf(expression, module, "Mastra", depth);
    const options = made?.node.arguments?.[0];
    return made && options ? { expression: options, module: made.module } : undefined;
  }

  /** The `new <name>(...)` of Mastra's an expression holds, through names and imports. */
  private newOf(
    expression: ts.Expression,
    module: ModuleFacts,
    name: string,
    depth: number,
  ): { node: ts.NewExpression; module: ModuleFacts } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) return fromMastra(value.expression, module, name) ? { node: value, module } : undefined;
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module, depth), (held) => this.newOf(held.expression, held.module, name, depth + 1));
  }

  /** The `new X(...)` (any class) an expression holds, through names and imports: a store. */
  private newAny(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { node: ts.NewExpression; module: ModuleFacts } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) return { node: value, module };
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module, depth), (held) => this.newAny(held.expression, held.module, depth + 1));
  }

  private agentOf(expression: ts.Expression, module: ModuleFacts, depth: number): AgentValue | undefined {
    const made = this.newOf(expression, module, "Agent", depth);
    return made ? { node: made.node, module: made.module, options: made.node.arguments?.[0] } : undefined;
  }

  /** The value of property `name` of the object literal(s) an expression holds. */
  private property(expression: ts.Expression | undefined, module: ModuleFacts, name: string): ValueRef | undefined {
    if (!expression) return undefined;
    for (const { literal, module: at } of this.ctx.values.objectLiterals(expression, module, 0))
      for (const property of literal.properties) {
        if (!property.name || getNameText(property.name) !== name) continue;
        const value = ts.isShorthandPropertyAssignment(property) ? property.name : propertyInitializer(property);
        if (value) return { expression: value, module: at };
      }
    return undefined;
  }

  /** The entries of the `agents` or `workflows` table of a Mastra's options: key and value. */
  private entries(made: ValueRef, option: string): Array<[string, ValueRef]> {
    const table = this.property(made.expression, made.module, option);
    if (!table) return [];
    const found: Array<[string, ValueRef]> = [];
    for (const { literal, module } of this.ctx.values.objectLiterals(table.expression, table.module, 0))
      for (const property of literal.properties) {
        const key = property.name ? getNameText(property.name) : undefined;
        const value = ts.isShorthandPropertyAssignment(property) ? property.name : propertyInitializer(property);
        if (key !== undefined && value) found.push([key, { expression: value, module }]);
      }
    return found;
  }

  /**
   * A workflow's steps in the order they run: `createWorkflow({...}).then(a).parallel([b, c]).commit()`
   * (each step `createStep({ execute })`, `createStep(tool)` or `createStep(agent)`; `.map(fn)` runs
   * its function), through names and imports. Undefined when the chain cannot be read; a step that
   * cannot be read is named (`unread`).
   */
  private workflowSteps(expression: ts.Expression, module: ModuleFacts, depth: number): Array<StepRun | { unread: string }> | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      return firstAnswer(this.ctx.values.valuesOf(value, module, depth), (held) =>
        this.workflowSteps(held.expression, held.module, depth + 1),
      );
    }
    const chain: ts.CallExpression[] = [];
    let current: ts.Expression = value;
    while (isCallExpression(current)) {
      chain.unshift(current);
      const callee = unwrapExpression(current.expression);
      if (!isPropertyAccessExpression(callee)) break;
      current = unwrapExpression(callee.expression);
    }
    const first = chain[0];
    if (!first || !(fromMastra(first.expression, module, "createWorkflow") || fromMastra(first.expression, module, "Workflow"))) {
      if (!(isNewExpression(current) && fromMastra(current.expression, module, "Workflow"))) return undefined;
    }
    const steps: Array<StepRun | { unread: string }> = [];
    for (const call of chain) {
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee)) continue;
      const method = callee.name.text;
      const given = call.arguments[0];
      if (!given) continue;
      if (method === "map") {
        // `.map(async ({ inputData }) => ({ prompt: ... }))`: a step of its own; an object of mappings runs nothing of the project's.
        const fn = this.ctx.values.functionFrom(given, module);
        if (fn) steps.push({ fn });
        continue;
      }
      const list =
        method === "parallel" && isArrayLiteralExpression(unwrapExpression(given))
          ? [...(unwrapExpression(given) as ts.ArrayLiteralExpression).elements]
          : method === "then" || method === "step"
            ? [given]
            : [];
      for (const step of list) {
        const agent = this.stepAgent(step, module, 0);
        if (agent) {
          steps.push({ agent });
          continue;
        }
        const definition = this.definition(step, module, 0);
        const execute = definition && this.property(definition.expression, definition.module, "execute");
        const fn = execute ? this.ctx.values.functionFrom(execute.expression, execute.module) : undefined;
        if (fn) {
          steps.push({ fn });
          continue;
        }
        // A definition without `execute` runs nothing of the project's. A workflow as a step runs its
        // own steps; anything else that cannot be read is named.
        const nested = definition ? undefined : this.workflowSteps(step, module, depth + 1);
        if (nested) steps.push(...nested);
        else if (!definition) steps.push({ unread: truncate(printNode(step)) });
      }
    }
    return steps;
  }

  /** The agent a workflow step is made from (`createStep(agent)`, also kept in a name), through names and imports. */
  private stepAgent(expression: ts.Expression, module: ModuleFacts, depth: number): AgentValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isCallExpression(value) && value.arguments[0] && fromMastra(value.expression, module, "createStep"))
      return this.agentOf(value.arguments[0], module, depth + 1);
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module, depth), (held) => this.stepAgent(held.expression, held.module, depth + 1));
  }

  /** The options a Mastra factory is given (`createStep({...})`, `createTool({...})`), through names and imports. */
  private definition(expression: ts.Expression, module: ModuleFacts, depth: number): ValueRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (ts.isObjectLiteralExpression(value)) return { expression: value, module };
    if (
      isCallExpression(value) &&
      value.arguments[0] &&
      (fromMastra(value.expression, module, "createStep") || fromMastra(value.expression, module, "createTool"))
    )
      return this.definition(value.arguments[0], module, depth + 1);
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module, depth), (held) => this.definition(held.expression, held.module, depth + 1));
  }

  /** `server: { apiRoutes: [registerApiRoute("/path", { method, handler })] }`: each route and its handler. */
  private apiRoutes(made: ValueRef): Array<[string, FunctionRef | undefined]> {
    const server = this.property(made.expression, made.module, "server");
    const list = server ? this.property(server.expression, server.module, "apiRoutes") : undefined;
    if (!list) return [];
    const value = unwrapExpression(list.expression);
    if (!isArrayLiteralExpression(value)) return [];
    const routes: Array<[string, FunctionRef | undefined]> = [];
    for (const element of value.elements) {
      let call = unwrapExpression(element);
      let at = list.module;
      if (isIdentifier(call)) {
        const held = this.ctx.values.valuesOf(call, at)[0];
        if (!held) continue;
        call = unwrapExpression(held.expression);
        at = held.module;
      }
      if (!isCallExpression(call) || !fromMastra(call.expression, at, "registerApiRoute")) continue;
      const [path, options] = call.arguments;
      const text = path && (isStringLiteralLike(path) ? path.text : this.ctx.values.evaluateString(path, 0));
      const method = options ? this.property(options, at, "method") : undefined;
      const verb =
        method && isStringLiteralLike(unwrapExpression(method.expression))
          ? (unwrapExpression(method.expression) as ts.StringLiteralLike).text
          : "ALL";
      const handler = options ? this.property(options, at, "handler") : undefined;
      const fn = handler ? this.ctx.values.functionFrom(handler.expression, handler.module) : undefined;
      routes.push([`${verb.toUpperCase()} ${text ?? "*"}`, fn]);
    }
    return routes;
  }
}
