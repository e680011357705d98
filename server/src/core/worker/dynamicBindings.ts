import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf, HOLE, isEnvLike } from "./syntax";
import type { BindingNames } from "./types";

const {
  isConditionalExpression,
  isElementAccessExpression,
  isEnumDeclaration,
  isIdentifier,
  isLiteralTypeNode,
  isParameter,
  isPropertyAccessExpression,
  isStringLiteralLike,
  isTypeAliasDeclaration,
  isTypeReferenceNode,
  isUnionTypeNode,
} = ts;

/** How far a key is followed (constants naming constants, parameters given parameters). */
const MAX_KEY_DEPTH = 6;
/** How many names a key may stand for before it counts as unknown. */
const MAX_KEY_NAMES = 16;

/**
 * What a binding of each config section is, for `env[name].method(...)` with the name chosen at run
 * time: its label, the methods it has ("any" for a Worker's RPC methods or a kind the table does not
 * know), and whether a call of it may be a round trip to a back end.
 */
interface SectionFacts {
  readonly label: string;
  readonly methods: ReadonlySet<string> | "any";
  readonly backend: boolean;
}

const SECTION_FACTS: Readonly<Record<string, SectionFacts>> = {
  kv_namespaces: { label: "KV namespace", methods: new Set(["get", "getWithMetadata", "put", "delete", "list"]), backend: false },
  r2_buckets: {
    label: "R2 bucket",
    methods: new Set(["get", "put", "head", "list", "delete", "createMultipartUpload", "resumeMultipartUpload"]),
    backend: false,
  },
  d1_databases: { label: "D1 database", methods: new Set(["prepare", "batch", "exec", "dump", "withSession"]), backend: true },
  hyperdrive: { label: "Hyperdrive", methods: new Set(["connect"]), backend: true },
  // Another Worker whose code is not followed: among bindings of other kinds, it may be what reaches
  // a back end (a call on a named service binding, or `env[name]` when every binding is a service, is not one).
  services: { label: "service binding", methods: "any", backend: true },
  "durable_objects.bindings": {
    label: "Durable Object namespace",
    methods: new Set(["get", "getByName", "idFromName", "idFromString", "newUniqueId", "jurisdiction"]),
    backend: false,
  },
  "queues.producers": { label: "queue", methods: new Set(["send", "sendBatch"]), backend: false },
  vectorize: {
    label: "Vectorize index",
    methods: new Set(["query", "queryById", "insert", "upsert", "getByIds", "deleteByIds", "describe"]),
    backend: false,
  },
  analytics_engine_datasets: { label: "Analytics Engine dataset", methods: new Set(["writeDataPoint"]), backend: false },
  dispatch_namespaces: { label: "dispatch namespace", methods: new Set(["get"]), backend: false },
  workflows: { label: "Workflow", methods: new Set(["create", "createBatch", "get"]), backend: false },
  send_email: { label: "email sender", methods: new Set(["send"]), backend: false },
  // A fetch presenting a client certificate to the server the URL names: a back end.
  mtls_certificates: { label: "mTLS certificate", methods: new Set(["fetch"]), backend: true },
  secrets_store_secrets: { label: "Secrets Store secret", methods: new Set(["get"]), backend: false },
  pipelines: { label: "pipeline", methods: new Set(["send"]), backend: false },
  // A service on a private network reached through a tunnel: a back end.
  vpc_services: { label: "VPC service", methods: new Set(["fetch"]), backend: true },
  worker_loaders: { label: "Worker loader", methods: new Set(["get", "load"]), backend: false },
  ratelimits: { label: "rate limiter", methods: new Set(["limit"]), backend: false },
  ai: { label: "Workers AI", methods: new Set(["run", "gateway", "models", "toMarkdown", "autorag"]), backend: false },
  browser: { label: "Browser Rendering", methods: new Set(["fetch"]), backend: false },
  images: { label: "Images", methods: new Set(["input", "info", "hosted"]), backend: false },
  version_metadata: { label: "version metadata", methods: new Set(), backend: false },
  assets: { label: "static assets", methods: new Set(["fetch"]), backend: false },
  // `[[unsafe.bindings]]`: a kind the analysis cannot tell.
  "unsafe.bindings": { label: "unsafe binding", methods: "any", backend: true },
  // Kinds known only as BindingNames' "other" (when the input does not list sections): none is a back end.
  other: { label: "binding", methods: "any", backend: false },
};

/** The section a kind of BindingNames is declared in, for inputs without declaredBindings. */
const KIND_SECTIONS: Readonly<Record<keyof BindingNames, string>> = {
  d1: "d1_databases",
  kv: "kv_namespaces",
  r2: "r2_buckets",
  services: "services",
  durableObjects: "durable_objects.bindings",
  queues: "queues.producers",
  ai: "ai",
  hyperdrive: "hyperdrive",
  assets: "assets",
  other: "other",
};

