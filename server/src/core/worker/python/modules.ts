import type { SyntaxNode } from "@lezer/common";
import { dirname, joinPath, type FileSystem } from "../../fs";
import { childrenOf, parsePython, textOf, type PythonSource } from "./syntax";

/** What a module-level (or function-level) name is bound to. */
export type Binding =
  | { readonly kind: "function"; readonly node: SyntaxNode; readonly module: PythonModule }
  | { readonly kind: "class"; readonly cls: PythonClass }
  /** `import x` / `from x import y`: `name` is null for the module itself. */
  | { readonly kind: "import"; readonly module: string; readonly name: string | null; readonly from: PythonModule }
  | { readonly kind: "value"; readonly node: SyntaxNode; readonly module: PythonModule }
  /** Bound more than once, or in a way that is not read (a loop target, a tuple): what it holds is not known. */
  | { readonly kind: "unread"; readonly why: string };

export interface PythonClass {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly nameNode: SyntaxNode;
  /** The base classes as written (`WorkerEntrypoint`, `workers.WorkerEntrypoint`). */
  readonly bases: readonly SyntaxNode[];
  readonly methods: ReadonlyMap<string, SyntaxNode>;
  readonly module: PythonModule;
}

export interface PythonModule {
  readonly source: PythonSource;
  readonly names: ReadonlyMap<string, Binding>;
  readonly classes: readonly PythonClass[];
  /** `from x import *`: names not bound here may come from these. */
  readonly wildcards: readonly string[];
}

/** The function node under a decorated definition (`@decorator` lines before `def`). */
export function definitionOf(node: SyntaxNode): SyntaxNode {
  if (node.name !== "DecoratedStatement") return node;
  return childrenOf(node).find((c) => c.name === "FunctionDefinition" || c.name === "ClassDefinition") ?? node;
}

/** Whether a function definition is `async def`. */
export function isAsyncDef(node: SyntaxNode): boolean {
  return node.firstChild?.name === "async";
}

/** The names an `import` statement binds, with what they are. */
export function importBindings(source: PythonSource, statement: SyntaxNode, module: PythonModule): Array<[string, Binding]> {
  const tokens = childrenOf(statement);
  const out: Array<[string, Binding]> = [];
  if (tokens[0]?.name === "from") {
    let i = 1;
    let from = "";
    for (; i < tokens.length && tokens[i]!.name !== "import"; i++) from += textOf(source, tokens[i]!);
    for (i++; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.name === "*") continue;
      if (token.name !== "VariableName") continue;
      const name = textOf(source, token);
      let local = name;
      if (tokens[i + 1]?.name === "as" && tokens[i + 2]?.name === "VariableName") {
        local = textOf(source, tokens[i + 2]!);
        i += 2;
      }
      out.push([local, { kind: "import", module: from, name, from: module }]);
    }
    return out;
  }
  // `import a.b as c, d`: `a.b` binds `a` (the package), `as c` binds the module itself.
  let dotted = "";
  const flush = (alias: string | undefined): void => {
    if (!dotted) return;
    if (alias) out.push([alias, { kind: "import", module: dotted, name: null, from: module }]);
    else {
      const first = dotted.split(".")[0]!;
      out.push([first, { kind: "import", module: first, name: null, from: module }]);
    }
    dotted = "";
  };
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.name === ",") flush(undefined);
    else if (token.name === "as" && tokens[i + 1]?.name === "VariableName") {
      flush(textOf(source, tokens[i + 1]!));
      i++;
    } else dotted += textOf(source, token);
  }
  flush(undefined);
  return out;
}

