import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { printNode, propertyInitializer, rootImport, spanOf, truncate, type FunctionRef } from "../syntax";
import { firstAnswer } from "../values";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const {
  isArrayLiteralExpression,
  isCallExpression,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isSpreadAssignment,
  isStringLiteralLike,
} = ts;

const MAX_DEPTH = 8;
/** Calls that make a schema from type definitions and a resolver map. */
const SCHEMA_FACTORIES = new Set(["createSchema", "makeExecutableSchema"]);
/** Pothos builder methods whose fields belong to a root type, by the type. */
const POTHOS_ROOTS: ReadonlyArray<readonly [string, string]> = [
  ["query", "Query"],
  ["mutation", "Mutation"],
  ["subscription", "Subscription"],
];
/** Apollo Server's Express integrations, which export `expressMiddleware(server)`. */
const APOLLO_EXPRESS = new Set(["@as-integrations/express5", "@as-integrations/express4", "@apollo/server/express4"]);
/** Properties of a field's options that the GraphQL executor runs for a request. */
const RESOLVER_KEYS = new Set(["resolve", "subscribe"]);

function isYogaModule(name: string): boolean {
  return name === "graphql-yoga" || name.startsWith("@graphql-yoga/");
}

function nameOf(property: ts.ObjectLiteralElementLike): string | undefined {
  return property.name && (isIdentifier(property.name) || isStringLiteralLike(property.name)) ? property.name.text : undefined;
}

/**
 * GraphQL Yoga: `createYoga({ schema })` answers every request at its endpoint (`/graphql` unless
 * `graphqlEndpoint` says otherwise) by running the resolvers the query names, so each resolver is a
 * request path (the worst one counts). Served as `export default yoga`, `yoga.fetch(request)` or
 * `yoga.handleRequest(request, context)`. The schema is `createSchema({ typeDefs, resolvers })`
 * (also `makeExecutableSchema` of graphql-tools), whose resolver map is `{ Type: { field: fn |
 * { resolve } } }`, or a Pothos builder's `toSchema()`, whose resolvers are the `resolve` functions
 * of the fields registered on the builder (`builder.queryField("name", (t) => t.field({ resolve }))`,
 * `builder.mutationFields(...)`, `builder.objectField(Type, ...)`, `builder.queryType({ fields })`)
 * in any module of the Worker.
 */