/** What `env[key].method(...)` calls, as far as it can be told without running the Worker. */
export type DynamicBindingCall =
  /** The key names bindings the analysis classifies: the call is a call on one of them (the worst counts). */
  | {
      readonly kind: "named";
      readonly bindings: ReadonlyArray<{ readonly name: string; readonly kind: keyof BindingNames }>;
      readonly why: string;
    }
  /** Every binding it may be is of a kind that is no back end. */
  | { readonly kind: "binding"; readonly why: string; readonly allServices: boolean }
  /** One it may be is a back end, or it cannot be told. */
  | { readonly kind: "unknown"; readonly why: string };

/**
 * `env[key].method(...)` with a key that is not a literal: (a) a key that resolves to constant names
 * (a const, an imported const, an enum member, a parameter's default or literal-union type, what
 * every call passes) is those bindings; (b) otherwise, or when a name is not one the config
 * declares, it is any binding the config declares that has that method, and no back end when none
 * of those is one; (c) else it stays unknown, naming the candidates that may be back ends.
 */
export function dynamicBindingCall(
  ctx: AnalysisContext,
  receiver: ts.ElementAccessExpression,
  method: string,
  module: ModuleFacts,
  callee: string,
): DynamicBindingCall {
  const keyText = receiver.argumentExpression.getText();
  const declared = declaredOf(ctx);
  const names = keyNames(ctx, receiver.argumentExpression, module, 0);
  let missing: string | undefined;
  if (names && names.length > 0) {
    const bindings: Array<{ name: string; kind: keyof BindingNames }> = [];
    for (const name of names) {
      const kind = ctx.bindingKinds.get(name) ?? ctx.otherEnvBindings.get(name)?.kind;
      if (kind) {
        if (!ctx.bindingKinds.has(name)) ctx.usedOtherEnvBindings.add(name);
        bindings.push({ name, kind });
      }
    }
    const said = names.map((n) => `"${n}"`).join(" or ");
    if (bindings.length === names.length) return { kind: "named", bindings, why: `${keyText} is ${said}` };
    const sectioned = declared.filter((d) => names.includes(d.name));
    if (names.every((n) => sectioned.some((d) => d.name === n))) return judge(sectioned, method, callee, `${keyText} is ${said}`);
    missing = `${keyText} is ${said}, a name the config does not declare as a binding`;
  }
  if (declared.length > 0 && declared.every((d) => d.section === "services"))
    return { kind: "binding", allServices: true, why: `${callee}(...): one of the Worker's service bindings, chosen at run time` };
  const candidates = declared.filter((d) => {
    const facts = SECTION_FACTS[d.section];
    return !facts || facts.methods === "any" || facts.methods.has(method);
  });
  return judge(candidates, method, callee, missing);
}

/** `env[DB_NAME]` whose key resolves to one binding of that kind (a D1 query's database, for its label): its name. */
export function keyedBindingName(
  ctx: AnalysisContext,
  expression: ts.Expression,
  module: ModuleFacts,
  kind: keyof BindingNames,
): string | undefined {
  const value = unwrapExpression(expression);
  if (!isElementAccessExpression(value) || !isEnvLike(value.expression) || isStringLiteralLike(value.argumentExpression)) return undefined;
  const names = keyNames(ctx, value.argumentExpression, module, 0);
  const [only] = names ?? [];
  return names?.length === 1 && only !== undefined && ctx.bindingKinds.get(only) === kind ? only : undefined;
}

function judge(
  candidates: ReadonlyArray<{ readonly name: string; readonly section: string }>,
  method: string,
  callee: string,
  context: string | undefined,
): DynamicBindingCall {
  const prefix = context ? `; ${context}` : "";
  if (candidates.length === 0)
    return {
      kind: "unknown",
      why: `${callee}(...) calls a binding chosen at run time${prefix}; no binding the config declares has ${method}()`,
    };
  const said = (list: typeof candidates): string =>
    list.map((c) => `${c.name} (${SECTION_FACTS[c.section]?.label ?? c.section})`).join(", ");
  const risky = candidates.filter((c) => SECTION_FACTS[c.section]?.backend !== false);
  if (risky.length > 0)
    return { kind: "unknown", why: `${callee}(...) calls a binding chosen at run time, which may be ${said(risky)}${prefix}` };
  return {
    kind: "binding",
    allServices: false,
    why: `${callee}(...): a binding chosen at run time, one of ${said(candidates)}${prefix}; none of them is a back end`,
  };
}

/** The bindings the environment declares with their sections; from the binding kinds when the input does not list them. */
function declaredOf(ctx: AnalysisContext): ReadonlyArray<{ readonly name: string; readonly section: string }> {
  const listed = ctx.input.declaredBindings ?? [];
  const out = [...listed];
  // Also what the input adds by itself (Pages' `ASSETS`), and everything when sections are not given.
  for (const [name, kind] of ctx.bindingKinds) if (!listed.some((d) => d.name === name)) out.push({ name, section: KIND_SECTIONS[kind] });
  return out;
}

/**
 * The strings a binding key may be, each known: a literal, a constant (also imported, or an object
 * table's entry), an enum member, both sides of `c ? a : b`, a parameter's literal-union type, or
 * its default together with what every call of its function passes. Undefined when one is unknown.
 */
