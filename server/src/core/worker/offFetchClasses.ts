import ts from "typescript";
import type { AnalysisContext } from "./context";
import { unwrapExpression } from "./module";
import { heritageName, type FunctionRef } from "./syntax";

const { isClassDeclaration, isClassExpression, isExportAssignment, isMethodDeclaration, isPropertyDeclaration, isVariableStatement } = ts;

/** Bases of classes whose `run(event, step)` the Workflows runtime calls. */
const WORKFLOW_BASES = new Set(["WorkflowEntrypoint"]);
/**
 * Bases of Durable Object classes (agents are Durable Objects). By what a class extends or by the
 * config's name only: the older constructor-and-fetch shape fits a WorkerEntrypoint-like handler
 * class too (`constructor(ctx, env)` and `fetch`), whose code is the fetch path itself.
 */
const DURABLE_OBJECT_BASES = new Set(["DurableObject", "Agent", "McpAgent", "AIChatAgent"]);

/**
 * The functions of the Worker's classes that the runtime runs apart from a request's fetch path:
 * the `run` method of a Workflow (a `WorkflowEntrypoint` subclass, or a class the config's
 * `workflows` name; started with `env.WORKFLOW.create(...)`, which only queues it), and the methods
 * of a Durable Object, agent or other class the config's `durable_objects` name (run in the object,
 * reached through a stub: a binding call). Walked as other handlers are (marking nothing), so what
 * they call, across classes and modules, is listed off the fetch path instead of taken for code
 * whose wiring was lost.
 */
export function offFetchClassFunctions(ctx: AnalysisContext): FunctionRef[] {
  const configured = ctx.input.ownClasses;
  const workflows = new Set(configured?.workflows ?? []);
  const durableObjects = new Set(configured?.durableObjects ?? []);
  const found: FunctionRef[] = [];
  for (const module of ctx.loader.modules.values()) {
    for (const statement of module.sourceFile.statements) {
      for (const cls of classesOf(statement)) {
        const name = cls.name?.text;
        const base = heritageName(cls);
        const isWorkflow = (base !== undefined && WORKFLOW_BASES.has(base)) || (name !== undefined && workflows.has(name));
        const isObject =
          !isWorkflow && ((base !== undefined && DURABLE_OBJECT_BASES.has(base)) || (name !== undefined && durableObjects.has(name)));
        if (!isWorkflow && !isObject) continue;
        for (const member of cls.members) {
          const memberName = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
          if (isWorkflow && memberName !== "run") continue;
          if (isMethodDeclaration(member) && member.body) found.push({ fn: member, module });
          else if (isPropertyDeclaration(member) && member.initializer) {
            // `run = async (event, step) => {...}`, `onRequest = async () => {...}`.
            const value = unwrapExpression(member.initializer);
            if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) found.push({ fn: value, module });
          }
        }
      }
    }
  }
  return found;
}

/** The classes a top-level statement declares: `class X`, `export default class`, `const X = class ...`. */
function classesOf(statement: ts.Statement): ts.ClassLikeDeclaration[] {
  if (isClassDeclaration(statement)) return [statement];
  if (isExportAssignment(statement)) {
    const value = unwrapExpression(statement.expression);
    return isClassExpression(value) ? [value] : [];
  }
  if (isVariableStatement(statement))
    return statement.declarationList.declarations.flatMap((d) => {
      const value = d.initializer ? unwrapExpression(d.initializer) : undefined;
      return value && isClassExpression(value) ? [value] : [];
    });
  return [];
}
