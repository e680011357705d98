import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { runtimeConfigPath, runtimeConfigValue } from "./runtimeConfig";
import { HOLE, declarationOf, findAncestor, isEnvLike, localFunction, printNode, truncate } from "./syntax";
import { LineIndex } from "../text";
import { basename } from "../fs";

const {
  SyntaxKind,
  isArrayLiteralExpression,
  isAwaitExpression,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isConditionalExpression,
  isElementAccessExpression,
  isForOfStatement,
  isIdentifier,
  isNewExpression,
  isNoSubstitutionTemplateLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadElement,
  isStringLiteralLike,
  isTemplateExpression,
  isVariableDeclaration,
  isVariableDeclarationList,
} = ts;

/**
 * Where the host of a URL the analysis cannot resolve comes from: its provenance. A careful reader
 * counts most such URLs as round trips to a back end, because where the host comes from is clear
 * even when its value is not:
 *
 * - `configured`: a variable or secret `[vars]` does not define (`env.API_BASE`), a value kept in KV
 *   (`kv:CONFIG/endpoint`), a Nuxt / Nitro runtime config value left empty (`runtimeConfig.dohUrl`):
 *   assumed to be the app's own back end, named after its source;
 * - `request`: chosen per request, from the incoming request (a query parameter, a header, the path,
 *   a body field, a framework's `c.req.query("url")` or `params.url`): a back end named `request`;
 * - `response`: taken from an earlier response (`res.headers.get("location")`, a body field of
 *   `await res.json()`): a back end named `response`, the reason naming the call it came from;
 * - `origin`: the incoming request's own URL (`fetch(request.url)`, `new URL(request.url)` unchanged):
 *   the origin server, as a pass-through `fetch(request)` is.
 *
 * Anything else (a parameter no call seen passes, what a library returns) has no provenance: the
 * URL stays unknown, and `unknownWhy` may say which construct hides it.
 */
export type HostProvenance =
  | { readonly kind: "configured"; readonly target: string }
  | { readonly kind: "request"; readonly target: "request"; readonly detail: string }
  | { readonly kind: "response"; readonly target: "response"; readonly detail: string }
  | { readonly kind: "origin"; readonly target: "origin" };

/** The part of the request or response a value is (see Origin). */
type Part = "object" | "url" | "query" | "headers" | "body" | "form" | "params" | "value";

/** Where a value comes from, as the walk back from its use finds it. */
type Origin =
  | { readonly kind: "known" }
  | { readonly kind: "configured"; readonly target: string }
  | { readonly kind: "request" | "response"; readonly part: Part; readonly detail?: string; readonly call?: string }
  | { readonly kind: "unknown"; readonly why?: string };

const KNOWN: Origin = { kind: "known" };
const UNKNOWN: Origin = { kind: "unknown" };
const MAX_DEPTH = 40;
const SCHEME_ONLY = /^[a-z][a-z0-9+.-]*:\/\/$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** String and array methods whose result is made of their receiver (`url.trim()`, `list.split("\n")`). */
const DERIVING_METHODS = new Set([
  "trim",
  "trimStart",
  "trimEnd",
  "toLowerCase",
  "toUpperCase",
  "normalize",
  "replace",
  "replaceAll",
  "slice",
  "substring",
  "substr",
  "split",
  "match",
  "at",
  "concat",
  "padEnd",
  "padStart",
  "filter",
  "find",
  "join",
  "flat",
  "toString",
  "valueOf",
]);

/** Global functions whose result is made of their first argument (`decodeURIComponent(target)`). */
const DERIVING_FUNCTIONS = new Set(["decodeURIComponent", "decodeURI", "encodeURI", "atob", "String", "unescape"]);

/** Body readers of a Request or Response: their result is its body. */
const BODY_READERS = new Set(["json", "text", "formData"]);

/** h3 / Nuxt / Nitro helpers that read the incoming request, by the part they read. */
const H3_READERS: ReadonlyMap<string, Part> = new Map<string, Part>([
  ["getQuery", "query"],
  ["getValidatedQuery", "query"],
  ["getRouterParams", "params"],
  ["getValidatedRouterParams", "params"],
  ["readBody", "body"],
  ["readValidatedBody", "body"],
  ["readFormData", "form"],
  ["getRequestURL", "url"],
  ["getHeaders", "headers"],
  ["getRequestHeaders", "headers"],
]);

/** Where Nuxt and Nitro re-export h3's helpers from. */
const H3_RUNTIMES = new Set(["#imports", "nitropack/runtime", "nitro/runtime", "#nitro"]);

/**
 * Whether a call is being classified to see if it is a round trip (see callOrigin): its own URL may
 * come from an answer of the same call (`u = (await api.get(u).json()).next`), so not again.
 */