/** Reads a module's top level: its functions, classes, imports and simple assignments. */
export function readModule(source: PythonSource): PythonModule {
  const names = new Map<string, Binding>();
  const classes: PythonClass[] = [];
  const wildcards: string[] = [];
  const module: PythonModule = { source, names, classes, wildcards };
  const bind = (name: string, binding: Binding): void => {
    // A name bound twice at the top level (`if DEBUG: def f(): ... else: def f(): ...`) is not one thing.
    names.set(name, names.has(name) ? { kind: "unread", why: `${name} is bound more than once at the top level` } : binding);
  };
  const visit = (statements: readonly SyntaxNode[], nested: boolean): void => {
    for (const statement of statements) {
      const node = definitionOf(statement);
      if (node.name === "FunctionDefinition") {
        const nameNode = childrenOf(node).find((c) => c.name === "VariableName");
        if (nameNode) bind(textOf(source, nameNode), nested ? unreadIn(textOf(source, nameNode)) : { kind: "function", node, module });
      } else if (node.name === "ClassDefinition") {
        const cls = readClass(source, node, module);
        if (!cls) continue;
        if (!nested) classes.push(cls);
        bind(cls.name, nested ? unreadIn(cls.name) : { kind: "class", cls });
      } else if (node.name === "ImportStatement") {
        if (childrenOf(node).some((c) => c.name === "*")) {
          const tokens = childrenOf(node);
          let from = "";
          for (let i = 1; i < tokens.length && tokens[i]!.name !== "import"; i++) from += textOf(source, tokens[i]!);
          wildcards.push(from);
        }
        for (const [name, binding] of importBindings(source, node, module)) bind(name, nested ? unreadIn(name) : binding);
      } else if (node.name === "AssignStatement") {
        const parts = childrenOf(node);
        const ops = parts.filter((p) => p.name === "AssignOp");
        const target = parts[0];
        if (ops.length === 1 && target?.name === "VariableName" && (parts[1] === ops[0] || parts[1]?.name === "TypeDef")) {
          const value = parts[parts.indexOf(ops[0]!) + 1];
          bind(textOf(source, target), nested || !value ? unreadIn(textOf(source, target)) : { kind: "value", node: value, module });
        } else
          for (const p of parts.slice(0, parts.indexOf(ops[ops.length - 1] ?? parts[0]!)))
            if (p.name === "VariableName") bind(textOf(source, p), unreadIn(textOf(source, p)));
      } else if (["IfStatement", "TryStatement", "WithStatement", "ForStatement", "WhileStatement"].includes(node.name)) {
        // Definitions under a condition or a `try:` at the top level (`try: import ujson as json`):
        // read, but what they bind is not one thing.
        for (const body of childrenOf(node).filter((c) => c.name === "Body")) visit(childrenOf(body), true);
      }
    }
  };
  visit(childrenOf(source.top), false);
  return module;
}

function unreadIn(name: string): Binding {
  return { kind: "unread", why: `${name} is bound under a condition, a loop or a try at the top level` };
}

function readClass(source: PythonSource, node: SyntaxNode, module: PythonModule): PythonClass | undefined {
  const parts = childrenOf(node);
  const nameNode = parts.find((c) => c.name === "VariableName");
  if (!nameNode) return undefined;
  const args = parts.find((c) => c.name === "ArgList");
  const bases = args ? childrenOf(args).filter((c) => c.name === "VariableName" || c.name === "MemberExpression") : [];
  const methods = new Map<string, SyntaxNode>();
  const body = parts.find((c) => c.name === "Body");
  for (const statement of body ? childrenOf(body) : []) {
    const method = definitionOf(statement);
    if (method.name !== "FunctionDefinition") continue;
    const name = childrenOf(method).find((c) => c.name === "VariableName");
    if (name) methods.set(textOf(source, name), method);
  }
  return { name: textOf(source, nameNode), node, nameNode, bases, methods, module };
}

/** Python modules the Worker's own code imports, loaded once each. */
export class PythonModules {
  readonly loaded = new Map<string, PythonModule>();
  /** Files that exist but do not parse (too large). */
  readonly unreadable = new Set<string>();

  constructor(
    private readonly fs: FileSystem,
    /** The folder of the entry: Python Workers put it first on the import path. */
    private readonly entryDir: string,
  ) {}

  load(path: string): PythonModule | undefined {
    const found = this.loaded.get(path);
    if (found) return found;
    const text = this.fs.readFile(path);
    if (text === undefined) return undefined;
    const source = parsePython(path, text);
    if (!source) {
      this.unreadable.add(path);
      return undefined;
    }
    const module = readModule(source);
    this.loaded.set(path, module);
    return module;
  }

  /**
   * The file of the project's own module `specifier` (`helpers`, `.db`, `app.routes`) imported from
   * `from`, or undefined when it is not one of the project's files (a package).
   */
  resolve(specifier: string, from: PythonModule): string | undefined {
    const dots = /^\.*/.exec(specifier)![0].length;
    const rest = specifier.slice(dots).split(".").filter(Boolean);
    let base = dots > 0 ? dirname(from.source.path) : this.entryDir;
    for (let i = 1; i < dots; i++) base = dirname(base);
    const candidates =
      rest.length === 0 ? [joinPath(base, "__init__.py")] : [joinPath(base, ...rest) + ".py", joinPath(base, ...rest, "__init__.py")];
    return candidates.find((file) => this.fs.stat(file) === "file");
  }
}
