// Dependency-injection containers (tsyringe's shape, `container.resolve(Cls)`): a class resolved from
// a container is an instance of that class, and a constructor parameter marked `@inject(Token)` holds
// what the container registers for the token (`container.register(Token, { useClass: Impl })` or
// `{ useValue: value }`; a class token nobody registers resolves to the class itself).
import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import type { ValueRef } from "./valuesCore";

/** A container registration: the token's text and what it gives. */
interface Registration {
  readonly useClass?: ts.Expression;
  readonly useValue?: ts.Expression;
  readonly module: ModuleFacts;
}

/** The text naming a token: a string literal's value, or an identifier's name. */
function tokenText(token: ts.Expression): string | undefined {
  const value = unwrapExpression(token);
  if (ts.isStringLiteralLike(value)) return "'" + value.text;
  if (ts.isIdentifier(value)) return value.text;
  return undefined;
}

/** `@inject(Token)` on a parameter: the token expression. */
export function injectToken(parameter: ts.ParameterDeclaration): ts.Expression | undefined {
  const decorators = ts.canHaveDecorators(parameter) ? ts.getDecorators(parameter) : undefined;
  for (const decorator of decorators ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || call.arguments.length < 1) continue;
    const callee = unwrapExpression(call.expression);
    if (ts.isIdentifier(callee) && callee.text === "inject") return call.arguments[0];
  }
  return undefined;
}

/** `container.resolve(Cls)`: the class argument (an identifier), else undefined. */
export function resolvedClassArgument(call: ts.CallExpression): ts.Identifier | undefined {
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "resolve" || call.arguments.length !== 1) return undefined;
  // (`Promise.resolve(value)` is not a container.)
  const receiver = unwrapExpression(callee.expression);
  if (ts.isIdentifier(receiver) && receiver.text === "Promise") return undefined;
  const argument = unwrapExpression(call.arguments[0]);
  return ts.isIdentifier(argument) ? argument : undefined;
}

export class ContainerRegistrations {
  private readonly byToken = new Map<string, Registration[]>();
  private readonly indexed = new Set<ModuleFacts>();
  /** Class tokens given as values (an `@inject(Cls)` argument, a `useClass` identifier): instances of that class. */
  readonly classTokens = new WeakSet<ts.Node>();

  constructor(private readonly modules: () => Iterable<ModuleFacts>) {}

  /** What a parameter marked `@inject(Token)` holds. */
  injectedValues(parameter: ts.ParameterDeclaration, module: ModuleFacts): ValueRef[] {
    const token = injectToken(parameter);
    const text = token ? tokenText(token) : undefined;
    if (!token || !text) return [];
    const values: ValueRef[] = [];
    for (const registration of this.registrations(text)) {
      if (registration.useValue) values.push({ expression: registration.useValue, module: registration.module });
      if (registration.useClass) {
        this.classTokens.add(unwrapExpression(registration.useClass));
        values.push({ expression: registration.useClass, module: registration.module });
      }
    }
    // `@inject(CreateUser)`: a class token resolves to the class itself.
    if (!values.length && ts.isIdentifier(unwrapExpression(token))) {
      this.classTokens.add(unwrapExpression(token));
      values.push({ expression: token, module });
    }
    return values;
  }

  private registrations(text: string): readonly Registration[] {
    for (const module of this.modules()) {
      if (this.indexed.has(module)) continue;
      this.indexed.add(module);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) this.noteRegistration(node, module);
        ts.forEachChild(node, visit);
      };
      visit(module.sourceFile);
    }
    return this.byToken.get(text) ?? [];
  }

  private noteRegistration(call: ts.CallExpression, module: ModuleFacts): void {
    const callee = unwrapExpression(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "register" || call.arguments.length < 2) return;
    const text = tokenText(call.arguments[0]);
    const provider = unwrapExpression(call.arguments[1]);
    if (!text || !ts.isObjectLiteralExpression(provider)) return;
    let useClass: ts.Expression | undefined;
    let useValue: ts.Expression | undefined;
    for (const property of provider.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      if (property.name.text === "useClass") useClass = property.initializer;
      if (property.name.text === "useValue") useValue = property.initializer;
    }
    if (!useClass && !useValue) return;
    let list = this.byToken.get(text);
    if (!list) this.byToken.set(text, (list = []));
    list.push({ useClass, useValue, module });
  }
}
