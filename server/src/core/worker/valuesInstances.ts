// Value resolution: instances, fields and factories. Which project class a value is an instance
// of (`new Repo(env)`, held in a variable, a field or returned by a factory), what its fields hold,
// its methods, constructor and base class. A pattern about classes goes here. Part of
// ValueResolver (see valuesCore.ts).
import ts from "typescript";
import { MAX_VALUE_DEPTH } from "./context";
import { unwrapExpression, type ModuleFacts } from "./module";
import { type FunctionRef, findAncestor, declarationOf } from "./syntax";
import { memberFunction, settledValue, type ValueRef, type ClassRef } from "./valuesCore";
import { ArgumentValues } from "./valuesArguments";
import { ContainerRegistrations, resolvedClassArgument } from "./diContainer";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const {
  SyntaxKind,
  getModifiers,
  isCallExpression,
  isClassLike,
  isConstructSignatureDeclaration,
  isConstructorDeclaration,
  isConstructorTypeNode,
  isFunctionLike,
  isFunctionTypeNode,
  isIdentifier,
  isNewExpression,
  isParameter,
  isPropertyAccessExpression,
  isPropertyDeclaration,
  isTypeLiteralNode,
  isTypeReferenceNode,
} = ts;

/** The `super(...)` call a constructor makes, when it makes one as a statement of its body. */
function superCallIn(constructor: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const body = constructor.body;
  if (!body || !ts.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const call = unwrapExpression(statement.expression);
    if (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.SuperKeyword) return call;
  }
  return undefined;
}

/** How many links of a call chain before a call classOfInstance asks first (see classOfInstance). */
const MAX_PRIMED_LINKS = 64;

export abstract class InstanceValues extends ArgumentValues {
  /** Calls whose instance is being worked out (see callInstance). */
  private readonly instanceCalls = new Set<ts.Node>();
  /** Instances by declaration (see classOfInstance), per analysis. */
  private readonly instances = new Map<ts.Node, ClassRef | null>();
  private primingLinks = false;
  /** Calls found to be no project class's instance, per analysis (see classOfInstance). */
  private readonly notInstances = new Map<
    ts.Node,
    { readonly module: ModuleFacts; readonly readingArguments: boolean; readonly readingCallArguments: boolean }
  >();
  /** Classes whose module-level instances were looked for (see noteModuleInstances). */
  private readonly instancesNoted = new Set<ts.ClassLikeDeclaration>();
  /** `new X(...)` sites with arguments, by class name, and the modules indexed (see newSitesNamed). */
  private readonly newSites = new Map<string, Array<{ readonly expression: ts.NewExpression; readonly module: ModuleFacts }>>();
  private readonly newSitesIndexed = new Set<ModuleFacts>();
  /** Dependency-injection registrations (`container.register(Token, { useClass })`), read when first asked. */
  private readonly containerRegistrations = new ContainerRegistrations(() => this.ctx.loader.modules.values());
  protected override busy(): boolean {
    return this.instanceCalls.size > 0 || super.busy();
  }

  /** What a class field holds: its initializer and `this.name = e` anywhere in the class. */
  memberValues(cls: ts.ClassLikeDeclaration, name: string, module: ModuleFacts): ValueRef[] {
    const values: ValueRef[] = [];
    for (const member of cls.members) {
      // (`#itty = IttyRouter()`: a private field, read as `this.#itty`, is named with its `#`.)
      if (
        isPropertyDeclaration(member) &&
        member.initializer &&
        (isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) &&
        member.name.text === name
      )
        values.push({ expression: member.initializer, module });
      // `constructor(private db = createDb())`: a parameter property.
      // `constructor(private db = createDb())`, `constructor(private db: Db)`: a parameter property,
      // holding its default or what `new` was given.
      if (isConstructorDeclaration(member))
        for (const parameter of member.parameters) {
          if (!isIdentifier(parameter.name) || parameter.name.text !== name || !getModifiers(parameter)?.length) continue;
          if (parameter.initializer) values.push({ expression: parameter.initializer, module });
          if (!this.callArguments.has(parameter)) this.noteModuleInstances(cls);
          values.push(...this.argumentsPassedFor(parameter));
          // `constructor(@inject("Db") private db: D1Database)`: what the container registers.
          if (ts.canHaveDecorators(parameter) && ts.getDecorators(parameter)?.length)
            values.push(...this.containerRegistrations.injectedValues(parameter, module));
        }
    }
    for (const assignment of module.assignments.get("this." + name) ?? []) {
      if (findAncestor(assignment, isClassLike) !== cls) continue;
      values.push({ expression: assignment.right, module });
      // `constructor(api: Api) { this.api = api }`: as a parameter property, what `new` was given.
      const right = unwrapExpression(assignment.right);
      const parameter = isIdentifier(right) ? declarationOf(right) : undefined;
      if (parameter && isParameter(parameter) && isConstructorDeclaration(parameter.parent) && parameter.parent.parent === cls) {
        if (!this.callArguments.has(parameter)) this.noteModuleInstances(cls);
        values.push(...this.argumentsPassedFor(parameter));
      }
    }
    return values;
  }

