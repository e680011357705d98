// Value resolution: strings, URLs and hosts. The strings an expression may evaluate to (literals,
// templates, concatenation, constants, `[vars]`, `new URL(path, base)`, what a project function
// returns for a call), and the hosts a URL, a database connection or a socket reaches. A pattern
// about what text a value is goes here. Part of ValueResolver (see valuesCore.ts).
import ts from "typescript";
import { MAX_VALUE_DEPTH } from "./context";
import { moduleVariable, unwrapExpression } from "./module";
import { ConfigData } from "./configData";
import { ListElements, memoMapValues } from "./listElements";
import { runtimeConfigPath, runtimeConfigValue } from "./runtimeConfig";
import { packageUrlConstant } from "./sdks";
import { HOLE, hostOf, isPlainHost, isEnvLike, isConstDeclaration, findAncestor, declarationOf } from "./syntax";
import { getNameText, objectOfMethod } from "./valuesCore";
import { NameValues } from "./valuesNames";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  isArrayLiteralExpression,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isClassLike,
  isConditionalExpression,
  isElementAccessExpression,
  isIdentifier,
  isNewExpression,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteral,
  isStringLiteralLike,
  isTemplateExpression,
  isVariableDeclaration,
} = ts;

/** The Worker's environment (see isEnvLike), not `process.env` nor Vite's `import.meta.env`, which a build may replace. */
function isWorkerEnv(expression: ts.Expression): boolean {
  const value = unwrapExpression(expression);
  if (!isEnvLike(value)) return false;
  if (!isPropertyAccessExpression(value)) return true;
  const owner = unwrapExpression(value.expression);
  return !ts.isMetaProperty(owner) && !(isIdentifier(owner) && owner.text === "process");
}

/** `{ NAME }` (or `{ NAME: local }`) in an object pattern: NAME, and the declaration or parameter the pattern is of. */
function destructuredName(element: ts.BindingElement): { readonly name: string; readonly holder: ts.Node } | undefined {
  const pattern = element.parent;
  const key = element.propertyName ?? element.name;
  if (!isObjectBindingPattern(pattern) || !isIdentifier(key)) return undefined;
  return { name: key.text, holder: pattern.parent };
}

/** A parameter typed as the Worker's environment: `{ API_URL }: Env`, `Bindings`, `CloudflareEnv`. */
function isEnvTypedParameter(parameter: ts.ParameterDeclaration): boolean {
  const type = parameter.type;
  return (
    !!type && ts.isTypeReferenceNode(type) && isIdentifier(type.typeName) && /(^|[a-z])(Env|Bindings)$|^env$/i.test(type.typeName.text)
  );
}

/** The fields of a Hyperdrive binding that name where a database client connects. */
const HYPERDRIVE_FIELDS = new Set(["connectionString", "host"]);

/** How many strings a value may be before it counts as unknown (`a ? b : c` in each part of a template multiplies them). */
const MAX_CANDIDATES = 8;

/** Each of `lefts` followed by each of `rights`, then `tail`; undefined past MAX_CANDIDATES. */
function joined(lefts: readonly string[] | undefined, rights: readonly string[], tail: string): readonly string[] | undefined {
  if (!lefts || lefts.length * rights.length > MAX_CANDIDATES) return undefined;
  const out = new Set<string>();
  for (const left of lefts) for (const right of rights) out.add(left + right + tail);
  return [...out];
}

/** The strings any of the parts may be, in order; undefined when a part is unknown or past MAX_CANDIDATES. */
function unionOf(parts: ReadonlyArray<readonly string[] | undefined>): readonly string[] | undefined {
  const out = new Set<string>();
  for (const part of parts) {
    if (!part) return undefined;
    for (const text of part) out.add(text);
  }
  return out.size > 0 && out.size <= MAX_CANDIDATES ? [...out] : undefined;
}

/**
 * The distinct hosts of URLs, undefined when one has none. A candidate known in full that is not an
 * absolute URL (`"" + "/v2/"` where a lookup's fallback is the empty string) cannot be fetched: a
 * Worker has no base URL, so `fetch` throws there and that path makes no subrequest. It is dropped
 * when another candidate has a host; a candidate with an unknown part is never dropped.
 */
function hostsOf(texts: readonly string[] | undefined): readonly string[] | undefined {
  if (!texts) return undefined;
  const hosts = new Set<string>();
  for (const text of texts) {
    const host = hostOf(text);
    if (host) hosts.add(host);
    // A path (`"" + url.pathname`) is no URL, whatever follows its first "/".
    else if ((text.includes(HOLE) || text.includes(":")) && !(text.startsWith("/") && !text.startsWith("//"))) return undefined;
  }
  return hosts.size > 0 ? [...hosts] : undefined;
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  return unionOf([a, b]);
}

export abstract class StringValues extends NameValues {
  /** While evaluating what a function returns for one call (see returnedStrings): its parameters' arguments. */
  private readonly boundArguments = new Map<ts.ParameterDeclaration, ts.Expression>();
  /** The same for class fields, by class and name. */
  private readonly evaluatingFields = new Set<string>();
  /** Data read from structured `[vars]` and JSON in a var (configData.ts), made when first asked. */
  private configDataReader: ConfigData | undefined;
  /** The elements of lists a callback of an array method is given (listElements.ts), made when first asked. */
  private listElementsReader: ListElements | undefined;

