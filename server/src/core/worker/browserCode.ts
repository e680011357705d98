import ts from "typescript";
import { unwrapExpression, type ModuleFacts } from "./module";
import { declarationOf } from "./syntax";

const {
  isArrowFunction,
  isCallExpression,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isJsxAttribute,
  isJsxExpression,
  isPropertyAccessExpression,
  isSourceFile,
  isVariableDeclaration,
} = ts;

/** How many local functions deep "referenced only by browser code" is followed. */
const MAX_DEPTH = 6;

/**
 * The hooks whose callback runs only in the browser, after the component is on the page: server
 * rendering never runs it. By package, the hook names.
 */
const EFFECT_HOOKS: Readonly<Record<string, readonly string[]>> = {
  react: ["useEffect", "useLayoutEffect", "useInsertionEffect"],
  "preact/hooks": ["useEffect", "useLayoutEffect"],
  "preact/compat": ["useEffect", "useLayoutEffect", "useInsertionEffect"],
  "hono/jsx": ["useEffect", "useLayoutEffect", "useInsertionEffect"],
  "hono/jsx/dom": ["useEffect", "useLayoutEffect", "useInsertionEffect"],
  "solid-js": ["onMount", "createEffect"],
  vue: ["onMounted", "onBeforeMount", "onUpdated", "onBeforeUpdate"],
  svelte: ["onMount"],
};

/** Hooks that hand back the function they are given (`const save = useCallback(async () => ..., [])`). */
const MEMO_HOOKS: Readonly<Record<string, readonly string[]>> = {
  react: ["useCallback"],
  "preact/hooks": ["useCallback"],
  "preact/compat": ["useCallback"],
  "hono/jsx": ["useCallback"],
};

/**
 * Data hooks whose fetcher runs in the browser after the component mounts (or, for a mutation, when
 * code calls `mutate`): rendering on the server runs none of it. By package, the hook, and where it
 * takes the fetcher: a property of its options object, or its argument at an index. A suspense
 * option (`suspense: true`) makes the fetch part of rendering: that call is not one of these.
 */
const DATA_HOOKS: Readonly<Record<string, Readonly<Record<string, { readonly property: string } | { readonly argument: number }>>>> = {
  "@tanstack/react-query": {
    useQuery: { property: "queryFn" },
    useInfiniteQuery: { property: "queryFn" },
    useMutation: { property: "mutationFn" },
  },
  "react-query": { useQuery: { argument: 1 }, useInfiniteQuery: { argument: 1 }, useMutation: { argument: 0 } },
  swr: { default: { argument: 1 }, useSWR: { argument: 1 } },
  "swr/immutable": { default: { argument: 1 } },
  "swr/infinite": { default: { argument: 1 } },
  "swr/mutation": { default: { argument: 1 } },
};

type Identifiers = (module: ModuleFacts) => ReadonlyMap<string, readonly ts.Identifier[]>;

/**
 * Code that runs only in a browser, never in the Worker: a component's event handlers given to an
 * element (`<form onSubmit={save}>`, `<button onClick={() => ...}>`: server rendering attaches
 * none of them), the callbacks of effect hooks (`useEffect(() => ...)`: never run while rendering
 * on the server), and local functions only those refer to. A call there is no subrequest of the
 * Worker's, reached or not. A handler given to a component of the project's (`<Gate onSubmit={f}>`)
 * is not taken as one: the component may call it while rendering.
 */
export class BrowserCode {
  private readonly verdicts = new Map<ts.Node, boolean>();

  constructor(private readonly identifiers: Identifiers) {}

  /** Whether `node` (a call, or a reference to a function) runs or is used only in a browser. */
  isBrowserOnly(node: ts.Node, module: ModuleFacts, depth = 0): boolean {
    if (isEventHandlerValue(node)) return true;
    for (let current = node.parent; current && !isSourceFile(current); current = current.parent)
      if (isFunctionLike(current) && this.browserFunction(current, module, depth)) return true;
    return false;
  }

