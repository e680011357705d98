// Value resolution: object literals and their properties. The object literals an expression may
// hold (through variables, calls, fields and parameters), the members and properties read from
// them, and destructuring. A pattern about reading a property of a value goes here. Part of
// ValueResolver (see valuesCore.ts).
import ts from "typescript";
import { MAX_VALUE_DEPTH } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { type FunctionRef, HOLE, isConstDeclaration, isPrimitiveType, declarationOf, findAncestor } from "./syntax";
import { firstAnswer, getNameText, settledValue, type ValueRef } from "./valuesCore";
import { StringValues } from "./valuesStrings";
import type { BindingNames } from "./types";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  isBindingElement,
  isCallExpression,
  isElementAccessExpression,
  isIdentifier,
  isMethodDeclaration,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isStringLiteralLike,
  isFunctionLike,
  isVariableDeclaration,
} = ts;

/** How many values one question about the object literals an expression holds may read (see objectLiterals). */
const LITERAL_STEPS = 1000;

export abstract class ObjectValues extends StringValues {
  /**
   * The binding a value holds, traced through what names, parameters and fields hold: `this.db` of
   * a class made with `new UserRepo(env.DB)` (a parameter property or `this.db = db`), a helper's
   * `db` parameter given `env.DB`, `deps.db` of `{ db: env.DB }`; as bindingOf for a direct
   * `env.DB`. Only when every value found is the same binding. Reading what calls pass ties the
   * walk to its callers: it is then not kept (see argumentsPassedFor).
   */
  heldBinding(expression: ts.Expression, module: ModuleFacts, depth = 0): { name: string; kind: keyof BindingNames } | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const direct = this.bindingOf(expression);
    if (direct) return direct;
    const value = unwrapExpression(expression);
    // A D1 session (`this.db.withSession(bookmark)`) queries the database it was made on.
    if (isCallExpression(value) && isPropertyAccessExpression(value.expression) && value.expression.name.text === "withSession") {
      const binding = this.heldBinding(value.expression.expression, module, depth + 1);
      return binding?.kind === "d1" ? binding : undefined;
    }
    const sources = isIdentifier(value)
      ? this.withArguments(() => this.valuesOf(value, module, depth + 1))
      : isPropertyAccessExpression(value)
        ? this.withArguments(() => {
            const found = this.accessValues(value, module, depth + 1);
            return found.length > 0 ? found : this.fieldValues(value, module);
          })
        : [];
    let held: { name: string; kind: keyof BindingNames } | undefined;
    for (const source of sources) {
      if (source.expression === expression) return undefined;
      const binding = this.heldBinding(source.expression, source.module, depth + 1);
      if (!binding || (held && held.name !== binding.name)) return undefined;
      held = binding;
    }
    return held;
  }

  /**
   * The object literal an expression holds: written in place (through `as`, parentheses) or in a
   * name holding one, the first found. Narrower than objectLiterals (no properties, no returns):
   * what the adapters read their options and route tables with.
   */
  heldObjectLiteral(
    expression: ts.Expression | undefined,
    module: ModuleFacts,
    depth: number,
    maxDepth: number,
  ): { object: ts.ObjectLiteralExpression; module: ModuleFacts } | undefined {
    if (!expression || depth > maxDepth) return undefined;
    const value = unwrapExpression(expression);
    if (isObjectLiteralExpression(value)) return { object: value, module };
    if (!isIdentifier(value)) return undefined;
    return firstAnswer(this.valuesOf(value, module), (s) => this.heldObjectLiteral(s.expression, s.module, depth + 1, maxDepth));
  }

  /**
   * The object literals an expression may hold: a literal (through `as const`, `satisfies`), a
   * variable or an imported constant holding one, a property of one, or what a project function
   * returns. Only values written in the Worker's own code: parameters and fields are not followed.
   */
  objectLiterals(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    // Nested through calledFunction too (`db.get()` in the value of `db`): bounded across both.
    if (depth > 6 || this.literalDepth > 12) return [];
    // Bounded in breadth too: a recursive function given nested rule tables by several callers
    // (`parse(rules[key])`, `parse(this.baseRules)`) fans out at each level. One question from the
    // top reads at most LITERAL_STEPS values.
    if (this.literalDepth === 0) this.literalSteps = 0;
    else if (++this.literalSteps > LITERAL_STEPS) return [];
    this.literalDepth++;
    try {
      return this.objectLiteralsOf(expression, module, depth);
    } finally {
      this.literalDepth--;
    }
  }

  private literalSteps = 0;

  private objectLiteralsOf(
    expression: ts.Expression,
    module: ModuleFacts,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    const value = settledValue(expression, module);
    if (isObjectLiteralExpression(value)) return [{ literal: value, module }];
    // `c.get("services")`, `c.var.services`: what middleware put in the request context.
    const key = this.contextKey(value);
    if (key !== undefined) return this.contextValues(key).flatMap((v) => this.objectLiterals(v.expression, v.module, depth + 1));
    if (isIdentifier(value)) {
      const declaration = declarationOf(value);
      // A parameter holds what the call being walked passes, or what the calls met so far pass
      // (`one(client(token))` then `c.post()` inside `one`; `makeHandler({ createApp })` then
      // `opts.createApp(env)`): reading it ties the walk to its callers, so it is not kept.
      if (declaration && isParameter(declaration)) return this.parameterLiterals(declaration, depth);
      // `async ({ slackCli }) => slackCli.postMessage(...)`: that property of what the calls pass.
      if (declaration && isBindingElement(declaration) && isParameter(declaration.parent.parent) && !this.evaluating.has(declaration)) {
        const module0 = module;
        const sources = this.withArguments(() => this.destructuredValues(declaration, module0, depth));
        if (sources.length === 0) return [];
        this.parameterReads++;
        this.evaluating.add(declaration);
        try {
          return sources.flatMap((s) => this.objectLiterals(s.expression, s.module, depth + 1));
        } finally {
          this.evaluating.delete(declaration);
        }
      }
      // `const { usecases } = container`, `container` a parameter: that property of the objects it may hold.
      if (declaration && isBindingElement(declaration)) return this.destructuredLiterals(declaration, module, depth);
      if (declaration && !isVariableDeclaration(declaration)) return [];
      const overridden = declaration && !isConstDeclaration(declaration) && this.configuredLocal(declaration, module);
      if (declaration && !isConstDeclaration(declaration) && !overridden) return [];
      // A value defined through itself (`const db = await db.open()`) is not followed round again.
      const key = declaration ?? value;
      if (this.evaluating.has(key)) return [];
      this.evaluating.add(key);
      try {
        const values = this.valuesOf(value, module, depth);
        // `let repo = makeMemoryRepo(); if (url) repo = makeRemoteRepo(url)`: what it is set to comes
        // first, the default last (a method is read from the first literal that has it).
        if (overridden) values.reverse();
        return values.flatMap((v) => this.objectLiterals(v.expression, v.module, depth + 1));
      } finally {
        this.evaluating.delete(key);
      }
    }
    if (isPropertyAccessExpression(value)) {
      const members = this.objectMembers(value.expression, value.name.text, module, depth + 1).flatMap((m) =>
        m.value ? this.objectLiterals(m.value.expression, m.value.module, depth + 1) : [],
      );
      if (members.length > 0) return members;
      // A field holding an object literal (`this.deps = { db }`, `service.deps.db`): what it is assigned.
      const receiver = unwrapExpression(value.expression);
      const instance = receiver.kind === SyntaxKind.ThisKeyword ? undefined : this.classOfInstance(receiver, module, depth + 1);
      const fields =
        receiver.kind === SyntaxKind.ThisKeyword
          ? this.thisMemberValues(value, module)
          : instance
            ? this.classMemberValues(instance, value.name.text)
            : [];
      return fields.flatMap((f) => this.objectLiterals(f.expression, f.module, depth + 1).concat(this.constructorArguments(f, depth)));
    }
    // `MODELS["large"]`: a property of a table named by a literal or a constant.
    if (isElementAccessExpression(value)) {
      const argument = unwrapExpression(value.argumentExpression);
      const key = isStringLiteralLike(argument) ? argument.text : this.constantKey(argument, depth);
      if (key === undefined) return [];
      return this.objectMembers(value.expression, key, module, depth + 1).flatMap((m) =>
        m.value ? this.objectLiterals(m.value.expression, m.value.module, depth + 1) : [],
      );
    }
    if (isCallExpression(value)) {
      const fn = this.calledFunction(unwrapExpression(value.expression), module);
      if (!fn || this.evaluating.has(fn.fn)) return [];
      this.evaluating.add(fn.fn);
      try {
        return this.returnedValues(fn.fn, fn.module).flatMap((v) => this.objectLiterals(v.expression, v.module, depth + 1));
      } finally {
        this.evaluating.delete(fn.fn);
      }
    }
    return [];
  }

  /**
   * The object literals a parameter may hold: what the call being walked passes for it (the function
   * is then walked again for each call, see calledOutcome), else what every call met so far passes.
   * A destructured or rest parameter holds no literal of its own.
   */
  /**
   * A `let` whose every value is set where it can be seen: inside a function, one that the same
   * function sets again (`let repo = makeMemoryRepo(); if (url) repo = makeRemoteRepo(url)`: a
   * default and what replaces it when configured, or `let verifier;` set when configured); at the top of a module, one set lazily
   * (`let cached = null; ... cached = makeContainer(env)`), which only its own module can set.
   */
  private configuredLocal(declaration: ts.VariableDeclaration, module: ModuleFacts): boolean {
    if (!isIdentifier(declaration.name)) return false;
    const scope = findAncestor(declaration, isFunctionLike);
    const assignments = (module.assignments.get(declaration.name.text) ?? []).filter(
      (a) => isIdentifier(a.left) && declarationOf(a.left) === declaration,
    );
    return assignments.length > 0 && (!scope || assignments.every((a) => findAncestor(a, isFunctionLike) === scope));
  }

  /**
   * The object literals a name bound by `const { key } = holder` may hold: property `key` of the
   * object literals `holder` may hold (a parameter's among them, through the calls met so far).
   */
  private destructuredLiterals(
    element: ts.BindingElement,
    module: ModuleFacts,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    const pattern = element.parent;
    const holder = pattern.parent;
    const key = element.propertyName ?? element.name;
    if (!isObjectBindingPattern(pattern) || !isIdentifier(key) || element.dotDotDotToken) return [];
    if (!isVariableDeclaration(holder) || !holder.initializer || !isConstDeclaration(holder) || this.evaluating.has(element)) return [];
    this.evaluating.add(element);
    try {
      return this.objectLiterals(holder.initializer, module, depth + 1).flatMap((held) =>
        this.propertyValues({ expression: held.literal, module: held.module }, key.text, depth + 1).flatMap((v) =>
          this.objectLiterals(v.expression, v.module, depth + 1),
        ),
      );
    } finally {
      this.evaluating.delete(element);
    }
  }

  private parameterLiterals(
    parameter: ts.ParameterDeclaration,
    depth: number,
  ): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    if (!isIdentifier(parameter.name) || parameter.dotDotDotToken || this.evaluating.has(parameter)) return [];
    // `name: string`: no call of code that type-checks passes an object for it. Said before what
    // this call passes is read: that would keep the walk from being kept (see cutWalk), and every
    // caller's walk with it, for a string helper's `name.trim()`.
    if (parameter.type && isPrimitiveType(parameter.type)) return [];
    const here = this.callBindings.get(parameter);
    let sources: ValueRef[];
    if (here) {
      const module = this.ctx.loader.moduleBySourceFile.get(here.getSourceFile());
      this.ctx.walker.cutWalk();
      sources = module ? [{ expression: here, module }] : [];
    } else sources = this.argumentsPassedFor(parameter);
    if (sources.length === 0) return [];
    this.parameterReads++;
    this.evaluating.add(parameter);
    try {
      const found = sources.flatMap((s) => this.objectLiterals(s.expression, s.module, depth + 1));
      // The function is walked again for each call only when what this call passes told something
      // (a client handed in as `db` holds no literal: one walk serves every call).
      if (here && found.length > 0) this.readThroughCall.add(parameter.parent);
      return found;
    } finally {
      this.evaluating.delete(parameter);
    }
  }

  /** Property `name` of the object literals an expression may hold: a method, or the value of a property (spreads followed). */
  protected objectMembers(
    expression: ts.Expression,
    name: string,
    module: ModuleFacts,
    depth: number,
  ): Array<{ method?: FunctionRef; value?: ValueRef }> {
    const found: Array<{ method?: FunctionRef; value?: ValueRef }> = [];
    for (const { literal, module: at } of this.objectLiterals(expression, module, depth)) {
      // The last property of that name wins, as at run time: read from the end.
      for (let i = literal.properties.length - 1; i >= 0; i--) {
        const property = literal.properties[i]!;
        if (isSpreadAssignment(property)) {
          const spread = this.objectMembers(property.expression, name, at, depth + 1);
          if (spread.length > 0) {
            found.push(...spread);
            break;
          }
          continue;
        }
        if (!property.name || getNameText(property.name) !== name) continue;
        if (isMethodDeclaration(property)) found.push({ method: { fn: property, module: at } });
        else if (isPropertyAssignment(property)) found.push({ value: { expression: property.initializer, module: at } });
        else if (isShorthandPropertyAssignment(property)) found.push({ value: { expression: property.name, module: at } });
        break;
      }
    }
    return found;
  }

  /** `const { db } = c.get("services")`: the `db` of the objects the source may hold. */
  protected destructuredValues(element: ts.BindingElement, module: ModuleFacts, depth: number): ValueRef[] {
    const pattern = element.parent;
    const holder = pattern.parent;
    const key = element.propertyName ?? element.name;
    if (!isObjectBindingPattern(pattern) || !isIdentifier(key)) return [];
    // `async ({ ctx }) => ...` given by a framework that says what it passes (see noteFrameworkArgument).
    const given = isParameter(holder) ? this.frameworkArguments.get(holder)?.get(key.text) : undefined;
    if (given) {
      // What the framework passes comes from other functions (createContext): not kept.
      this.ctx.walker.cutWalk();
      return given;
    }
    // `function load({ url })`: the property of what the calls pass (read only when asked: see urlHosts).
    if (isParameter(holder)) {
      if (this.readingArguments) return this.argumentsPassedFor(holder).flatMap((s) => this.propertyValues(s, key.text, depth + 1));
      this.parameterHoles++;
      return [];
    }
    if (!isVariableDeclaration(holder)) return [];
    // `const { db } = ctx` of a parameter a framework says what it passes (see noteFrameworkArgument).
    const source = holder.initializer ? unwrapExpression(holder.initializer) : undefined;
    const sourceDeclaration = source && isIdentifier(source) ? declarationOf(source) : undefined;
    const passed =
      sourceDeclaration && isParameter(sourceDeclaration) ? this.frameworkArguments.get(sourceDeclaration)?.get(key.text) : undefined;
    if (passed) {
      this.ctx.walker.cutWalk();
      return passed;
    }
    // `for (const { url } of [{ url: A }, { url: B }])`: that property of any element.
    const elements = this.forOfElements(holder, module);
    if (elements) return elements.flatMap((s) => this.propertyValues(s, key.text, depth + 1));
    if (!holder.initializer) return [];
    const found = this.propertyValues({ expression: holder.initializer, module }, key.text, depth + 1);
    // `const { repo } = ctx` where `ctx` is a parameter: read as `ctx.repo` is, the property of the
    // object literals the calls pass for it (see objectMembers; reading them ties the walk to its callers).
    if (found.length === 0 && source && isIdentifier(source) && sourceDeclaration && isParameter(sourceDeclaration))
      return this.objectMembers(source, key.text, module, depth + 1).flatMap((m) => (m.value ? [m.value] : []));
    return found;
  }

  /**
   * `deps.sql` where `deps` is a parameter, or `this.deps.sql` in a class: what property `sql` holds
   * in the values the calls met so far pass for it (`handle({ sql }, id)`, `new Service({ sql })`).
   * The walk is then not kept.
   */
  fieldValues(access: ts.PropertyAccessExpression, module: ModuleFacts): ValueRef[] {
    const holder = unwrapExpression(access.expression);
    let sources: ValueRef[];
    if (isPropertyAccessExpression(holder) && holder.expression.kind === SyntaxKind.ThisKeyword)
      sources = this.thisMemberValues(holder, module);
    else {
      const declaration = isIdentifier(holder) ? declarationOf(holder) : undefined;
      // `holder.prisma = makeClient()` anywhere in the file, for a holder variable (the singleton
      // kept on `globalThis as unknown as { prisma?: ... }`): what is assigned there.
      if (declaration && isVariableDeclaration(declaration) && isIdentifier(holder)) {
        const assigned = (module.assignments.get(`${holder.text}.${access.name.text}`) ?? [])
          .filter(
            (a) =>
              isPropertyAccessExpression(a.left) && isIdentifier(a.left.expression) && declarationOf(a.left.expression) === declaration,
          )
          .map((a) => ({ expression: a.right, module }));
        if (assigned.length > 0 || !isConstDeclaration(declaration) || !declaration.initializer) return assigned;
        // `const conn = openStore(env)` returning `{ db: drizzle(sql), sql }`: that property of what it holds.
        return this.propertyValues({ expression: holder, module }, access.name.text, 0);
      }
      if (!declaration || !isParameter(declaration)) return [];
      sources = this.argumentsPassedFor(declaration);
      // `deps = { fetch: fetch.bind(globalThis) }`: the default holds when a call passes nothing.
      if (declaration.initializer) sources = [...sources, { expression: declaration.initializer, module }];
    }
    return this.withArguments(() => sources.flatMap((s) => this.propertyValues(s, access.name.text, 0)));
  }

  /** What an option holds in the options object a call is given (spreads and option factories followed). */
  optionValues(options: ts.Expression, module: ModuleFacts, name: string): ValueRef[] {
    return this.propertyValues({ expression: options, module }, name, 0);
  }

  /** What property `name` holds in the object literals a value may be. */
  protected propertyValues(source: ValueRef, name: string, depth: number): ValueRef[] {
    if (depth > MAX_VALUE_DEPTH) return [];
    const value = settledValue(source.expression, source.module);
    let sources: ValueRef[] = [];
    if (isObjectLiteralExpression(value)) {
      // The last property of that name wins, as at run time; a spread before it may hold it (`{ ...ctx, storage }`).
      for (let i = value.properties.length - 1; i >= 0; i--) {
        const property = value.properties[i]!;
        if (isPropertyAssignment(property) && isIdentifier(property.name) && property.name.text === name)
          return [{ expression: property.initializer, module: source.module }];
        if (isShorthandPropertyAssignment(property) && property.name.text === name)
          return [{ expression: property.name, module: source.module }];
        if (isSpreadAssignment(property)) {
          const spread = this.propertyValues({ expression: property.expression, module: source.module }, name, depth + 1);
          if (spread.length > 0) return spread;
        }
      }
      return [];
    }
    // `opts.extend ? opts.extend(base) : base`: either.
    if (ts.isConditionalExpression(value))
      return [value.whenTrue, value.whenFalse].flatMap((e) =>
        this.propertyValues({ expression: e, module: source.module }, name, depth + 1),
      );
    const key = this.contextKey(value);
    if (key !== undefined) sources = this.contextValues(key);
    else if (isIdentifier(value)) {
      // `for (const s of SOURCES) fetch(s.url)`: the property of any element (calls go through dispatch instead).
      const declaration = declarationOf(value);
      const elements = declaration && isVariableDeclaration(declaration) ? this.forOfElements(declaration, source.module) : undefined;
      sources = elements ?? this.valuesOf(value, source.module, depth + 1);
    } else if (isElementAccessExpression(value) && isIdentifier(value.expression)) {
      // `CONFIG[environment]`: the entry of a constant table the key names, or any entry when it is only known at run time.
      // A key that is a constant (`TABLE[PROVIDER_X]` with `[PROVIDER_X]: {...}` entries) names its entry too.
      const entry = isStringLiteralLike(value.argumentExpression)
        ? value.argumentExpression.text
        : this.constantKey(value.argumentExpression, depth);
      for (const table of this.valuesOf(value.expression, source.module, depth + 1)) {
        const literal = unwrapExpression(table.expression);
        if (!isObjectLiteralExpression(literal)) continue;
        for (const property of literal.properties)
          if (
            isPropertyAssignment(property) &&
            (entry === undefined ||
              (property.name &&
                (getNameText(property.name) ??
                  (ts.isComputedPropertyName(property.name) ? this.constantKey(property.name.expression, depth) : undefined)) === entry))
          )
            sources.push({ expression: property.initializer, module: table.module });
      }
    } else if (isCallExpression(value) && value.expression.kind === SyntaxKind.ImportKeyword) {
      // `const { handler } = await import("./h")`: that export of the module.
      const target = this.dynamicImportOf(value, source.module);
      const found = target && this.exportOf(name, target);
      return found ? this.exportValues(found) : [];
    } else if (isCallExpression(value)) {
      const fn = this.calledFunction(unwrapExpression(value.expression), source.module);
      if (fn) sources = this.returnedValues(fn.fn, fn.module);
    }
    return sources.flatMap((s) => this.propertyValues(s, name, depth + 1));
  }

  /** A key known for certain: an identifier naming a constant string (`PROVIDER_X`), else undefined. */
  private constantKey(expression: ts.Expression, depth: number): string | undefined {
    const key = unwrapExpression(expression);
    if (!isIdentifier(key)) return undefined;
    const declaration = declarationOf(key);
    if (declaration && !(isVariableDeclaration(declaration) && isConstDeclaration(declaration))) return undefined;
    const text = this.evaluateString(key, depth + 1);
    return text !== undefined && !text.includes(HOLE) ? text : undefined;
  }
}
