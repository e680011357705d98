// The path walk: what it finds. Subrequests recorded (with the step each adds to a path) and
// marked as on the response path or in waitUntil, unknowns, the sweep of the calls no handler
// reached, blocking analytics findings. Every effect on the analysis goes through here so that
// kept summaries can replay it (see summaries.ts). Part of PathWalker (see walkCore.ts).
import ts from "typescript";
import { basename } from "../fs";
import { LineIndex } from "../text";
import { stepOf, type Step } from "./flow";
import { unwrapExpression, type ModuleFacts } from "./module";
import { insideDroppedPromiseChain } from "./flowShapes";
import { CATEGORY_WORDS, RUNS_CALLBACKS } from "./classify";
import { type ClassifiedSubrequest } from "./summaries";
import { type Subrequest, type SubrequestCategory } from "./types";
import { waitUntilFix } from "./waitUntilFix";
import {
  isInsideWaitUntil,
  isInsideEventListener,
  isDirectlyAwaitedStatement,
  isLikelySubrequest,
  findAncestor,
  isDurableObjectClass,
} from "./syntax";
import { PathWalkerCore, type SubrequestRecord } from "./walkCore";
import { drizzleQueryReceiver } from "./drizzleChains";

// TypeScript's CommonJS build reads every export through getters (two calls per `ts.isX`): what
// this module calls on every node it looks at is taken once, here.
const { isAwaitExpression, isCallExpression, isClassLike, isFunctionLike, isPropertyAccessExpression } = ts;

/** A subrequest in code no handler reached (see sweepUnreached). */
export interface UnreachedCall {
  subrequest: Subrequest;
  where: () => string;
  inDurableObject: boolean;
  unknownClient: boolean;
  node: ts.Node;
  module: ModuleFacts;
}
export abstract class WalkRecords extends PathWalkerCore {
  /** A call the walk has classified (or that a batch sends): the final sweep skips it. */
  protected markClassified(node: ts.Node): void {
    this.classified.add(node);
    this.recorder?.push({ kind: "classified", node });
  }

  /** A subrequest the walk reached, marked as the walk is marking. */
  protected noteSubrequest(node: ts.Node, subrequest: ClassifiedSubrequest, module: ModuleFacts): Subrequest {
    const record = this.record(node, subrequest);
    if (this.currentHandler && subrequest.category === "analytics" && this.marking === "critical" && isAwaitExpression(node.parent)) {
      this.reportBlockingAnalytics(node as ts.CallExpression | ts.TaggedTemplateExpression, record, module);
    }
    return record;
  }

  /**
   * The step a subrequest makes on this path. A helper walked for each of its calls (see
   * calledOutcome) classifies its call again each time: the step counts the host this call path
   * names, and the one listed subrequest names every host its call paths gave.
   */
  protected pathStep(record: SubrequestRecord, here: ClassifiedSubrequest, node: ts.Node, module: ModuleFacts): Step {
    if (record.target === here.target && record.category === here.category) return stepOf(record, this.assumes(here));
    // One call path's URL is unknown: said as an unknown, with where (the listed call keeps its hosts).
    const site = this.callSite ? `, called from ${this.locate(this.callSite.module, this.callSite.call)}` : "";
    if (here.category === "unknown" && this.marking === "critical" && !this.assumes(here))
      this.unknown(`${here.note} (${this.locate(module, node)}${site})`);
    if (record.category === "unknown" && here.category !== "unknown") {
      // The listed call was unknown on an earlier path: that stays said; the call lists this path's host.
      if (record.criticalPath && record.note && record.assumed === undefined) this.unknown(`${record.note} (${this.locate(module, node)})`);
      record.target = here.target;
      record.category = here.category;
      record.note = here.note;
      if (here.candidates) record.candidates = here.candidates;
      return stepOf(record);
    }
    if (record.target !== null && here.target !== null) {
      const hosts = new Map<string, SubrequestCategory>();
      for (const c of [
        ...(record.candidates ?? [{ host: record.target, category: record.category }]),
        ...(here.candidates ?? [{ host: here.target, category: here.category }]),
      ])
        if (!hosts.has(c.host)) hosts.set(c.host, c.category);
      if (hosts.size > 1) {
        const candidates = [...hosts].map(([host, category]) => ({ host, category }));
        const listed = candidates.find((c) => c.category === "backend") ?? candidates[0]!;
        record.candidates = candidates;
        record.target = listed.host;
        record.category = listed.category;
        const named = candidates.slice(0, 8).map((c) => `${c.host} (${CATEGORY_WORDS[c.category]})`);
        const more = candidates.length > 8 ? ` and ${candidates.length - 8} more` : "";
        record.note = `the URL is given by the caller: ${named.join(", ")}${more}; each call counts the host it gives`;
      }
    }
    const step = stepOf({ ...record, target: here.target, category: here.category }, this.assumes(here));
    return { ...step, subrequests: [record] };
  }

  /**
   * Whether a call whose target is unknown is counted as a round trip to a back end by assumption
   * (an unresolved host, an awaited call on a client of an unknown library: see AssumeMode). Then
   * it is not an unknown: the prediction's reasons say what was assumed.
   */
  protected assumes(subrequest: ClassifiedSubrequest): boolean {
    return subrequest.category === "unknown" && subrequest.assumption !== undefined && this.ctx.input.assume !== "strict";
  }