  private browserFunction(fn: ts.SignatureDeclaration, module: ModuleFacts, depth: number): boolean {
    const known = this.verdicts.get(fn);
    if (known !== undefined) return known;
    // Assumed not while it is being decided: a function that refers to itself is not browser code by that.
    this.verdicts.set(fn, false);
    const verdict = this.decide(fn, module, depth);
    if (verdict || depth === 0) this.verdicts.set(fn, verdict);
    else this.verdicts.delete(fn);
    return verdict;
  }

  private decide(fn: ts.SignatureDeclaration, module: ModuleFacts, depth: number): boolean {
    if (isEffectCallback(fn, module) || isEventHandlerValue(fn) || isDataHookFetcher(fn, module)) return true;
    if (depth >= MAX_DEPTH) return false;
    const name = localName(fn, module);
    if (!name) return false;
    const declared = declarationOf(name);
    if (!declared) return false;
    let used = false;
    for (const use of this.identifiers(module).get(name.text) ?? []) {
      if (use === name || isInside(use, fn) || declarationOf(use) !== declared) continue;
      used = true;
      if (!this.isBrowserOnly(use, module, depth + 1)) return false;
    }
    // A local function nothing refers to never runs, but that is not what this tells.
    return used;
  }
}

/**
 * A hook call that runs none of the functions it is given while the component renders on the
 * server: `useEffect(fn)` runs it in the browser, `useCallback(fn)` hands it back.
 */
export function isDeferringHook(call: ts.CallExpression, module: ModuleFacts): boolean {
  return isHookCall(call, module, EFFECT_HOOKS) || isHookCall(call, module, MEMO_HOOKS);
}

/**
 * The name of a function declared inside another function (`const save = async () => ...`,
 * `function save() {}`, `const save = useCallback(async () => ..., [])`): references to it are
 * all in the function around it.
 */
function localName(fn: ts.SignatureDeclaration, module: ModuleFacts): ts.Identifier | undefined {
  if (isFunctionDeclaration(fn)) return fn.name && !isSourceFile(fn.parent) && enclosedByFunction(fn) ? fn.name : undefined;
  if (!isArrowFunction(fn) && !isFunctionExpression(fn)) return undefined;
  let holder: ts.Node = outerExpression(fn).parent;
  // `useCallback(fn, deps)` gives back `fn`.
  if (isCallExpression(holder) && holder.arguments[0] !== undefined && unwrapExpression(holder.arguments[0]) === fn) {
    if (!isHookCall(holder, module, MEMO_HOOKS)) return undefined;
    holder = outerExpression(holder).parent;
  }
  if (!isVariableDeclaration(holder) || !isIdentifier(holder.name) || !enclosedByFunction(holder)) return undefined;
  const list = holder.parent;
  // `let` may be given another function later: only a `const` is known to hold this one.
  if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return undefined;
  return holder.name;
}

function enclosedByFunction(node: ts.Node): boolean {
  for (let current = node.parent; current && !isSourceFile(current); current = current.parent) if (isFunctionLike(current)) return true;
  return false;
}

/** An effect hook's callback: `useEffect(() => { ... }, [id])`. */
function isEffectCallback(fn: ts.SignatureDeclaration, module: ModuleFacts): boolean {
  if (!isArrowFunction(fn) && !isFunctionExpression(fn)) return false;
  const call = outerExpression(fn).parent;
  return (
    call !== undefined &&
    isCallExpression(call) &&
    call.arguments[0] !== undefined &&
    unwrapExpression(call.arguments[0]) === fn &&
    isHookCall(call, module, EFFECT_HOOKS)
  );
}

/**
 * A data hook's fetcher: `useQuery({ queryKey, queryFn: () => ... })` of TanStack Query,
 * `useSWR(key, () => ...)`, `useSWRMutation(key, async (url) => ...)`.
 */
