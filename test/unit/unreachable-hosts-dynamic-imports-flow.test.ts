import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, fetchHandler, one, statusOf } from "./helpers/analyse";
import { classifyHost, unreachableHost } from "../../server/src/core/worker/hosts";

describe("addresses a deployed Worker cannot reach", () => {
  it("loopback, link-local (cloud metadata), private, unspecified and internal names, with a reason", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["169.254.169.254", "a cloud instance metadata address (link-local)"],
      ["169.254.170.2", "a cloud instance metadata address (link-local)"],
      ["169.254.1.1", "a link-local address"],
      ["127.0.0.1", "a loopback address (the machine the code runs on)"],
      ["127.8.9.10:8080", "a loopback address (the machine the code runs on)"],
      ["::1", "a loopback address (the machine the code runs on)"],
      ["[::1]", "a loopback address (the machine the code runs on)"],
      ["[::1]:3000", "a loopback address (the machine the code runs on)"],
      ["localhost", "a loopback name (the machine the code runs on)"],
      ["localhost:8787", "a loopback name (the machine the code runs on)"],
      ["api.localhost", "a loopback name (the machine the code runs on)"],
      ["10.0.0.5", "a private network address"],
      ["172.16.0.1", "a private network address"],
      ["172.31.255.255", "a private network address"],
      ["192.168.1.20", "a private network address"],
      ["[fd00::1]", "a private network address"],
      ["[fe80::1]", "a link-local address"],
      ["0.0.0.0", "the unspecified address"],
      ["metadata.google.internal", "an internal network name"],
      ["printer.local", "an internal network name"],
    ];
    for (const [host, reason] of cases) {
      assert.equal(unreachableHost(host), reason, host);
      const c = classifyHost(host);
      assert.equal(c.category, "global", host);
      assert.equal(
        c.note,
        `${host} is ${reason}: a deployed Worker cannot reach it, so it is no back end to place near; Smart Placement ignores it`,
      );
    }
  });
  it("public addresses and look-alikes stay back ends", () => {
    for (const host of [
      "172.15.0.1",
      "172.32.0.1",
      "169.253.1.1",
      "11.0.0.1",
      "192.169.1.1",
      "128.0.0.1",
      "93.184.216.34",
      "localhost.example.com",
      "internal.example.com",
      "api.example.com",
      "[2001:db8::1]",
      "256.1.1.1",
    ]) {
      assert.equal(unreachableHost(host), undefined, host);
      assert.equal(classifyHost(host).category, "backend", host);
    }
  });
  it("a user's backend setting wins", () => {
    assert.equal(classifyHost("10.0.0.5", { backend: ["10.0.0.5"] }).category, "backend");
  });
  it("alone they make no valid hosts; with one back end, one round trip", () => {
    const local = one(
      fetchHandler(`await fetch("http://169.254.169.254/latest/meta-data/");
await fetch("http://localhost:8787/x");
await fetch("http://10.1.2.3/y");`),
    );
    assert.equal(local.roundTrips, 0);
    assert.deepEqual(
      local.subrequests.map((s) => [s.target, s.category]),
      [
        ["169.254.169.254", "global"],
        ["localhost", "global"],
        ["10.1.2.3", "global"],
      ],
    );
    assert.equal(statusOf(local), "NO_VALID_HOSTS");
    const mixed = one(
      fetchHandler(`await fetch("http://127.0.0.1:3000/a");
await fetch("https://api.example.com/b");`),
    );
    assert.equal(mixed.roundTrips, 1);
    assert.equal(statusOf(mixed), "INSUFFICIENT_SUBREQUESTS");
  });
});

