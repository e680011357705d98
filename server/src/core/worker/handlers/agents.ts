import ts from "typescript";
import type { AnalysisContext } from "../context";
import { unwrapExpression, type ModuleFacts } from "../module";
import { declarationOf, heritageName, printNode, spanOf, truncate } from "../syntax";
import type { AdapterContext, HandlerAdapter, HandlerSite } from "./types";

const { isCallExpression, isClassLike, isIdentifier, isPropertyAccessExpression } = ts;

/** Static methods of an `McpAgent` class (the `agents` package) that make a fetch handler. */
const SERVE_METHODS = new Set(["serve", "serveSSE", "mount"]);
const AGENT_BASES = new Set(["McpAgent", "Agent", "AIChatAgent"]);

/**
 * Cloudflare Agents: `MyMCP.serve("/mcp")` is a fetch handler that hands every request to the
 * agent's Durable Object, where the tools run. The Worker's own fetch path makes no round trip to a
 * back end; what the agent does runs where its Durable Object lives.
 */
export class AgentAdapter implements HandlerAdapter {
  readonly name = "Cloudflare Agents: McpAgent.serve / serveSSE / mount";

  constructor(private readonly ctx: AnalysisContext) {}

  sitesOf(value: ts.Expression, module: ModuleFacts, context: AdapterContext): HandlerSite[] | undefined {
    if (!isCallExpression(value)) return undefined;
    const callee = unwrapExpression(value.expression);
    if (!isPropertyAccessExpression(callee) || !SERVE_METHODS.has(callee.name.text)) return undefined;
    const receiver = unwrapExpression(callee.expression);
    if (!isIdentifier(receiver)) return undefined;
    const declaration = declarationOf(receiver);
    const cls = declaration && isClassLike(declaration) ? declaration : this.ctx.values.classNamed(receiver.text, module)?.cls;
    const imported = module.imports.get(receiver.text);
    const isAgent = (cls && AGENT_BASES.has(heritageName(cls) ?? "")) || imported?.module.startsWith("agents");
    if (!isAgent) return undefined;
    return [
      {
        kind: "fetch",
        form: `${context.form} ${truncate(printNode(callee))}(...): requests go to the agent's Durable Object`,
        module,
        span: spanOf(value),
        functions: [],
      },
    ];
  }
}