let classifying = 0;

/** Per-analysis walk state: what is being followed, to stop at cycles. */
interface Walk {
  readonly ctx: AnalysisContext;
  readonly visiting: Set<ts.Node | string>;
  /** Values looked at so far: past MAX_STEPS the provenance is unknown (a bound, whatever the code's shape). */
  steps: number;
}

/** How many values one URL's provenance may look at. */
const MAX_STEPS = 2000;

/**
 * The provenance of the host of `url` (a fetch's first argument, a client's URL), or the reason it
 * has none: `{ unknown: "..." }` naming the construct that hides it, when one is found.
 */
export function hostProvenance(
  ctx: AnalysisContext,
  url: ts.Expression,
  module: ModuleFacts,
): HostProvenance | { readonly unknown?: string } {
  const origin = hostOrigin({ ctx, visiting: new Set(), steps: 0 }, url, module, 0);
  switch (origin.kind) {
    case "configured":
      return { kind: "configured", target: origin.target };
    case "request":
      if (origin.part === "url" || origin.part === "object") return { kind: "origin", target: "origin" };
      return { kind: "request", target: "request", detail: describe(origin) };
    case "response":
      return { kind: "response", target: "response", detail: describe(origin) };
    case "unknown":
      return origin.why ? { unknown: origin.why } : {};
    default:
      return {};
  }
}

/** "query parameter url", "header location of the response to fetch(...) at index.ts:12". */
function describe(origin: Extract<Origin, { part: Part }>): string {
  const what =
    origin.detail ??
    {
      object: origin.kind === "request" ? "the request" : "the response",
      url: origin.kind === "request" ? "the request URL" : "the response URL",
      query: "the query string",
      headers: "a header",
      body: "the body",
      form: "a form field",
      params: "a path parameter",
      value: origin.kind === "request" ? "the request" : "the response",
    }[origin.part];
  if (!origin.call) return what;
  return origin.detail === undefined && (origin.part === "object" || origin.part === "value")
    ? `the response to ${origin.call}`
    : `${what} of the response to ${origin.call}`;
}

/** Where the host of a URL comes from: only the part of the URL that makes its host counts. */
function hostOrigin(walk: Walk, expression: ts.Expression, module: ModuleFacts, depth: number): Origin {
  if (depth > MAX_DEPTH) return UNKNOWN;
  let value = unwrapExpression(expression);
  if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
  const parts = concatenation(value);
  if (parts) return hostOfParts(walk, parts, module, depth);
  if (isNewExpression(value) && isIdentifier(value.expression)) {
    const [first, second] = value.arguments ?? [];
    if (value.expression.text === "Request" && first) {
      // `new Request(request.url, request)`, `new Request(request)`: the incoming request, passed on.
      if (walk.ctx.values.isIncomingRequest(value)) return { kind: "request", part: "object" };
      return hostOrigin(walk, first, module, depth + 1);
    }
    if (value.expression.text === "URL" && first) {
      const path = walk.ctx.values.evaluateString(first, 0);
      if (second && (path === undefined || !path.includes("://"))) {
        // `new URL(path, base)` with a path: the base's host, unless the path may be a whole URL of its own.
        if (path === undefined) {
          const own = hostOrigin(walk, first, module, depth + 1);
          if (own.kind !== "unknown" && own.kind !== "known") return own;
        }
        return hostOrigin(walk, second, module, depth + 1);
      }
      return hostOrigin(walk, first, module, depth + 1);
    }
  }
  if (
    isPropertyAccessExpression(value) &&
    ["href", "origin", "host", "hostname"].includes(value.name.text) &&
    !isEnvLike(value.expression)
  ) {
    const inner = hostOrigin(walk, value.expression, module, depth + 1);
    if (inner.kind !== "unknown") return inner;
  }
  if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "toString")
    return hostOrigin(walk, value.expression.expression, module, depth + 1);
  return valueOrigin(walk, value, module, depth + 1);
}

/** The literal and expression parts of a template or a `+` chain, in order; undefined for anything else. */
function concatenation(value: ts.Expression): Array<string | ts.Expression> | undefined {
  if (isTemplateExpression(value)) {
    const out: Array<string | ts.Expression> = [value.head.text];
    for (const span of value.templateSpans) out.push(span.expression, span.literal.text);
    return out;
  }
  if (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken) {
    const left = unwrapExpression(value.left);
    const right = unwrapExpression(value.right);
    const out: Array<string | ts.Expression> = [];
    for (const side of [left, right]) {
      if (isStringLiteralLike(side)) out.push(side.text);
      else out.push(...(concatenation(side) ?? [side]));
    }
    return out;
  }
  return undefined;
}