describe("a dispatch namespace's user Worker", () => {
  const bindings = { other: ["TENANTS"] };
  it("`env.TENANTS.get(name).fetch(request)`, inline or through a variable, is a binding call, not an unresolved hand-off", () => {
    for (const body of [
      `return env.TENANTS.get("a").fetch(request);`,
      `const worker = env.TENANTS.get("a");\nreturn await worker.fetch(request);`,
    ]) {
      const a = one(fetchHandler(body), { bindings });
      assert.deepEqual(a.unknowns, [], body);
      assert.deepEqual(
        a.subrequests.map((s) => [s.kind, s.target, s.category]),
        [["other", "TENANTS", "binding"]],
      );
      assert.equal(statusOf(a), "NO_VALID_HOSTS");
    }
  });
  it("a handler of unknown origin is still unknown, named", () => {
    const a = one(fetchHandler(`const worker = (globalThis as any).pick("a");\nreturn worker.fetch(request);`), { bindings });
    assert.equal(a.unknowns.length, 1);
    assert.equal(a.unknowns[0], "the fetch handler is made by (globalThis as any).pick(...), whose subrequests the analyser cannot see");
  });
});

describe("dynamic imports resolve like static ones", () => {
  const handlerModule = `export default { async fetch(request: Request) { await fetch("https://api.example.com/a"); await fetch("https://api.example.com/b"); return new Response(); } };`;
  for (const [title, body] of [
    ["destructured default", `const { default: h } = await import("./h");\nreturn h.fetch(request);`],
    ["a const holding the module", `const mod = await import("./h");\nreturn mod.default.fetch(request);`],
    ["inline", `return (await import("./h")).default.fetch(request);`],
  ] as const) {
    it(title, () => {
      const a = analyse({ "src/index.ts": fetchHandler(body), "src/h.ts": handlerModule });
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.subrequests.map((s) => [s.file, s.target, s.criticalPath]),
        [
          ["/w/src/h.ts", "api.example.com", true],
          ["/w/src/h.ts", "api.example.com", true],
        ],
      );
    });
  }
  it("a named export: a Hono app, and a helper function called after the import", () => {
    const a = analyse({
      "src/index.ts": fetchHandler(
        `const { load } = await import("./data");\nawait load();\nconst { app } = await import("./app");\nreturn app.fetch(request);`,
      ),
      "src/data.ts": `export async function load() { return fetch("https://data.example.com/x"); }`,
      "src/app.ts": `import { Hono } from "hono";\nexport const app = new Hono();\napp.get("/a", async (c) => { await fetch("https://api.example.com/a"); return c.text("a"); });`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(
      a.subrequests.filter((s) => s.criticalPath).map((s) => [s.file, s.target]),
      [
        ["/w/src/app.ts", "api.example.com"],
        ["/w/src/data.ts", "data.example.com"],
      ],
    );
  });
  it("a specifier that is not a string stays unknown", () => {
    const a = analyse({ "src/index.ts": fetchHandler(`const { default: h } = await import(request.url);\nreturn h.fetch(request);`) });
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(a.unknowns, ["h.fetch(...) hands the request to something the analyser cannot resolve (index.ts:4)"]);
  });
});

describe("flow shapes that are not their statements' order", () => {
  const d1 = { bindings: { d1: ["DB"] } };
  const q = (sql: string) => `await env.DB.prepare("${sql}").first();`;
  const marks = (a: ReturnType<typeof one>) => a.subrequests.map((s) => [s.criticalPath, s.waitUntil]);
  it("a promise chain whose result is dropped is fire-and-forget: listed off the path, not in waitUntil", () => {
    for (const dropped of [
      `env.DB.prepare("b").run().catch(() => {});`,
      `void env.DB.prepare("b").run().catch(() => {});`,
      `env.DB.prepare("b").run().then(() => console.log("ok"));`,
      `env.DB.prepare("b").run().finally(() => {});`,
    ]) {
      const a = one(fetchHandler(`${q("a")}\n${dropped}\n${q("c")}`), d1);
      assert.equal(a.roundTrips, 2, dropped);
      assert.deepEqual(
        marks(a),
        [
          [true, false],
          [false, false],
          [true, false],
        ],
        dropped,
      );
    }
  });
  it("a chain that is awaited, returned or kept still counts", () => {
    for (const kept of [`await env.DB.prepare("b").run().catch(() => {});`, `const r = await env.DB.prepare("b").run().then((x) => x);`]) {
      const a = one(fetchHandler(`${q("a")}\n${kept}\n${q("c")}`), d1);
      assert.equal(a.roundTrips, 3, kept);
    }
  });
  it("the callbacks of a dropped chain are off the path too", () => {
    const a = one(
      fetchHandler(
        `fetch("https://a.example.com").then(async (r) => { await fetch("https://b.example.com"); });\nawait fetch("https://c.example.com");`,
      ),
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath, s.waitUntil]),
      [
        ["a.example.com", false, false],
        ["b.example.com", false, false],
        ["c.example.com", true, false],
      ],
    );
  });
  it("a loop whose body ends in break, return or throw runs once", () => {
    const fetches = `await fetch("https://api.example.com/index");`;
    for (const [loop, trips] of [
      [`for (const f of files) { await fetch("https://api.example.com/" + f); break; }`, 2],
      [`for (const f of files) { const r = await fetch("https://api.example.com/" + f); if (!r.ok) return r; break; }`, 2],
      [
        `for (const f of files) await fetch("https://api.example.com/" + f), 0; for (;;) { await fetch("https://api.example.com/x"); throw new Error("x"); }`,
        4,
      ],
      [`while (true) { const r = await fetch("https://api.example.com/poll"); if ((await r.json()).done) break; }`, 3],
      // Leaving as soon as the request succeeds is a retry: it goes round again only on failure.
      [`while (true) { const r = await fetch("https://api.example.com/poll"); if (r.ok) break; }`, 2],
      [`outer: for (const f of files) { for (const g of files) { await fetch("https://api.example.com/" + g); break outer; } }`, 3],
      [`outer: for (const f of files) { await fetch("https://api.example.com/" + f); break outer; }`, 2],
      [`outer: for (const f of files) { for (const g of files) { await fetch("https://api.example.com/" + g); continue outer; } }`, 3],
      [`for (const f of files) { await fetch("https://api.example.com/" + f); continue; }`, 3],
      // Sources tried in turn, the next only after a failure (failover): one attempt, as a retry.
      [`for (const f of files) { const r = await fetch("https://api.example.com/" + f); if (!r.ok) continue; break; }`, 2],
      [`for (const f of files) { const r = await fetch("https://api.example.com/" + f); if (!r.headers.has("x")) continue; break; }`, 3],
      [`for (const f of files) { for (const g of files) { if (g) continue; } await fetch("https://api.example.com/" + f); break; }`, 2],
    ] as const) {
      const a = one(fetchHandler(`const files = request.headers.get("x")!.split(",");\n${fetches}\n${loop}`));
      assert.equal(a.roundTrips, trips, loop);
    }
  });
  it("ifs on one value compared with different constants are alternatives", () => {
    const two = (name: string) => `${q(name + "1")} ${q(name + "2")}`;
    for (const [code, trips] of [
      [
        `const mode = new URL(request.url).searchParams.get("mode");\nif (mode === "replace") { ${two("r")} }\nif (mode === "merge") { ${two("m")} }\nif ("append" === mode) { ${q("a")} }`,
        2,
      ],
      [
        `const input = (await request.json()) as { mode: string };\nif (input.mode === "replace") { ${two("r")} }\nif (input.mode === "merge") { ${two("m")} }`,
        2,
      ],
      [`const mode = request.method;\nif (mode === "PUT") { ${two("r")} }\nif (mode === "PUT") { ${two("m")} }`, 4],
      [`const a = request.method; const b = request.url;\nif (a === "PUT") { ${two("r")} }\nif (b === "POST") { ${two("m")} }`, 4],
      [`let mode = request.method;\nif (mode === "PUT") { ${two("r")} mode = "POST"; }\nif (mode === "POST") { ${two("m")} }`, 4],
      [`const mode = request.method;\nif (mode === "PUT") { ${two("r")} } else { ${q("e")} }\nif (mode === "POST") { ${two("m")} }`, 4],
    ] as const) {
      const a = one(fetchHandler(code), d1);
      assert.equal(a.roundTrips, trips, code);
    }
  });
});