  /**
   * The module-level instances of a class in the modules read (`const users = new UserRepository(db)`):
   * what their `new` gives the constructor is noted, so that a method reached through a parameter
   * typed as the class (`createUser(repo: UserRepository)`), before any instance was met, sees its
   * fields. Once per class.
   */
  private noteModuleInstances(cls: ts.ClassLikeDeclaration): void {
    const name = cls.name?.text;
    if (!name || this.instancesNoted.has(cls)) return;
    this.instancesNoted.add(cls);
    for (const module of this.ctx.loader.modules.values())
      for (const declaration of module.variables.values()) {
        const value = declaration.initializer ? unwrapExpression(declaration.initializer) : undefined;
        const callee = value && isNewExpression(value) ? unwrapExpression(value.expression) : undefined;
        if (callee && isIdentifier(callee) && callee.text === name) this.classOfInstance(value!, module);
      }
    // And the instances made inside functions (`const useCase = new CopyUseCase(repo)` in a route
    // handler that only hands `useCase` on to a controller typed with an interface): a method reached
    // through that interface reads its fields from what those `new`s give.
    if (!this.constructorArgumentsNoted(cls))
      for (const site of this.newSitesNamed(name)) this.classOfInstance(site.expression, site.module);
  }

  /** Whether some `new` of the class was met and gave its constructor arguments. */
  private constructorArgumentsNoted(cls: ts.ClassLikeDeclaration): boolean {
    const constructor = cls.members.find(isConstructorDeclaration);
    return !constructor || constructor.parameters.every((parameter) => this.callArguments.has(parameter));
  }

