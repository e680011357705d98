import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf, criticalTargets as targets, fetchHandler as handler } from "./helpers/analyse";

/**
 * The global fetch held in a variable, a field or a parameter (`const fetchFn = options?.fetch ||
 * globalThis.fetch`): each call through it is a fetch to the host of its URL, as `fetch(url)` is.
 * In TypeScript and JavaScript.
 */

const A = "https://api.example.com/a";
const B = "https://api.example.com/b";

describe("fetch held in a variable, a field or a parameter", () => {
  for (const ext of ["ts", "js"] as const) {
    const run = (head: string, body: string) =>
      analyse(
        { [`src/index.${ext}`]: handler(body, head).replace(/: (Request|any)\b/g, ext === "js" ? "" : ": $1") },
        { main: `src/index.${ext}` },
      );

    it(`an alias: const f = fetch (${ext})`, () => {
      const a = run("", `const f = fetch;\nawait f("${A}");\nawait f("${B}");`);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(targets(a), ["api.example.com", "api.example.com"]);
      assert.equal(statusOf(a), "SUCCESS");
    });

    it(`options?.fetch || globalThis.fetch, in a helper (${ext})`, () => {
      const a = run(
        `async function probe(options) {\n  const fetchFn = options?.fetch || globalThis.fetch;\n  await fetchFn("${A}");\n  await fetchFn("${B}");\n}`,
        `await probe();`,
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(targets(a), ["api.example.com", "api.example.com"]);
    });

    it(`opts.fetch ?? fetch held by a factory's closure (${ext})`, () => {
      const a = run(
        `function createClient(opts) {\n  const doFetch = opts.fetch ?? fetch;\n  return { get: async (path) => (await doFetch("https://api.example.com" + path)).json() };\n}`,
        `const client = createClient({});\nawait client.get("/a");\nawait client.get("/b");\nawait client.get("/c");`,
      );
      assert.equal(a.roundTrips, 3);
      // One call site, reached three times.
      assert.deepEqual(targets(a), ["api.example.com"]);
    });

    it(`a class field: this.fetch = init.fetch ?? globalThis.fetch.bind(globalThis) (${ext})`, () => {
      const a = run(
        `class Api {\n  constructor(init) { this.fetch = init.fetch ?? globalThis.fetch.bind(globalThis); }\n  async one(path) { return this.fetch("https://api.example.com" + path); }\n}`,
        `const api = new Api({});\nawait api.one("/a");\nawait api.one("/b");`,
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(targets(a), ["api.example.com"]);
    });

    it(`a parameter defaulting to globalThis.fetch, and a destructured default (${ext})`, () => {
      const a = run(
        `async function get(url, fetchFn = globalThis.fetch) { return fetchFn(url); }\nasync function put(url, { fetch: f = fetch } = {}) { return f(url, { method: "PUT" }); }`,
        `await get("${A}");\nawait put("${B}");`,
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(targets(a), ["api.example.com", "api.example.com"]);
    });

    it(`a helper that returns the bound global fetch (${ext})`, () => {
      const a = run(
        `function defaultFetch() { return globalThis.fetch.bind(globalThis); }`,
        `const f = request.headers.get("x") ? defaultFetch() : defaultFetch();\nawait f("${A}");\nawait f("${B}");`,
      );
      assert.equal(a.roundTrips, 2);
    });
  }

  it("a private field #fetch set in the constructor", () => {
    const a = analyse({
      "src/index.ts": handler(
        `const c = new Client();\nawait c.get("/a");\nawait c.get("/b");`,
        `class Client {\n  #fetch: typeof fetch;\n  constructor(opts: { fetchImpl?: typeof fetch } = {}) { this.#fetch = opts.fetchImpl ?? globalThis.fetch.bind(globalThis); }\n  get(path: string) { return this.#fetch("https://api.example.com" + path); }\n}`,
      ),
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["api.example.com"]);
  });

  it("a variable that only holds the project's own function is that function, not a fetch", () => {
    const a = analyse({
      "src/index.ts": handler(
        `const f = request.headers.get("x") ? local : local;\nawait f("${A}");`,
        `async function local(url: string) { return new Response(url); }`,
      ),
    });
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(targets(a), []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("this.fetch(request) inside a class whose fetch is a method is not the global fetch", () => {
    const a = analyse({
      "src/index.ts": `export default class Worker {\n  async fetch(request: Request): Promise<Response> { return new Response("ok"); }\n  async again(request: Request) { return this.fetch(request); }\n}`,
    });
    assert.deepEqual(targets(a), []);
  });
});
