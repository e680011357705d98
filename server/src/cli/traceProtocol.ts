/** What `trace` sends its child process, and what the child answers (over the IPC channel). */

export interface StubAnswer {
  status: number;
  body: string;
  contentType: string;
  delayMs: number;
}

export interface TraceSpec {
  /** Absolute paths of the project's own esbuild and miniflare entry files. */
  esbuild: string;
  miniflare: string;
  entry: string;
  projectRoot: string;
  /** An `addEventListener("fetch")` Worker (no modules). */
  serviceWorker: boolean;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /**
   * `[vars]` as Wrangler gives them to the Worker: text as strings, anything else (numbers,
   * booleans, tables, arrays) as its JSON value.
   */
  vars: Record<string, unknown>;
  bindings: {
    kv: string[];
    r2: string[];
    d1: string[];
    services: string[];
    durableObjects: Record<string, string>;
  };
  /** "http://localhost": requests go to origin + path. */
  origin: string;
  requests: Array<{ method: string; path: string }>;
  timeoutMs: number;
  /** How long nothing may be in flight after the response before the request counts as finished. */
  settleMs: number;
  stubs: { default: StubAnswer; hosts: Record<string, StubAnswer> };
}

export interface ObservedSubrequest {
  /** "fetch": through the outbound service; "service": a service binding. */
  via: "fetch" | "service";
  method: string;
  url: string | null;
  /** Host for fetch, binding name for service. */
  target: string;
  /** Milliseconds since the request was sent to the Worker. */
  startMs: number;
  endMs: number;
  status: number;
}

export type TraceChildMessage =
  | { type: "built"; ms: number }
  | { type: "ready"; ms: number }
  | {
      type: "request";
      index: number;
      status: number | null;
      /** The Worker threw, never answered, or the request failed; null when it answered. */
      error: string | null;
      responseMs: number | null;
      subrequests: ObservedSubrequest[];
      runtimeOutput: string;
    }
  | { type: "fatal"; phase: "build" | "start" | "runtime"; message: string }
  | { type: "done" };
