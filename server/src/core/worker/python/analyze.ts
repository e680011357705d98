/**
 * Python Workers (`main = "src/entry.py"`, the `python_workers` flag), read with @lezer/python.
 *
 * What is read: the fetch handler (`class Default(WorkerEntrypoint)` with `async def fetch(self,
 * request)`, its `__init__` first, or the older module-level `async def on_fetch(request, env)`),
 * and on its path the awaited calls in order: `fetch` from `workers` or `js`,
 * `pyodide.http.pyfetch`, httpx's and aiohttp's clients (`httpx.AsyncClient()`,
 * `aiohttp.ClientSession()`, and `async with` over them), the blocking clients (`requests`,
 * `httpx.Client`, urllib3) where they are called, and calls on the config's bindings through
 * `env.X` or `self.env.X` (D1 `prepare(...).bind(...).first()/all()/run()/raw()`, `batch`, `exec`;
 * KV, R2, Queues, Workers AI, service bindings, Durable Object stubs, Workflows, the assets
 * binding). Module-level functions, methods of the same class (`self.helper(...)`) and functions
 * imported from the Worker's own other .py files are followed with the strings they are given.
 * Branches take the worst path, loops of unknown length count twice (a retry loop once),
 * `asyncio.gather(...)` runs its calls in parallel, `ctx.waitUntil(...)` is off the response path.
 * A URL's host comes from a string, an f-string or a concatenation with a literal host, a module
 * constant, or a `[vars]` value read as `env.X`; otherwise the call is assumed to reach a back end
 * (as the TypeScript analysis assumes). A FastAPI app served with `asgi.fetch(app, ...)` or
 * `Default = asgi.entrypoint(app)` is its routes (see fastapiSeq).
 *
 * What is not read, and said as an unknown naming it: a call into a package that is not one of the
 * above when it is awaited, when the package talks to the network (an SDK, a driver), or when it is
 * given `env`, a binding, the request or a client (an ASGI/WSGI app, an ORM over D1); dynamic
 * dispatch (`getattr`, a function from a dict or a parameter); an `async with` over something else;
 * a subrequest or task started and never awaited; recursion; code that does not parse. Instance
 * attributes are read only when assigned once, by a statement of `__init__`'s own body or of the
 * method walked (see attributeValue); others stay unknowns. Not read at all: inherited methods,
 * decorators (a decorated function is read as written), module-level code run at import. The
 * prediction itself is the TypeScript path's: only the facts come from Python.
 */
import type { SyntaxNode } from "@lezer/common";
import { dirname, relativePath } from "../../fs";
import { D1_PINNING_ENDED } from "../../platform";
import {
  concat,
  EMPTY,
  FALL_EMPTY,
  parallel,
  prefix,
  repeated,
  repeatedOver,
  retried,
  routed,
  routeOf,
  numberRoundTrips,
  seqOf,
  sequence,
  branch,
  stepOf,
  total,
  worst,
} from "../flow";
import type { Outcome, Seq } from "../flow";
import { classifyHost } from "../hosts";
import type { BackendStep, BindingNames, Handler, SubrequestCategory, SubrequestKind, WorkerAnalysis, WorkerAnalysisInput } from "../types";
import { definitionOf, importBindings, isAsyncDef, PythonModules, type Binding, type PythonClass, type PythonModule } from "./modules";
import { childrenOf, dottedName, formatStringParts, lineOf, operandsOf, shortText, stringLiteral, textOf } from "./syntax";

import type { SubrequestRecord } from "../walkCore";

/** What a name or an expression holds, as far as the analysis needs to know. */
type Value =
  /** A string: its whole text, or (`complete` false) only how it starts. */
  | { readonly k: "str"; readonly text: string; readonly complete: boolean }
  | { readonly k: "env" }
  | { readonly k: "ctx" }
  /**
   * An instance of a class of the Worker's: `attrs` holds what its `__init__` assigned to its
   * attributes (when that `__init__` was walked); `made` for one the Worker constructs itself, whose
   * `self.env` is only what its `__init__` assigned.
   */
  | { readonly k: "self"; readonly cls: PythonClass; readonly attrs?: ReadonlyMap<string, Value>; readonly made?: true }
  | { readonly k: "request" }
  /** An HTTP response: reading its body is no subrequest. */
  | { readonly k: "response" }
  | { readonly k: "binding"; readonly name: string; readonly kind: keyof BindingNames }
  /** `env.X` that is no binding and no `[vars]` string: a secret, or something the config does not set. */
  | { readonly k: "envVar"; readonly name: string }
  | { readonly k: "d1Statement"; readonly binding: string }
  | { readonly k: "durableObjectStub"; readonly binding: string }
  /** An HTTP client: `sync` for the blocking ones (`httpx.Client`, `requests.Session`, urllib3's `PoolManager`). */
  | {
      readonly k: "client";
      readonly library: "httpx" | "aiohttp" | "requests" | "urllib3";
      readonly base: Value | undefined;
      readonly sync: boolean;
    }
  /** Something made by a package that talks to the network and is not read (`openai.OpenAI()`, `psycopg.connect(...)`). */
  | { readonly k: "foreign"; readonly made: string }
  | { readonly k: "binding-namespace"; readonly binding: string }
  | { readonly k: "module"; readonly name: string; readonly own: PythonModule | undefined }
  | { readonly k: "function"; readonly node: SyntaxNode; readonly module: PythonModule; readonly self: Value | undefined }
  | { readonly k: "class"; readonly cls: PythonClass }
  /** A call not awaited yet (`task = fetch(url)`): its round trips run where it is awaited. */
  | { readonly k: "pending"; readonly call: SyntaxNode; readonly scope: Scope; readonly settled: { done: boolean } }
  /** A FastAPI app or APIRouter (`FastAPI()`, `APIRouter()`), known by the call that made it. */
  | { readonly k: "fastapi"; readonly call: SyntaxNode; readonly module: PythonModule }
  /** `request.scope` in a FastAPI route: `scope["env"]` is the Worker's env. */
  | { readonly k: "scope" }
  /** A FastAPI middleware's `call_next`: awaiting it runs the route. */
  | { readonly k: "next" }
  | { readonly k: "unknown" };

const UNKNOWN: Value = { k: "unknown" };

interface Scope {
  readonly module: PythonModule;
  readonly locals: Map<string, Value>;
  /** Names bound in the function in a way not followed (a loop target, a tuple): never looked up at module level. */
  readonly shadowed: Set<string>;
  /** What a name not followed was assigned (`getattr(routes, action)`), for messages. */
  readonly origins: Map<string, string>;
  /** The function walked and its first parameter's name when that holds an instance (`self`). */
  readonly fn: SyntaxNode | undefined;
  readonly selfName: string | undefined;
  /** What this function assigned to `self.X` so far, by attribute name. */
  readonly attributes: Map<string, Value>;
}

/** Packages whose awaited calls are known to make no subrequest (or none this analysis counts). */
/**
 * Packages that talk to the network (HTTP clients, SDKs of hosted services, database drivers): a call
 * into one the analysis does not read, awaited or not (Python Workers run blocking HTTP clients
 * too), is an unknown, never nothing.
 */
const NETWORK_PACKAGES = new Set([
  "requests",
  "urllib3",
  "httpx",
  "aiohttp",
  "httpcore",
  "websockets",
  "openai",
  "anthropic",
  "cohere",
  "groq",
  "mistralai",
  "replicate",
  "huggingface_hub",
  "langchain",
  "langchain_core",
  "langchain_openai",
  "langchain_community",
  "langchain_anthropic",
  "llama_index",
  "stripe",
  "boto3",
  "botocore",
  "google",
  "firebase_admin",
  "supabase",
  "postgrest",
  "psycopg",
  "psycopg2",
  "asyncpg",
  "pymysql",
  "pymongo",
  "motor",
  "redis",
  "upstash_redis",
  "sqlalchemy",
  "libsql_client",
  "libsql",
  "twilio",
  "sendgrid",
  "resend",
  "pinecone",
  "qdrant_client",
  "weaviate",
  "elasticsearch",
  "meilisearch",
  "algoliasearch",
  "slack_sdk",
  "notion_client",
  "telegram",
  "discord",
  "github",
  "tweepy",
  "praw",
  "pusher",
]);
const QUIET_MODULES = new Set([
  "asyncio",
  "json",
  "re",
  "datetime",
  "time",
  "math",
  "random",
  "uuid",
  "base64",
  "hashlib",
  "hmac",
  "urllib",
  "urllib.parse",
  "typing",
  "dataclasses",
  "logging",
  "os",
  "sys",
  "collections",
  "itertools",
  "functools",
  "enum",
]);
const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"]);
const BODY_METHODS = new Set([
  "json",
  "text",
  "bytes",
  "arrayBuffer",
  "formData",
  "blob",
  "read",
  "aread",
  "string",
  "buffer",
  "js_object",
  "memoryview",
]);
/** Methods that read a response's body (fetch's, pyfetch's, httpx's, aiohttp's): no round trip of their own. */
const RESPONSE_BODY_READS = new Set(["json", "text", "bytes", "arrayBuffer", "formData", "blob"]);
/** FastAPI's route decorators. */
const ROUTE_VERBS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"]);
const KV_METHODS = new Set(["get", "getWithMetadata", "put", "delete", "list"]);
const R2_METHODS = new Set(["get", "put", "head", "list", "delete", "createMultipartUpload", "resumeMultipartUpload"]);
const D1_QUERY_METHODS = new Set(["first", "all", "run", "raw"]);
/** How deep calls into the Worker's own functions are followed. */
const MAX_DEPTH = 40;
/** Statements and calls one analysis may walk. */
const MAX_STEPS = 200_000;

type Marking = "critical" | "waitUntil" | "none";

export function analyzePythonWorker(input: WorkerAnalysisInput, entry: string, notes: readonly string[]): WorkerAnalysis {
  return new PythonAnalysis(input, entry, notes).run();
}

class PythonAnalysis {
  private readonly modules: PythonModules;
  private readonly subrequests = new Map<string, SubrequestRecord>();
  private readonly unknowns: string[] = [];
  /** Instances of the Worker's classes made by a call (by file and offset of the call), for the value of that call. */
  private readonly constructed = new Map<string, Value>();
  private readonly attributeSites = new Map<string, { path: string; fn: number } | undefined>();
  private readonly bindingKinds = new Map<string, keyof BindingNames>();
  /** Functions walked, by `file#offset` (the parser makes a new node object each time a tree is read). */
  private readonly walkedFunctions = new Set<string>();
  private readonly stack: string[] = [];
  private marking: Marking = "critical";
  private steps = 0;
  private servesAssets = false;
  private readonly reportedErrors = new Set<string>();
  private readonly memo = new Map<string, Seq>();
  private readonly appMemo = new Map<string, Seq>();

  constructor(
    private readonly input: WorkerAnalysisInput,
    private readonly entry: string,
    private readonly notes: readonly string[],
  ) {
    this.modules = new PythonModules(input.fs, dirname(entry));
    for (const [kind, names] of Object.entries(input.bindings) as Array<[keyof BindingNames, readonly string[]]>)
      for (const name of names) if (!this.bindingKinds.has(name)) this.bindingKinds.set(name, kind);
    for (const other of input.otherEnvBindings ?? []) if (!this.bindingKinds.has(other.name)) this.bindingKinds.set(other.name, other.kind);
  }

  run(): WorkerAnalysis {
    try {
      return this.walk();
    } catch (error) {
      // Code nested deeper than the call stack allows (hostile input): said, never a crash nor a 0.
      if (!(error instanceof RangeError)) throw error;
      this.unknowns.push("the Python Worker's code is nested too deeply to read");
      const handler: Handler = {
        kind: "fetch",
        file: this.entry,
        span: { start: 0, end: 0 },
        form: "Python fetch handler (not read)",
        roundTrips: 0,
      };
      return this.result([handler], EMPTY, null);
    }
  }