/**
 * The host of a URL made of parts (`https://${host}/x`, `${base}/users`, `"https://" + sub + ".example.com"`):
 * the parts before the first `/`, `?` or `#` after the scheme. A host made of a configured part and a
 * per-request part (`https://${tenant}.${env.SUFFIX}`) is chosen per request.
 */
function hostOfParts(walk: Walk, parts: ReadonlyArray<string | ts.Expression>, module: ModuleFacts, depth: number): Origin {
  const hostParts: ts.Expression[] = [];
  let started = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === "string") {
      let text = part;
      if (!started) {
        if (text === "") continue;
        if (SCHEME.test(text)) text = text.replace(SCHEME, "");
        else if (hostParts.length === 0) return KNOWN; // a path, or a literal that is not a URL
        started = true;
      }
      if (/[/?#]/.test(text)) break;
      continue;
    }
    // The first part without a scheme before it is a whole URL (`${base}/users`, `${base}record`): its
    // host. Followed by more of a host name (`${sub}.example.com`), it is part of one.
    if (!started && hostParts.length === 0) {
      const next = parts[i + 1];
      if (!(typeof next === "string" && /^[.-][a-z0-9]/i.test(next))) return hostOrigin(walk, part, module, depth + 1);
    }
    started = true;
    hostParts.push(part);
  }
  if (hostParts.length === 0) return KNOWN;
  // `https://${host}/x`: the host is that one value, which ends where the next literal starts a port, path, query or fragment.
  const after = parts[2];
  if (
    hostParts.length === 1 &&
    typeof parts[0] === "string" &&
    SCHEME_ONLY.test(parts[0]) &&
    parts[1] === hostParts[0] &&
    (after === undefined || (typeof after === "string" && /^([/?#:]|$)/.test(after)))
  )
    return valueOrigin(walk, hostParts[0]!, module, depth + 1);
  const origins = hostParts.map((p) => valueOrigin(walk, p, module, depth + 1));
  // Part of the host from one source and part from another: only a per-request or per-response choice is a host of its own.
  const chosen =
    origins.find((o) => o.kind === "request" && o.part !== "url" && o.part !== "object") ?? origins.find((o) => o.kind === "response");
  if (chosen) return chosen;
  return { kind: "unknown" };
}

/**
 * Where a value comes from: configuration, the request (and which part of it), a response, or
 * nothing the analysis can name. Only the whole of a host counts as configured: hostOfParts takes
 * no configured part of a host made of several (`https://${tenant}.${env.SUFFIX}`).
 */
function valueOrigin(walk: Walk, expression: ts.Expression, module: ModuleFacts, depth: number): Origin {
  if (depth > MAX_DEPTH || ++walk.steps > MAX_STEPS) return UNKNOWN;
  const { ctx } = walk;
  let value = unwrapExpression(expression);
  if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
  if (isStringLiteralLike(value) || isNoSubstitutionTemplateLiteral(value)) return KNOWN;
  // Known in full (a constant, a `[vars]` entry, an entry of a constant table): nothing to trace.
  if (!isCallExpression(value)) {
    const texts = ctx.values.evaluateStrings(value, 0);
    if (texts && texts.every((t) => !t.includes(HOLE))) return KNOWN;
  }
  const kv = kvSource(ctx, value);
  if (kv) return { kind: "configured", target: kv };
  if (isTemplateExpression(value) || (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken))
    return hostOrigin(walk, value, module, depth + 1);
  // `env.API_BASE || ""`, `url ?? DEFAULT`: the value on the left is what is used when it is set.
  // `(key && process.env[key]) || process.env.SLACK_WEBHOOK_URL`: a variable chosen at run time, else
  // the named one: that one names the source (both are configuration).
  if (
    isBinaryExpression(value) &&
    (value.operatorToken.kind === SyntaxKind.BarBarToken || value.operatorToken.kind === SyntaxKind.QuestionQuestionToken)
  ) {
    if (isDynamicEnvRead(value.left)) return valueOrigin(walk, value.right, module, depth + 1);
    const left = valueOrigin(walk, value.left, module, depth + 1);
    return left.kind === "known" ? valueOrigin(walk, value.right, module, depth + 1) : left;
  }
  if (isConditionalExpression(value))
    return combine([valueOrigin(walk, value.whenTrue, module, depth + 1), valueOrigin(walk, value.whenFalse, module, depth + 1)]);
  // Nuxt / Nitro `useRuntimeConfig(event).dohUrl` left empty in nuxt.config: set from `NUXT_*` variables at run time.
  const runtimePath = runtimeConfigPath(value, module);
  if (runtimePath?.length) {
    const configured = runtimeConfigValue(ctx, runtimePath);
    return configured === null ? { kind: "configured", target: `runtimeConfig.${runtimePath.join(".")}` } : KNOWN;
  }
  if (isPropertyAccessExpression(value) && isEnvLike(value.expression)) return envOrigin(ctx, value.name.text);
  if (isElementAccessExpression(value) && isEnvLike(value.expression) && isStringLiteralLike(value.argumentExpression))
    return envOrigin(ctx, value.argumentExpression.text);
  if (ctx.values.isIncomingRequest(value)) return { kind: "request", part: "object" };
  if (isNewExpression(value) && isIdentifier(value.expression) && (value.expression.text === "URL" || value.expression.text === "Request"))
    return hostOrigin(walk, value, module, depth + 1);
  if (isArrayLiteralExpression(value))
    return combine(value.elements.map((e) => valueOrigin(walk, isSpreadElement(e) ? e.expression : e, module, depth + 1)));
  if (isPropertyAccessExpression(value)) return propertyOrigin(walk, value, module, depth);
  if (isElementAccessExpression(value)) {
    const key = isStringLiteralLike(value.argumentExpression) ? value.argumentExpression.text : undefined;
    const holder = valueOrigin(walk, value.expression, module, depth + 1);
    return key !== undefined ? access(holder, key) : derived(holder);
  }
  if (isCallExpression(value)) return callOrigin(walk, value, module, depth);
  if (isIdentifier(value)) return identifierOrigin(walk, value, module, depth);
  return UNKNOWN;
}

/** `holder.name`: a property of an object literal the holder is, else that part of where the holder comes from. */
function propertyOrigin(walk: Walk, value: ts.PropertyAccessExpression, module: ModuleFacts, depth: number): Origin {
  const { ctx } = walk;
  const name = value.name.text;
  // Hono's `c.req`, the request event's `event.request` and `event.url` (SvelteKit), Astro's `Astro.url`.
  if (name === "req" && isIdentifier(value.expression)) return { kind: "request", part: "object" };
  if (name === "url" && isIdentifier(value.expression) && /^(event|e|ctx|context|Astro)$/.test(value.expression.text)) {
    const declaration = declarationOf(value.expression);
    if (!declaration || isParameter(declaration)) return { kind: "request", part: "url" };
  }
  if (name === "params" && isIdentifier(value.expression) && /^(event|e|ctx|context|Astro)$/.test(value.expression.text))
    return { kind: "request", part: "params" };
  if (value.expression.kind === SyntaxKind.ThisKeyword) {
    // A field given values made from itself (`this.base = this.base + "/x"`) is not followed round again.
    const key = `${value.getSourceFile().fileName}\u0000${findAncestor(value, ts.isClassLike)?.pos ?? -1}\u0000${name}`;
    if (walk.visiting.has(key)) return UNKNOWN;
    walk.visiting.add(key);
    try {
      const sources = ctx.values.thisMemberValues(value, module);
      return sources.length ? combine(sources.map((s) => valueOrigin(walk, s.expression, s.module, depth + 1))) : UNKNOWN;
    } finally {
      walk.visiting.delete(key);
    }
  }
  // An object literal the holder holds (`const target = { url: ... }`, what a helper returns): that property.
  const selected = selectProperty(walk, value.expression, name, module, depth + 1);
  if (selected) return selected;
  return access(valueOrigin(walk, value.expression, module, depth + 1), name);
}

/**
 * Property `name` of the object literals an expression may hold (written there, held by a variable,
 * passed for a parameter, returned by a helper with its parameters holding the call's arguments):
 * where that property's values come from. Undefined when one of the values is not an object literal.
 */
function selectProperty(walk: Walk, expression: ts.Expression, name: string, module: ModuleFacts, depth: number): Origin | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const { ctx } = walk;
  let value = unwrapExpression(expression);
  if (isAwaitExpression(value)) value = unwrapExpression(value.expression);
  const all = (sources: readonly { expression: ts.Expression; module: ModuleFacts }[]): Origin | undefined => {
    if (!sources.length) return undefined;
    const found: Origin[] = [];
    for (const source of sources) {
      const origin = selectProperty(walk, source.expression, name, source.module, depth + 1);
      if (!origin) return undefined;
      found.push(origin);
    }
    return combine(found);
  };
  if (isObjectLiteralExpression(value)) {
    const property = propertyOf(value, name);
    return property ? valueOrigin(walk, property, module, depth + 1) : undefined;
  }
  if (isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (!declaration || walk.visiting.has(declaration)) return undefined;
    if (isVariableDeclaration(declaration)) {
      walk.visiting.add(declaration);
      try {
        return all(ctx.values.valuesOf(value, module));
      } finally {
        walk.visiting.delete(declaration);
      }
    }
    if (isParameter(declaration)) {
      const here = ctx.values.passedHere(declaration);
      return all(here ? [here] : ctx.values.argumentsPassedFor(declaration));
    }
    return undefined;
  }
  if (isCallExpression(value)) {
    const fn = ctx.values.calledFunction(unwrapExpression(value.expression), module);
    if (!fn || walk.visiting.has(fn.fn)) return undefined;
    walk.visiting.add(fn.fn);
    try {
      const returned = ctx.values.returnedValues(fn.fn, fn.module);
      return ctx.values.withCallArguments(fn, value.arguments, () => all(returned));
    } finally {
      walk.visiting.delete(fn.fn);
    }
  }
  return undefined;
}

function propertyOf(literal: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of literal.properties) {
    if (
      isPropertyAssignment(property) &&
      (isIdentifier(property.name) || isStringLiteralLike(property.name)) &&
      property.name.text === name
    )
      return property.initializer;
    if (isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

function callOrigin(walk: Walk, value: ts.CallExpression, module: ModuleFacts, depth: number): Origin {
  const { ctx } = walk;
  const callee = unwrapExpression(value.expression);
  const [first] = value.arguments;
  // A call that is itself a round trip through a client (`await ky.get(url).json()`, `axios.get(url)`,
  // a database query): what it answers, already read (a global fetch's Response is below).
  if (classifying === 0 && isPropertyAccessExpression(callee) && callee.name.text !== "fetch") {
    classifying++;
    try {
      const sent = ctx.classifier.classify(value, callee, value.arguments, module);
      // Not a binding's answer, nor a call the analyser cannot tell is a round trip at all (an unknown client's method).
      if (typeof sent === "object" && sent.category !== "binding" && !(sent.category === "unknown" && sent.kind === "other"))
        return { kind: "response", part: "value", call: callName(value, module) };
    } finally {
      classifying--;
    }
  }
  if (isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    // `JSON.parse(text)`
    if (isIdentifier(callee.expression) && callee.expression.text === "JSON" && method === "parse" && first)
      return derived(valueOrigin(walk, first, module, depth + 1));
    // A response: `await fetch(url)`, `env.SERVICE.fetch(request)`.
    if (method === "fetch") return { kind: "response", part: "object", call: callName(value, module) };
    // `request.clone()`: the same request.
    if (method === "clone" && value.arguments.length === 0) return valueOrigin(walk, callee.expression, module, depth + 1);
    if (BODY_READERS.has(method)) {
      const holder = valueOrigin(walk, callee.expression, module, depth + 1);
      return isPart(holder) && (holder.part === "object" || holder.part === "value")
        ? { ...holder, part: method === "formData" ? "form" : "body", detail: undefined }
        : derived(holder);
    }
    // `searchParams.get("url")`, `headers.get("x-target")`, `form.get("url")`.
    // (`api.get("https://...")` on a client is a call of its own: looked at below.)
    if ((method === "get" || method === "getAll") && first && isStringLiteralLike(first)) {
      const holder = valueOrigin(walk, callee.expression, module, depth + 1);
      if (holder.kind !== "unknown") return access(holder, first.text);
    }
    // Hono: `c.req.query("url")`, `c.req.param("id")`, `c.req.header("x-target")`, `c.req.json()`.
    if (
      (method === "query" || method === "param" || method === "header" || method === "queries") &&
      isRequestObject(walk, callee.expression, module, depth)
    ) {
      const part: Part = method === "param" ? "params" : method === "header" ? "headers" : "query";
      const key = first && isStringLiteralLike(first) ? first.text : undefined;
      return key !== undefined ? access({ kind: "request", part }, key) : { kind: "request", part };
    }
    if (DERIVING_METHODS.has(method)) return derived(valueOrigin(walk, callee.expression, module, depth + 1));
  }
  if (isIdentifier(callee)) {
    if ((callee.text === "fetch" || callee.text === "$fetch" || callee.text === "ofetch") && !localFunction(callee)) {
      const imported = module.imports.get(callee.text);
      if (!imported || imported.module === "ofetch") {
        const call = callName(value, module);
        // `$fetch` and `ofetch` give the body, parsed.
        return { kind: "response", part: callee.text === "fetch" ? "object" : "body", call };
      }
    }
    if (DERIVING_FUNCTIONS.has(callee.text) && first && !localFunction(callee) && !module.imports.has(callee.text))
      return derived(valueOrigin(walk, first, module, depth + 1));
    // h3 / Nuxt / Nitro: `getQuery(event).url`, `getRouterParam(event, "id")`, `getHeader(event, "x")`.
    // h3's helpers, imported or auto-imported by Nuxt / Nitro.
    const imported = module.imports.get(callee.text);
    const h3 = !localFunction(callee) && (!imported || imported.module === "h3" || H3_RUNTIMES.has(imported.module));
    const reads = h3 ? H3_READERS.get(callee.text) : undefined;
    if (reads) return { kind: "request", part: reads };
    const key = value.arguments[1];
    if (h3 && (callee.text === "getRouterParam" || callee.text === "getHeader" || callee.text === "getRequestHeader"))
      return access(
        { kind: "request", part: callee.text === "getRouterParam" ? "params" : "headers" },
        key && isStringLiteralLike(key) ? key.text : "",
      );
  }
  // What a function of the project returns for this call, its parameters holding the call's arguments.
  const fn = ctx.values.calledFunction(callee, module);
  if (fn) {
    if (walk.visiting.has(fn.fn)) return UNKNOWN;
    walk.visiting.add(fn.fn);
    try {
      const returned = ctx.values.returnedValues(fn.fn, fn.module);
      if (!returned.length) return UNKNOWN;
      return ctx.values.withCallArguments(fn, value.arguments, () =>
        combine(returned.map((r) => valueOrigin(walk, r.expression, r.module, depth + 1))),
      );
    } finally {
      walk.visiting.delete(fn.fn);
    }
  }
  const root = isIdentifier(callee) ? callee : isPropertyAccessExpression(callee) ? leftmost(callee) : undefined;
  const imported = root ? module.imports.get(root.text) : undefined;
  if (imported) return { kind: "unknown", why: `what ${truncate(printNode(callee))}(...) from "${imported.module}" returns` };
  return UNKNOWN;
}

function identifierOrigin(walk: Walk, value: ts.Identifier, module: ModuleFacts, depth: number): Origin {
  const { ctx } = walk;
  const declaration = declarationOf(value);
  if (declaration && isParameter(declaration)) {
    const here = ctx.values.passedHere(declaration);
    if (here) return valueOrigin(walk, here.expression, here.module, depth + 1);
    if (ctx.values.isIncomingRequest(value)) return { kind: "request", part: "object" };
    const passed = ctx.values.argumentsPassedFor(declaration);
    if (passed.length) return combine(passed.map((p) => valueOrigin(walk, p.expression, p.module, depth + 1)));
    const fn = declaration.parent;
    const name = fn.name && (isIdentifier(fn.name) || isStringLiteralLike(fn.name)) ? ` of ${fn.name.text}` : "";
    return {
      kind: "unknown",
      why: `the parameter ${truncate(printNode(declaration.name))}${name}, which no call the analysis follows passes`,
    };
  }
  if (declaration && isBindingElement(declaration)) return bindingOrigin(walk, declaration, module, depth);
  if (declaration && isVariableDeclaration(declaration)) {
    if (walk.visiting.has(declaration)) return UNKNOWN;
    walk.visiting.add(declaration);
    try {
      // `for (const line of lines)`: an element of the list.
      const list = declaration.parent;
      if (!declaration.initializer && isVariableDeclarationList(list) && isForOfStatement(list.parent) && list.parent.initializer === list)
        return derived(valueOrigin(walk, list.parent.expression, module, depth + 1));
      // `url.hostname = ...` on a URL object: the host is what is assigned.
      if (isIdentifier(declaration.name)) {
        const name = declaration.name.text;
        const hosts = [
          ...(module.assignments.get(name + ".hostname") ?? []),
          ...(module.assignments.get(name + ".host") ?? []),
          ...(module.assignments.get(name + ".href") ?? []),
        ];
        const own = hosts.filter(
          (a) => isPropertyAccessExpression(a.left) && isIdentifier(a.left.expression) && declarationOf(a.left.expression) === declaration,
        );
        if (own.length) return combine(own.map((a) => valueOrigin(walk, a.right, module, depth + 1)));
      }
      const values = ctx.values.valuesOf(value, module);
      return values.length ? combine(values.map((v) => valueOrigin(walk, v.expression, v.module, depth + 1))) : UNKNOWN;
    } finally {
      walk.visiting.delete(declaration);
    }
  }
  if (declaration) return UNKNOWN;
  if (Object.hasOwn(ctx.input.vars, value.text) && !module.imports.has(value.text)) return KNOWN;
  const values = ctx.values.valuesOf(value, module);
  return values.length ? combine(values.map((v) => valueOrigin(walk, v.expression, v.module, depth + 1))) : UNKNOWN;
}

/** `const { url } = await request.json()`, `function load({ url, params })`, `const { API_BASE } = env`. */
function bindingOrigin(walk: Walk, element: ts.BindingElement, module: ModuleFacts, depth: number): Origin {
  const pattern = element.parent;
  const key = element.propertyName ?? element.name;
  const name = isIdentifier(key) || isStringLiteralLike(key) ? key.text : undefined;
  const holder = pattern.parent;
  let source: Origin;
  if (isVariableDeclaration(holder) && holder.initializer) {
    if (isObjectBindingPattern(pattern) && isEnvLike(holder.initializer) && name) return envOrigin(walk.ctx, name);
    const runtimePath = runtimeConfigPath(element.name as ts.Identifier, module);
    if (runtimePath?.length) {
      const configured = runtimeConfigValue(walk.ctx, runtimePath);
      return configured === null ? { kind: "configured", target: `runtimeConfig.${runtimePath.join(".")}` } : KNOWN;
    }
    const selected =
      name && isObjectBindingPattern(pattern) ? selectProperty(walk, holder.initializer, name, module, depth + 1) : undefined;
    if (selected) return selected;
    source = valueOrigin(walk, holder.initializer, module, depth + 1);
  } else if (isParameter(holder)) {
    if (isObjectBindingPattern(pattern) && name) {
      // A framework's request event destructured: `({ request, params, url })`.
      const fn = holder.parent;
      if (fn.parameters.indexOf(holder) === 0 && !walk.ctx.values.passedHere(holder)) {
        if (name === "request" || name === "req") return { kind: "request", part: "object" };
        if (name === "params") return { kind: "request", part: "params" };
        if (name === "url" && !walk.ctx.values.argumentsPassedFor(holder).length) return { kind: "request", part: "url" };
      }
    }
    const here = walk.ctx.values.passedHere(holder);
    const passed = here ? [here] : walk.ctx.values.argumentsPassedFor(holder);
    if (!passed.length) return UNKNOWN;
    source = combine(passed.map((p) => valueOrigin(walk, p.expression, p.module, depth + 1)));
  } else if (isBindingElement(holder)) {
    source = bindingOrigin(walk, holder, module, depth + 1);
  } else return UNKNOWN;
  return name !== undefined && isObjectBindingPattern(pattern) ? access(source, name) : derived(source);
}

/** Whether an expression is the incoming request or a framework's wrapper of it (`c.req`). */
function isRequestObject(walk: Walk, expression: ts.Expression, module: ModuleFacts, depth: number): boolean {
  const origin = valueOrigin(walk, expression, module, depth + 1);
  return origin.kind === "request" && origin.part === "object";
}

function isPart(origin: Origin): origin is Extract<Origin, { part: Part }> {
  return origin.kind === "request" || origin.kind === "response";
}

/** `holder.name` (or `holder.get(name)`): the part of the request or response it reads. */
function access(holder: Origin, name: string): Origin {
  if (!isPart(holder)) return holder;
  const { part } = holder;
  const is = (next: Part, detail?: string): Origin => ({ ...holder, part: next, detail: holder.detail ?? detail });
  switch (part) {
    case "object":
      if (name === "url") return { ...holder, part: "url" };
      if (name === "headers") return is("headers");
      if (name === "query") return is("query");
      if (name === "params") return is("params");
      if (name === "body") return is("body");
      return is("value");
    case "url":
      if (name === "searchParams") return is("query");
      if (name === "pathname") return is("value", "the path");
      if (name === "search" || name === "hash") return is("value", "the query string");
      if (["host", "hostname", "origin", "href", "protocol", "port"].includes(name)) return holder;
      return is("value");
    case "query":
      return is("value", `query parameter ${name}`);
    case "headers":
      return is("value", `header ${name.toLowerCase()}`);
    case "body":
      return is("value", `body field ${name}`);
    case "form":
      return is("value", `form field ${name}`);
    case "params":
      return is("value", `path parameter ${name}`);
    default:
      return holder;
  }
}

/** A value made from another (`s.trim()`, `parts[1]`): from the same place, no longer the whole URL. */
function derived(origin: Origin): Origin {
  if (!isPart(origin)) return origin;
  if (origin.part === "object" || origin.part === "url")
    return { ...origin, part: "value", detail: origin.detail ?? (origin.part === "url" ? "the request URL" : undefined) };
  return origin;
}

/**
 * One origin for several values a name may hold: unknown if one is; values known in full add
 * nothing; a per-request choice wins over a response, which wins over configuration; two
 * configuration sources are unknown (the host is not one source's).
 */
function combine(origins: readonly Origin[]): Origin {
  const unknown = origins.find((o) => o.kind === "unknown");
  if (unknown) return unknown;
  const request = origins.filter((o) => o.kind === "request" && o.part !== "url" && o.part !== "object");
  if (request.length) return request[0]!;
  const response = origins.find((o) => o.kind === "response");
  if (response) return response;
  const own = origins.find((o) => o.kind === "request");
  if (own) return origins.every((o) => o.kind === "request" || o.kind === "known") ? own : UNKNOWN;
  const configured = new Set(origins.flatMap((o) => (o.kind === "configured" ? [o.target] : [])));
  if (configured.size > 1) return UNKNOWN;
  const [target] = configured;
  if (target) return origins.every((o) => o.kind === "configured") ? { kind: "configured", target } : UNKNOWN;
  return origins.length ? KNOWN : UNKNOWN;
}

function callName(call: ts.CallExpression, module: ModuleFacts): string {
  const line = new LineIndex(module.text).positionAt(call.getStart(module.sourceFile)).line + 1;
  return `${truncate(printNode(call.expression))}(...) at ${basename(module.path)}:${line}`;
}

function leftmost(access: ts.PropertyAccessExpression): ts.Identifier | undefined {
  let current: ts.Expression = access;
  while (isPropertyAccessExpression(current)) current = current.expression;
  return isIdentifier(current) ? current : undefined;
}

/** `env[key]`, `process.env[name]` with a key known only at run time, also behind a guard (`key && env[key]`). */
function isDynamicEnvRead(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) return isDynamicEnvRead(value.right);
  return isElementAccessExpression(value) && isEnvLike(value.expression) && !isStringLiteralLike(value.argumentExpression);
}

/**
 * A value read from a KV namespace the Worker configures itself with: `await env.CONFIG.get("endpoint")`,
 * also as JSON (`get(key, "json")`, `JSON.parse(await ...)`). Named `kv:CONFIG/endpoint`.
 */
function kvSource(ctx: AnalysisContext, value: ts.Expression): string | undefined {
  let current = value;
  if (isAwaitExpression(current)) current = unwrapExpression(current.expression);
  if (
    isCallExpression(current) &&
    isPropertyAccessExpression(current.expression) &&
    isIdentifier(current.expression.expression) &&
    current.expression.expression.text === "JSON" &&
    current.expression.name.text === "parse" &&
    current.arguments[0]
  )
    return kvSource(ctx, unwrapExpression(current.arguments[0]));
  if (!isCallExpression(current) || !isPropertyAccessExpression(current.expression) || current.expression.name.text !== "get")
    return undefined;
  const key = current.arguments[0];
  const binding = ctx.values.bindingOf(unwrapExpression(current.expression.expression));
  if (binding?.kind !== "kv" || !key || !isStringLiteralLike(key)) return undefined;
  return `kv:${binding.name}/${key.text}`;
}

/** A variable or secret the Worker's `[vars]` does not define is configured; one it defines is known. */
function envOrigin(ctx: AnalysisContext, name: string): Origin {
  if (name in ctx.input.vars) return KNOWN;
  // A list or table in [vars] read where it holds no string (a key it does not have): not a secret.
  const structured = ctx.input.structuredVars;
  if (structured && Object.hasOwn(structured, name))
    return {
      kind: "unknown",
      why: `read from [vars] ${name}, a ${Array.isArray(structured[name]) ? "list" : "value"} that holds no string at that place`,
    };
  if (ctx.bindingKinds.has(name)) return UNKNOWN;
  return { kind: "configured", target: `env.${name}` };
}

/** The reason line for a host with a provenance, counted as a back end unless the host settings say otherwise. */
export function provenanceNote(provenance: HostProvenance, what: string): string {
  const listed = (name: string): string => `list "${name}" in the hosts.global or hosts.analytics setting if it is not`;
  switch (provenance.kind) {
    case "configured": {
      const source = provenance.target;
      const origin = source.startsWith("kv:")
        ? "a value the Worker keeps in KV"
        : source.startsWith("runtimeConfig.")
          ? "a Nuxt / Nitro runtime config value nuxt.config leaves empty (set from a NUXT_* or NITRO_* variable at run time)"
          : "a variable or secret not in [vars]";
      return `${what}: the host comes from ${source}, ${origin}: assumed to be the app's own back end (${listed(source)})`;
    }
    case "request":
      return `${what}: the host is chosen per request (${provenance.detail}): counted as a round trip to a back end (${listed("request")})`;
    case "response":
      return `${what}: the host is taken from an earlier response (${provenance.detail}): counted as a round trip to a back end (${listed("response")})`;
    case "origin":
      return `${what}: the URL is the incoming request's own: the origin server`;
  }
}
