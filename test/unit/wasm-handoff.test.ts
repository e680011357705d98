import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/** A Go shim: the Go runtime, the module, and the request given to what the Go code registers. */
const goShim = (handOff: string, runtime = `import "./wasm_exec.js";\n`): string => `${runtime}// @ts-ignore
import app from "./app.wasm";
declare const Go: any;
export default {
  async fetch(request: Request, env: any) {
    const hooks: { serve?: (r: Request) => Promise<Response>; [k: string]: any } = {};
    const go = new Go();
    go.run(new WebAssembly.Instance(app, go.importObject), { hooks, env });
    ${handOff}
  },
};`;

describe("a request handed to code compiled to WebAssembly", () => {
  it("a function the Go code registers, given the request: UNKNOWN naming the module and its language", () => {
    const a = analyse({ "src/index.ts": goShim("return hooks.serve!(request);"), "src/wasm_exec.js": "globalThis.Go = class {};" });
    assert.deepEqual(a.subrequests, []);
    assert.deepEqual(a.unknowns, [
      'hooks.serve(...) hands the request to code compiled to WebAssembly, "./app.wasm" (built from Go), which the analyser cannot read: its round trips cannot be seen (index.ts:10)',
    ]);
  });

  it("a request built from the incoming one, through a method named like a hand-off; no runtime import: the module is named without a language", () => {
    const a = analyse({ "src/index.ts": goShim("return hooks.handle(new Request(request.url, request));", "") });
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0]!, /^hooks\.handle\(\.\.\.\) hands the request to code compiled to WebAssembly, "\.\/app\.wasm", which/);
  });

  it("the WebAssembly module loaded by a module the handler's module imports", () => {
    const a = analyse({
      "src/index.ts": `import { start, hooks } from "./runtime";
export default { async fetch(request: Request) { await start(); return hooks.serve(request); } };`,
      "src/runtime.ts": `import "./wasm_exec.js";
// @ts-ignore
import app from "./app.wasm";
declare const Go: any;
export const hooks: any = {};
export async function start() { const go = new Go(); go.run(new WebAssembly.Instance(app, go.importObject), hooks); }`,
    });
    assert.equal(a.unknowns.length, 1);
    assert.match(
      a.unknowns[0]!,
      /^hooks\.serve\(\.\.\.\) hands the request to code compiled to WebAssembly, "\.\/app\.wasm" \(built from Go\)/,
    );
  });

  it("wasm-bindgen's glue importing its module (`import * as wasm from './app_bg.wasm'`): built from Rust", () => {
    const a = analyse(
      {
        "src/index.js": `import * as wasm from "./app_bg.wasm";
const heap = [];
function keep(value) { heap.push(value); return heap.length - 1; }
export default { fetch(request, env) { return heap[wasm.handle(keep(request), keep(env))]; } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.unknowns.length, 1);
    assert.match(
      a.unknowns[0]!,
      /^wasm\.handle\(\.\.\.\) hands the request to code compiled to WebAssembly, "\.\/app_bg\.wasm" \(built from Rust\)/,
    );
  });

  it("WebAssembly used as computation, given bytes: nothing unknown, the fetch before it counts", () => {
    const a = analyse({
      "src/index.ts": `// @ts-ignore
import codec from "./codec.wasm";
const instance = new WebAssembly.Instance(codec, {});
export default {
  async fetch(request: Request) {
    const original = await fetch("https://images.example.org/a.png");
    const bytes = new Uint8Array(await original.arrayBuffer());
    const exports: any = instance.exports;
    const at = exports.alloc(bytes.length);
    exports.encode(at, bytes.length);
    return new Response(bytes);
  },
};`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 1);
  });

  it("without a WebAssembly module, the same unresolved call is not said to be WebAssembly", () => {
    const a = analyse({
      "src/index.ts": `const hooks: { serve?: (r: Request) => Promise<Response> } = {};
export default { async fetch(request: Request) { return hooks.serve!(request); } };`,
    });
    assert.ok(
      a.unknowns.every((u) => !u.includes("WebAssembly")),
      a.unknowns.join("\n"),
    );
  });
});