  /** Every `new Name(...)` in the modules read, by class name (indexed once per module). */
  private newSitesNamed(name: string): ReadonlyArray<{ readonly expression: ts.NewExpression; readonly module: ModuleFacts }> {
    for (const module of this.ctx.loader.modules.values()) {
      if (this.newSitesIndexed.has(module)) continue;
      this.newSitesIndexed.add(module);
      const visit = (node: ts.Node): void => {
        if (isNewExpression(node)) {
          const callee = unwrapExpression(node.expression);
          // (`new Repo(db)`, `new repos.Repo(db)` through a namespace import.)
          const named = isIdentifier(callee) ? callee : isPropertyAccessExpression(callee) ? callee.name : undefined;
          if (named && node.arguments?.length) {
            let sites = this.newSites.get(named.text);
            if (!sites) this.newSites.set(named.text, (sites = []));
            sites.push({ expression: node, module });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(module.sourceFile);
    }
    return this.newSites.get(name) ?? [];
  }

  /** `new providers.Gemini()` with `import * as providers from "./providers"`: the class that module declares. */
  private namespacedClass(callee: ts.Expression, module: ModuleFacts): ClassRef | undefined {
    if (!isPropertyAccessExpression(callee) || !isIdentifier(callee.expression) || declarationOf(callee.expression)) return undefined;
    const imported = module.imports.get(callee.expression.text);
    if (!imported || imported.name !== "*") return undefined;
    const target = this.ctx.loader.moduleFor(imported.module, module);
    return target ? this.classNamed(callee.name.text, target) : undefined;
  }

  /** The project class an expression is an instance of: `new Repo(env)`, held in a variable or a field. */
  classOfInstance(expression: ts.Expression, module: ModuleFacts, depth = 0): ClassRef | undefined {
    if (depth > MAX_VALUE_DEPTH) return undefined;
    const value = unwrapExpression(expression);
    // `@inject(CreateUser)`, `{ useClass: D1Repo }`: a class token stands for an instance the container makes.
    if (isIdentifier(value) && this.containerRegistrations.classTokens.has(value)) {
      const declaration = declarationOf(value);
      return declaration && isClassLike(declaration) ? { cls: declaration, module } : this.classNamed(value.text, module);
    }
    // Most receivers of method calls are plain values (`results.push`, `response.json`): asked once each.
    const declaration = isIdentifier(value) ? declarationOf(value) : undefined;
    if (declaration) {
      const known = this.instances.get(declaration);
      if (known !== undefined) return known ?? undefined;
      this.instances.set(declaration, null);
      const found = this.instanceOf(value, module, depth);
      this.instances.set(declaration, found ?? null);
      return found;
    }
    if (!isCallExpression(value)) return this.instanceOf(value, module, depth);
    // A call that is no project instance, as a whole question found it, is none when asked again
    // deeper either: there the bounds and the calls in progress only cut the search shorter. A chain
    // of calls on a package's object (`new Hono().use(...).get(...)...`, each link classified) asks
    // each link for the one before it, through the method and through the field: without this, every
    // link worked out all the links before it again.
    const notInstance = this.notInstances.get(value);
    if (
      notInstance &&
      notInstance.module === module &&
      notInstance.readingArguments === this.readingArguments &&
      notInstance.readingCallArguments === this.readingCallArguments
    )
      return undefined;
    const whole = depth === 0 && this.askedFromTop();
    // The links before it asked first, innermost first, each a whole question of its own (as the
    // walk asks each when it classifies it): this link then finds the one before it answered.
    if (whole && !this.primingLinks) {
      const links: ts.CallExpression[] = [];
      for (let link = value; links.length < MAX_PRIMED_LINKS;) {
        const callee = unwrapExpression(link.expression);
        const receiver = isPropertyAccessExpression(callee) ? unwrapExpression(callee.expression) : undefined;
        if (!receiver || !isCallExpression(receiver)) break;
        links.push((link = receiver));
      }
      this.primingLinks = true;
      try {
        for (let i = links.length - 1; i >= 0; i--) this.classOfInstance(links[i]!, module);
      } finally {
        this.primingLinks = false;
      }
    }
    const reads = this.parameterReads;
    const holes = this.parameterHoles;
    const lookups = this.argumentLookups;
    const cuts = this.ctx.walker.cuts;
    const found = this.instanceOf(value, module, depth);
    // (As calledFunction's settled answers: nothing read that depends on the call being walked or
    // that may change as the analysis goes on.)
    if (
      whole &&
      !found &&
      this.parameterReads === reads &&
      this.parameterHoles === holes &&
      this.argumentLookups === lookups &&
      this.ctx.walker.cuts === cuts
    )
      this.notInstances.set(value, { module, readingArguments: this.readingArguments, readingCallArguments: this.readingCallArguments });
    return found;
  }

  /**
   * Whether a question is asked with nothing in progress that may cut its answer short (no bound
   * reached, no value being evaluated, no call being worked out).
   */
  protected askedFromTop(): boolean {
    return !this.busy();
  }

  private instanceOf(value: ts.Expression, module: ModuleFacts, depth: number): ClassRef | undefined {
    if (isNewExpression(value)) {
      const callee = unwrapExpression(value.expression);
      let found: ClassRef | undefined;
      if (isIdentifier(callee)) {
        const declaration = declarationOf(callee);
        found = declaration && isClassLike(declaration) ? { cls: declaration, module } : this.classNamed(callee.text, module);
      } else found = this.namespacedClass(callee, module);
      if (!found) return undefined;
      // What the constructor is given is what its fields hold: `new Store(c.get("db"))`.
      const constructor = found ? this.constructorOf(found) : undefined;
      if (constructor && value.arguments) this.noteArguments(constructor, value.arguments, module);
      // And what it passes on to its base class's: `super({ ...opts, baseUrl })`.
      let ref = constructor && found ? { fn: constructor, cls: findAncestor(constructor.fn, isClassLike) } : undefined;
      for (let depth = 0; ref?.cls && depth < 8; depth++) {
        const superCall = superCallIn(ref.fn.fn);
        const base = superCall ? this.baseClassOf({ cls: ref.cls, module: ref.fn.module }) : undefined;
        const baseConstructor = base ? this.constructorOf(base) : undefined;
        if (!superCall || !baseConstructor) break;
        this.noteArguments(baseConstructor, superCall.arguments, ref.fn.module);
        ref = { fn: baseConstructor, cls: findAncestor(baseConstructor.fn, isClassLike) };
      }
      return found;
    }
    // `c.get("repo")`, `c.var.repo`: what middleware put in the request context (`c.set("repo", new Repo(db))`).
    const key = this.contextKey(value);
    if (key !== undefined) {
      for (const source of this.contextValues(key)) {
        const found = this.classOfInstance(source.expression, source.module, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    // `return (this.instance ??= new Service())`: the instance assigned.
    if (
      ts.isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.QuestionQuestionEqualsToken ||
        value.operatorToken.kind === SyntaxKind.BarBarEqualsToken ||
        value.operatorToken.kind === SyntaxKind.EqualsToken)
    )
      return this.classOfInstance(value.right, module, depth + 1) ?? this.classOfInstance(value.left, module, depth + 1);
    // `deps.client ?? new Client(...)`, `opts.store || new Store()`: an injected instance (a test's
    // seam, most often left out) or the one made here. (Only with a `new` on the right: `a || b` is
    // everywhere, and reading both sides of each for an instance is costly in a large project.)
    if (
      ts.isBinaryExpression(value) &&
      (value.operatorToken.kind === SyntaxKind.QuestionQuestionToken || value.operatorToken.kind === SyntaxKind.BarBarToken) &&
      isNewExpression(unwrapExpression(value.right))
    )
      return this.classOfInstance(value.left, module, depth + 1) ?? this.classOfInstance(value.right, module, depth + 1);
    // `env.KEY ? new Service(env.KEY) : undefined`: the instance of either branch.
    if (ts.isConditionalExpression(value))
      return this.classOfInstance(value.whenTrue, module, depth + 1) ?? this.classOfInstance(value.whenFalse, module, depth + 1);
    // `const gateway = await getGateway(env)`: what the project's factory returns.
    // (And `await Promise.resolve(new Service())`, a promise made ready at once: the instance it gives.)
    const called = settledValue(value, module);
    if (called !== value && !isCallExpression(called)) return this.classOfInstance(called, module, depth + 1);
    if (isCallExpression(called)) {
      // `container.resolve(UserController)`: an instance of a project class.
      const resolved = resolvedClassArgument(called);
      const declaration = resolved ? declarationOf(resolved) : undefined;
      const cls = resolved
        ? declaration && isClassLike(declaration)
          ? { cls: declaration, module }
          : this.classNamed(resolved.text, module)
        : undefined;
      if (cls) return cls;
      // `this.managers.get(lang)!` on a memo map the class fills with `this.managers.set(lang, new Manager(lang))`.
      for (const stored of memoFieldValues(called, module)) {
        const found = this.classOfInstance(stored, module, depth + 1);
        if (found) return found;
      }
      return this.callInstance(called, module, depth);
    }
    const sources = isIdentifier(value)
      ? this.valuesOf(value, module, depth)
      : isPropertyAccessExpression(value)
        ? // `ctx.store` where `ctx` is what a framework passes (tRPC's createContext value).
          (this.frameworkProperty(value) ?? this.accessValues(value, module, depth))
        : [];
    for (const source of sources) {
      const found = this.classOfInstance(source.expression, source.module, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * What `a.b` holds, level by level: a field of `this`, a field of the project class `a` is an
   * instance of (`this.api.hasher`, assigned in `Api`'s constructor), or a property of an object
   * literal `a` holds (`this.deps.db` over `this.deps = { db: new Db() }`).
   */
  protected accessValues(access: ts.PropertyAccessExpression, module: ModuleFacts, depth: number): ValueRef[] {
    if (depth > MAX_VALUE_DEPTH) return [];
    const receiver = unwrapExpression(access.expression);
    if (receiver.kind === SyntaxKind.ThisKeyword) return this.thisMemberValues(access, module);
    // `Registry.sharedInstance`: a static field of a project class (a singleton's `new Registry()`).
    const declared = isIdentifier(receiver) ? declarationOf(receiver) : undefined;
    const cls = isIdentifier(receiver) && (!declared || isClassLike(declared)) ? this.classNamed(receiver.text, module) : undefined;
    if (cls) {
      const statics: ValueRef[] = [];
      for (const member of cls.cls.members)
        if (
          ts.isPropertyDeclaration(member) &&
          member.initializer &&
          isIdentifier(member.name) &&
          member.name.text === access.name.text &&
          member.modifiers?.some((m) => m.kind === SyntaxKind.StaticKeyword)
        )
          statics.push({ expression: member.initializer, module: cls.module });
      // A singleton's field set where it is first asked for: `Registry.instance = new Registry()` (or
      // `this.instance ??= new Registry()`) in a static method of the class.
      if (statics.length === 0 && cls.cls.name)
        for (const key of [cls.cls.name.text + "." + access.name.text, "this." + access.name.text])
          for (const assignment of cls.module.assignments.get(key) ?? []) {
            const method = findAncestor(assignment, (n): n is ts.SignatureDeclaration => isFunctionLike(n) && n.parent === cls.cls);
            const isStatic = !!method && (getModifiers(method as ts.HasModifiers) ?? []).some((m) => m.kind === SyntaxKind.StaticKeyword);
            if (key.startsWith("this.") ? isStatic : findAncestor(assignment, isClassLike) === cls.cls)
              statics.push({ expression: assignment.right, module: cls.module });
          }
      if (statics.length > 0) return statics;
    }
    const instance = this.classOfInstance(receiver, module, depth + 1);
    if (instance) {
      const fields = this.classMemberValues(instance, access.name.text);
      if (fields.length > 0) return fields;
    }
    const values: ValueRef[] = [];
    for (const member of this.objectMembers(receiver, access.name.text, module, depth + 1)) if (member.value) values.push(member.value);
    return values;
  }

  /**
   * A field set from a constructor's parameter (`constructor(deps) { this.deps = deps }`): the object
   * literals `new` was given for it (`new Service({ db: new Db() })`).
   */
  protected constructorArguments(field: ValueRef, depth: number): Array<{ literal: ts.ObjectLiteralExpression; module: ModuleFacts }> {
    const value = unwrapExpression(field.expression);
    const parameter = isIdentifier(value) ? declarationOf(value) : undefined;
    if (!parameter || !isParameter(parameter) || !isConstructorDeclaration(parameter.parent)) return [];
    return this.argumentsPassedFor(parameter).flatMap((a) => this.objectLiterals(a.expression, a.module, depth + 1));
  }

  /** What a field holds in a project class or the project classes it extends. */
  protected classMemberValues(ref: ClassRef, name: string): ValueRef[] {
    let current: ClassRef | undefined = ref;
    for (let depth = 0; current && depth < 8; depth++) {
      const values = this.memberValues(current.cls, name, current.module);
      if (values.length > 0) return values;
      current = this.baseClassOf(current);
    }
    return [];
  }

  /** `this.name` inside a class: what the field holds (in the class, else in the project class it extends). */
  thisMemberValues(access: ts.PropertyAccessExpression, module: ModuleFacts): ValueRef[] {
    const cls = findAncestor(access, isClassLike);
    // A field the class does not set is its base class's (`this.api` assigned in the base's constructor).
    return cls ? this.classMemberValues({ cls, module }, access.name.text) : [];
  }

  /** A method of a project class, or of the project class it extends. */
  methodOf(ref: ClassRef, name: string, depth = 0): FunctionRef | undefined {
    const member = memberFunction(ref.cls, name) ?? assignedMethod(ref, name);
    if (member) return { fn: member, module: ref.module };
    const parent = depth <= 8 ? this.baseClassOf(ref) : undefined;
    return parent ? this.methodOf(parent, name, depth + 1) : undefined;
  }

  /** A class's constructor, its own or the nearest project base class's. */
  constructorOf(ref: ClassRef, depth = 0): FunctionRef | undefined {
    const own = ref.cls.members.find(isConstructorDeclaration);
    if (own) return { fn: own, module: ref.module };
    const parent = depth <= 8 ? this.baseClassOf(ref) : undefined;
    return parent ? this.constructorOf(parent, depth + 1) : undefined;
  }

  /** The project class a class extends, when it is one. */
  baseClassOf(ref: ClassRef): ClassRef | undefined {
    const base = ref.cls.heritageClauses?.find((c) => c.token === SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (base && isIdentifier(base)) return this.classNamed(base.text, ref.module);
    // A class a function of the project makes (`extends EntityCollection<Row>("users")`, a mixin).
    const value = base ? unwrapExpression(base) : undefined;
    if (!value || !isCallExpression(value)) return undefined;
    const factory = this.calledFunction(unwrapExpression(value.expression), ref.module);
    if (!factory || factory.fn === findAncestor(ref.cls, isFunctionLike)) return undefined;
    for (const returned of this.returnedValues(factory.fn, factory.module)) {
      const made = unwrapExpression(returned.expression);
      if (isClassLike(made) && made !== ref.cls) return { cls: made, module: returned.module };
      if (isIdentifier(made)) {
        const declaration = declarationOf(made);
        if (declaration && isClassLike(declaration) && declaration !== ref.cls) return { cls: declaration, module: returned.module };
      }
    }
    return undefined;
  }

  /**
   * The instance a call returns: what a project function returns (`new Store()` from a factory), or
   * the class its type parameter is bound to by a constructor it is given (`get<T>(type: new () => T): T`
   * called with `UserCollection`; also a function it returns that gives a T, as a field made by
   * `users = this.collection(UserCollection)` and called as `repo.users()`).
   */
  private callInstance(call: ts.CallExpression, module: ModuleFacts, depth: number): ClassRef | undefined {
    // `this.load = this.load.bind(this)` reads the call again through the field: once.
    if (this.instanceCalls.has(call)) return undefined;
    this.instanceCalls.add(call);
    try {
      return this.callInstanceOnce(call, module, depth);
    } finally {
      this.instanceCalls.delete(call);
    }
  }

  private callInstanceOnce(call: ts.CallExpression, module: ModuleFacts, depth: number): ClassRef | undefined {
    const callee = unwrapExpression(call.expression);
    const target = this.calledFunction(callee, module);
    if (target) {
      const bound = this.boundClass(target.fn, target.fn.type, call.arguments, module) ?? this.givenClass(target, call, module);
      if (bound) return bound;
      // (`return new Card()`, a variable holding one, or another factory's call.)
      for (const returned of this.returnedValues(target.fn, target.module)) {
        const found = this.classOfInstance(returned.expression, returned.module, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    // A field or name holding a function another call made: `users = this.collection(UserCollection)`.
    const held = isPropertyAccessExpression(callee)
      ? this.accessValues(callee, module, depth + 1)
      : isIdentifier(callee)
        ? this.valuesOf(callee, module, depth + 1)
        : [];
    for (const source of held) {
      const maker = unwrapExpression(source.expression);
      if (!isCallExpression(maker)) continue;
      const made = this.calledFunction(unwrapExpression(maker.expression), source.module);
      const type = made?.fn.type;
      if (made && type && isFunctionTypeNode(type)) {
        const bound = this.boundClass(made.fn, type.type, maker.arguments, source.module);
        if (bound) return bound;
      }
    }
    return undefined;
  }

  /**
   * A function that makes an instance of the class it is given (`getInstance(LoginGuard)` over
   * `getInstance(Class) { return container.resolve(Class) }`, or `return new Class()`): the class the
   * call passes (an identifier naming a project class).
   */
  givenClass(target: FunctionRef, call: ts.CallExpression, module: ModuleFacts): ClassRef | undefined {
    const fn = target.fn;
    for (const returned of this.returnedValues(fn, target.module)) {
      const value = unwrapExpression(returned.expression);
      const made = isNewExpression(value)
        ? unwrapExpression(value.expression)
        : isCallExpression(value)
          ? resolvedClassArgument(value)
          : undefined;
      const parameter = made && isIdentifier(made) ? declarationOf(made) : undefined;
      if (!parameter || !isParameter(parameter) || parameter.dotDotDotToken || parameter.parent !== fn) continue;
      const index = fn.parameters.indexOf(parameter);
      if (call.arguments.slice(0, index + 1).some(ts.isSpreadElement)) return undefined;
      const argument = call.arguments[index] ? unwrapExpression(call.arguments[index]) : undefined;
      if (!argument || !isIdentifier(argument)) return undefined;
      const declaration = declarationOf(argument);
      if (declaration) return isClassLike(declaration) ? { cls: declaration, module } : undefined;
      return this.classNamed(argument.text, module);
    }
    return undefined;
  }

  /** `T` declared by `fn` and bound by a parameter typed `new (...) => T` (or `{ new (...): T }`): the class the call passes there. */
  private boundClass(
    fn: ts.FunctionLikeDeclaration,
    type: ts.TypeNode | undefined,
    args: readonly ts.Expression[],
    module: ModuleFacts,
  ): ClassRef | undefined {
    if (!type || !isTypeReferenceNode(type) || !isIdentifier(type.typeName)) return undefined;
    const name = type.typeName.text;
    if (!fn.typeParameters?.some((p) => p.name.text === name)) return undefined;
    const makes = (node: ts.TypeNode | undefined): boolean => {
      if (!node) return false;
      const made = isConstructorTypeNode(node)
        ? node.type
        : isTypeLiteralNode(node)
          ? node.members.find(isConstructSignatureDeclaration)?.type
          : undefined;
      return !!made && isTypeReferenceNode(made) && isIdentifier(made.typeName) && made.typeName.text === name;
    };
    const index = fn.parameters.findIndex((p) => makes(p.type));
    const arg = index >= 0 ? args[index] : undefined;
    const value = arg ? unwrapExpression(arg) : undefined;
    if (!value || !isIdentifier(value)) return undefined;
    const declaration = declarationOf(value);
    if (declaration && isClassLike(declaration)) return { cls: declaration, module };
    return declaration ? undefined : this.classNamed(value.text, module);
  }
}

/**
 * A method a class sets on its instances rather than declares: `constructor(env) { this.send = async (k) => {...} }`
 * (the shape of plain JavaScript classes that close over constructor locals). The function assigned to
 * `this.name` in the class itself (not in a nested class); the first one when several are.
 */
function assignedMethod(ref: ClassRef, name: string): ts.FunctionLikeDeclaration | undefined {
  for (const assignment of ref.module.assignments.get("this." + name) ?? []) {
    if (findAncestor(assignment, ts.isClassLike) !== ref.cls) continue;
    const right = unwrapExpression(assignment.right);
    if (ts.isArrowFunction(right) || ts.isFunctionExpression(right)) return right;
  }
  return undefined;
}

/**
 * `this.cache.get(key)` where the class declares `cache = new Map()` (no entries given) and fills it
 * with `this.cache.set(key, value)`: the values it stores, in the order written. Empty for any other
 * call: a map given entries, or filled elsewhere, is read as before.
 */
function memoFieldValues(call: ts.CallExpression, module: ModuleFacts): readonly ts.Expression[] {
  const callee = unwrapExpression(call.expression);
  if (!isPropertyAccessExpression(callee) || callee.name.text !== "get") return [];
  const field = memoFieldOf(unwrapExpression(callee.expression));
  if (!field) return [];
  const stored: ts.Expression[] = [];
  for (const other of module.calls) {
    if (!isCallExpression(other) || other.arguments.length !== 2) continue;
    const method = unwrapExpression(other.expression);
    if (!isPropertyAccessExpression(method) || method.name.text !== "set") continue;
    const holder = memoFieldOf(unwrapExpression(method.expression));
    if (holder?.declaration === field.declaration) stored.push(other.arguments[1]!);
  }
  return stored;
}

/** The `new Map()` field of the enclosing class that `this.name` reads, when it is one. */
function memoFieldOf(expression: ts.Expression): { readonly declaration: ts.PropertyDeclaration } | undefined {
  if (!isPropertyAccessExpression(expression) || expression.expression.kind !== SyntaxKind.ThisKeyword) return undefined;
  const cls = findAncestor(expression, isClassLike);
  if (!cls) return undefined;
  const name = expression.name.text;
  for (const member of cls.members) {
    if (!isPropertyDeclaration(member) || !isIdentifier(member.name) || member.name.text !== name || !member.initializer) continue;
    const made = unwrapExpression(member.initializer);
    const isEmptyMap =
      isNewExpression(made) && isIdentifier(made.expression) && made.expression.text === "Map" && (made.arguments?.length ?? 0) === 0;
    return isEmptyMap ? { declaration: member } : undefined;
  }
  return undefined;
}
