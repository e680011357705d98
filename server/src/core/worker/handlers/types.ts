import type { ModuleFacts } from "../module";
import type { FunctionRef } from "../syntax";
import type { HandlerKind } from "../types";

/** A handler's function(s) and how it was written: what runs for a request, an event, a route. */
export interface HandlerSite {
  readonly kind: HandlerKind;
  readonly form: string;
  readonly module: ModuleFacts;
  readonly span: { start: number; end: number };
  /** The function bodies run for this handler, in order (middleware, then the route's handlers). */
  readonly functions: readonly FunctionRef[];
  readonly route?: string;
  /** Why its round trips cannot be seen, when they cannot. */
  readonly opaque?: string;
}