  protected override busy(): boolean {
    return this.evaluatingFields.size > 0 || this.boundArguments.size > 0 || super.busy();
  }
  /** The host a database client connects to: a URL string, `{ url, host }`, or Hyperdrive. */
  connectionTarget(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    const hyperdrive = this.hyperdriveFieldOf(value);
    if (hyperdrive) return `hyperdrive:${hyperdrive}`;
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        // `{ ...env.HYPERDRIVE }`: the binding's host, user, password, database and port.
        if (isSpreadAssignment(property)) {
          const binding = this.bindingOf(unwrapExpression(property.expression));
          if (binding?.kind === "hyperdrive") return `hyperdrive:${binding.name}`;
          continue;
        }
        // `{ host }` (shorthand): the value of the name `host`.
        const held = isPropertyAssignment(property)
          ? property.initializer
          : isShorthandPropertyAssignment(property)
            ? property.name
            : undefined;
        if (!held || !property.name || !isIdentifier(property.name)) continue;
        if (["url", "uri", "connectionString", "host", "hostname", "databaseUrl", "datasourceUrl"].includes(property.name.text)) {
          const found = this.connectionTarget(held);
          if (found) return found;
        }
      }
      return undefined;
    }
    const text = this.evaluateString(value, 0);
    if (text === undefined) return undefined;
    return hostOf(text) ?? (isPlainHost(text) ? text.toLowerCase() : undefined);
  }

  /**
   * The Hyperdrive binding whose connection field a value reads: `env.HYPERDRIVE.connectionString`,
   * `.host` (what mysql2 and pg's option objects are given), or one of them destructured from the
   * binding (`const { host, user } = env.HYPERDRIVE`). Through a factory's parameter
   * (`createClient(env.HYPERDRIVE.connectionString)` making `new Client({ connectionString })`,
   * `connect(env.HYPERDRIVE)` reading `h.host`): what the call being followed passes, else what
   * every call of the factory passes, when each passes the same binding.
   */
  hyperdriveFieldOf(value: ts.Expression, depth = 0): string | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    let owner: ts.Expression | undefined;
    let ownerParameter: ts.ParameterDeclaration | undefined;
    let field: string | undefined;
    if (isPropertyAccessExpression(value)) {
      owner = value.expression;
      field = value.name.text;
    } else if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration) && isIdentifier(declaration.name))
        return this.sameForEveryArgument(declaration, (argument) => this.hyperdriveFieldOf(unwrapExpression(argument), depth + 1));
      if (declaration && isBindingElement(declaration) && isObjectBindingPattern(declaration.parent)) {
        const holder = declaration.parent.parent;
        if (isVariableDeclaration(holder)) owner = holder.initializer;
        // `function connect({ host, user }: Hyperdrive)`: the fields of what its calls pass.
        else if (isParameter(holder)) ownerParameter = holder;
        const key = declaration.propertyName ?? declaration.name;
        field = isIdentifier(key) ? key.text : undefined;
      }
    }
    if (!field || !HYPERDRIVE_FIELDS.has(field)) return undefined;
    const bindingName = (expression: ts.Expression): string | undefined => {
      const binding = this.bindingOf(unwrapExpression(expression));
      return binding?.kind === "hyperdrive" ? binding.name : undefined;
    };
    if (ownerParameter) return this.sameForEveryArgument(ownerParameter, bindingName);
    if (!owner) return undefined;
    const direct = bindingName(owner);
    if (direct) return direct;
    // `h.host` where `h` is a factory's parameter, given `env.HYPERDRIVE`.
    const held = unwrapExpression(owner);
    const declaration = isIdentifier(held) ? declarationOf(held) : undefined;
    return declaration && isParameter(declaration) && isIdentifier(declaration.name)
      ? this.sameForEveryArgument(declaration, bindingName)
      : undefined;
  }

  /**
   * What `read` finds in the argument a parameter is given: the one the call being followed
   * passes, else the one of every call of its function in the loaded modules, when all agree. A
   * call that passes something else (or no call found) gives undefined, so a client is taken to
   * be over Hyperdrive only when it always is.
   */
  private sameForEveryArgument(
    parameter: ts.ParameterDeclaration,
    read: (argument: ts.Expression) => string | undefined,
  ): string | undefined {
    const bound = this.boundArguments.get(parameter) ?? this.passedHere(parameter)?.expression;
    if (bound) return read(bound);
    const passed = this.argumentsAtCallSites(parameter);
    let found: string | undefined;
    for (const argument of passed) {
      const here = read(argument.expression);
      if (!here || (found !== undefined && here !== found)) return undefined;
      found = here;
    }
    return found;
  }

  socketTarget(expression: ts.Expression | undefined): string | null {
    if (!expression) return null;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (isPropertyAssignment(property) && property.name && isIdentifier(property.name) && property.name.text === "hostname") {
          const host = this.evaluateString(property.initializer, 0);
          return host && !host.includes(HOLE) ? host.toLowerCase() : null;
        }
      }
      return null;
    }
    const text = this.evaluateString(value, 0);
    if (!text || text.includes(HOLE)) return null;
    return text.split(":")[0]!.toLowerCase() || null;
  }

  /**
   * The string an expression evaluates to, with HOLE where a part is unknown: literals, templates,
   * concatenation, constants, `[vars]` through `env.X`, `new URL(path, base)`, `url.href`. Undefined
   * when unknown, or when it may be one of several strings (see evaluateStrings).
   */
  evaluateString(expression: ts.Expression, depth: number): string | undefined {
    const texts = this.evaluateStrings(expression, depth);
    return texts && texts.length === 1 ? texts[0] : undefined;
  }

  /**
   * Every string an expression may evaluate to (at most MAX_CANDIDATES, each with HOLE where a part
   * is unknown), or undefined when one of them is unknown: besides what evaluateString follows,
   * both sides of `c ? a : b`, the entries of a constant table read with a key known at run time
   * (`HOSTS[region]`), every value a `let` is assigned, what a project function returns (its
   * parameters bound to the call's arguments) and every value a field is given.
   */
  evaluateStrings(expression: ts.Expression, depth: number): readonly string[] | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    if (isStringLiteralLike(value)) return [value.text];
    if (isTemplateExpression(value)) {
      let texts: readonly string[] | undefined = [value.head.text];
      for (const span of value.templateSpans) {
        texts = joined(texts, this.evaluateStrings(span.expression, depth + 1) ?? [HOLE], span.literal.text);
        if (!texts) return undefined;
      }
      return texts;
    }
    if (isBinaryExpression(value)) {
      const operator = value.operatorToken.kind;
      if (operator === SyntaxKind.PlusToken)
        return joined(this.evaluateStrings(value.left, depth + 1) ?? [HOLE], this.evaluateStrings(value.right, depth + 1) ?? [HOLE], "");
      // `env.API_BASE ?? "https://..."`: a string on the left is what it evaluates to (`||`: a non-empty one).
      if (operator === SyntaxKind.QuestionQuestionToken || operator === SyntaxKind.BarBarToken) {
        const left = this.evaluateStrings(value.left, depth + 1);
        if (left && left.every((t) => t !== "")) return left;
        // `env.TOKEN_URL || "https://..."` with `TOKEN_URL = ""` in [vars]: the empty string is falsy, the right side is used.
        if (left && operator === SyntaxKind.BarBarToken) {
          const set = left.filter((t) => t !== "");
          const right = this.evaluateStrings(value.right, depth + 1);
          return set.length === 0 ? right : union(set, right);
        }
        // `opts.baseUrl || DEFAULT_BASE` where no call gives `baseUrl`: the default.
        if (!left && this.neverGiven(value.left)) return this.evaluateStrings(value.right, depth + 1);
        return undefined;
      }
      return undefined;
    }
    if (isConditionalExpression(value)) {
      // `env.STAGE === "prod" ? A : B` with STAGE in [vars]: the branch it takes.
      const decided = this.comparison(value.condition, depth + 1);
      if (decided !== undefined) return this.evaluateStrings(decided ? value.whenTrue : value.whenFalse, depth + 1);
      return union(this.evaluateStrings(value.whenTrue, depth + 1), this.evaluateStrings(value.whenFalse, depth + 1));
    }
    if (isPropertyAccessExpression(value) || isElementAccessExpression(value)) {
      // Nuxt / Nitro `useRuntimeConfig().public.apiBase` given as a literal in nuxt.config.
      const runtimeConfig = this.runtimeConfigString(value);
      if (runtimeConfig !== undefined) return runtimeConfig ?? undefined;
      // `env.SUBS[id].url` on a list of tables in [vars], `JSON.parse(env.CONFIG).api`: the URLs at that place.
      const configured = this.configuredStrings(value, depth);
      if (configured) return configured;
      const name = isPropertyAccessExpression(value)
        ? value.name.text
        : isStringLiteralLike(value.argumentExpression)
          ? value.argumentExpression.text
          : undefined;
      if (name && isEnvLike(value.expression) && name in this.ctx.input.vars) return [this.ctx.input.vars[name]!];
      if (name === "href" || name === "toString") return this.evaluateStrings(value.expression, depth + 1);
      // A URL's path always starts with "/": a URL made from it (`upstream + url.pathname`) is a path when `upstream` is empty.
      if (name === "pathname" && !isEnvLike(value.expression)) return ["/" + HOLE];
      // `this.base` in a method of an object literal (`const api = { base: "...", url(p) { ... } }`): that property.
      const literal = name && value.expression.kind === SyntaxKind.ThisKeyword ? objectOfMethod(value) : undefined;
      if (literal && name) {
        const property = literal.properties.find(
          (p): p is ts.PropertyAssignment => isPropertyAssignment(p) && !!p.name && getNameText(p.name) === name,
        );
        return property ? this.evaluateStrings(property.initializer, depth + 1) : undefined;
      }
      // A field of the class it is read in (`this.baseUrl`): every value it is given.
      if (name && isPropertyAccessExpression(value) && value.expression.kind === SyntaxKind.ThisKeyword) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const cls = findAncestor(value, isClassLike);
        const key = cls && `${cls.pos}\u0000${name}\u0000${value.getSourceFile().fileName}`;
        if (!module || !key || this.evaluatingFields.has(key)) return undefined;
        const sources = this.thisMemberValues(value, module);
        this.evaluatingFields.add(key);
        try {
          return sources.length ? unionOf(sources.map((source) => this.evaluateStrings(source.expression, depth + 1))) : undefined;
        } finally {
          this.evaluatingFields.delete(key);
        }
      }
      // `this.opts.baseUrl`: that property of what the field holds (a constructor's parameter property, given by `new`).
      if (
        name &&
        isPropertyAccessExpression(value) &&
        isPropertyAccessExpression(value.expression) &&
        value.expression.expression.kind === SyntaxKind.ThisKeyword
      ) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const cls = findAncestor(value, isClassLike);
        const key = cls && `${cls.pos}\u0000${value.expression.name.text}.${name}\u0000${value.getSourceFile().fileName}`;
        if (!module || !key || this.evaluatingFields.has(key)) return undefined;
        this.evaluatingFields.add(key);
        try {
          const sources = this.thisMemberValues(value.expression, module).flatMap((s) => this.propertyValues(s, name, depth + 1));
          return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
        } finally {
          this.evaluatingFields.delete(key);
        }
      }
      // `loadEnv(env).apiUrl`: that property of what a project function returns, its parameters bound to the call's arguments.
      const holder = unwrapExpression(value.expression);
      if (name !== undefined && isCallExpression(holder)) {
        const returned = this.returnedStrings(holder, depth, name);
        if (returned) return returned;
        // `loadEnv(c.env).PHOTON_URL` where the helper validates the env (a schema's `parse`): a [vars] name read
        // from what a function given the env returns is that var.
        if (name in this.ctx.input.vars && holder.arguments.some((a) => isEnvLike(a))) return [this.ctx.input.vars[name]!];
        return undefined;
      }
      // `PROVIDERS[provider].tokenUrl`: that property of the constant table's entry the key names, or of every entry.
      if (name !== undefined && isElementAccessExpression(holder) && isIdentifier(holder.expression)) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const sources = module ? this.propertyValues({ expression: holder, module }, name, depth + 1) : [];
        return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
      }
      if (isIdentifier(value.expression)) {
        // A parameter bound to what the call being evaluated passes (`function loadEnv(e) { return { url: e.API_URL } }`).
        const parameter = declarationOf(value.expression);
        const bound = parameter && isParameter(parameter) ? this.boundArguments.get(parameter) : undefined;
        if (bound && name !== undefined) {
          if (isEnvLike(bound)) return name in this.ctx.input.vars ? [this.ctx.input.vars[name]!] : undefined;
          const module = this.ctx.loader.moduleBySourceFile.get(bound.getSourceFile());
          const sources = module ? this.propertyValues({ expression: bound, module }, name, depth + 1) : [];
          return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
        }
        // A constant object: CONFIG.API_BASE
        const declaration = declarationOf(value.expression);
        const variable = declaration && isVariableDeclaration(declaration) ? declaration : undefined;
        const init = variable?.initializer ? unwrapExpression(variable.initializer) : undefined;
        // A constant list: `URLS[0]` is that element, `URLS[i]` any of them.
        if (variable && init && isArrayLiteralExpression(init) && isElementAccessExpression(value) && isConstDeclaration(variable)) {
          const index = unwrapExpression(value.argumentExpression);
          const elements = init.elements;
          if (elements.length === 0 || elements.some((e) => isSpreadElement(e))) return undefined;
          if (ts.isNumericLiteral(index)) {
            const element = elements[Number(index.text)];
            return element ? this.evaluateStrings(element, depth + 1) : undefined;
          }
          return unionOf(elements.map((e) => this.evaluateStrings(e, depth + 1)));
        }
        if (init && isObjectLiteralExpression(init)) {
          if (name === undefined) return this.tableValues(init, depth);
          const property = init.properties.find(
            (p): p is ts.PropertyAssignment =>
              isPropertyAssignment(p) && !!p.name && (isIdentifier(p.name) || isStringLiteral(p.name)) && p.name.text === name,
          );
          if (property) return this.evaluateStrings(property.initializer, depth + 1);
        }
        // `RouteBases.api` imported from a well-known package (`discord-api-types/v10`): its documented value.
        if (name !== undefined && !declaration) {
          const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
          const imported = module?.imports.get(value.expression.text);
          const known = imported && imported.name !== "*" ? packageUrlConstant(imported.module, imported.name, name) : undefined;
          if (known) return [known];
        }
        // `cfg.API` where `const cfg = CONFIG[env.MODE]` (or a `let`, or what a function returns): every value it may hold there.
        if (name !== undefined && (!init || !isObjectLiteralExpression(init))) {
          const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
          const sources = module ? this.propertyValues({ expression: value.expression, module }, name, depth + 1) : [];
          if (sources.length) return unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1)));
        }
        // `opts.baseUrl` where `opts` is a parameter: that property of what the call passes (see urlHosts).
        if (name !== undefined && declaration && isParameter(declaration) && !isEnvLike(value.expression)) {
          const passed = this.passedFor(declaration);
          if (!passed) return undefined;
          const sources = passed.flatMap((s) => this.propertyValues(s, name, depth + 1));
          return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
        }
      }
      return undefined;
    }
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "toString")
      return this.evaluateStrings(value.expression.expression, depth + 1);
    // `String(url)` with the global `String` (not a name of the module): the text of what it is given, as `url.toString()`.
    if (
      isCallExpression(value) &&
      value.arguments.length === 1 &&
      isIdentifier(value.expression) &&
      value.expression.text === "String" &&
      !declarationOf(value.expression)
    )
      return this.evaluateStrings(value.arguments[0]!, depth + 1);
    // `[BASE, "v1", path].join("/")`, `BASE.concat(path)`.
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression)) {
      const method = value.expression.name.text;
      const receiver = unwrapExpression(value.expression.expression);
      if (method === "join" && isArrayLiteralExpression(receiver) && receiver.elements.every((e) => !isSpreadElement(e))) {
        const [separator] = value.arguments;
        const glue = separator ? this.evaluateStrings(separator, depth + 1) : [","];
        if (!glue || glue.length !== 1) return undefined;
        let texts: readonly string[] | undefined = [""];
        receiver.elements.forEach((element, i) => {
          texts = joined(texts, this.evaluateStrings(element, depth + 1) ?? [HOLE], i < receiver.elements.length - 1 ? glue[0]! : "");
        });
        return texts;
      }
      // `base.trim()`: the same URL without the spaces around it.
      if ((method === "trim" || method === "trimStart" || method === "trimEnd") && value.arguments.length === 0)
        return this.evaluateStrings(receiver, depth + 1)?.map((t) =>
          method === "trim" ? t.trim() : method === "trimStart" ? t.trimStart() : t.trimEnd(),
        );
      // `base.replace(/\/+$/, "")`: a base URL's trailing slashes cut off, its host untouched. Only
      // these known patterns: a regular expression of the project is never run (it may be one that never ends).
      if (
        (method === "replace" || method === "replaceAll") &&
        value.arguments.length === 2 &&
        ts.isRegularExpressionLiteral(value.arguments[0]!) &&
        isStringLiteralLike(value.arguments[1]!) &&
        value.arguments[1].text === ""
      ) {
        const pattern = value.arguments[0].text;
        const cut = TRAILING_SLASHES.get(pattern.slice(0, pattern.lastIndexOf("/") + 1));
        if (cut) return this.evaluateStrings(receiver, depth + 1)?.map(cut);
      }
      // \`template.replace("{z}", z)\` on a URL template from [vars]: the pattern's place becomes what replaces it.
      if ((method === "replace" || method === "replaceAll") && value.arguments.length === 2) {
        const [pattern, replacement] = value.arguments as unknown as [ts.Expression, ts.Expression];
        if (!isStringLiteralLike(pattern)) return undefined;
        const texts = this.evaluateStrings(receiver, depth + 1);
        const by = this.evaluateStrings(replacement, depth + 1);
        const glue = by && by.length === 1 ? by[0]! : HOLE;
        if (!texts || pattern.text === "") return texts;
        return texts.map((t) => (method === "replace" ? t.replace(pattern.text, () => glue) : t.split(pattern.text).join(glue)));
      }
      if (method === "concat" && !isArrayLiteralExpression(receiver)) {
        let texts = this.evaluateStrings(receiver, depth + 1);
        for (const argument of value.arguments) texts = joined(texts, this.evaluateStrings(argument, depth + 1) ?? [HOLE], "");
        return texts;
      }
    }
    if (
      isNewExpression(value) &&
      isIdentifier(value.expression) &&
      (value.expression.text === "URL" || value.expression.text === "Request")
    ) {
      const [first, second] = value.arguments ?? [];
      if (!first) return undefined;
      const paths = this.evaluateStrings(first, depth + 1);
      if (value.expression.text === "Request" || !second) return paths;
      // An absolute URL keeps its own host; a path takes the base's.
      if (paths && paths.every((p) => hostOf(p))) return paths;
      const bases = this.evaluateStrings(second, depth + 1);
      return paths ? unionOf(paths.map((p) => (hostOf(p) ? [p] : bases))) : bases;
    }
    // `apiUrl("/users")`: what a function of the project returns, its parameters bound to the call's arguments.
    if (isCallExpression(value)) {
      // `CACHE.get(key)` on the module's own memo map: what it is filled with.
      const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
      const memo =
        module &&
        memoMapValues(
          value,
          module,
          (v) => this.evaluateStrings(v, depth + 1),
          (v) => {
            const held = unwrapExpression(v);
            const declaration = isIdentifier(held) ? declarationOf(held) : undefined;
            return declaration !== undefined && this.evaluating.has(declaration);
          },
        );
      if (memo) return memo.length === 0 ? [] : unionOf(memo);
      return this.returnedStrings(value, depth);
    }
    if (isIdentifier(value)) {
      // `for (const url of env.MIRRORS)`, `const { url } = env.SUBS[0]`: what the configured data holds there.
      const configured = this.configuredStrings(value, depth);
      if (configured) return configured;
      const declaration = declarationOf(value);
      if (declaration && isParameter(declaration)) {
        const bound = this.boundArguments.get(declaration);
        if (bound) return this.evaluateStrings(bound, depth + 1);
        // `httpGet(url)` walked for one of its calls: what that call passes. The walk then depends on
        // the call, and is neither kept nor reused for other calls (see PathWalker.call).
        const passedHere = this.readingCallArguments ? this.callBindings.get(declaration) : undefined;
        if (passedHere) {
          this.readThroughCall.add(declaration.parent);
          this.ctx.walker.cutWalk();
          return this.evaluateStrings(passedHere, depth + 1);
        }
        // `resolvers.map((url) => fetch(url))`: every element of the list the callback is run on.
        const element = this.listElements().callbackParameter(declaration, depth);
        if (element) return element;
        // A parameter: what the calls met so far pass for it (`getJson("https://api.github.com/user")`).
        if (!this.readingArguments) {
          this.parameterHoles++;
          return undefined;
        }
        const passed = this.argumentsPassedFor(declaration);
        return passed.length ? unionOf(passed.map((a) => this.evaluateStrings(a.expression, depth + 1))) : undefined;
      }
      // Destructured from Nuxt / Nitro's runtime config (`const { dohUrl } = useRuntimeConfig(event)`).
      if (declaration && isBindingElement(declaration)) {
        const runtimeConfig = this.runtimeConfigString(value);
        if (runtimeConfig !== undefined) return runtimeConfig ?? undefined;
      }
      // Destructured from the environment (`const { API_URL } = env`, `function load(r, { API_URL }: Env)`): `[vars]`.
      if (declaration && isBindingElement(declaration)) {
        const fromVars = this.destructuredVar(declaration);
        if (fromVars !== undefined) return [fromVars];
      }
      // Destructured (`const { url } = config`, `function load({ url })`): what the source holds there.
      if (declaration && isBindingElement(declaration)) {
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const sources = module ? this.destructuredValues(declaration, module, depth) : [];
        return sources.length ? unionOf(sources.map((s) => this.evaluateStrings(s.expression, depth + 1))) : undefined;
      }
      // Declared in the file: a constant, or a `let` with every value assigned to it. Otherwise maybe imported.
      if (declaration) {
        if (!isVariableDeclaration(declaration)) return undefined;
        const host = this.reassignedHost(value, declaration, depth);
        if (host === null) return undefined;
        // A value defined through itself (`url = url + "/x"`) is not followed round again.
        if (this.evaluating.has(declaration)) return undefined;
        this.evaluating.add(declaration);
        let texts: readonly string[] | undefined;
        const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
        const elements = module && this.forOfElements(declaration, module);
        try {
          texts = elements
            ? elements.length
              ? unionOf(elements.map((e) => this.evaluateStrings(e.expression, depth + 1)))
              : undefined
            : isConstDeclaration(declaration)
              ? declaration.initializer && this.evaluateStrings(declaration.initializer, depth + 1)
              : this.assignedStrings(declaration, depth);
        } finally {
          this.evaluating.delete(declaration);
        }
        if (host === undefined) return texts;
        // The URL keeps its path; a URL made from the incoming request gets a scheme and the new host.
        if (texts === undefined) return [`https://${host}${HOLE}`];
        return texts.map((text) =>
          hostOf(text) ? text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*/i, `$1${host}`) : `https://${host}${HOLE}`,
        );
      }
      // Service-worker syntax: `[vars]` entries are globals (`TARGET_UPSTREAM`).
      const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
      if (module && !module.imports.has(value.text) && Object.hasOwn(this.ctx.input.vars, value.text))
        return [this.ctx.input.vars[value.text]!];
      return this.importedConstant(value, depth);
    }
    return undefined;
  }

  private listElements(): ListElements {
    return (this.listElementsReader ??= new ListElements({
      ctx: this.ctx,
      strings: (e, d) => this.evaluateStrings(e, d),
      properties: (holder, module, name, d) => this.propertyValues({ expression: holder, module }, name, d).map((v) => v.expression),
      configuredElements: (list, d) =>
        this.configData().mayRead(this.ctx.loader.moduleBySourceFile.get(list.getSourceFile()))
          ? this.configData().elementStringsAt(list, d)
          : undefined,
      passed: (parameter) => {
        const bound = this.boundArguments.get(parameter);
        return bound ? [bound] : this.passedFor(parameter)?.map((v) => v.expression);
      },
      union: unionOf,
    }));
  }

  private configData(): ConfigData {
    return (this.configDataReader ??= new ConfigData(this.ctx, (e, d) => this.evaluateStrings(e, d)));
  }

  /**
   * The strings an expression reads from configured data (configData.ts), or undefined. Past
   * MAX_CANDIDATES, the URLs' origins stand for them (where a request goes does not depend on its path).
   */
  private configuredStrings(value: ts.Expression, depth: number): readonly string[] | undefined {
    const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
    const reader = this.configData();
    if (!reader.mayRead(module)) return undefined;
    const found = reader.stringsAt(value, depth);
    if (!found || found.texts.length <= MAX_CANDIDATES) return found?.texts;
    const origins = new Set<string>();
    for (const text of found.texts) {
      const host = hostOf(text);
      if (!host) return undefined;
      origins.add(`${text.slice(0, text.indexOf("://"))}://${host}/${HOLE}`);
    }
    return origins.size <= MAX_CANDIDATES ? [...origins] : undefined;
  }

  /**
   * Where a URL read from configured data comes from, for notes: "the URL is read from [vars] SUBS,
   * one of 3 values at that place". Undefined for any other URL.
   */
  configuredSource(value: ts.Expression): string | undefined {
    const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
    const reader = this.configData();
    if (!reader.mayRead(module)) return undefined;
    const found = reader.stringsAt(value, 0);
    if (!found) return undefined;
    const where = found.source.parsed ? `the JSON in ${found.source.name}` : `[vars] ${found.source.name}`;
    const count = found.texts.length;
    return count === 1 ? `the URL is read from ${where}` : `the URL is read from ${where}, one of ${count} values at that place`;
  }

  /** `a === b` (`!==`, `==`, `!=`) between two strings known for certain (a `[vars]` entry, a literal): its value. */
  private comparison(condition: ts.Expression, depth: number): boolean | undefined {
    const value = unwrapExpression(condition);
    if (!isBinaryExpression(value)) return undefined;
    const operator = value.operatorToken.kind;
    const equal = operator === SyntaxKind.EqualsEqualsEqualsToken || operator === SyntaxKind.EqualsEqualsToken;
    if (!equal && operator !== SyntaxKind.ExclamationEqualsEqualsToken && operator !== SyntaxKind.ExclamationEqualsToken) return undefined;
    const left = this.evaluateString(value.left, depth + 1);
    const right = this.evaluateString(value.right, depth + 1);
    if (left === undefined || right === undefined || left.includes(HOLE) || right.includes(HOLE)) return undefined;
    return (left === right) === equal;
  }

  /**
   * The value `[vars]` of the analysed environment gives a var the code reads through the Worker's
   * environment: `env.STAGE`, `c.env["STAGE"]`, `event.context.cloudflare?.env?.STAGE`,
   * `const { STAGE } = env`, a parameter `{ STAGE }: Env`. Undefined for anything else: a name
   * `[vars]` does not hold (a secret, a var of another environment), `process.env` (a bundler may
   * replace it at build time) and Vite's `import.meta.env` (build-time values, not `[vars]`).
   * For the path walk's constant conditions (constantConditions.ts).
   */
  configVarValue(expression: ts.Expression): string | undefined {
    const name = this.envVarName(expression);
    return name === undefined ? undefined : this.configVarNamed(name);
  }

  /**
   * Whether an expression reads a var the config disables (commented out in `[vars]`, set by no
   * environment: see WorkerAnalysisInput.disabledVars), which the deployed Worker does not have.
   */
  configVarUnset(expression: ts.Expression): boolean {
    const disabled = this.ctx.input.disabledVars;
    if (!disabled) return false;
    const name = this.envVarName(expression);
    return name !== undefined && disabled.includes(name) && !(name in this.ctx.input.vars);
  }

  /** The name of the var an expression reads through the Worker's environment (see configVarValue). */
  private envVarName(expression: ts.Expression): string | undefined {
    const value = unwrapExpression(expression);
    if (isPropertyAccessExpression(value) || isElementAccessExpression(value)) {
      const name = isPropertyAccessExpression(value)
        ? value.name.text
        : isStringLiteralLike(value.argumentExpression)
          ? value.argumentExpression.text
          : undefined;
      return name === undefined || !isWorkerEnv(value.expression) ? undefined : name;
    }
    if (!isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    if (!declaration || !isBindingElement(declaration) || declaration.dotDotDotToken) return undefined;
    const destructured = destructuredName(declaration);
    if (!destructured) return undefined;
    const { name, holder } = destructured;
    const fromEnv = isVariableDeclaration(holder)
      ? isConstDeclaration(holder) && !!holder.initializer && isWorkerEnv(holder.initializer)
      : isParameter(holder) && isEnvTypedParameter(holder);
    return fromEnv ? name : undefined;
  }

  /** The value of `[vars]` NAME in the analysed environment (not one the shared settings give). */
  private configVarNamed(name: string): string | undefined {
    if (this.ctx.input.settingsVars?.includes(name)) return undefined;
    const vars = this.ctx.input.vars;
    // `in`, not Object.hasOwn: the vars are recorded by name (varReads.ts), and have no prototype.
    return name in vars ? vars[name] : undefined;
  }

  /**
   * A `[vars]` entry destructured from the environment: `const { API_URL } = env` (or `c.env`), or a
   * parameter `{ API_URL }: Env` (typed as the environment, or given it by the calls met so far).
   */
  private destructuredVar(element: ts.BindingElement): string | undefined {
    const destructured = destructuredName(element);
    if (!destructured || !(destructured.name in this.ctx.input.vars)) return undefined;
    const { name, holder } = destructured;
    const value = this.ctx.input.vars[name];
    if (isVariableDeclaration(holder)) return holder.initializer && isEnvLike(holder.initializer) ? value : undefined;
    if (!isParameter(holder)) return undefined;
    if (isEnvTypedParameter(holder)) return value;
    if (!this.readingArguments) {
      this.parameterHoles++;
      return undefined;
    }
    const passed = this.argumentsPassedFor(holder);
    return passed.length > 0 && passed.every((p) => isEnvLike(p.expression)) ? value : undefined;
  }

  /**
   * A Nuxt / Nitro runtime config value read through `useRuntimeConfig()`: the literal nuxt.config
   * gives it ([text]); null (unknown, a host from configuration: see configured.ts) when the config
   * leaves it to an environment variable; undefined when the expression is no such read.
   */
  private runtimeConfigString(value: ts.Expression): readonly string[] | null | undefined {
    if (!isIdentifier(value) && !isPropertyAccessExpression(value)) return undefined;
    const module = this.ctx.loader.moduleBySourceFile.get(value.getSourceFile());
    const path = module && runtimeConfigPath(value, module);
    if (!path?.length) return undefined;
    const text = runtimeConfigValue(this.ctx, path);
    return text === null ? null : [text];
  }

  /** `ORIGINS[key]` with a key only known at run time: every value of the constant table. */
  private tableValues(table: ts.ObjectLiteralExpression, depth: number): readonly string[] | undefined {
    const all: Array<readonly string[] | undefined> = [];
    for (const property of table.properties) {
      if (!isPropertyAssignment(property)) return undefined;
      all.push(this.evaluateStrings(property.initializer, depth + 1));
    }
    return all.length ? unionOf(all) : undefined;
  }

  /**
   * A `let` (or `var`): its initializer and every value assigned to it in its file, in any order
   * (an empty initializer that assignments replace is no candidate); `x += e` appends an unknown
   * part to each. Undefined when one of them is unknown.
   */
  private assignedStrings(declaration: ts.VariableDeclaration, depth: number): readonly string[] | undefined {
    if (!isIdentifier(declaration.name)) return undefined;
    const module = this.ctx.loader.moduleBySourceFile.get(declaration.getSourceFile());
    if (!module) return undefined;
    const own = (assignments: readonly ts.BinaryExpression[] | undefined) =>
      (assignments ?? []).filter((a) => isIdentifier(a.left) && declarationOf(a.left) === declaration);
    const assigned = own(module.assignments.get(declaration.name.text));
    const init = declaration.initializer;
    const sources: ts.Expression[] = assigned.map((a) => a.right);
    if (
      init &&
      !(assigned.length > 0 && isStringLiteralLike(unwrapExpression(init)) && (unwrapExpression(init) as ts.StringLiteralLike).text === "")
    )
      sources.unshift(init);
    if (sources.length === 0) return undefined;
    const texts = unionOf(sources.map((source) => this.evaluateStrings(source, depth + 1)));
    if (!texts || own(module.assignments.get(declaration.name.text + " +=")).length === 0) return texts;
    return texts.map((text) => text + HOLE);
  }

  /** What a project function returns for this call, its parameters bound to the call's arguments. */
  private returnedStrings(call: ts.CallExpression, depth: number, property?: string): readonly string[] | undefined {
    const module = this.ctx.loader.moduleBySourceFile.get(call.getSourceFile());
    const fn = module && this.calledFunction(unwrapExpression(call.expression), module);
    // A recursive function's returns are not followed round again.
    if (!fn || !fn.fn.body || this.evaluating.has(fn.fn)) return undefined;
    // With a property: that property of the objects it returns (`loadEnv(env).apiUrl`).
    const returned =
      property === undefined
        ? this.returnedValues(fn.fn, fn.module)
        : this.returnedValues(fn.fn, fn.module).flatMap((r) => this.propertyValues(r, property, depth + 1));
    if (returned.length === 0) return undefined;
    const bound: Array<[ts.ParameterDeclaration, ts.Expression | undefined]> = fn.fn.parameters.map((parameter) => [
      parameter,
      this.boundArguments.get(parameter),
    ]);
    fn.fn.parameters.forEach((parameter, i) => {
      const argument = call.arguments[i] ?? parameter.initializer;
      if (argument && !parameter.dotDotDotToken) this.boundArguments.set(parameter, argument);
    });
    this.evaluating.add(fn.fn);
    try {
      return unionOf(returned.map((r) => this.evaluateStrings(r.expression, depth + 1)));
    } finally {
      this.evaluating.delete(fn.fn);
      for (const [parameter, previous] of bound) {
        if (previous) this.boundArguments.set(parameter, previous);
        else this.boundArguments.delete(parameter);
      }
    }
  }

  /**
   * `url.hostname = "api.example.com"` (or `url.host`) on a URL object before `use`, in a block
   * that holds the use: the host the URL then has. Undefined when no such assignment is seen, null
   * when one is and its host is unknown (the URL is then unknown, never the original host).
   */
  private reassignedHost(use: ts.Identifier, declaration: ts.VariableDeclaration, depth: number): string | null | undefined {
    if (!isIdentifier(declaration.name)) return undefined;
    const module = this.ctx.loader.moduleBySourceFile.get(use.getSourceFile());
    if (!module) return undefined;
    const name = declaration.name.text;
    const assigned = [...(module.assignments.get(name + ".hostname") ?? []), ...(module.assignments.get(name + ".host") ?? [])].filter(
      (assignment) => {
        const left = assignment.left as ts.PropertyAccessExpression;
        const block = assignment.parent.parent;
        return (
          isIdentifier(left.expression) &&
          declarationOf(left.expression) === declaration &&
          assignment.end <= use.getStart() &&
          !!block &&
          block.pos <= use.pos &&
          use.end <= block.end
        );
      },
    );
    if (assigned.length === 0) return undefined;
    const hosts = new Set(
      assigned.map((assignment) => {
        const text = this.evaluateString(assignment.right, depth + 1);
        return text !== undefined && isPlainHost(text.split(":")[0]!) ? text.split(":")[0]!.toLowerCase() : undefined;
      }),
    );
    const [only] = hosts;
    return hosts.size === 1 && only !== undefined ? only : null;
  }

  /** `API_BASE` imported from the module that declares `export const API_BASE = "https://..."`. */
  private importedConstant(identifier: ts.Identifier, depth: number): readonly string[] | undefined {
    const module = this.ctx.loader.moduleBySourceFile.get(identifier.getSourceFile());
    const imported = module?.imports.get(identifier.text);
    if (!module || !imported) return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    const exported = target?.exports.get(imported.name);
    const variable = exported?.local ? (target ? moduleVariable(target, exported.local) : undefined) : undefined;
    return variable?.initializer ? this.evaluateStrings(variable.initializer, depth + 1) : undefined;
  }

  /**
   * The hosts a URL may have (one when it is known; several when it is one of a few, chosen at run
   * time), undefined when one of them is unknown: from the expression alone first, then, if that
   * leaves it unknown, with the arguments the Worker's calls pass for parameters it uses. Reading
   * those makes the walk not kept (see passedArguments), so it is done only when it decides something.
   */
  urlHosts(expression: ts.Expression): readonly string[] | undefined {
    const holes = this.parameterHoles;
    const hosts = hostsOf(this.evaluateStrings(expression, 0));
    // Only a parameter left unread can change the answer the second time.
    if (hosts || this.parameterHoles === holes) return hosts;
    // What the call being walked passes (see withCallArguments), read only when the host depends on it.
    if (this.callBindings.size > 0) {
      const before = this.parameterHoles;
      const bound = hostsOf(this.withCallBindings(() => this.evaluateStrings(expression, 0)));
      if (bound || this.parameterHoles === before) return bound;
      return hostsOf(this.withCallBindings(() => this.withArguments(() => this.evaluateStrings(expression, 0))));
    }
    return hostsOf(this.withArguments(() => this.evaluateStrings(expression, 0)));
  }

  /**
   * `opts.baseUrl` on a parameter that every call gives an object literal without `baseUrl` (and
   * without spreads): undefined at run time, for certain.
   */
  private neverGiven(expression: ts.Expression): boolean {
    const value = unwrapExpression(expression);
    if (!isPropertyAccessExpression(value) || !isIdentifier(value.expression)) return false;
    const declaration = declarationOf(value.expression);
    if (!declaration || !isParameter(declaration)) return false;
    const passed = this.passedFor(declaration);
    if (!passed || passed.length === 0) return false;
    const name = value.name.text;
    return passed.every(({ expression: arg }) => {
      const literal = unwrapExpression(arg);
      return (
        isObjectLiteralExpression(literal) &&
        literal.properties.every((p) => !isSpreadAssignment(p) && !(p.name && getNameText(p.name) === name))
      );
    });
  }
}

/** Regular expressions (their source, flags left out) that cut a URL's trailing slashes: `url.replace(/\/+$/, "")`. */
const TRAILING_SLASHES = new Map<string, (text: string) => string>([
  ["/\\/+$/", (text) => text.replace(/\/+$/, "")],
  ["/\\/*$/", (text) => text.replace(/\/+$/, "")],
  ["/\\/$/", (text) => text.replace(/\/$/, "")],
]);