function isDataHookFetcher(fn: ts.SignatureDeclaration, module: ModuleFacts): boolean {
  if (!isArrowFunction(fn) && !isFunctionExpression(fn)) return false;
  let holder = outerExpression(fn).parent;
  let property: string | undefined;
  let options: ts.Node | undefined;
  if (holder && ts.isPropertyAssignment(holder) && unwrapExpression(holder.initializer) === fn && isIdentifier(holder.name)) {
    property = holder.name.text;
    options = holder.parent;
    holder = outerExpression(options).parent;
  }
  if (!holder || !isCallExpression(holder)) return false;
  const call = holder;
  const hook = dataHookOf(call, module);
  if (!hook) return false;
  // `{ suspense: true }` anywhere in the call's options: the fetch is part of rendering.
  if (
    call.arguments.some(
      (a) => ts.isObjectLiteralExpression(a) && a.properties.some((p) => p.name && isIdentifier(p.name) && p.name.text === "suspense"),
    )
  )
    return false;
  if ("property" in hook)
    return property === hook.property && call.arguments[0] !== undefined && unwrapExpression(call.arguments[0]) === options;
  const given = call.arguments[hook.argument];
  return property === undefined && given !== undefined && unwrapExpression(given) === fn;
}

/** The data hook `call` calls (`useQuery(...)`, `useSWR(...)`), imported from its package. */
function dataHookOf(
  call: ts.CallExpression,
  module: ModuleFacts,
): { readonly property: string } | { readonly argument: number } | undefined {
  const callee = unwrapExpression(call.expression);
  if (!isIdentifier(callee) || declarationOf(callee) !== undefined) return undefined;
  const imported = module.imports.get(callee.text);
  if (!imported) return undefined;
  const hooks = DATA_HOOKS[imported.module];
  return hooks && Object.hasOwn(hooks, imported.name) ? hooks[imported.name] : undefined;
}

/** A call of one of `hooks`, imported from its package: `useEffect(...)`, `React.useEffect(...)`. */
function isHookCall(call: ts.CallExpression, module: ModuleFacts, hooks: Readonly<Record<string, readonly string[]>>): boolean {
  const callee = unwrapExpression(call.expression);
  if (isIdentifier(callee)) {
    const imported = module.imports.get(callee.text);
    return imported !== undefined && declarationOf(callee) === undefined && (hooks[imported.module]?.includes(imported.name) ?? false);
  }
  if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression)) {
    const imported = module.imports.get(callee.expression.text);
    return (
      imported !== undefined &&
      (imported.name === "*" || imported.name === "default") &&
      (hooks[imported.module]?.includes(callee.name.text) ?? false)
    );
  }
  return false;
}

/**
 * The value of an element's event attribute (`onClick={save}`, `onSubmit={(e) => ...}`) on an
 * element of the page (`<form>`, `<button>`), not on a component.
 */
function isEventHandlerValue(node: ts.Node): boolean {
  // A reference or a function: `onClick={make()}` calls `make` while rendering.
  if (!isIdentifier(node) && !isArrowFunction(node) && !isFunctionExpression(node)) return false;
  const container = outerExpression(node).parent;
  if (!container || !isJsxExpression(container)) return false;
  const attribute = container.parent;
  if (!attribute || !isJsxAttribute(attribute) || !isIdentifier(attribute.name)) return false;
  if (!/^on[A-Z]/.test(attribute.name.text)) return false;
  const element = attribute.parent.parent;
  if (!ts.isJsxOpeningElement(element) && !ts.isJsxSelfClosingElement(element)) return false;
  // An intrinsic element is written in lower case, with no dots (`<form>`, `<my-element>`).
  return isIdentifier(element.tagName) && /^[a-z]/.test(element.tagName.text);
}

/** The outermost of the parentheses and casts around `node`. */
function outerExpression(node: ts.Node): ts.Node {
  let current = node;
  while (
    current.parent &&
    (ts.isParenthesizedExpression(current.parent) ||
      ts.isAsExpression(current.parent) ||
      ts.isSatisfiesExpression(current.parent) ||
      ts.isNonNullExpression(current.parent))
  )
    current = current.parent;
  return current;
}

function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}
