import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one, statusOf } from "./helpers/analyse";

const API = "https://api.example-backend.com";

describe("stream bodies: what a stream runs while the response is read", () => {
  it("ReadableStream start() with a loop of awaited fetches is on the path (a loop counts twice)", () => {
    const a = one(`export default { async fetch(request: Request) {
  const ids = (await request.json()) as string[];
  const stream = new ReadableStream({
    async start(controller) {
      for (const id of ids) {
        const r = await fetch("${API}/items/" + id);
        controller.enqueue(await r.arrayBuffer());
      }
      controller.close();
    },
  });
  return new Response(stream);
} };`);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.backends, [{ host: "api.example-backend.com", roundTrips: 2 }]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("start() once, pull() once per chunk (a loop), start as an arrow property, the literal held in a const", () => {
    const a = one(`const source = {
  start: async (c: ReadableStreamDefaultController) => { await fetch("${API}/open"); },
  async pull(c: ReadableStreamDefaultController) { const r = await fetch("${API}/next"); c.enqueue(await r.text()); },
};
export default { async fetch() { return new Response(new ReadableStream(source)); } };`);
    assert.equal(a.roundTrips, 3);
  });

  it("TransformStream: transform() per chunk after the origin fetch", () => {
    const a = one(`export default { async fetch() {
  const up = await fetch("${API}/feed");
  return new Response(up.body!.pipeThrough(new TransformStream({ async transform(chunk, c) { await fetch("${API}/check"); c.enqueue(chunk); } })));
} };`);
    assert.equal(a.roundTrips, 3);
  });

  it("a project class named ReadableStream is not the platform's: its argument's methods are not run", () => {
    const a = one(`class ReadableStream { constructor(_s: unknown) {} }
export default { async fetch() {
  const s = new ReadableStream({ async start() { await fetch("${API}/a"); } });
  return new Response(String(s));
} };`);
    assert.equal(a.roundTrips, 0);
  });

  it("a stream made in waitUntil work stays off the response path", () => {
    const a = one(`export default { async fetch(request: Request, env: unknown, ctx: ExecutionContext) {
  ctx.waitUntil(new Response(new ReadableStream({ async start() { await fetch("${API}/a"); } })).text());
  return new Response("ok");
} };`);
    assert.equal(a.roundTrips, 0);
    assert.equal(a.subrequests.filter((s) => s.criticalPath).length, 0);
  });
});

describe("injected dependencies with a default", () => {
  it("`deps.fn ?? fn` and `deps.client ?? new Client()` resolve to the defaults", () => {
    const a = analyse({
      "src/index.ts": `import { run } from "./run";
export default { async fetch() { return Response.json(await run()); } };`,
      "src/run.ts": `import { Client } from "./client";
async function read(id: string, f: typeof fetch = fetch) { return (await f("${API}/read/" + id)).json(); }
export async function run(deps: { client?: Client; reader?: typeof read } = {}) {
  const client = deps.client ?? new Client();
  const reader = deps.reader ?? read;
  await reader("x");
  await client.write("y");
}`,
      "src/client.ts": `export class Client {
  constructor(private readonly f: typeof fetch = fetch) {}
  async write(id: string) { await this.f("${API}/write/" + id, { method: "POST" }); }
}`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("`opts.fn || fn` in JavaScript, at module level too", () => {
    const a = analyse(
      {
        "src/index.js": `async function load() { await fetch("${API}/load"); }
const loader = globalThis.customLoader || load;
export default { async fetch(request, env, opts = {}) { const l2 = opts.l || load; await loader(); await l2(); return new Response(""); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
  });

  it("an awaited call through a choice none of whose parts can be read is UNKNOWN, naming the choice", () => {
    const a = one(`export default { async fetch(request: Request, env: { name: string }) {
  const mod = (await import("./plugins/" + env.name + ".ts")) as { run: () => Promise<void> };
  const run = (request as any).override ?? mod.run;
  await run();
  return new Response("");
} };`);
    assert.equal(a.roundTrips, 0);
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0] ?? "", /^run\(\.\.\.\) calls what `\(request as any\)\.override \?\? mod\.run` gives/);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("not awaited, or a platform global among the parts: no unknown", () => {
    const a = one(`export default { async fetch(request: Request, env: any, ctx: ExecutionContext) {
  const mod = (await import("./p/" + env.name + ".ts")) as { run: () => Promise<void> };
  const run = env.override ?? mod.run;
  run();
  const f = env.f ?? fetch;
  await f("${API}/x");
  return new Response("");
} };`);
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 1);
  });
});

describe("producers of a streamed body: not awaited, but the client reads what they write", () => {
  const producer = (
    answer: string,
    write = "await writer.write(new TextEncoder().encode(await r.text()));",
  ) => `export default { async fetch(request: Request, env: any, ctx: ExecutionContext) {
  const ids = (await request.json()) as string[];
  const { readable, writable } = new TransformStream();
  const writer = writable.getWriter();
  (async () => {
    for (const id of ids) { const r = await fetch("${API}/i/" + id); ${write} }
    await writer.close();
  })();
  ${answer}
} };`;

  it("an async IIFE writing the writer of the TransformStream whose readable is the response: on the path", () => {
    const a = one(producer("return new Response(readable);"));
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("the readable not answered with (stored in R2 instead): the IIFE is not taken for the body's producer", () => {
    const a = one(producer(`ctx.waitUntil(env.BUCKET.put("k", readable)); return new Response("queued");`));
    assert.equal(a.roundTrips, 0);
  });

  it("an IIFE that never touches the writer is not a producer", () => {
    const a = one(`export default { async fetch() {
  const { readable, writable } = new TransformStream();
  (async () => { const r = await fetch("${API}/log"); console.log(r.status); })();
  void writable;
  return new Response(readable);
} };`);
    assert.equal(a.roundTrips, 0);
  });

  it("a writer used through a local helper it calls", () => {
    const a = one(`export default { async fetch() {
  const stream = new TransformStream();
  const writer = stream.writable.getWriter();
  const say = async (t: string) => { await writer.write(new TextEncoder().encode(t)); };
  const started = (async () => { const r = await fetch("${API}/first"); await say(await r.text()); })();
  void started;
  return new Response(stream.readable);
} };`);
    assert.equal(a.roundTrips, 1);
  });

  it("a named pump(writer) whose promise is dropped", () => {
    const a = one(`async function pump(w: WritableStreamDefaultWriter, ids: string[]) {
  for (const id of ids) { const r = await fetch("${API}/p/" + id); await w.write(await r.arrayBuffer()); }
  await w.close();
}
export default { async fetch(request: Request) {
  const stream = new TransformStream();
  const writer = stream.writable.getWriter();
  pump(writer, (await request.json()) as string[]);
  return new Response(stream.readable);
} };`);
    assert.equal(a.roundTrips, 2);
  });
});