  /** Round trips the analyser cannot count, said once each in the result. */
  protected unknown(text: string): void {
    // Code only another handler runs (a cron's, a queue's: walked marking nothing) says nothing of the fetch path.
    if (this.marking !== "none") this.ctx.unknowns.push(text);
    this.recorder?.push({ kind: "unknown", text });
  }

  private record(node: ts.Node, subrequest: ClassifiedSubrequest): SubrequestRecord {
    let record = this.subrequests.get(node);
    if (!record) {
      // Spelled out rather than spread: this runs for every subrequest, and spreading is slower.
      const { file, span, kind, target, category, note } = subrequest;
      record = { file, span, kind, target, category, note, criticalPath: false, waitUntil: isInsideWaitUntil(node) };
      if (subrequest.candidates) record.candidates = subrequest.candidates;
      this.subrequests.set(node, record);
      this.callOfRecord.set(record, node);
    }
    // Counted by assumption on this call path (see assumes): the listed call says so. A walk for
    // another handler (marking nothing: a Durable Object's method calling a helper the fetch path
    // calls too) counts nothing, so it does not make a call on the fetch path assumed.
    if (record.assumed === undefined && this.assumes(subrequest) && !(this.marking === "none" && record.criticalPath))
      record.assumed = subrequest.assumption!;
    if (this.marking === "critical") {
      record.criticalPath = true;
      record.waitUntil = false;
    } else if (this.marking === "waitUntil" && !record.criticalPath && !isInsideEventListener(node) && !insideDroppedPromiseChain(node))
      record.waitUntil = true;
    return record;
  }

  /** Subrequests in code no handler reached are still listed (off the fetch path). */
  sweepUnreached(): UnreachedCall[] {
    const previous = this.marking;
    this.marking = "none";
    const unreached: UnreachedCall[] = [];
    try {
      for (const module of this.ctx.loader.modules.values()) {
        for (const node of module.calls) {
          if (this.classified.has(node)) continue;
          // An awaited method call of any name may be on a client of a library the analyser does not
          // know (`await agent.login()`): only those are taken from beyond the usual names.
          const likely = isLikelySubrequest(node);
          if (!likely && !(isCallExpression(node) && isPropertyAccessExpression(node.expression) && isAwaitExpression(node.parent)))
            continue;
          const callee = unwrapExpression(isCallExpression(node) ? node.expression : node.tag);
          const args = isCallExpression(node) ? node.arguments : [];
          const found = this.ctx.classifier.classify(node, callee, args, module);
          if (!found || found === "skip" || found === RUNS_CALLBACKS) continue;
          // (An awaited Drizzle query chain ends in any builder method: `.where(...)`, `.limit(1)`.)
          const drizzleQuery = drizzleQueryReceiver(node, module) !== undefined;
          if (!likely && !found.unknownClient && !drizzleQuery) continue;
          const subrequest = this.record(node, found);
          // Only calls known to reach a back end are evidence of lost wiring: an unreached call whose
          // target is unknown may as well go to a service Smart Placement ignores. An HTTP client's
          // request is a round trip to somewhere, though: never let it vanish; nor an awaited call on
          // a client of a library the analyser does not know (an SDK of a remote service).
          if (subrequest.category !== "backend" && !found.httpClient && !found.unknownClient) continue;
          const cls = findAncestor(node, isClassLike);
          const inDurableObject = cls !== undefined && isDurableObjectClass(cls);
          unreached.push({
            subrequest,
            where: () => this.locate(module, node),
            inDurableObject,
            // (A Drizzle query on a client that cannot be resolved is a call to a database, a back end.)
            unknownClient: !!found.unknownClient && !drizzleQuery,
            node,
            module,
          });
        }
      }
    } finally {
      this.marking = previous;
    }
    return unreached;
  }

  private reportBlockingAnalytics(
    node: ts.CallExpression | ts.TaggedTemplateExpression,
    subrequest: Subrequest,
    module: ModuleFacts,
  ): void {
    if (
      this.ctx.findings.some(
        (f) => f.code === "subrequest-blocking-analytics" && f.span.start === subrequest.span.start && f.file === module.path,
      )
    )
      return;
    const enclosing = findAncestor(node, isFunctionLike) as ts.FunctionLikeDeclaration | undefined;
    const site = this.currentHandler;
    // The fix needs the handler's own context; inside a helper function it has none to use.
    const isHandlerBody =
      enclosing !== undefined &&
      site !== undefined &&
      (site.functions.some((f) => f.fn === enclosing) || site.concurrent?.some((f) => f.fn === enclosing) === true);
    // Only `await call();` as a statement can move: when the value is used, the code needs it.
    const statement = isDirectlyAwaitedStatement(node) ? (node.parent.parent as ts.ExpressionStatement) : undefined;
    const fix = isHandlerBody && statement ? waitUntilFix(statement, enclosing, site.form, module.path) : undefined;
    this.ctx.findings.push({
      code: "subrequest-blocking-analytics",
      file: module.path,
      span: subrequest.span,
      message: `${subrequest.target ?? "This analytics call"} is awaited on the response path: the response waits for it, and Smart Placement ignores it. Run it in ctx.waitUntil(...) instead.`,
      fixes: fix ? [fix] : [],
    });
  }

  protected locate(module: ModuleFacts, node: ts.Node): string {
    const line = new LineIndex(module.text).positionAt(node.getStart(module.sourceFile)).line + 1;
    return `${basename(module.path)}:${line}`;
  }
}
