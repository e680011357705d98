import ts from "typescript";
import type { AnalysisContext } from "./context";
import { isUseClientModule } from "./handlers/nextActions";
import type { ModuleFacts } from "./module";
import type { FunctionRef } from "./syntax";

const { forEachChild, isIdentifier, isJsxElement, isJsxSelfClosingElement, isPropertyAccessExpression } = ts;

/** How deep nested components are followed (`<Page>` renders `<Profile>` renders `<Avatar>` ...). */
const MAX_NESTING = 8;

/**
 * A component element of the project's met in JSX (`<Profile id={id} />`): the function that
 * renders it (its own returned JSX is met when that function is walked) and the components it is
 * given as children or props, which render after it.
 */
export interface RenderedComponent {
  readonly fn: FunctionRef;
  readonly children: readonly RenderedComponent[];
}

/**
 * Server components rendered by a JSX tree (React server components in Next.js' app router, Hono's
 * JSX): components of one parent render concurrently, a component's children after it. Host
 * elements (`<div>`) only hold what is inside them; components of client modules ("use client")
 * fetch in the browser, not in the Worker, and are passed over (the server components they are
 * given as children still render).
 */
export class ComponentTree {
  private readonly byNode = new Map<ts.Node, readonly RenderedComponent[]>();

  constructor(private readonly ctx: AnalysisContext) {}

  /** The components rendered by the JSX under `node` that are not inside another component element. */
  rendered(node: ts.Node, module: ModuleFacts): readonly RenderedComponent[] {
    let found = this.byNode.get(node);
    if (!found) {
      const list: RenderedComponent[] = [];
      this.collect(node, module, 0, list);
      this.byNode.set(node, (found = list));
    }
    return found;
  }

  private collect(node: ts.Node, module: ModuleFacts, depth: number, out: RenderedComponent[]): void {
    const element = isJsxElement(node) ? node.openingElement : isJsxSelfClosingElement(node) ? node : undefined;
    const fn = element && depth <= MAX_NESTING ? this.componentOf(element.tagName, module) : undefined;
    if (!element || !fn) {
      forEachChild(node, (child) => this.collect(child, module, depth, out));
      return;
    }
    // Its children (and components given as props) are elements it renders after it runs.
    const given: RenderedComponent[] = [];
    forEachChild(node, (child) => {
      if (child !== element.tagName) this.collect(child, module, depth + 1, given);
    });
    if (isUseClientModule(fn.module)) out.push(...given);
    else out.push({ fn, children: given });
  }

  /** `<Profile />`, `<ui.Card />`: a function of the project's (a capitalised name; lower case is an HTML element). */
  private componentOf(tag: ts.JsxTagNameExpression, module: ModuleFacts): FunctionRef | undefined {
    const name = isIdentifier(tag) ? tag.text : isPropertyAccessExpression(tag) ? tag.name.text : undefined;
    if (!name || (isIdentifier(tag) && !/^[A-Z]/.test(name))) return undefined;
    return this.ctx.values.calledFunction(tag as ts.Expression, module);
  }
}