  private walk(): WorkerAnalysis {
    const module = this.modules.load(this.entry);
    if (!module) return this.result([], null, `The Worker's entry ${this.relative(this.entry)} is too large to read or cannot be read.`);
    this.loadOwnImports(module);
    this.sayParseErrors(module);
    const handlers: Handler[] = [];
    let worstSeq: Seq | null = null;
    const fetch = this.fetchHandler(module);
    if (fetch && "unknown" in fetch) {
      this.unknowns.push(fetch.unknown);
      // A fetch handler that cannot be read is still one: the Worker serves requests.
      handlers.push({
        kind: "fetch",
        file: this.entry,
        span: { start: 0, end: 0 },
        form: "Python fetch handler (not read)",
        roundTrips: 0,
      });
      worstSeq = EMPTY;
    } else if (fetch && "app" in fetch) {
      worstSeq = this.fastapiSeq(fetch.app);
      handlers.push(fetchHandler(module.source.path, fetch.span, fetch.form, worstSeq));
    } else if (fetch) {
      // A WorkerEntrypoint is made for each request: its __init__ runs before fetch.
      // What __init__ assigns to attributes is kept on the instance fetch is called on.
      const first = fetch.args[0];
      const init = first?.k === "self" ? first.cls.methods.get("__init__") : undefined;
      const attrs = new Map<string, Value>();
      const self: Value | undefined = first?.k === "self" && init ? { ...first, attrs } : first;
      const before = init && self ? this.functionSeq(init, fetch.module, [self, { k: "ctx" }, { k: "env" }], new Map(), attrs) : EMPTY;
      worstSeq = concat(before, this.functionSeq(fetch.fn, fetch.module, self ? [self, ...fetch.args.slice(1)] : fetch.args));
      handlers.push(fetchHandler(fetch.module.source.path, fetch.span, fetch.form, worstSeq));
    }
    // Other handlers' code, and the rest of the module's functions, are walked too: their calls are
    // listed (off the response path).
    const previous = this.marking;
    this.marking = "none";
    for (const other of this.otherHandlers(module)) {
      handlers.push({ kind: other.kind, file: module.source.path, span: other.span, form: other.form });
      this.functionSeq(other.fn, module, other.args);
    }
    const reachedBefore = new Set(this.walkedFunctions);
    const lost: SubrequestRecord[] = [];
    for (const loaded of [...this.modules.loaded.values()])
      for (const fn of this.allFunctions(loaded)) {
        if (reachedBefore.has(`${loaded.source.path}#${fn.node.from}`)) continue;
        const before = new Set(this.subrequests.keys());
        this.functionSeq(fn.node, loaded, fn.args);
        // Code the runtime runs apart from this Worker's requests (a Durable Object's or a
        // Workflow's methods, another entrypoint's RPC methods) is listed, not lost wiring.
        if (fn.runsApart) continue;
        for (const [key, record] of this.subrequests)
          if (
            !before.has(key) &&
            !record.criticalPath &&
            !record.waitUntil &&
            (record.category === "backend" || record.category === "unknown")
          )
            lost.push(record);
      }
    this.marking = previous;
    if (worstSeq && worstSeq.possible === 0 && lost.length > 0) {
      const where = lost.slice(0, 3).map((r) => `${this.relative(r.file)}:${this.lineIn(r.file, r.span.start)}`);
      this.unknowns.push(
        `no round trip to a back end was seen on the fetch path, yet ${lost.length === 1 ? "a call to a back end is" : `${lost.length} calls to back ends are`} in Python code no handler was seen to reach (${where.join(", ")}${lost.length > 3 ? ", ..." : ""}): how ${lost.length === 1 ? "it is" : "they are"} called could not be followed`,
      );
    }
    if (worstSeq) numberRoundTrips(worstSeq);
    return this.result(handlers, worstSeq, null);
  }

  private result(handlers: Handler[], seq: Seq | null, problem: string | null): WorkerAnalysis {
    const hasFetch = handlers.some((h) => h.kind === "fetch");
    const totals = new Map<string, number>();
    for (const step of seq?.steps ?? []) for (const [host, n] of step.hosts) totals.set(host, (totals.get(host) ?? 0) + n);
    const subrequests = [...this.subrequests.values()].sort((a, b) =>
      a.file === b.file ? a.span.start - b.span.start : a.file.localeCompare(b.file),
    );
    const files = [...this.modules.loaded.keys()];
    return {
      entry: problem ? null : this.entry,
      entryProblem: problem ? { message: problem } : null,
      notes: problem
        ? [...this.notes]
        : [
            ...this.notes,
            `a Python Worker: read with the Python analysis (${files.length === 1 ? "one module" : `${files.length} modules`} of the Worker's own)`,
          ],
      handlers,
      subrequests,
      roundTrips: hasFetch && seq ? seq.backend : hasFetch ? 0 : null,
      possibleRoundTrips: hasFetch && seq ? seq.possible : hasFetch ? 0 : null,
      backends: [...totals]
        .map(([host, roundTrips]) => ({ host, roundTrips }))
        .sort((a, b) => b.roundTrips - a.roundTrips || a.host.localeCompare(b.host)),
      unknowns: [...new Set(this.unknowns)],
      servesAssetsBinding: this.servesAssets,
      pagesCatchAllMiddleware: false,
      findings: [],
      files: files.length > 0 ? files : [this.entry],
      criticalSteps: seq ? seq.steps : [],
    };
  }

  /** The Worker's own modules the entry imports, and theirs: all are read (and their calls listed). */
  private loadOwnImports(entry: PythonModule): void {
    const queue = [entry];
    while (queue.length > 0 && this.modules.loaded.size < 500) {
      const module = queue.shift()!;
      const specifiers = new Set<string>(module.wildcards);
      for (const binding of module.names.values())
        if (binding.kind === "import") {
          specifiers.add(binding.module);
          if (binding.name !== null) specifiers.add(`${binding.module}${binding.module.endsWith(".") ? "" : "."}${binding.name}`);
        }
      for (const specifier of specifiers) {
        const file = this.modules.resolve(specifier, module);
        if (!file || this.modules.loaded.has(file)) continue;
        const loaded = this.modules.load(file);
        if (loaded) queue.push(loaded);
      }
    }
    for (const loaded of this.modules.loaded.values()) this.sayParseErrors(loaded);
  }

  // ---- handlers ----

  private fetchHandler(
    module: PythonModule,
  ):
    | { fn: SyntaxNode; module: PythonModule; args: Value[]; span: { start: number; end: number }; form: string }
    | { app: Extract<Value, { k: "fastapi" }>; span: { start: number; end: number }; form: string }
    | { unknown: string }
    | undefined {
    const entrypoint = module.names.get("Default");
    // `Default = asgi.entrypoint(app)` over a FastAPI app of the Worker's: its routes.
    if (entrypoint?.kind === "value" && entrypoint.node.name === "CallExpression") {
      const [callee, args] = childrenOf(entrypoint.node);
      const target = callee ? this.evaluate(callee, this.moduleScope(entrypoint.module)) : UNKNOWN;
      const app = args ? this.positional(args, 0, this.moduleScope(entrypoint.module)) : undefined;
      if (target.k === "module" && /^(workers\.)?asgi\.entrypoint$/.test(target.name) && app?.k === "fastapi")
        return { app, span: { start: entrypoint.node.from, end: entrypoint.node.to }, form: "Python FastAPI app through asgi.entrypoint" };
      return {
        unknown: `the Python Worker's Default entrypoint (${this.relative(entrypoint.module.source.path)}) is \`${shortText(entrypoint.module.source, entrypoint.node)}\`, which the analysis does not read`,
      };
    }
    if (entrypoint) {
      const cls = this.classOf(entrypoint, module, 0);
      if (!cls)
        return {
          unknown: `the Python Worker's Default entrypoint (${this.relative(module.source.path)}) is not a class the analysis can read`,
        };
      // (`on_fetch`, the module-level handler's name, is also written as the class's method.)
      const methodName = cls.methods.has("fetch") ? "fetch" : "on_fetch";
      const method = cls.methods.get(methodName);
      if (method) {
        const self: Value = { k: "self", cls };
        return {
          fn: method,
          module: cls.module,
          args: [self, { k: "request" }],
          span: { start: cls.nameNode.from, end: cls.nameNode.to },
          form: `Python WorkerEntrypoint class ${cls.name}, ${methodName} method`,
        };
      }
      // A base class of the Worker's own (or a package's) may define fetch: not read, so not "no handler".
      if (cls.bases.some((base) => !this.isWorkersBaseNode(cls, base, "WorkerEntrypoint")))
        return {
          unknown: `the Python Worker's Default class (${this.relative(cls.module.source.path)}) extends ${cls.bases.map((b) => textOf(cls.module.source, b)).join(", ")}, whose fetch method the analysis does not read`,
        };
    }
    const onFetch = module.names.get("on_fetch");
    if (onFetch) {
      const fn = this.functionOf(onFetch, module, 0);
      if (!fn)
        return { unknown: `the Python Worker's on_fetch (${this.relative(module.source.path)}) is not a function the analysis can read` };
      const nameNode = childrenOf(fn.node).find((c) => c.name === "VariableName")!;
      return {
        fn: fn.node,
        module: fn.module,
        args: [{ k: "request" }, { k: "env" }, { k: "ctx" }],
        span: { start: nameNode.from, end: nameNode.to },
        form: "Python on_fetch function",
      };
    }
    if (module.wildcards.length > 0)
      return {
        unknown: `the Python Worker's entry imports everything from ${module.wildcards.join(", ")} (from ... import *): whether a fetch handler comes with it is not read`,
      };
    return undefined;
  }

  private otherHandlers(
    module: PythonModule,
  ): Array<{ kind: Handler["kind"]; fn: SyntaxNode; args: Value[]; span: { start: number; end: number }; form: string }> {
    const out: Array<{ kind: Handler["kind"]; fn: SyntaxNode; args: Value[]; span: { start: number; end: number }; form: string }> = [];
    const kinds: ReadonlyArray<[string, Handler["kind"]]> = [
      ["scheduled", "scheduled"],
      ["queue", "queue"],
      ["email", "email"],
      ["tail", "tail"],
    ];
    const entrypoint = module.names.get("Default");
    const cls = entrypoint ? this.classOf(entrypoint, module, 0) : undefined;
    for (const [name, kind] of kinds) {
      const method = cls?.methods.get(name);
      if (cls && method)
        out.push({
          kind,
          fn: method,
          args: [{ k: "self", cls }],
          span: { start: cls.nameNode.from, end: cls.nameNode.to },
          form: `Python WorkerEntrypoint class ${cls.name}, ${name} method`,
        });
      const binding = module.names.get(`on_${name}`);
      const fn = binding ? this.functionOf(binding, module, 0) : undefined;
      if (fn)
        out.push({
          kind,
          fn: fn.node,
          args: [UNKNOWN, { k: "env" }, { k: "ctx" }],
          span: { start: fn.node.from, end: fn.node.from },
          form: `Python on_${name} function`,
        });
    }
    return out;
  }

  /** Every function and method of a module, with what its parameters hold when nothing calls it. */
  private allFunctions(module: PythonModule): Array<{ node: SyntaxNode; args: Value[]; runsApart: boolean }> {
    const out: Array<{ node: SyntaxNode; args: Value[]; runsApart: boolean }> = [];
    for (const binding of module.names.values())
      if (binding.kind === "function" && binding.module === module) out.push({ node: binding.node, args: [], runsApart: false });
    for (const cls of module.classes) {
      const runsApart = ["DurableObject", "WorkflowEntrypoint", "WorkerEntrypoint"].some((base) => this.isWorkersBase(cls, base));
      for (const method of cls.methods.values()) out.push({ node: method, args: [{ k: "self", cls }], runsApart });
    }
    return out;
  }

  private isWorkersBase(cls: PythonClass, name: string): boolean {
    return cls.bases.some((base) => this.isWorkersBaseNode(cls, base, name));
  }

  /** Whether a base class as written is `name` from the `workers` module (`WorkerEntrypoint`, `workers.DurableObject`). */
  private isWorkersBaseNode(cls: PythonClass, base: SyntaxNode, name: string): boolean {
    const text = dottedName(cls.module.source, base);
    if (text === `workers.${name}`) return true;
    const binding = text ? cls.module.names.get(text) : undefined;
    return binding?.kind === "import" && binding.module === "workers" && binding.name === name;
  }

  // ---- names ----

  private classOf(binding: Binding, module: PythonModule, depth: number): PythonClass | undefined {
    if (binding.kind === "class") return binding.cls;
    if (binding.kind !== "import" || depth > 8) return undefined;
    const target = this.importedBinding(binding, depth);
    return target ? this.classOf(target, module, depth + 1) : undefined;
  }