function keyNames(ctx: AnalysisContext, expression: ts.Expression, module: ModuleFacts, depth: number): readonly string[] | undefined {
  if (depth > MAX_KEY_DEPTH) return undefined;
  const value = unwrapExpression(expression);
  if (isStringLiteralLike(value)) return [value.text];
  if (isConditionalExpression(value)) {
    const whenTrue = keyNames(ctx, value.whenTrue, module, depth + 1);
    const whenFalse = whenTrue && keyNames(ctx, value.whenFalse, module, depth + 1);
    return whenFalse && whenTrue ? unique([...whenTrue, ...whenFalse]) : undefined;
  }
  if (isPropertyAccessExpression(value) && isIdentifier(value.expression)) {
    const member = enumMember(ctx, value.expression, value.name.text, module);
    if (member !== undefined) return member === null ? undefined : [member];
  }
  if (isIdentifier(value)) {
    const declaration = declarationOf(value);
    if (declaration && isParameter(declaration)) return parameterNames(ctx, declaration, module, depth);
  }
  const texts = ctx.values.evaluateStrings(value, 0);
  return texts && texts.length > 0 && texts.length <= MAX_KEY_NAMES && texts.every((t) => !t.includes(HOLE)) ? unique(texts) : undefined;
}

/** A parameter used as a key: the strings of its literal-union type, else its default and what every call passes. */
function parameterNames(
  ctx: AnalysisContext,
  parameter: ts.ParameterDeclaration,
  module: ModuleFacts,
  depth: number,
): readonly string[] | undefined {
  const typed = parameter.type ? literalUnion(ctx, parameter.type, module, 0) : undefined;
  if (typed) return typed;
  const names: string[] = [];
  if (parameter.initializer) {
    const fallback = keyNames(ctx, parameter.initializer, module, depth + 1);
    if (!fallback) return undefined;
    names.push(...fallback);
  }
  for (const passed of ctx.values.argumentsAtCallSites(parameter)) {
    const given = keyNames(ctx, passed.expression, passed.module, depth + 1);
    if (!given) return undefined;
    names.push(...given);
  }
  return names.length > 0 && names.length <= MAX_KEY_NAMES ? unique(names) : undefined;
}

/** `"A" | "B"`, a type alias of it in the same module, or an enum type: its strings. */
function literalUnion(ctx: AnalysisContext, type: ts.TypeNode, module: ModuleFacts, depth: number): readonly string[] | undefined {
  if (depth > 3) return undefined;
  if (isLiteralTypeNode(type)) return isStringLiteralLike(type.literal) ? [type.literal.text] : undefined;
  if (isUnionTypeNode(type)) {
    const out: string[] = [];
    for (const member of type.types) {
      const texts = literalUnion(ctx, member, module, depth + 1);
      if (!texts) return undefined;
      out.push(...texts);
    }
    return out.length > 0 && out.length <= MAX_KEY_NAMES ? unique(out) : undefined;
  }
  if (isTypeReferenceNode(type) && isIdentifier(type.typeName) && !type.typeArguments) {
    const name = type.typeName.text;
    const alias = module.sourceFile.statements.find((s): s is ts.TypeAliasDeclaration => isTypeAliasDeclaration(s) && s.name.text === name);
    if (alias) return literalUnion(ctx, alias.type, module, depth + 1);
    const found = enumDeclaration(ctx, type.typeName, module);
    if (!found) return undefined;
    const values = found.members.map((m) => (m.initializer && isStringLiteralLike(m.initializer) ? m.initializer.text : undefined));
    return values.length > 0 && values.every((v) => v !== undefined) ? unique(values as string[]) : undefined;
  }
  return undefined;
}

/**
 * `Bindings.CACHE` on an enum of the module or imported: the member's string; null when the enum is
 * found but the member is not a string; undefined when `name` is no enum.
 */
function enumMember(ctx: AnalysisContext, name: ts.Identifier, member: string, module: ModuleFacts): string | null | undefined {
  const found = enumDeclaration(ctx, name, module);
  if (!found) return undefined;
  const declared = found.members.find((m) => (isIdentifier(m.name) || isStringLiteralLike(m.name)) && m.name.text === member);
  return declared?.initializer && isStringLiteralLike(declared.initializer) ? declared.initializer.text : null;
}

function enumDeclaration(ctx: AnalysisContext, name: ts.Identifier, module: ModuleFacts): ts.EnumDeclaration | undefined {
  const own = (facts: ModuleFacts, text: string): ts.EnumDeclaration | undefined =>
    facts.sourceFile.statements.find((s): s is ts.EnumDeclaration => isEnumDeclaration(s) && s.name.text === text);
  if (declarationOf(name)) return undefined;
  const local = own(module, name.text);
  if (local) return local;
  const imported = module.imports.get(name.text);
  if (!imported || imported.name === "*") return undefined;
  const target = ctx.loader.moduleFor(imported.module, module);
  if (!target) return undefined;
  return own(target, target.exports.get(imported.name)?.local ?? imported.name);
}

function unique(texts: readonly string[]): string[] {
  return [...new Set(texts)];
}
