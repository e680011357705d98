/**
 * The child process of `smart-placement trace`: bundles the Worker with the project's esbuild, runs it
 * in local workerd through the project's Miniflare, sends the requests, and answers every outbound
 * fetch with a stub while recording it. It talks to its parent over the IPC channel only; the parent
 * owns the time limits and kills this process (and workerd with it) when they pass.
 *
 * Everything here runs the user's code: it is started only by an explicit `trace`.
 */
import type { TraceChildMessage, TraceSpec, ObservedSubrequest, StubAnswer } from "./traceProtocol";

interface MiniflareModule {
  Miniflare: new (options: Record<string, unknown>) => {
    ready: Promise<URL>;
    dispatchFetch(url: string, init?: Record<string, unknown>): Promise<{ status: number; headers: Headers; text(): Promise<string> }>;
    dispose(): Promise<void>;
  };
  Response: new (body: string, init?: Record<string, unknown>) => unknown;
  Log?: new (level: number) => unknown;
  LogLevel?: { NONE: number };
}

interface EsbuildModule {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: Array<{ text: string }> }>;
}

interface OutboundRequest {
  url: string;
  method: string;
}

function send(message: TraceChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function stubFor(spec: TraceSpec, host: string): StubAnswer {
  let best: StubAnswer | undefined;
  let bestLength = -1;
  for (const [pattern, answer] of Object.entries(spec.stubs.hosts)) {
    // Suffix match on whole labels: "example.com" answers for "api.example.com" too.
    if ((host === pattern || host.endsWith("." + pattern)) && pattern.length > bestLength) {
      best = answer;
      bestLength = pattern.length;
    }
  }
  return best ?? spec.stubs.default;
}

/** The first line of a thrown error as Miniflare reports it in a 500 answer ("Error: boom"). */
function thrownError(status: number, headers: Headers, body: string): string | null {
  void headers;
  if (status !== 500) return null;
  const first = body.split("\n", 1)[0]!.trim();
  const colon = first.indexOf(":");
  const name = colon > 0 ? first.slice(0, colon) : "";
  return name.endsWith("Error") || name === "Uncaught" ? first : null;
}

async function main(spec: TraceSpec): Promise<void> {
  const esbuild = require(spec.esbuild) as EsbuildModule;
  const miniflare = require(spec.miniflare) as MiniflareModule;

  let script: string;
  const buildStart = performance.now();
  try {
    const result = await esbuild.build({
      entryPoints: [spec.entry],
      absWorkingDir: spec.projectRoot,
      bundle: true,
      write: false,
      format: spec.serviceWorker ? "iife" : "esm",
      platform: "neutral",
      target: "es2022",
      mainFields: ["workerd", "worker", "browser", "module", "main"],
      conditions: ["workerd", "worker", "browser"],
      external: ["cloudflare:*", "node:*"],
      logLevel: "silent",
    });
    script = result.outputFiles![0]!.text;
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
    const message = errors?.length
      ? errors
          .slice(0, 5)
          .map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text))
          .join("\n")
      : String(error);
    await send({ type: "fatal", phase: "build", message });
    return;
  }
  await send({ type: "built", ms: performance.now() - buildStart });

  let current: { start: number; list: ObservedSubrequest[]; inFlight: number; lastActivity: number } | undefined;
  let runtimeOutput = "";
  const record = async (request: OutboundRequest, via: "fetch" | "service", target: string): Promise<unknown> => {
    const trace = current;
    const stub = via === "service" ? spec.stubs.default : stubFor(spec, target);
    const started = performance.now();
    if (trace) {
      trace.inFlight++;
      trace.lastActivity = started;
    }
    await sleep(stub.delayMs);
    const ended = performance.now();
    if (trace) {
      trace.inFlight--;
      trace.lastActivity = ended;
      trace.list.push({
        via,
        method: request.method,
        url: via === "service" ? null : request.url,
        target,
        startMs: started - trace.start,
        endMs: ended - trace.start,
        status: stub.status,
      });
    }
    return new miniflare.Response(stub.body, { status: stub.status, headers: { "content-type": stub.contentType } });
  };

  const serviceBindings: Record<string, (request: OutboundRequest) => Promise<unknown>> = {};
  for (const name of spec.bindings.services) serviceBindings[name] = (request) => record(request, "service", name);
  const options: Record<string, unknown> = {
    modules: !spec.serviceWorker,
    script,
    compatibilityDate: spec.compatibilityDate,
    compatibilityFlags: spec.compatibilityFlags,
    bindings: spec.vars,
    kvNamespaces: spec.bindings.kv,
    r2Buckets: spec.bindings.r2,
    d1Databases: spec.bindings.d1,
    durableObjects: spec.bindings.durableObjects,
    serviceBindings,
    host: "127.0.0.1",
    // Nothing leaves the machine: every fetch() the Worker makes, waitUntil ones included, lands here.
    outboundService: (request: OutboundRequest) => record(request, "fetch", new URL(request.url).hostname),
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      const keep = (chunk: Buffer | string): void => {
        runtimeOutput = (runtimeOutput + chunk.toString()).slice(-4000);
      };
      stdout.on("data", keep);
      stderr.on("data", keep);
    },
  };
  if (miniflare.Log && miniflare.LogLevel) options.log = new miniflare.Log(miniflare.LogLevel.NONE);

  const startRuntime = async (): Promise<InstanceType<MiniflareModule["Miniflare"]> | undefined> => {
    const startAt = performance.now();
    try {
      const mf = new miniflare.Miniflare(options);
      await mf.ready;
      await send({ type: "ready", ms: performance.now() - startAt });
      return mf;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await send({ type: "fatal", phase: "start", message: [message, runtimeOutput.trim()].filter(Boolean).join("\n") });
      return undefined;
    }
  };

  let mf = await startRuntime();
  if (!mf) return;
  for (let index = 0; index < spec.requests.length; index++) {
    if (!mf) break;
    const runtime = mf;
    const { method, path } = spec.requests[index]!;
    const trace = { start: performance.now(), list: [] as ObservedSubrequest[], inFlight: 0, lastActivity: performance.now() };
    current = trace;
    runtimeOutput = "";
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), spec.timeoutMs);
    });
    const answer = (async () => {
      const response = await runtime.dispatchFetch(spec.origin + path, {
        method,
        body: method === "GET" || method === "HEAD" ? undefined : "{}",
      });
      const headersAt = performance.now() - trace.start;
      const body = await response.text();
      return { response, body, headersAt };
    })().then(
      (value) => ({ ok: true as const, ...value }),
      (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error.message : String(error) }),
    );
    const outcome = await Promise.race([answer, timedOut]);
    if (outcome === "timeout") {
      await send({
        type: "request",
        index,
        status: null,
        error: `no response within ${spec.timeoutMs} ms`,
        responseMs: null,
        subrequests: trace.list,
        runtimeOutput: runtimeOutput.trim(),
      });
      // The hung request keeps workerd busy: start a fresh one for the next request.
      current = undefined;
      await Promise.race([runtime.dispose(), sleep(2000)]);
      if (index + 1 < spec.requests.length) {
        mf = await startRuntime();
        if (!mf) return;
      } else mf = undefined;
      continue;
    }
    clearTimeout(timer);
    if (!outcome.ok) {
      await send({
        type: "request",
        index,
        status: null,
        error: outcome.error,
        responseMs: null,
        subrequests: trace.list,
        runtimeOutput: runtimeOutput.trim(),
      });
      continue;
    }
    const responseMs = performance.now() - trace.start;
    // waitUntil work goes on after the response: wait until nothing is in flight for a while.
    const deadline = trace.start + spec.timeoutMs;
    while (performance.now() < deadline && (trace.inFlight > 0 || performance.now() - trace.lastActivity < spec.settleMs)) await sleep(10);
    current = undefined;
    const thrown = thrownError(outcome.response.status, outcome.response.headers, outcome.body);
    await send({
      type: "request",
      index,
      status: outcome.response.status,
      error: thrown,
      responseMs,
      subrequests: trace.list,
      runtimeOutput: runtimeOutput.trim(),
    });
  }
  if (mf) await Promise.race([mf.dispose(), sleep(5000)]);
}

/** Starts when the parent sends the spec; ends the process when done. */
export function traceChildMain(): void {
  process.once("message", (spec: TraceSpec) => {
    main(spec).then(
      () => send({ type: "done" }).then(() => process.exit(0)),
      (error: unknown) =>
        send({ type: "fatal", phase: "runtime", message: error instanceof Error ? error.message : String(error) }).then(() =>
          process.exit(1),
        ),
    );
  });
}

if (require.main === module) traceChildMain();