export class GraphqlAdapter implements HandlerAdapter {
  readonly name = "GraphQL Yoga: createYoga, createSchema, Pothos";
  private readonly byCall = new Map<ts.Node, HandlerSite[]>();

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value)) return undefined;
    const root = rootImport(value.expression, module);
    // Apollo Server's Workers integration: `startServerAndCreateCloudflareWorkersHandler(server, options)`
    // answers every request by running the server's resolvers.
    if (root && root.module === "@as-integrations/cloudflare-workers" && root.name === "startServerAndCreateCloudflareWorkersHandler")
      return this.apolloSites(value.arguments[0], module, "*", `${context.form} Apollo Server`, value);
    if (!root || !isYogaModule(root.module) || root.name !== "createYoga") return undefined;
    return this.served(value, module, context.form);
  }

  /**
   * Apollo Server mounted on an Express app with `expressMiddleware(server)` (`@as-integrations/express5`,
   * `@apollo/server/express4`): its resolvers, each a path at the mount point. Undefined for any other call.
   */
  expressMiddlewareSites(call: ts.CallExpression, module: ModuleFacts, path: string): HandlerSite[] | undefined {
    const root = rootImport(call.expression, module);
    if (!root || root.name !== "expressMiddleware" || !APOLLO_EXPRESS.has(root.module)) return undefined;
    return this.apolloSites(call.arguments[0], module, path, "Apollo Server expressMiddleware", call);
  }

  /** The resolvers of `new ApolloServer({ typeDefs, resolvers })` (or `{ schema }`) a value holds. */
  private apolloSites(
    server: ts.Expression | undefined,
    module: ModuleFacts,
    endpoint: string,
    form: string,
    at: ts.CallExpression,
  ): HandlerSite[] {
    const cached = this.byCall.get(at);
    if (cached) return cached;
    const opaque = (why: string): HandlerSite[] => [
      { kind: "fetch", form, module, span: spanOf(at), functions: [], route: `POST ${endpoint}`, opaque: `Apollo Server: ${why}` },
    ];
    const created = server ? this.apolloServer(server, module, 0) : undefined;
    const options = created ? this.objectOf(created.call.arguments?.[0], created.module, 0) : undefined;
    let sites: HandlerSite[];
    if (!options)
      sites = opaque(
        `the server ${server ? truncate(printNode(server)) : "?"} or its options could not be resolved: its resolvers are the request paths`,
      );
    else {
      const resolvers: Array<{ path: string; fn: FunctionRef; span: ts.Node }> = [];
      const schema = this.option(options.object, "schema");
      const map = this.option(options.object, "resolvers");
      const why = schema
        ? this.schemaResolvers(schema, options.module, 0, resolvers)
        : map
          ? (this.resolverMap(map, options.module, 0, resolvers), undefined)
          : "new ApolloServer(...) is given no resolvers the analyser can see";
      sites =
        why !== undefined
          ? opaque(why)
          : resolvers.length === 0
            ? opaque("the server has no resolvers the analyser can see")
            : resolvers.map((r) => ({
                kind: "fetch",
                form: `${form} resolver`,
                module: r.fn.module,
                span: spanOf(r.span),
                functions: [r.fn],
                route: `POST ${endpoint} ${r.path}`,
              }));
    }
    this.byCall.set(at, sites);
    return sites;
  }

  /** The `new ApolloServer(...)` a value holds, through names and imports. */
  private apolloServer(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { call: ts.NewExpression; module: ModuleFacts } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      return root && root.name === "ApolloServer" && (root.module === "@apollo/server" || root.module.startsWith("apollo-server"))
        ? { call: value, module }
        : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.apolloServer(source.expression, source.module, depth + 1));
  }

  /** `yoga.handleRequest(request, context)`: the resolvers of the yoga it is called on. */
  callSitesOf(call: ts.CallExpression, module: ModuleFacts): HandlerSite[] | undefined {
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "handleRequest") return undefined;
    const yoga = this.yogaCall(callee.expression, module, 0);
    return yoga ? this.served(yoga.call, yoga.module, "handleRequest") : undefined;
  }

  /** The `createYoga(...)` call a value holds, through names and imports. */
  private yogaCall(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): { call: ts.CallExpression; module: ModuleFacts } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isCallExpression(value)) {
      const root = rootImport(value.expression, module);
      return root && isYogaModule(root.module) && root.name === "createYoga" ? { call: value, module } : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.yogaCall(source.expression, source.module, depth + 1));
  }

  private served(call: ts.CallExpression, module: ModuleFacts, form: string): HandlerSite[] {
    const cached = this.byCall.get(call);
    if (cached) return cached;
    const sites = this.compute(call, module, form);
    this.byCall.set(call, sites);
    return sites;
  }

  private compute(call: ts.CallExpression, module: ModuleFacts, form: string): HandlerSite[] {
    const label = `${form} GraphQL Yoga`;
    const opaque = (why: string): HandlerSite[] => [
      { kind: "fetch", form: label, module, span: spanOf(call), functions: [], route: "POST /graphql", opaque: `GraphQL Yoga: ${why}` },
    ];
    const options = this.objectOf(call.arguments[0], module, 0);
    if (!options) return opaque(`the options of ${truncate(printNode(call.expression))}(...) could not be resolved`);
    const endpointValue = this.option(options.object, "graphqlEndpoint");
    const endpoint = (endpointValue ? this.ctx.values.evaluateString(endpointValue, 0) : undefined) ?? (endpointValue ? "*" : "/graphql");
    const schema = this.option(options.object, "schema");
    if (!schema) return opaque("createYoga(...) is given no schema the analyser can see: its resolvers are the request paths");
    const resolvers: Array<{ path: string; fn: FunctionRef; span: ts.Node }> = [];
    const why = this.schemaResolvers(schema, options.module, 0, resolvers);
    if (why !== undefined) return opaque(why);
    if (resolvers.length === 0) return opaque(`the schema ${truncate(printNode(schema))} has no resolvers the analyser can see`);
    return resolvers.map((r) => ({
      kind: "fetch",
      form: `${label} resolver`,
      module: r.fn.module,
      span: spanOf(r.span),
      functions: [r.fn],
      route: `POST ${endpoint} ${r.path}`,
    }));
  }

  private option(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
    for (const property of object.properties) if (nameOf(property) === name) return propertyInitializer(property);
    return undefined;
  }

  /** An object literal, inline or held in a constant. */
  private objectOf(
    expression: ts.Expression | undefined,
    module: ModuleFacts,
    depth: number,
  ): { object: ts.ObjectLiteralExpression; module: ModuleFacts } | undefined {
    if (!expression || depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) return { object: value, module };
    // `characterResolvers.Query`: that property of an object literal.
    if (isPropertyAccessExpression(value)) {
      const holder = this.objectOf(value.expression, module, depth + 1);
      const held = holder ? this.option(holder.object, value.name.text) : undefined;
      return holder && held ? this.objectOf(held, holder.module, depth + 1) : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.objectOf(source.expression, source.module, depth + 1));
  }

  /** The properties of an object literal, with those of objects spread into it (`{ ...users.Query, me }`). */
  private fieldsOf(
    found: { object: ts.ObjectLiteralExpression; module: ModuleFacts },
    depth = 0,
  ): Array<{ field: ts.ObjectLiteralElementLike; module: ModuleFacts }> {
    const out: Array<{ field: ts.ObjectLiteralElementLike; module: ModuleFacts }> = [];
    for (const field of found.object.properties) {
      if (!isSpreadAssignment(field)) {
        out.push({ field, module: found.module });
        continue;
      }
      const spread = depth < MAX_DEPTH ? this.objectOf(field.expression, found.module, 0) : undefined;
      if (spread) out.push(...this.fieldsOf(spread, depth + 1));
    }
    return out;
  }

  /** Adds the resolvers of a schema value; a sentence when the schema cannot be read. */
  private schemaResolvers(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
    out: Array<{ path: string; fn: FunctionRef; span: ts.Node }>,
  ): string | undefined {
    const cannot = `the schema ${truncate(printNode(expression))} could not be resolved: its resolvers are the request paths`;
    if (depth > MAX_DEPTH) return cannot;
    const value = unwrapExpression(expression);
    if (isIdentifier(value)) {
      let why: string | undefined = cannot;
      for (const source of this.ctx.values.valuesOf(value, module)) {
        why = this.schemaResolvers(source.expression, source.module, depth + 1, out);
        if (why === undefined) return undefined;
      }
      return why;
    }
    if (!isCallExpression(value)) return cannot;
    const callee = unwrapExpression(value.expression);
    const root = rootImport(callee, module);
    if (root && SCHEMA_FACTORIES.has(root.name)) {
      const options = this.objectOf(value.arguments[0], module, 0);
      const map = options ? this.option(options.object, "resolvers") : undefined;
      if (!options || !map) return `the resolvers given to ${root.name}(...) could not be resolved: they are the request paths`;
      this.resolverMap(map, options.module, 0, out);
      return undefined;
    }
    // Pothos: `builder.toSchema()`, the builder being `new SchemaBuilder(...)`.
    if (isPropertyAccessExpression(callee) && callee.name.text === "toSchema") {
      const builder = this.builderOf(callee.expression, module, 0);
      if (!builder) return `the schema builder ${truncate(printNode(callee.expression))} could not be resolved`;
      this.pothosResolvers(builder, out);
      return undefined;
    }
    // A project function that returns the schema.
    const factory = this.ctx.values.calledFunction(callee, module);
    if (factory) {
      let why: string | undefined = cannot;
      for (const returned of this.ctx.values.returnedValues(factory.fn, factory.module)) {
        why = this.schemaResolvers(returned.expression, returned.module, depth + 1, out);
        if (why === undefined) return undefined;
      }
      return why;
    }
    return cannot;
  }

  /** `{ Query: { a: fn, b: { resolve } }, Mutation: {...} }`, an array of such maps, or a name holding one. */
  private resolverMap(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
    out: Array<{ path: string; fn: FunctionRef; span: ts.Node }>,
  ): void {
    if (depth > MAX_DEPTH) return;
    const value = unwrapExpression(expression);
    if (isArrayLiteralExpression(value)) {
      for (const element of value.elements) this.resolverMap(element, module, depth + 1, out);
      return;
    }
    // `mergeResolvers([users, orders])` (graphql-tools) and the like: the maps it is given.
    if (isCallExpression(value)) {
      for (const arg of value.arguments) this.resolverMap(arg, module, depth + 1, out);
      return;
    }
    const map = this.objectOf(value, module, 0);
    if (!map) return;
    for (const property of map.object.properties) {
      if (isSpreadAssignment(property)) {
        this.resolverMap(property.expression, map.module, depth + 1, out);
        continue;
      }
      const type = nameOf(property);
      const fields = type ? propertyInitializer(property) : undefined;
      const object = fields ? this.objectOf(fields, map.module, 0) : undefined;
      if (!type || !object) continue;
      for (const { field, module: fieldModule } of this.fieldsOf(object)) {
        const name = nameOf(field);
        if (!name) continue;
        if (isMethodDeclaration(field)) {
          out.push({ path: `${type}.${name}`, fn: { fn: field, module: fieldModule }, span: field.name });
          continue;
        }
        const held = propertyInitializer(field);
        if (!held) continue;
        const fn = this.ctx.values.functionFrom(held, fieldModule);
        if (fn) {
          out.push({ path: `${type}.${name}`, fn, span: field.name! });
          continue;
        }
        // `{ resolve, subscribe }`
        const options = this.objectOf(held, fieldModule, 0);
        if (!options) continue;
        for (const key of options.object.properties) {
          const keyName = nameOf(key);
          if (!keyName || !RESOLVER_KEYS.has(keyName)) continue;
          const value = propertyInitializer(key);
          const inner = isMethodDeclaration(key)
            ? { fn: key, module: options.module }
            : value
              ? this.ctx.values.functionFrom(value, options.module)
              : undefined;
          if (inner) out.push({ path: `${type}.${name}`, fn: inner, span: field.name! });
        }
      }
    }
  }

  /** The `new SchemaBuilder(...)` a name holds (its declaration node identifies the builder). */
  private builderOf(expression: ts.Expression, module: ModuleFacts, depth: number): ts.NewExpression | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isNewExpression(value)) {
      const root = rootImport(value.expression, module);
      return root && root.module.startsWith("@pothos/") ? value : undefined;
    }
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.ctx.values.valuesOf(value, module), (source) => this.builderOf(source.expression, source.module, depth + 1));
  }

  /**
   * The `resolve` functions of the fields registered on a Pothos builder, in every loaded module.
   * Modules that register fields are imported for their effect and found here, not through the
   * walked function's imports: the walk is not kept.
   */
  private pothosResolvers(builder: ts.NewExpression, out: Array<{ path: string; fn: FunctionRef; span: ts.Node }>): void {
    this.ctx.walker.cutWalk();
    for (const module of this.ctx.loader.modules.values()) {
      for (const call of module.calls) {
        if (!isCallExpression(call)) continue;
        const callee = unwrapExpression(call.expression);
        if (!isPropertyAccessExpression(callee) || callee.name.text === "toSchema") continue;
        const receiver = unwrapExpression(callee.expression);
        if (!isIdentifier(receiver) || this.builderOf(receiver, module, 0) !== builder) continue;
        const method = callee.name.text;
        const rootType = POTHOS_ROOTS.find(([prefix]) => method.startsWith(prefix))?.[1];
        const first = call.arguments[0] ? unwrapExpression(call.arguments[0]) : undefined;
        const type =
          rootType ??
          (first && isStringLiteralLike(first)
            ? first.text
            : first && (isIdentifier(first) || isPropertyAccessExpression(first))
              ? printNode(first)
              : "?");
        // `queryField("name", ...)`, `objectField(Type, "name", ...)`: the field's name is given.
        const given = call.arguments.find((a, i) => isStringLiteralLike(a) && (rootType ? i === 0 : i === 1));
        for (const arg of call.arguments)
          this.resolveFunctions(arg, module, type, given && isStringLiteralLike(given) ? given.text : undefined, out);
      }
    }
  }

  /**
   * The `resolve` / `subscribe` functions inside a field definition, each named by the property
   * holding its `t.field({...})` (`fields: (t) => ({ name: t.field({ resolve }) })`), else by the
   * name the registration gives.
   */
  private resolveFunctions(
    node: ts.Node,
    module: ModuleFacts,
    type: string,
    given: string | undefined,
    out: Array<{ path: string; fn: FunctionRef; span: ts.Node }>,
  ): void {
    const visit = (current: ts.Node): void => {
      if ((isPropertyAssignment(current) || isMethodDeclaration(current)) && current.name) {
        const key = isIdentifier(current.name) || isStringLiteralLike(current.name) ? current.name.text : undefined;
        if (key && RESOLVER_KEYS.has(key)) {
          const fn = isMethodDeclaration(current) ? { fn: current, module } : this.ctx.values.functionFrom(current.initializer, module);
          if (fn) {
            const field = current.parent.parent;
            const holder = isCallExpression(field) ? field.parent : undefined;
            const name = holder && isPropertyAssignment(holder) ? nameOf(holder) : undefined;
            out.push({ path: `${type}.${name ?? given ?? "?"}`, fn, span: current.name });
            return;
          }
        }
      }
      ts.forEachChild(current, visit);
    };
    visit(node);
  }
}