  private functionOf(binding: Binding, module: PythonModule, depth: number): { node: SyntaxNode; module: PythonModule } | undefined {
    if (binding.kind === "function") return { node: binding.node, module: binding.module };
    if (binding.kind !== "import" || depth > 8) return undefined;
    const target = this.importedBinding(binding, depth);
    return target ? this.functionOf(target, module, depth + 1) : undefined;
  }

  /** What `from own_module import name` names in the Worker's own module, if it is one. */
  private importedBinding(binding: Extract<Binding, { kind: "import" }>, depth: number): Binding | undefined {
    if (binding.name === null) return undefined;
    const file = this.modules.resolve(binding.module, binding.from);
    const module = file ? this.modules.load(file) : undefined;
    if (!module) {
      // `from . import helpers`: a module of the package.
      const sub = this.modules.resolve(`${binding.module}${binding.module.endsWith(".") ? "" : "."}${binding.name}`, binding.from);
      const loaded = sub ? this.modules.load(sub) : undefined;
      if (loaded) this.sayParseErrors(loaded);
      return undefined;
    }
    this.sayParseErrors(module);
    const found = module.names.get(binding.name);
    if (found || depth > 8) return found;
    for (const wildcard of module.wildcards) {
      const inner = this.importedBinding({ kind: "import", module: wildcard, name: binding.name, from: module }, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }

  private valueOfBinding(binding: Binding, depth: number): Value {
    switch (binding.kind) {
      case "function":
        return { k: "function", node: binding.node, module: binding.module, self: undefined };
      case "class":
        return { k: "class", cls: binding.cls };
      case "value":
        return depth > 8 ? UNKNOWN : this.evaluate(binding.node, this.moduleScope(binding.module), depth + 1);
      case "unread":
        return UNKNOWN;
      case "import": {
        const file = this.modules.resolve(binding.name === null ? binding.module : binding.module, binding.from);
        if (binding.name === null) {
          const own = file ? this.modules.load(file) : undefined;
          if (own) this.sayParseErrors(own);
          return { k: "module", name: binding.module, own };
        }
        const target = this.importedBinding(binding, depth);
        if (target) return this.valueOfBinding(target, depth + 1);
        const sub = this.modules.resolve(`${binding.module}${binding.module.endsWith(".") ? "" : "."}${binding.name}`, binding.from);
        const own = sub ? this.modules.load(sub) : undefined;
        if (own) return { k: "module", name: binding.name, own };
        if (file) return UNKNOWN;
        return { k: "module", name: `${binding.module}.${binding.name}`, own: undefined };
      }
    }
  }

  private moduleScope(module: PythonModule): Scope {
    return {
      module,
      locals: new Map(),
      shadowed: new Set(),
      origins: new Map(),
      fn: undefined,
      selfName: undefined,
      attributes: new Map(),
    };
  }

  private lookup(name: string, scope: Scope, depth: number): Value {
    const local = scope.locals.get(name);
    if (local) return local;
    if (scope.shadowed.has(name)) return UNKNOWN;
    const binding = scope.module.names.get(name);
    if (binding) return this.valueOfBinding(binding, depth);
    for (const wildcard of scope.module.wildcards) {
      const file = this.modules.resolve(wildcard, scope.module);
      const own = file ? this.modules.load(file) : undefined;
      const inner = own?.names.get(name);
      if (inner) return this.valueOfBinding(inner, depth + 1);
    }
    return UNKNOWN;
  }

  // ---- values ----

  private evaluate(node: SyntaxNode, scope: Scope, depth = 0): Value {
    if (depth > 16) return UNKNOWN;
    const source = scope.module.source;
    switch (node.name) {
      case "ParenthesizedExpression": {
        const inner = operandsOf(node);
        return inner.length === 1 ? this.evaluate(inner[0]!, scope, depth + 1) : UNKNOWN;
      }
      case "String":
      case "ContinuedString": {
        const text = stringLiteral(source, node);
        return text === undefined ? UNKNOWN : { k: "str", text, complete: true };
      }
      case "FormatString": {
        const parts = formatStringParts(source, node);
        if (!parts) return UNKNOWN;
        let text = "";
        for (const part of parts) {
          if (typeof part === "string") {
            text += part;
            continue;
          }
          const value = this.evaluate(part, scope, depth + 1);
          if (value.k === "str" && value.complete) text += value.text;
          else return value.k === "str" ? { k: "str", text: text + value.text, complete: false } : { k: "str", text, complete: false };
        }
        return { k: "str", text, complete: true };
      }
      case "BinaryExpression": {
        const [left, op, right] = childrenOf(node);
        if (!left || !right || op?.name !== "ArithOp" || textOf(source, op) !== "+") return UNKNOWN;
        const a = this.evaluate(left, scope, depth + 1);
        if (a.k !== "str") return UNKNOWN;
        if (!a.complete) return a;
        const b = this.evaluate(right, scope, depth + 1);
        return b.k === "str" ? { k: "str", text: a.text + b.text, complete: b.complete } : { k: "str", text: a.text, complete: false };
      }
      case "VariableName":
        return this.lookup(textOf(source, node), scope, depth);
      case "MemberExpression": {
        const [object, dot, property] = childrenOf(node);
        // `request.scope["env"]` in a FastAPI route is the Worker's env.
        if (object && dot?.name === "[" && property) {
          const key = stringLiteral(source, property);
          return key === "env" && this.evaluate(object, scope, depth + 1).k === "scope" ? { k: "env" } : UNKNOWN;
        }
        if (!object || dot?.name !== "." || property?.name !== "PropertyName") return UNKNOWN;
        const held = this.evaluate(object, scope, depth + 1);
        if (held.k === "self") {
          const attribute = this.attributeValue(held, textOf(source, property), object, scope);
          if (attribute) return attribute;
        }
        return this.member(held, textOf(source, property), depth);
      }
      case "CallExpression":
        return this.callValue(node, scope, depth);
      case "AwaitExpression":
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private member(object: Value, name: string, depth: number): Value {
    switch (object.k) {
      case "env": {
        const kind = this.bindingKinds.get(name);
        if (kind) return { k: "binding", name, kind };
        const value = this.input.vars[name];
        return value !== undefined ? { k: "str", text: value, complete: true } : { k: "envVar", name };
      }
      case "request":
        return name === "scope" ? { k: "scope" } : UNKNOWN;
      case "self":
        // A WorkerEntrypoint's (or Durable Object's) env and ctx are the platform's; a class the Worker
        // constructs itself has only what its __init__ assigned (read in attributeValue).
        if (name === "env" && !object.made) return { k: "env" };
        if (name === "ctx" && !object.made) return { k: "ctx" };
        {
          const method = object.cls.methods.get(name);
          return method ? { k: "function", node: method, module: object.cls.module, self: object } : UNKNOWN;
        }
      case "module": {
        if (object.own) {
          const binding = object.own.names.get(name);
          return binding ? this.valueOfBinding(binding, depth + 1) : UNKNOWN;
        }
        return { k: "module", name: `${object.name}.${name}`, own: undefined };
      }
      case "foreign":
        // `client.chat.completions`: still the package's object.
        return object;
      case "class": {
        const method = object.cls.methods.get(name);
        return method ? { k: "function", node: method, module: object.cls.module, self: undefined } : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /** What a call made without `await` gives: a client, a D1 statement, a stub, a string. */
  private callValue(node: SyntaxNode, scope: Scope, depth: number): Value {
    const [callee, args] = childrenOf(node);
    if (!callee || args?.name !== "ArgList") return UNKNOWN;
    const source = scope.module.source;
    const target = this.evaluate(callee, scope, depth + 1);
    if (target.k === "module") {
      if (target.name === "httpx.AsyncClient" || target.name === "httpx.Client")
        return { k: "client", library: "httpx", base: this.keyword(args, "base_url", scope), sync: target.name === "httpx.Client" };
      if (target.name === "aiohttp.ClientSession")
        return {
          k: "client",
          library: "aiohttp",
          base: this.keyword(args, "base_url", scope) ?? this.positional(args, 0, scope),
          sync: false,
        };
      if (target.name === "requests.Session" || target.name === "requests.session")
        return { k: "client", library: "requests", base: undefined, sync: true };
      if (target.name === "urllib3.PoolManager") return { k: "client", library: "urllib3", base: undefined, sync: true };
      if (NETWORK_PACKAGES.has(target.name.split(".")[0]!)) return { k: "foreign", made: `${target.name}(...)` };
      if (target.name === "fastapi.FastAPI" || target.name === "fastapi.APIRouter")
        return { k: "fastapi", call: node, module: scope.module };
    }
    if (callee.name === "MemberExpression") {
      const [object, , property] = childrenOf(callee);
      const method = property ? textOf(source, property) : "";
      const receiver = object ? this.evaluate(object, scope, depth + 1) : UNKNOWN;
      if (receiver.k === "binding" && receiver.kind === "d1" && method === "prepare") return { k: "d1Statement", binding: receiver.name };
      if (receiver.k === "d1Statement" && method === "bind") return receiver;
      if (receiver.k === "foreign") return receiver;
      if (receiver.k === "binding" && receiver.kind === "durableObjects") {
        if (method === "get" || method === "getByName") return { k: "durableObjectStub", binding: receiver.name };
        return { k: "binding-namespace", binding: receiver.name };
      }
    }
    if (target.k === "class") return this.constructed.get(`${scope.module.source.path}#${node.from}`) ?? UNKNOWN;
    if (callee.name === "VariableName" && textOf(source, callee) === "str") {
      const first = operandsOf(args)[0];
      return first ? this.evaluate(first, scope, depth + 1) : UNKNOWN;
    }
    return UNKNOWN;
  }

  private keyword(args: SyntaxNode, name: string, scope: Scope): Value | undefined {
    const parts = childrenOf(args);
    for (let i = 0; i + 2 < parts.length; i++)
      if (parts[i]!.name === "VariableName" && parts[i + 1]!.name === "AssignOp" && textOf(scope.module.source, parts[i]!) === name)
        return this.evaluate(parts[i + 2]!, scope);
    return undefined;
  }

  private positional(args: SyntaxNode, index: number, scope: Scope): Value | undefined {
    const node = this.positionalNodes(args, scope.module)[index];
    return node ? this.evaluate(node, scope) : undefined;
  }

  /** The positional arguments of an argument list (keywords and `*`/`**` ones left out). */
  private positionalNodes(args: SyntaxNode, module: PythonModule): SyntaxNode[] {
    const parts = childrenOf(args).filter((p) => !["(", ")", ","].includes(p.name));
    const out: SyntaxNode[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.name === "*" || part.name === "**") {
        i++;
        continue;
      }
      if (parts[i + 1]?.name === "AssignOp") {
        i += 2;
        continue;
      }
      if (part.name === "Comment") continue;
      out.push(part);
    }
    void module;
    return out;
  }

  // ---- the walk ----

  /** The worst path through a function called with these argument values. */
  /** `capture`, when given, receives what the function assigned to its `self`'s attributes (an `__init__`). */
  private functionSeq(
    fn: SyntaxNode,
    module: PythonModule,
    args: readonly Value[],
    keywords: ReadonlyMap<string, Value> = new Map(),
    capture?: Map<string, Value>,
  ): Seq {
    const fnKey = `${module.source.path}#${fn.from}`;
    if (this.stack.includes(fnKey)) {
      this.unknown(`${this.where(module, fn)}: a recursive call to ${this.nameOf(module, fn)}, whose round trips cannot be counted`);
      return EMPTY;
    }
    if (this.stack.length >= MAX_DEPTH) {
      this.unknown(`${this.where(module, fn)}: calls nested deeper than ${MAX_DEPTH} functions, not followed`);
      return EMPTY;
    }
    this.walkedFunctions.add(fnKey);
    // A function walked before with the same plain arguments on the same kind of path gives the
    // same path again (its calls are listed and its unknowns said already): helpers called from many
    // places are walked once each, not once per call path.
    const key = memoKey(this.marking, module, fn, args, keywords);
    // An __init__ whose attributes are wanted is walked again: the memo keeps no attributes.
    const known = key === undefined || capture ? undefined : this.memo.get(key);
    if (known) return known;
    const params = childrenOf(fn).find((c) => c.name === "ParamList");
    const firstParam = params ? childrenOf(params).find((c) => c.name === "VariableName") : undefined;
    const scope: Scope = {
      module,
      locals: new Map(),
      shadowed: new Set(),
      origins: new Map(),
      fn,
      selfName:
        firstParam && args[0]?.k === "self" && !keywords.has(textOf(module.source, firstParam))
          ? textOf(module.source, firstParam)
          : undefined,
      attributes: new Map(),
    };
    if (params) {
      let index = 0;
      let starred = false;
      for (const part of childrenOf(params)) {
        if (part.name === "*" || part.name === "**") starred = true;
        if (part.name !== "VariableName") continue;
        const name = textOf(module.source, part);
        const prev = part.prevSibling;
        // A default value's own names (`x=DEFAULT`) are not parameters.
        if (prev?.name === "AssignOp" || prev?.name === ":") continue;
        if (starred) {
          scope.shadowed.add(name);
          starred = false;
          continue;
        }
        const value = keywords.get(name) ?? args[index];
        index++;
        if (value) scope.locals.set(name, value);
        else scope.shadowed.add(name);
      }
    }
    const body = childrenOf(fn).find((c) => c.name === "Body");
    this.stack.push(fnKey);
    try {
      const pending: Value[] = [];
      const outcome = body ? this.block(childrenOf(body), scope, pending) : FALL_EMPTY;
      this.sayUnsettled(pending, module);
      if (capture) for (const [name, value] of scope.attributes) capture.set(name, value);
      const seq = total(outcome);
      if (key !== undefined) this.memo.set(key, seq);
      return seq;
    } finally {
      this.stack.pop();
    }
  }

  private block(statements: readonly SyntaxNode[], scope: Scope, pending: Value[]): Outcome {
    let outcome: Outcome = FALL_EMPTY;
    for (const statement of statements) {
      if (!outcome.fall) break;
      outcome = sequence(outcome, this.statement(statement, scope, pending));
    }
    return outcome;
  }

  private statement(node: SyntaxNode, scope: Scope, pending: Value[]): Outcome {
    if (++this.steps > MAX_STEPS) {
      this.unknown("the Python Worker is larger than the analysis follows: part of it was not read");
      return FALL_EMPTY;
    }
    const source = scope.module.source;
    const bodies = (): SyntaxNode[] => childrenOf(node).filter((c) => c.name === "Body");
    switch (node.name) {
      case "ExpressionStatement":
        return { fall: this.expressionSeq(operandsOf(node)[0], scope, pending) };
      case "AssignStatement":
      case "UpdateStatement":
        return { fall: this.assignment(node, scope, pending) };
      case "ReturnStatement":
      case "RaiseStatement": {
        const value = operandsOf(node)[0];
        return { ret: value ? this.expressionSeq(value, scope, pending) : EMPTY };
      }
      case "PassStatement":
        return FALL_EMPTY;
      case "BreakStatement":
        return { exit: EMPTY };
      case "ContinueStatement":
        return { next: EMPTY };
      case "IfStatement": {
        const parts = childrenOf(node);
        const arms: Array<{ condition: SyntaxNode | undefined; body: SyntaxNode }> = [];
        let condition: SyntaxNode | undefined;
        for (const part of parts) {
          if (part.name === "Body") {
            arms.push({ condition, body: part });
            condition = undefined;
          } else if (!isKeywordNode(part) && part.name !== ":") condition = part;
        }
        const hasElse = parts.some((p) => p.name === "else");
        const walkFrom = (i: number): Outcome => {
          const arm = arms[i];
          if (!arm) return FALL_EMPTY;
          const test = arm.condition ? this.expressionSeq(arm.condition, scope, pending) : EMPTY;
          const isElse = !arm.condition && i === arms.length - 1 && hasElse;
          const taken = this.block(childrenOf(arm.body), this.branchScope(scope), pending);
          if (isElse) return taken;
          return prefix(test, branch(taken, walkFrom(i + 1)));
        };
        return walkFrom(0);
      }
      case "WhileStatement": {
        const condition = operandsOf(node).find((c) => c.name !== "Body");
        const [body, orElse] = bodies();
        const test = condition ? this.expressionSeq(condition, scope, pending) : EMPTY;
        const inner = body ? this.block(childrenOf(body), this.branchScope(scope), pending) : FALL_EMPTY;
        if (body && isRetryBody(body)) return this.retryLoop(test, inner, orElse, scope, pending);
        return this.loop(test, inner, orElse, undefined, scope, pending);
      }
      case "ForStatement": {
        const parts = childrenOf(node);
        const inAt = parts.findIndex((p) => p.name === "in");
        const iterable = parts.slice(inAt + 1).find((p) => p.name !== "Body" && !isKeywordNode(p));
        for (const target of parts.slice(0, inAt))
          if (target.name === "VariableName") (scope.shadowed.add(textOf(source, target)), scope.locals.delete(textOf(source, target)));
        const [body, orElse] = bodies();
        const first = iterable ? this.iterableSeq(iterable, parts[0]?.name === "async", scope, pending) : EMPTY;
        const inner = body ? this.block(childrenOf(body), this.branchScope(scope), pending) : FALL_EMPTY;
        if (body && isRetryBody(body)) return prefix(first, this.retryLoop(EMPTY, inner, orElse, scope, pending));
        return prefix(first, this.loop(EMPTY, inner, orElse, iterable ? this.literalLength(iterable, source) : undefined, scope, pending));
      }
      case "TryStatement": {
        const parts = childrenOf(node);
        let body: Outcome = FALL_EMPTY;
        let orElse: Outcome = FALL_EMPTY;
        let final: Outcome = FALL_EMPTY;
        const handlers: Outcome[] = [];
        let keyword = "try";
        for (const part of parts) {
          if (part.name === "Body") {
            const walked = this.block(childrenOf(part), this.branchScope(scope), pending);
            if (keyword === "try") body = walked;
            else if (keyword === "except") handlers.push(walked);
            else if (keyword === "else") orElse = walked;
            else if (keyword === "finally") final = walked;
          } else if (["try", "except", "else", "finally"].includes(part.name)) keyword = part.name;
        }
        // The worst path: the whole body and its else, or the whole body failing at its last call into a handler.
        const succeeded = sequence(body, orElse);
        const failed = handlers.length > 0 ? prefix(total(body), branch(...handlers)) : FALL_EMPTY;
        return sequence(handlers.length > 0 ? branch(succeeded, failed) : succeeded, final);
      }
      case "WithStatement":
        return this.withStatement(node, scope, pending);
      case "MatchStatement": {
        const subject = operandsOf(node).find((c) => c.name !== "MatchBody");
        const test = subject ? this.expressionSeq(subject, scope, pending) : EMPTY;
        const matchBody = childrenOf(node).find((c) => c.name === "MatchBody");
        const cases = (matchBody ? childrenOf(matchBody) : [])
          .filter((c) => c.name === "MatchClause")
          .map((clause) => {
            const body = childrenOf(clause).find((c) => c.name === "Body");
            return body ? this.block(childrenOf(body), this.branchScope(scope), pending) : FALL_EMPTY;
          });
        return prefix(test, branch(...cases, FALL_EMPTY));
      }
      case "FunctionDefinition":
      case "DecoratedStatement": {
        const def = definitionOf(node);
        const name = childrenOf(def).find((c) => c.name === "VariableName");
        if (name && def.name === "FunctionDefinition" && node.name === "FunctionDefinition")
          scope.locals.set(textOf(source, name), { k: "function", node: def, module: scope.module, self: undefined });
        else if (name) {
          scope.locals.delete(textOf(source, name));
          scope.shadowed.add(textOf(source, name));
        }
        return FALL_EMPTY;
      }
      case "ClassDefinition":
        return FALL_EMPTY;
      case "ImportStatement":
        for (const [name, binding] of importBindings(source, node, scope.module)) scope.locals.set(name, this.valueOfBinding(binding, 0));
        return FALL_EMPTY;
      case "ScopeStatement":
        for (const name of childrenOf(node).filter((c) => c.name === "VariableName")) scope.shadowed.add(textOf(source, name));
        return FALL_EMPTY;
      default: {
        // Statements with no round trip of their own (assert, del, print): their awaited calls, in order.
        let seq: Seq = EMPTY;
        for (const operand of operandsOf(node)) seq = concat(seq, this.expressionSeq(operand, scope, pending));
        return { fall: seq };
      }
    }
  }

  /**
   * `with` / `async with`: `async with httpx.AsyncClient() as client` (or `aiohttp.ClientSession()`)
   * binds a client; `async with session.get(url) as response` is that request's round trip. Any
   * other asynchronous context manager's entry is not read.
   */
  private withStatement(node: SyntaxNode, scope: Scope, pending: Value[]): Outcome {
    const source = scope.module.source;
    const parts = childrenOf(node);
    const isAsync = parts[0]?.name === "async";
    let seq: Seq = EMPTY;
    let body: SyntaxNode | undefined;
    const items: Array<{ expr: SyntaxNode; target: SyntaxNode | undefined }> = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.name === "Body") body = part;
      else if (part.name === "as") {
        const last = items[items.length - 1];
        if (last) last.target = parts[i + 1];
        i++;
      } else if (!isKeywordNode(part) && ![",", "(", ")", ":"].includes(part.name)) items.push({ expr: part, target: undefined });
    }
    for (const { expr, target } of items) {
      let held: Value = UNKNOWN;
      const inner = unparenthesized(expr);
      const value = this.evaluate(inner, scope);
      if (value.k === "client") {
        seq = concat(seq, this.argumentsSeq(inner, scope, pending));
        held = value;
      } else if (isAsync && inner.name === "CallExpression") {
        const classified = this.classify(inner, scope, true);
        if (classified.type === "subrequest") {
          seq = concat(seq, this.awaitCall(inner, scope, pending));
          held = classified.sub.kind === "fetch" ? { k: "response" } : UNKNOWN;
        } else {
          seq = concat(seq, this.argumentsSeq(inner, scope, pending));
          this.unknown(`${this.where(scope.module, inner)}: \`async with ${shortText(source, inner)}\`: what entering it does is not read`);
        }
      } else if (isAsync) {
        this.unknown(`${this.where(scope.module, inner)}: \`async with ${shortText(source, inner)}\`: what entering it does is not read`);
      } else seq = concat(seq, this.expressionSeq(inner, scope, pending));
      if (target?.name === "VariableName") {
        const name = textOf(source, target);
        if (held.k !== "unknown") {
          scope.locals.set(name, held);
          scope.shadowed.delete(name);
        } else {
          scope.locals.delete(name);
          scope.shadowed.add(name);
        }
      }
    }
    return prefix(seq, body ? this.block(childrenOf(body), scope, pending) : FALL_EMPTY);
  }

  /** A scope for a branch: names it binds are seen after it too (Python has no block scope). */
  private branchScope(scope: Scope): Scope {
    return scope;
  }

  /** A loop's paths: its body counts twice (or once per element of a literal list, see repeatedOver). */
  /**
   * What iterating runs before (and between) the loop's own iterations: `async for row in
   * self.pages()` over an async generator of the Worker's runs that generator's awaits (its own loops
   * count as loops); anything else, the expression's calls.
   */
  private iterableSeq(iterable: SyntaxNode, isAsync: boolean, scope: Scope, pending: Value[]): Seq {
    const call = unparenthesized(iterable);
    if (isAsync && call.name === "CallExpression") {
      const target = this.evaluate(childrenOf(call)[0]!, scope);
      if (target.k === "function") return concat(this.argumentsSeq(call, scope, pending), this.follow(target, call, scope));
    }
    return this.expressionSeq(iterable, scope, pending);
  }

  /**
   * A retry loop (`for attempt in range(3): try: return await fetch(url) except ...: await asyncio.sleep(1)`):
   * it goes round again only when a request failed, so one attempt counts, as in the TypeScript analysis.
   */
  private retryLoop(test: Seq, inner: Outcome, orElse: SyntaxNode | undefined, scope: Scope, pending: Value[]): Outcome {
    const attempt = retried(concat(test, total(inner)));
    const afterLoop = orElse ? this.block(childrenOf(orElse), scope, pending) : FALL_EMPTY;
    const fall = sequence({ fall: attempt }, afterLoop);
    const ret = inner.ret ? retried(concat(test, inner.ret)) : undefined;
    return { ...fall, ...(ret ? { ret: fall.ret ? worst(fall.ret, ret) : ret } : {}) };
  }

  private loop(
    test: Seq,
    inner: Outcome,
    orElse: SyntaxNode | undefined,
    literal: number | undefined,
    scope: Scope,
    pending: Value[],
  ): Outcome {
    const iteration = concat(test, worst(inner.fall, inner.next, inner.exit));
    const counted = literal !== undefined ? repeatedOver(iteration, literal) : repeated(iteration);
    const afterLoop = orElse ? this.block(childrenOf(orElse), scope, pending) : FALL_EMPTY;
    const fall = sequence({ fall: counted }, afterLoop);
    // Returning from inside the loop: the iterations before it, then the one that returns.
    const ret = inner.ret ? concat(literal !== undefined ? counted : repeated(iteration), inner.ret) : undefined;
    return { ...fall, ...(ret ? { ret: fall.ret ? worst(fall.ret, ret) : ret } : {}) };
  }

  /** How many elements a literal list, tuple or `range(N)` has; undefined for anything else. */
  private literalLength(node: SyntaxNode, source: PythonModule["source"]): number | undefined {
    if (node.name === "ArrayExpression" || node.name === "TupleExpression")
      return operandsOf(node).some((c) => c.name === "*" || c.name.includes("Comprehension")) ? undefined : operandsOf(node).length;
    if (node.name === "CallExpression") {
      const [callee, args] = childrenOf(node);
      if (callee?.name === "VariableName" && textOf(source, callee) === "range" && args) {
        const nums = operandsOf(args);
        if (nums.length === 1 && nums[0]!.name === "Number" && /^\d+$/.test(textOf(source, nums[0]!)))
          return Number(textOf(source, nums[0]!));
      }
    }
    return undefined;
  }

  private assignment(node: SyntaxNode, scope: Scope, pending: Value[]): Seq {
    const source = scope.module.source;
    const parts = childrenOf(node);
    let opAt = -1;
    parts.forEach((p, i) => {
      if (p.name === "AssignOp" || p.name === "UpdateOp") opAt = i;
    });
    const value = parts[opAt + 1];
    const targets = parts.slice(0, opAt).filter((p) => p.name !== "TypeDef" && p.name !== "AssignOp" && p.name !== ",");
    let seq: Seq = EMPTY;
    let held: Value = UNKNOWN;
    if (value) {
      const call = unparenthesized(value);
      if (call.name === "CallExpression" && this.startsWork(call, scope)) {
        // `task = fetch(url)` / `coro = helper()`: runs where it is awaited.
        seq = this.argumentsSeq(call, scope, pending);
        held = { k: "pending", call, scope, settled: { done: false } };
        pending.push(held);
      } else if (call.name === "AwaitExpression") {
        const awaited = operandsOf(call)[0];
        seq = awaited ? this.awaitSeq(awaited, scope, pending) : EMPTY;
        held = awaited ? this.awaitedValue(awaited, scope) : UNKNOWN;
      } else {
        seq = this.expressionSeq(value, scope, pending);
        held = this.evaluate(value, scope);
      }
    }
    const single =
      targets.length === 1 &&
      targets[0]!.name === "VariableName" &&
      parts[opAt]?.name === "AssignOp" &&
      parts.filter((p) => p.name === "AssignOp").length === 1;
    const attribute =
      targets.length === 1 && parts.filter((p) => p.name === "AssignOp").length === 1 ? this.selfAttribute(targets[0]!, scope) : undefined;
    // A call started and not awaited is not kept in an attribute: it is said unsettled where it was started.
    if (attribute !== undefined) scope.attributes.set(attribute, held.k === "pending" ? UNKNOWN : held);
    for (const target of targets) {
      if (target.name !== "VariableName") continue;
      const name = textOf(source, target);
      if (single && held.k !== "unknown") {
        scope.locals.set(name, held);
        scope.shadowed.delete(name);
      } else {
        scope.locals.delete(name);
        scope.shadowed.add(name);
        if (single && value) scope.origins.set(name, shortText(source, value));
        else scope.origins.delete(name);
      }
    }
    return seq;
  }

  /** The attribute name when `target` is `self.X` on the walked function's own instance parameter. */
  private selfAttribute(target: SyntaxNode, scope: Scope): string | undefined {
    if (target.name !== "MemberExpression" || scope.selfName === undefined) return undefined;
    const [object, dot, property] = childrenOf(target);
    if (object?.name !== "VariableName" || dot?.name !== "." || property?.name !== "PropertyName") return undefined;
    return textOf(scope.module.source, object) === scope.selfName ? textOf(scope.module.source, property) : undefined;
  }

  /** What an awaited call gives: a response for an HTTP request, a client for a client's `__aenter__`. */
  private awaitedValue(node: SyntaxNode, scope: Scope): Value {
    const call = unparenthesized(node);
    if (call.name !== "CallExpression") return UNKNOWN;
    const classified = this.classify(call, scope);
    if (classified.type !== "subrequest") return UNKNOWN;
    if (classified.sub.kind === "fetch") return { k: "response" };
    // `await env.MY_WORKFLOW.get(id)`: an instance of a binding's, whose own calls are that binding's.
    if (classified.sub.kind === "other" && classified.sub.target !== null && this.bindingKinds.get(classified.sub.target) === "other")
      return { k: "binding", name: classified.sub.target, kind: "other" };
    return UNKNOWN;
  }

  /** Whether a call not awaited starts work that is awaited later (an async function of the Worker's, a subrequest). */
  private startsWork(call: SyntaxNode, scope: Scope): boolean {
    const [callee] = childrenOf(call);
    if (!callee) return false;
    const target = this.evaluate(callee, scope);
    if (target.k === "function") return isAsyncDef(target.node);
    if (target.k === "module" && (target.name === "asyncio.create_task" || target.name === "asyncio.ensure_future")) return true;
    const classified = this.classify(call, scope, true);
    // A blocking request (`requests.get(url)`) runs where it is written: nothing is left to await.
    return classified.type === "subrequest" && !isSync(classified.sub);
  }

  /** The awaited calls of an expression, in the order they run. */
  private expressionSeq(node: SyntaxNode | undefined, scope: Scope, pending: Value[]): Seq {
    if (!node) return EMPTY;
    switch (node.name) {
      case "AwaitExpression": {
        const inner = operandsOf(node)[0];
        return inner ? this.awaitSeq(inner, scope, pending) : EMPTY;
      }
      case "CallExpression":
        return this.callSeq(node, scope, pending);
      case "LambdaExpression":
        return EMPTY;
      case "ConditionalExpression": {
        const [whenTrue, , test, , whenFalse] = operandsOfAll(node);
        return concat(
          this.expressionSeq(test, scope, pending),
          worst(this.expressionSeq(whenTrue, scope, pending), this.expressionSeq(whenFalse, scope, pending)),
        );
      }
      case "ArrayComprehensionExpression":
      case "SetComprehensionExpression":
      case "DictionaryComprehensionExpression":
      case "ComprehensionExpression": {
        // Awaits in a comprehension run once per element: a loop.
        let seq: Seq = EMPTY;
        for (const operand of operandsOf(node)) seq = concat(seq, this.expressionSeq(operand, scope, pending));
        return repeated(seq);
      }
      default: {
        let seq: Seq = EMPTY;
        for (const operand of operandsOf(node)) seq = concat(seq, this.expressionSeq(operand, scope, pending));
        return seq;
      }
    }
  }

  /** A call not awaited: its arguments, then what it does when it is the Worker's own sync function or `ctx.waitUntil`. */
  private callSeq(call: SyntaxNode, scope: Scope, pending: Value[]): Seq {
    const source = scope.module.source;
    const [callee, args] = childrenOf(call);
    if (!callee || args?.name !== "ArgList") return EMPTY;
    // `ctx.waitUntil(...)`: runs after the response, off the path.
    if (callee.name === "MemberExpression") {
      const [object, , property] = childrenOf(callee);
      if (object && property && textOf(source, property) === "waitUntil" && this.evaluate(object, scope).k === "ctx") {
        const previous = this.marking;
        if (this.marking === "critical") this.marking = "waitUntil";
        try {
          for (const arg of this.positionalNodes(args, scope.module)) {
            const inner = unparenthesized(arg);
            if (inner.name === "CallExpression" && this.startsWork(inner, scope)) this.awaitSeq(inner, scope, pending);
            else if (inner.name === "VariableName") {
              const held = this.lookup(textOf(source, inner), scope, 0);
              if (held.k === "pending") this.settle(held, pending);
            } else this.expressionSeq(inner, scope, pending);
          }
        } finally {
          this.marking = previous;
        }
        return EMPTY;
      }
    }
    const argsSeq = this.argumentsSeq(call, scope, pending);
    const target = this.evaluate(callee, scope);
    if (target.k === "class") return concat(argsSeq, this.construct(target.cls, call, scope));
    if (target.k === "function" && !isAsyncDef(target.node)) return concat(argsSeq, this.follow(target, call, scope));
    if (target.k === "function") return argsSeq;
    if (target.k === "module" && (target.name === "asyncio.create_task" || target.name === "asyncio.ensure_future")) {
      // A task started and not kept: it runs beside the response, and whether the response waits for it is not followed.
      this.unknown(
        `${this.where(scope.module, call)}: \`${shortText(source, call)}\` starts a task that is not awaited: whether the response waits for its round trips is not followed`,
      );
      return argsSeq;
    }
    const classified = this.classify(call, scope, true);
    if (classified.type === "subrequest" && !isSync(classified.sub)) {
      // A subrequest started and never awaited here (not assigned, not handed on): when it runs cannot be told.
      this.unknown(
        `${this.where(scope.module, call)}: \`${shortText(source, call)}\` is started without being awaited: when its round trip runs is not followed`,
      );
      return argsSeq;
    }
    if (classified.type === "subrequest") return concat(argsSeq, this.subrequestSeq(call, scope.module, classified.sub));
    if (classified.type === "foreign") this.unknown(`${this.where(scope.module, call)}: \`${shortText(source, call)}\`: ${classified.why}`);
    else {
      const handed = this.handedToPackage(call, target, scope);
      if (handed) this.unknown(`${this.where(scope.module, call)}: \`${shortText(source, call)}\` ${handed}`);
    }
    return argsSeq;
  }

  /**
   * A package the analysis does not read, given something of the Worker's that reaches the network
   * (`env`, a binding, the request, an HTTP client): what it does with it is not read
   * (`create_engine_from_binding(self.env.DB)`, then queries through the engine).
   */
  private handedToPackage(call: SyntaxNode, target: Value, scope: Scope): string | undefined {
    if (target.k !== "module" || target.own) return undefined;
    const root = target.name.split(".")[0]!;
    if (root === "workers" || root === "js" || root === "pyodide" || QUIET_MODULES.has(root)) return undefined;
    const args = childrenOf(call)[1];
    const parts = args ? childrenOf(args).filter((p) => !["(", ")", ",", "*", "**", "AssignOp"].includes(p.name)) : [];
    for (const part of parts) {
      const value = this.evaluate(part, scope);
      const what =
        value.k === "env"
          ? "env"
          : value.k === "binding"
            ? `the ${value.name} binding`
            : value.k === "request"
              ? "the request"
              : value.k === "client"
                ? `an ${value.library} client`
                : value.k === "d1Statement" || value.k === "durableObjectStub"
                  ? `the ${value.binding} binding`
                  : undefined;
      if (what) return `hands ${what} to ${target.name}, in a package the analysis does not read: what it does with it is not followed`;
    }
    return undefined;
  }

  private argumentsSeq(call: SyntaxNode, scope: Scope, pending: Value[]): Seq {
    const args = childrenOf(call)[1];
    const callee = childrenOf(call)[0];
    let seq: Seq = callee && callee.name !== "VariableName" ? this.receiverSeq(callee, scope, pending) : EMPTY;
    for (const arg of args ? operandsOf(args) : []) seq = concat(seq, this.expressionSeq(arg, scope, pending));
    return seq;
  }

  /** Calls inside a callee's receiver (`(await f()).json()`, `g(await h()).x`). */
  private receiverSeq(callee: SyntaxNode, scope: Scope, pending: Value[]): Seq {
    if (callee.name !== "MemberExpression") return EMPTY;
    const object = childrenOf(callee)[0];
    if (!object || object.name === "VariableName" || object.name === "MemberExpression")
      return object ? this.receiverSeq(object, scope, pending) : EMPTY;
    if (object.name === "CallExpression") {
      const inner = this.classify(object, scope, true);
      // `env.DB.prepare(sql).bind(x)`: a chain whose links make no round trip of their own.
      if (inner.type === "none") return this.argumentsSeq(object, scope, pending);
    }
    return this.expressionSeq(object, scope, pending);
  }

  /** Settles a pending call (awaited, or handed to waitUntil): its round trips, once. */
  private settle(held: Extract<Value, { k: "pending" }>, pending: Value[]): Seq {
    if (held.settled.done) return EMPTY;
    held.settled.done = true;
    return this.awaitCall(held.call, held.scope, pending);
  }

  private sayUnsettled(pending: readonly Value[], module: PythonModule): void {
    for (const held of pending)
      if (held.k === "pending" && !held.settled.done && this.classify(held.call, held.scope, true).type !== "none") {
        held.settled.done = true;
        // Never awaited in the function: a coroutine that never runs, or a task that runs unwaited.
        const target = this.evaluate(childrenOf(held.call)[0]!, held.scope);
        if (target.k === "function") continue;
        this.unknown(
          `${this.where(module, held.call)}: \`${shortText(held.scope.module.source, held.call)}\` is started and not awaited in the function: when its round trip runs is not followed`,
        );
      }
  }

  /** `await <node>`. */
  private awaitSeq(node: SyntaxNode, scope: Scope, pending: Value[]): Seq {
    const inner = unparenthesized(node);
    if (inner.name === "VariableName" || inner.name === "MemberExpression") {
      const held = this.evaluate(inner, scope);
      if (held.k === "pending") return this.settle(held, pending);
      if (held.k === "response" || held.k === "request") return EMPTY;
      this.unknown(
        `${this.where(scope.module, inner)}: \`await ${shortText(scope.module.source, inner)}\` awaits a value the analysis cannot follow`,
      );
      return EMPTY;
    }
    if (inner.name !== "CallExpression") return this.expressionSeq(inner, scope, pending);
    return this.awaitCall(inner, scope, pending);
  }

  private awaitCall(call: SyntaxNode, scope: Scope, pending: Value[]): Seq {
    const source = scope.module.source;
    const argsSeq = this.argumentsSeq(call, scope, pending);
    const classified = this.classify(call, scope);
    switch (classified.type) {
      case "subrequest":
        return concat(argsSeq, this.subrequestSeq(call, scope.module, classified.sub));
      case "follow":
        return concat(argsSeq, this.follow(classified.fn, call, scope));
      case "gather": {
        const [, args] = childrenOf(call);
        const branches: Seq[] = [];
        for (const arg of args ? this.gatherArguments(args, scope) : []) {
          if (arg === "unread") continue;
          branches.push(arg);
        }
        return parallel(branches, "asyncio.gather: in parallel");
      }
      case "app":
        return concat(argsSeq, this.fastapiSeq(classified.app));
      case "wrapped": {
        // `asyncio.wait_for(coro, timeout)`, `asyncio.shield(coro)`: the coroutine they are given.
        return this.awaitSeq(classified.inner, scope, pending);
      }
      case "none":
        return argsSeq;
      case "foreign":
      case "unknown":
        this.unknown(`${this.where(scope.module, call)}: \`await ${shortText(source, call)}\`: ${classified.why}`);
        return argsSeq;
    }
  }

  /** The calls `asyncio.gather(...)` runs, each its own path. */
  private gatherArguments(args: SyntaxNode, scope: Scope): Array<Seq | "unread"> {
    const out: Array<Seq | "unread"> = [];
    const parts = childrenOf(args).filter((p) => !["(", ")", ","].includes(p.name));
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (parts[i + 1]?.name === "AssignOp") {
        i += 2; // return_exceptions=True
        continue;
      }
      if (part.name === "*") {
        const spread = parts[++i];
        const list = spread ? unparenthesized(spread) : undefined;
        // `*[fetch(u) for u in urls]`, `*(f(x) for x in xs)`: every element in parallel, one path each.
        if (list && /Comprehension/.test(list.name)) {
          const element = operandsOf(list)[0];
          const inner: Value[] = [];
          out.push(element ? this.awaitSeq(element, scope, inner) : EMPTY);
        } else if (list && (list.name === "ArrayExpression" || list.name === "TupleExpression")) {
          for (const element of operandsOf(list)) out.push(this.awaitSeq(element, scope, []));
        } else if (spread) {
          this.unknown(
            `${this.where(scope.module, spread)}: asyncio.gather(*${shortText(scope.module.source, spread)}) runs a list of calls the analysis does not follow`,
          );
          out.push("unread");
        }
        continue;
      }
      out.push(this.awaitSeq(part, scope, []));
    }
    return out;
  }

  // ---- FastAPI apps (`asgi.fetch(app, request, env)`, `Default = asgi.entrypoint(app)`) ----

  /**
   * The worst route of a FastAPI app of the Worker's: each `@app.get("/path")` (and the other
   * methods, also on an `APIRouter` the app includes) is a path, after the app's `@app.middleware`
   * functions and the route's `Depends(...)` functions. A route's `request: Request` is the request,
   * and `request.scope["env"]` the Worker's env. Anything else registered on the app (a mount, a
   * route added by a call, middleware of another package) is an unknown naming it.
   */
  private fastapiSeq(app: Extract<Value, { k: "fastapi" }>): Seq {
    const key = `${this.marking}#${app.module.source.path}#${app.call.from}`;
    const known = this.appMemo.get(key);
    if (known) return known;
    this.appMemo.set(key, EMPTY);
    const appKey = (a: Extract<Value, { k: "fastapi" }>): string => `${a.module.source.path}#${a.call.from}`;
    const apps = new Map<string, string>([[appKey(app), ""]]);
    const routes: Array<{ route: string; fn: SyntaxNode; module: PythonModule }> = [];
    const middleware: Array<{ fn: SyntaxNode; module: PythonModule }> = [];
    // Routers the app includes (`app.include_router(users, prefix="/users")`), to a fixed point.
    const modules = [...this.modules.loaded.values()];
    for (let round = 0; round < 8; round++) {
      let grew = false;
      for (const module of modules)
        for (const statement of childrenOf(module.source.top)) {
          const call = statement.name === "ExpressionStatement" ? operandsOf(statement)[0] : undefined;
          if (call?.name !== "CallExpression") continue;
          const [callee, args] = childrenOf(call);
          if (callee?.name !== "MemberExpression" || !args) continue;
          const [object, , property] = childrenOf(callee);
          const owner = object ? this.evaluate(object, this.moduleScope(module)) : UNKNOWN;
          if (owner.k !== "fastapi" || !apps.has(appKey(owner))) continue;
          const method = property ? textOf(module.source, property) : "";
          if (method !== "include_router") continue;
          const router = this.positional(args, 0, this.moduleScope(module));
          const prefix = this.keyword(args, "prefix", this.moduleScope(module));
          if (router?.k === "fastapi" && !apps.has(appKey(router))) {
            apps.set(appKey(router), apps.get(appKey(owner))! + (prefix?.k === "str" && prefix.complete ? prefix.text : ""));
            grew = true;
          }
        }
      if (!grew) break;
    }
    const source = app.module.source;
    for (const module of modules)
      for (const statement of childrenOf(module.source.top)) {
        if (statement.name === "DecoratedStatement") {
          const fn = definitionOf(statement);
          for (const decorator of childrenOf(statement).filter((c) => c.name === "Decorator")) {
            const parts = childrenOf(decorator).filter((c) => c.name !== "At");
            const args = parts.find((c) => c.name === "ArgList");
            const names = parts.filter((c) => c.name === "VariableName").map((c) => textOf(module.source, c));
            if (names.length < 2) continue;
            const owner = this.lookup(names[0]!, this.moduleScope(module), 0);
            const ownerValue = names.slice(1, -1).reduce<Value>((v, n) => this.member(v, n, 0), owner);
            if (ownerValue.k !== "fastapi" || !apps.has(appKey(ownerValue))) continue;
            const verb = names[names.length - 1]!;
            if (verb === "middleware" && fn.name === "FunctionDefinition") middleware.push({ fn, module });
            else if (ROUTE_VERBS.has(verb) && fn.name === "FunctionDefinition") {
              const path = args ? this.positional(args, 0, this.moduleScope(module)) : undefined;
              const shown = path?.k === "str" && path.complete ? path.text : "?";
              routes.push({
                route: `${verb === "api_route" || verb === "websocket" ? "ANY" : verb.toUpperCase()} ${apps.get(appKey(ownerValue))!}${shown}`,
                fn,
                module,
              });
            } else if (!["exception_handler", "on_event"].includes(verb))
              this.unknown(`${this.where(module, decorator)}: \`@${names.join(".")}\` on the FastAPI app is not read`);
          }
        } else if (statement.name === "ExpressionStatement") {
          const call = operandsOf(statement)[0];
          if (call?.name !== "CallExpression") continue;
          const [callee, args] = childrenOf(call);
          if (callee?.name !== "MemberExpression" || !args) continue;
          const [object, , property] = childrenOf(callee);
          const owner = object ? this.evaluate(object, this.moduleScope(module)) : UNKNOWN;
          if (owner.k !== "fastapi" || !apps.has(appKey(owner))) continue;
          const method = property ? textOf(module.source, property) : "";
          if (method === "include_router" || method === "exception_handler") continue;
          if (method === "add_middleware") {
            const added = this.positional(args, 0, this.moduleScope(module));
            // FastAPI's and Starlette's own middleware (CORS, GZip, trusted hosts) make no subrequest.
            if (added?.k === "module" && /^(fastapi|starlette)\./.test(added.name)) continue;
          }
          this.unknown(
            `${this.where(module, call)}: \`${shortText(module.source, call)}\` registers on the FastAPI app in a way that is not read`,
          );
        }
      }
    if (routes.length === 0) {
      this.unknown(`${this.where(app.module, app.call)}: no route of the FastAPI app \`${shortText(source, app.call)}\` was found`);
      return EMPTY;
    }
    const before = middleware.reduce<Seq>(
      (seq, m) => concat(seq, this.functionSeq(m.fn, m.module, [{ k: "request" }, { k: "next" }])),
      EMPTY,
    );
    const seqs = routes.map(({ route, fn, module }) => routed(concat(before, this.routeSeq(fn, module)), route));
    const result = worst(...seqs);
    this.appMemo.set(key, result);
    return result;
  }

  /** A route (or dependency) function: its `Depends(...)` first, with `Request` parameters given the request. */
  private routeSeq(fn: SyntaxNode, module: PythonModule): Seq {
    const params = childrenOf(fn).find((c) => c.name === "ParamList");
    const keywords = new Map<string, Value>();
    let depends: Seq = EMPTY;
    const parts = params ? childrenOf(params) : [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.name !== "VariableName" || parts[i - 1]?.name === "AssignOp") continue;
      const name = textOf(module.source, part);
      const type = parts[i + 1]?.name === "TypeDef" ? textOf(module.source, parts[i + 1]!).replace(/^:\s*/, "") : "";
      if (/^(fastapi\.|starlette\.requests\.)?Request$/.test(type) || (!type && (name === "request" || name === "req")))
        keywords.set(name, { k: "request" });
      const defaultAt = parts.slice(i + 1).findIndex((p) => p.name === "AssignOp" || p.name === "," || p.name === ")");
      const assign = defaultAt === -1 ? undefined : parts[i + 1 + defaultAt];
      const value = assign?.name === "AssignOp" ? parts[i + 2 + defaultAt] : undefined;
      if (value?.name === "CallExpression") {
        const [callee, args] = childrenOf(value);
        const target = callee ? this.evaluate(callee, this.moduleScope(module)) : UNKNOWN;
        if (target.k === "module" && target.name === "fastapi.Depends" && args) {
          const dependency = this.positional(args, 0, this.moduleScope(module));
          if (dependency?.k === "function") depends = concat(depends, this.routeSeq(dependency.node, dependency.module));
          else
            this.unknown(
              `${this.where(module, value)}: \`${shortText(module.source, value)}\` depends on something the analysis does not read`,
            );
        }
      }
    }
    return concat(depends, this.functionSeq(fn, module, [], keywords));
  }

  /**
   * `Scanner(self.env)`: an instance of a class of the Worker's with no base class, its `__init__`
   * walked with the call's arguments (its round trips run here) and what it assigns to attributes
   * kept on the instance, which later reads of the same call's value get (see callValue). A class
   * with base classes has an `__init__` or attributes the analysis may not see: its instance stays
   * not known, as before.
   */
  private construct(cls: PythonClass, call: SyntaxNode, scope: Scope): Seq {
    const key = `${scope.module.source.path}#${call.from}`;
    this.constructed.delete(key);
    if (!cls.bases.every((base) => textOf(cls.module.source, base) === "object")) return EMPTY;
    const init = cls.methods.get("__init__");
    const attrs = new Map<string, Value>();
    const instance: Value = { k: "self", cls, attrs, made: true };
    let seq: Seq = EMPTY;
    if (init && isAsyncDef(init)) {
      this.unknown(`${this.where(scope.module, call)}: ${cls.name}'s __init__ is async, which Python does not run as a constructor`);
      return EMPTY;
    }
    if (init) seq = this.follow({ node: init, module: cls.module, self: instance }, call, scope, attrs);
    this.constructed.set(key, instance);
    return seq;
  }

  /**
   * What `self.X` holds, when the analysis can tell: `X` is assigned in one place only among the
   * Worker's modules, a plain `self.X = value` statement of a function's own body, which is either
   * the class's `__init__` (walked for this instance) or the function being walked, before this read.
   * Anywhere else (a branch, another method, from outside the class, `setattr`) it stays not known.
   */
  private attributeValue(object: Extract<Value, { k: "self" }>, name: string, objectNode: SyntaxNode, scope: Scope): Value | undefined {
    const site = this.attributeSite(name);
    if (!site) return undefined;
    // Syntax nodes are made afresh on each visit: a function is known by its file and offset.
    const init = object.cls.methods.get("__init__");
    if (
      site.path === scope.module.source.path &&
      site.fn === scope.fn?.from &&
      objectNode.name === "VariableName" &&
      textOf(scope.module.source, objectNode) === scope.selfName
    )
      return scope.attributes.get(name);
    if (site.path === object.cls.module.source.path && site.fn === init?.from && object.attrs) return object.attrs.get(name);
    return undefined;
  }

  /** The one statement that assigns attribute `name` (see attributeValue), or undefined when there is not exactly one such. */
  private attributeSite(name: string): { path: string; fn: number } | undefined {
    // Modules loaded later in the walk may assign it too: the answer is kept per set of modules.
    const key = `${name}#${this.modules.loaded.size}`;
    if (!this.attributeSites.has(key)) this.attributeSites.set(key, this.findAttributeSite(name));
    return this.attributeSites.get(key);
  }

  private findAttributeSite(name: string): { path: string; fn: number } | undefined {
    const sites: SyntaxNode[] = [];
    let siteSource: PythonModule["source"] | undefined;
    let dynamic = false;
    for (const module of this.modules.loaded.values()) {
      const source = module.source;
      const cursor = source.top.cursor();
      do {
        const node = cursor.node;
        if (node.name === "CallExpression") {
          const callee = childrenOf(node)[0];
          if (callee?.name === "VariableName" && ["setattr", "delattr", "vars"].includes(textOf(source, callee))) dynamic = true;
        } else if (node.name === "PropertyName" && ["__dict__", "__setattr__"].includes(textOf(source, node))) dynamic = true;
        else if (
          node.name === "MemberExpression" &&
          (node.prevSibling?.name === "as" || (node.parent?.name === "ForStatement" && isBeforeIn(node)))
        ) {
          // `for self.X in ...` / `with ... as self.X`: bound there too.
          const property = childrenOf(node)[2];
          if (property?.name === "PropertyName" && textOf(source, property) === name) sites.push(node);
        } else if (node.name === "AssignStatement" || node.name === "UpdateStatement" || node.name === "DeleteStatement") {
          const parts = childrenOf(node);
          const last = parts.reduce(
            (at, p, i) => (p.name === "AssignOp" || p.name === "UpdateOp" ? i : at),
            node.name === "DeleteStatement" ? parts.length : -1,
          );
          for (const target of parts.slice(0, last)) {
            const members = target.name === "MemberExpression" ? [target] : childrenOf(target).filter((c) => c.name === "MemberExpression");
            if (members.some((m) => childrenOf(m)[1]?.name === "." && childrenOf(m)[2] && textOf(source, childrenOf(m)[2]!) === name)) {
              sites.push(node);
              siteSource = source;
            }
          }
          // A class attribute of the same name (`client = None` in a class body) is another value.
          if (node.parent?.name === "Body" && node.parent.parent?.name === "ClassDefinition")
            for (const target of parts.slice(0, last))
              if (target.name === "VariableName" && textOf(source, target) === name) sites.push(node);
        }
      } while (cursor.next());
    }
    if (dynamic || sites.length !== 1) return undefined;
    const site = sites[0]!;
    const parts = childrenOf(site);
    const [target, op] = parts;
    if (site.name !== "AssignStatement" || op?.name !== "AssignOp" || parts.filter((p) => p.name === "AssignOp").length !== 1)
      return undefined;
    const object = target?.name === "MemberExpression" ? childrenOf(target)[0] : undefined;
    const fn = site.parent?.name === "Body" ? site.parent.parent : null;
    if (object?.name !== "VariableName" || fn?.name !== "FunctionDefinition") return undefined;
    const params = childrenOf(fn).find((c) => c.name === "ParamList");
    const first = params ? childrenOf(params).find((c) => c.name === "VariableName") : undefined;
    // `self.X = ...` on the function's own first parameter, not on some other object.
    return first?.prevSibling?.name === "(" && siteSource && textOf(siteSource, first) === textOf(siteSource, object)
      ? { path: siteSource.path, fn: fn.from }
      : undefined;
  }

  /** The Worker's own function, called with the arguments of `call`. */
  private follow(
    fn: Extract<Value, { k: "function" }> | { node: SyntaxNode; module: PythonModule; self: Value | undefined },
    call: SyntaxNode,
    scope: Scope,
    capture?: Map<string, Value>,
  ): Seq {
    const [, args] = childrenOf(call);
    const values: Value[] = fn.self ? [fn.self] : [];
    const keywords = new Map<string, Value>();
    if (args) {
      for (const node of this.positionalNodes(args, scope.module)) values.push(this.evaluate(node, scope));
      const parts = childrenOf(args);
      for (let i = 0; i + 2 < parts.length; i++)
        if (parts[i]!.name === "VariableName" && parts[i + 1]!.name === "AssignOp")
          keywords.set(textOf(scope.module.source, parts[i]!), this.evaluate(parts[i + 2]!, scope));
    }
    return this.functionSeq(fn.node, fn.module, values, keywords, capture);
  }

  // ---- classification ----

  private classify(
    call: SyntaxNode,
    scope: Scope,
    quiet = false,
  ):
    | { type: "subrequest"; sub: PySubrequest }
    | { type: "follow"; fn: Extract<Value, { k: "function" }> }
    | { type: "gather" }
    | { type: "wrapped"; inner: SyntaxNode }
    /** `asgi.fetch(app, request, env)` over a FastAPI app of the Worker's: its routes. */
    | { type: "app"; app: Extract<Value, { k: "fastapi" }> }
    | { type: "none" }
    | { type: "unknown"; why: string }
    /** A call into a package that talks to the network, awaited or not: never taken as no round trip. */
    | { type: "foreign"; why: string } {
    const source = scope.module.source;
    const [callee, args] = childrenOf(call);
    if (!callee || args?.name !== "ArgList") return { type: "unknown", why: "the call is not read" };
    const argument = (i: number): Value | undefined => this.positional(args, i, scope);
    const urlOf = (value: Value | undefined, node: SyntaxNode | undefined): PySubrequest =>
      this.fetchTarget(value, node ? shortText(source, node) : "the URL");
    const firstNode = this.positionalNodes(args, scope.module)[0];
    const target = this.evaluate(callee, scope);
    if (target.k === "next") return { type: "none" };
    if (target.k === "function") {
      if (quiet) return { type: "none" };
      return { type: "follow", fn: target };
    }
    if (target.k === "class") return { type: "none" };
    if (target.k === "module") {
      const name = target.name;
      if (name === "workers.fetch" || name === "js.fetch" || name === "pyodide.http.pyfetch")
        return { type: "subrequest", sub: urlOf(argument(0), firstNode) };
      if (name === "urllib.request.urlopen") return { type: "subrequest", sub: { ...urlOf(argument(0), firstNode), sync: true } };
      if (/^(httpx|requests|urllib3)\.(get|post|put|patch|delete|head|options|request)$/.test(name)) {
        const url = name.endsWith(".request") ? argument(1) : argument(0);
        const node = name.endsWith(".request") ? this.positionalNodes(args, scope.module)[1] : firstNode;
        return { type: "subrequest", sub: { ...urlOf(url, node), sync: true } };
      }
      if (name === "asgi.fetch" || name === "workers.asgi.fetch") {
        const app = argument(0);
        if (app?.k === "fastapi") return { type: "app", app };
      }
      if (name === "asyncio.gather" || name === "asyncio.wait") return { type: "gather" };
      if (name === "asyncio.wait_for" || name === "asyncio.shield" || name === "asyncio.create_task" || name === "asyncio.ensure_future") {
        const inner = firstNode;
        return inner ? { type: "wrapped", inner } : { type: "none" };
      }
      const root = name.split(".")[0]!;
      if (NETWORK_PACKAGES.has(root))
        return { type: "foreign", why: `${name} is in ${root}, a package that talks to the network and that the analysis does not read` };
      if (QUIET_MODULES.has(root) || QUIET_MODULES.has(name.split(".").slice(0, 2).join("."))) return { type: "none" };
      if (root === "workers" || root === "js" || root === "pyodide")
        return quiet ? { type: "none" } : { type: "unknown", why: `${name} is not one of the Python Workers APIs the analysis reads` };
      return quiet ? { type: "none" } : { type: "unknown", why: `${name} is in a package the analysis does not read` };
    }
    if (callee.name === "MemberExpression") {
      const [object, dot, property] = childrenOf(callee);
      if (!object || dot?.name !== "." || !property) return { type: "unknown", why: "the call is not read" };
      const method = textOf(source, property);
      const receiver = this.evaluate(object, scope);
      switch (receiver.k) {
        case "client": {
          if (!HTTP_METHODS.has(method) && !(receiver.library === "urllib3" && method === "urlopen")) return { type: "none" };
          // `request(method, url)` (and urllib3's `urlopen(method, url)`) name the URL second.
          const second = method === "request" || method === "urlopen";
          const url = second ? argument(1) : argument(0);
          const node = second ? this.positionalNodes(args, scope.module)[1] : firstNode;
          const sub = this.clientTarget(receiver, url, node ? shortText(source, node) : "the URL");
          return { type: "subrequest", sub: { ...sub, sync: receiver.sync } };
        }
        case "foreign":
          return { type: "foreign", why: `a call on ${receiver.made}, made by a package the analysis does not read` };
        case "binding":
          return this.bindingCall(receiver, method);
        case "d1Statement":
          return D1_QUERY_METHODS.has(method)
            ? { type: "subrequest", sub: this.d1(receiver.binding, `D1 query on ${receiver.binding}`) }
            : { type: "none" };
        case "durableObjectStub":
          return {
            type: "subrequest",
            sub: {
              kind: "durable-object",
              target: receiver.binding,
              category: "binding",
              note: `Durable Object ${receiver.binding}.${method}: a Cloudflare binding, not a back-end round trip`,
            },
          };
        case "binding-namespace":
          return { type: "none" };
        case "request":
        case "response":
          return BODY_METHODS.has(method) || method === "to_py"
            ? { type: "none" }
            : quiet
              ? { type: "none" }
              : { type: "unknown", why: `${method} on a request or response is not read` };
        case "str":
          return { type: "none" };
        case "env":
          return quiet ? { type: "none" } : { type: "unknown", why: "a call on env is not read" };
        case "envVar":
          return quiet
            ? { type: "none" }
            : {
                type: "unknown",
                why: `env.${receiver.name} is no binding or [vars] value of the config, so what its ${method}(...) reaches is not known`,
              };
        default:
          if (quiet) return { type: "none" };
          // `await response.json()` on a response a helper returned: reading a body, whatever made it.
          if (RESPONSE_BODY_READS.has(method) && this.positionalNodes(args, scope.module).length === 0) return { type: "none" };
          return {
            type: "unknown",
            why: `what \`${shortText(source, object)}\` holds is not followed (a parameter, an attribute, or a value made at run time), so what its ${method}(...) reaches is not known`,
          };
      }
    }
    if (callee.name === "VariableName") {
      const name = textOf(source, callee);
      if (
        target.k === "unknown" &&
        !scope.locals.has(name) &&
        !scope.shadowed.has(name) &&
        !scope.module.names.has(name) &&
        BUILTINS.has(name)
      )
        return { type: "none" };
      if (quiet) return { type: "none" };
      const origin = scope.origins.get(name);
      if (origin !== undefined)
        return { type: "unknown", why: `${name} is \`${origin}\`, a function chosen at run time (dynamic dispatch)` };
      return { type: "unknown", why: `${name} is not a function the analysis can read (a parameter, or a value chosen at run time)` };
    }
    if (quiet) return { type: "none" };
    return { type: "unknown", why: "the function called is chosen at run time (dynamic dispatch)" };
  }

  private bindingCall(
    binding: Extract<Value, { k: "binding" }>,
    method: string,
  ): { type: "subrequest"; sub: PySubrequest } | { type: "none" } | { type: "unknown"; why: string } {
    const { name, kind } = binding;
    const sub = (kind: SubrequestKind, note: string): { type: "subrequest"; sub: PySubrequest } => ({
      type: "subrequest",
      sub: { kind, target: name, category: "binding", note },
    });
    switch (kind) {
      case "d1":
        if (method === "batch")
          return { type: "subrequest", sub: this.d1(name, `D1 batch on ${name}: one round trip for all its statements`) };
        if (method === "exec" || method === "dump") return { type: "subrequest", sub: this.d1(name, `D1 ${method} on ${name}`) };
        return { type: "none" };
      case "kv":
        return KV_METHODS.has(method)
          ? sub("kv", `Workers KV ${name}.${method}: a Cloudflare binding, not a back-end round trip`)
          : { type: "none" };
      case "r2":
        return R2_METHODS.has(method)
          ? sub("r2", `R2 ${name}.${method}: a Cloudflare binding, not a back-end round trip`)
          : { type: "none" };
      case "services":
        return sub("service", `service binding ${name}.${method}: another Worker, not a back-end round trip`);
      case "queues":
        return method === "send" || method === "sendBatch"
          ? sub("queue", `queue ${name}.${method}: a Cloudflare binding`)
          : { type: "none" };
      case "ai":
        return method === "run" ? sub("ai", `Workers AI ${name}.run: runs on Cloudflare's network`) : { type: "none" };
      case "assets":
        if (method !== "fetch") return { type: "none" };
        this.servesAssets ||= this.marking === "critical";
        return sub("other", `static assets through the ${name} binding: served from where the Worker runs`);
      case "durableObjects":
        return { type: "none" };
      default:
        // Hyperdrive is reached through a database driver given its connection string (a package the
        // analysis does not read); another binding (Vectorize, a Workflow) is Cloudflare's, as in the TypeScript analysis.
        if (kind === "hyperdrive") return { type: "none" };
        return sub("other", `binding ${name}.${method}`);
    }
  }

  private d1(name: string, what: string): PySubrequest {
    const pinned = this.input.platformRules === "2024";
    return {
      kind: "d1",
      target: name,
      category: pinned ? "binding" : "backend",
      note: pinned
        ? `${what}: D1 pins the Worker near the database (2024 rules)`
        : `${what}: a round trip to the database (D1 no longer pins Workers since ${D1_PINNING_ENDED})`,
    };
  }

  private clientTarget(client: Extract<Value, { k: "client" }>, url: Value | undefined, written: string): PySubrequest {
    // A relative path on a client with a base URL goes to the base's host.
    if (client.base && (!url || (url.k === "str" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url.text))))
      return this.fetchTarget(client.base, `the base URL of ${written}`);
    return this.fetchTarget(url, written);
  }

  private fetchTarget(url: Value | undefined, written: string): PySubrequest {
    const host = url?.k === "str" ? hostOf(url.text, url.complete) : undefined;
    if (host) {
      const classification = classifyHost(host, this.input.hostCategories);
      return { kind: "fetch", target: host, category: classification.category, note: classification.note };
    }
    const why =
      url?.k === "envVar"
        ? `a name the config's [vars] do not set: a secret, or set elsewhere`
        : url?.k === "request"
          ? "the incoming request"
          : undefined;
    if (url?.k === "request")
      return { kind: "fetch", target: "origin", category: "backend", note: "passes the incoming request on to the origin" };
    return {
      kind: "fetch",
      target: null,
      category: "unknown",
      note: `the URL ${written} cannot be resolved to a host${why ? `: it is ${why}` : ""}`,
      assumption: `the host of ${written} could not be resolved${why ? ` (it is ${why})` : ""}: counted as a back end (computed hosts are usually configured or the origin)`,
    };
  }

  /** The step of one subrequest on the path being walked, and its listing. */
  private subrequestSeq(call: SyntaxNode, module: PythonModule, sub: PySubrequest): Seq {
    const key = `${module.source.path}#${call.from}`;
    let record = this.subrequests.get(key);
    if (!record) {
      record = {
        file: module.source.path,
        span: { start: call.from, end: call.to },
        kind: sub.kind,
        target: sub.target,
        category: sub.category,
        note: sub.note,
        criticalPath: false,
        waitUntil: false,
      };
      this.subrequests.set(key, record);
    }
    const assumed = sub.category === "unknown" && sub.assumption !== undefined && this.input.assume !== "strict";
    if (assumed && record.assumed === undefined && this.marking !== "none") record.assumed = sub.assumption;
    if (this.marking === "critical") {
      record.criticalPath = true;
      record.waitUntil = false;
      if (sub.category === "unknown" && !assumed) this.unknown(`${sub.note} (${this.where(module, call)})`);
    } else if (this.marking === "waitUntil" && !record.criticalPath) record.waitUntil = true;
    if (this.marking !== "critical") return EMPTY;
    return seqOf(stepOf({ ...record, target: sub.target, category: sub.category }, assumed));
  }

  // ---- reporting ----

  private unknown(text: string): void {
    if (this.marking !== "none") this.unknowns.push(text);
  }

  private sayParseErrors(module: PythonModule): void {
    const first = module.source.errors[0];
    if (first === undefined || this.reportedErrors.has(module.source.path)) return;
    this.reportedErrors.add(module.source.path);
    this.unknowns.push(
      `${this.relative(module.source.path)}:${lineOf(module.source, first)} does not parse as Python: what that part of the Worker does is not read`,
    );
  }

  private where(module: PythonModule, node: SyntaxNode): string {
    return `${this.relative(module.source.path)}:${lineOf(module.source, node.from)}`;
  }

  private lineIn(file: string, offset: number): number {
    const module = this.modules.loaded.get(file);
    return module ? lineOf(module.source, offset) : 0;
  }

  private nameOf(module: PythonModule, fn: SyntaxNode): string {
    const name = childrenOf(fn).find((c) => c.name === "VariableName");
    return name ? textOf(module.source, name) : "a function";
  }

  private relative(file: string): string {
    return relativePath(this.input.projectRoot, file);
  }
}

interface PySubrequest {
  readonly kind: SubrequestKind;
  readonly target: string | null;
  readonly category: SubrequestCategory;
  readonly note: string;
  readonly assumption?: string;
  /** A blocking call (`requests.get`): it runs where it is written, awaited or not. */
  readonly sync?: boolean;
}

/** The memo key of a function walked with these arguments, or undefined when one of them is not plain data. */
function memoKey(
  marking: Marking,
  module: PythonModule,
  fn: SyntaxNode,
  args: readonly Value[],
  keywords: ReadonlyMap<string, Value>,
): string | undefined {
  const plain = (value: Value): unknown => {
    switch (value.k) {
      case "str":
        return ["s", value.text, value.complete];
      case "env":
      case "ctx":
      case "request":
      case "response":
      case "unknown":
        return value.k;
      case "self": {
        const attrs: unknown[] = [];
        for (const [name, attr] of value.attrs ?? []) {
          const p = attr.k === "self" ? undefined : plain(attr);
          if (p === undefined) return undefined;
          attrs.push(name, p);
        }
        return ["self", value.cls.module.source.path, value.cls.node.from, value.made === true, value.attrs !== undefined, attrs];
      }
      case "binding":
        return ["b", value.name, value.kind];
      case "envVar":
        return ["e", value.name];
      case "d1Statement":
      case "durableObjectStub":
        return [value.k, value.binding];
      default:
        return undefined;
    }
  };
  const parts: unknown[] = [marking, module.source.path, fn.from];
  for (const value of args) {
    const p = plain(value);
    if (p === undefined) return undefined;
    parts.push(p);
  }
  for (const [name, value] of keywords) {
    const p = plain(value);
    if (p === undefined) return undefined;
    parts.push(name, p);
  }
  return JSON.stringify(parts);
}

/** Whether a node of a `for` statement is among its targets (before `in`). */
function isBeforeIn(node: SyntaxNode): boolean {
  for (let next = node.nextSibling; next; next = next.nextSibling) if (next.name === "in") return true;
  return false;
}

/** A loop body that leaves the loop when its `try:` succeeds (its last statement returns or breaks) and goes round on an exception. */
function isRetryBody(body: SyntaxNode): boolean {
  return childrenOf(body).some((statement) => {
    if (statement.name !== "TryStatement") return false;
    const parts = childrenOf(statement);
    const tryBody = parts.find((p) => p.name === "Body");
    const last = tryBody
      ? childrenOf(tryBody)
          .filter((c) => c.name !== ":" && c.name !== "Comment")
          .pop()
      : undefined;
    return (last?.name === "ReturnStatement" || last?.name === "BreakStatement") && parts.some((p) => p.name === "except");
  });
}

function isSync(sub: PySubrequest): boolean {
  return sub.sync === true;
}

/** Built-in functions: calls to them make no subrequest. */
const BUILTINS = new Set([
  "print",
  "len",
  "str",
  "int",
  "float",
  "bool",
  "dict",
  "list",
  "tuple",
  "set",
  "range",
  "enumerate",
  "zip",
  "map",
  "filter",
  "sorted",
  "min",
  "max",
  "sum",
  "any",
  "all",
  "isinstance",
  "repr",
  "abs",
  "round",
  "hasattr",
  "format",
  "type",
  "iter",
  "next",
  "reversed",
  "open",
  "id",
  "hash",
  "bytes",
  "ValueError",
  "Exception",
  "KeyError",
  "TypeError",
  "RuntimeError",
]);

/** The host of a URL's text: the whole of it, or a beginning that reaches past the host. */
function hostOf(text: string, complete: boolean): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([/?#]|$)/i.exec(text);
  if (!match) return undefined;
  // `f"https://api.example.com{path}"`, `f"{env.BASE}{path}"`: a host name that ends where the unknown
  // part starts counts when it is a whole domain name (a dot, then a top-level label).
  if (!complete && match[3] === "" && !/\.[a-z]{2,}$/i.test(match[2]!)) return undefined;
  const authority = match[2]!.replace(/^[^@]*@/, "");
  const host = authority.startsWith("[") ? authority : authority.replace(/:\d*$/, "");
  return host ? host.toLowerCase() : undefined;
}

function unparenthesized(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.name === "ParenthesizedExpression") {
    const inner = operandsOf(current);
    if (inner.length !== 1) break;
    current = inner[0]!;
  }
  return current;
}

function isKeywordNode(node: SyntaxNode): boolean {
  return /^[a-z]+$/.test(node.name) && node.firstChild === null;
}

/** Operands with keywords kept in place (`a if b else c` is a, if, b, else, c). */
function operandsOfAll(node: SyntaxNode): Array<SyntaxNode | undefined> {
  return childrenOf(node).filter((c) => !["(", ")", ",", ":"].includes(c.name));
}

function backendStepsOf(seq: Seq): BackendStep[] {
  return seq.steps.filter((step) => step.backend > 0).map((step) => ({ count: step.backend, hosts: [...step.hosts.keys()] }));
}

/** The fetch handler a walked path answers for: its round trips, steps and route. */
function fetchHandler(file: string, span: Handler["span"], form: string, seq: Seq): Handler {
  const route = routeOf(seq);
  return { kind: "fetch", file, span, form, roundTrips: seq.backend, backendSteps: backendStepsOf(seq), ...(route ? { route } : {}) };
}
