import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Calls no request of the Worker can run, told apart from wiring the analyser lost: browser code
 * of a component, routes of an app nothing mounts; names a CommonJS module exports through an
 * object; `env.ASSETS.fetch` with no assets binding in the config.
 */

const LOST = (where: string): string =>
  `no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (${where}): how it is called could not be followed`;

/** A Worker that renders `App` on the server (Hono's JSX), with `app.jsx` given. */
const rendered = (app: string, more: Record<string, string> = {}): Record<string, string> => ({
  "src/index.jsx": `import { renderToString } from "hono/jsx/dom/server";\nimport { App } from "./app.jsx";\nexport default { async fetch(request) { return new Response(renderToString(<App />), { headers: { "content-type": "text/html" } }); } };`,
  "src/api.js": `export async function saveNote(text) {\n  const response = await fetch("https://notes.example-api.com/notes", { method: "POST", body: text });\n  return response.json();\n}`,
  "src/app.jsx": app,
  ...more,
});

describe("browser code of components", () => {
  it("a local handler given to an element's onSubmit, and an effect's callback, run in the browser: NO_VALID_HOSTS with a note", () => {
    const a = analyse(
      rendered(
        `import { useEffect } from "react";\nimport { saveNote } from "./api.js";\nexport function App() {\n  const save = async (event) => { event.preventDefault(); await saveNote("x"); };\n  useEffect(() => { saveNote("opened"); }, []);\n  return <form onSubmit={save}><button onClick={() => saveNote("click")}>Save</button></form>;\n}`,
      ),
      { main: "src/index.jsx" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(a.notes, ["not counted: a call to back ends where no request of the Worker runs it (api.js:2: browser code)"]);
  });

  it("a handler held by useCallback, given to an element through a module-level function, is browser code too", () => {
    const a = analyse(
      rendered(
        `import * as React from "react";\nimport { saveNote } from "./api.js";\nasync function persist() { await saveNote("x"); }\nexport function App() {\n  const onSave = React.useCallback(async () => { await persist(); }, []);\n  return <button onClick={onSave}>Save</button>;\n}`,
      ),
      { main: "src/index.jsx" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a handler given to a component of the project's may be called while rendering: still UNKNOWN", () => {
    const a = analyse(
      rendered(
        `import { saveNote } from "./api.js";\nimport { Gate } from "./gate.jsx";\nexport function App() {\n  const save = async () => { await saveNote("x"); };\n  return <Gate onOpen={save} />;\n}`,
        { "src/gate.jsx": `import { run } from "task-kit";\nexport function Gate({ onOpen }) { run(onOpen); return <div />; }` },
      ),
      { main: "src/index.jsx" },
    );
    assert.deepEqual(a.unknowns, [LOST("api.js:2")]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("useEffect of a module of the project's is not React's: what it runs counts", () => {
    const a = analyse(
      rendered(
        `import { useEffect } from "./hooks.js";\nimport { saveNote } from "./api.js";\nexport function App() {\n  useEffect(() => { saveNote("opened"); });\n  return <div />;\n}`,
        { "src/hooks.js": `export function useEffect(fn) { return fn(); }` },
      ),
      { main: "src/index.jsx" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 1);
  });

  it("a call written in an event attribute runs while rendering: still UNKNOWN", () => {
    const a = analyse(
      rendered(
        `import { saveNote } from "./api.js";\nexport function Tracker() {\n  return <button onClick={saveNote("seen")}>Save</button>;\n}\nexport function App() {\n  return <main><Tracker /></main>;\n}`,
      ),
      { main: "src/index.jsx" },
    );
    assert.deepEqual(a.unknowns, [LOST("api.js:2")]);
  });

  it("a handler held by `let` may be given another function: still UNKNOWN", () => {
    const a = analyse(
      rendered(
        `import { saveNote } from "./api.js";\nexport function App() {\n  let save = async () => { await saveNote("x"); };\n  return <form onSubmit={save} />;\n}`,
      ),
      { main: "src/index.jsx" },
    );
    assert.deepEqual(a.unknowns, [LOST("api.js:2")]);
  });
});

const HONO_INDEX = `import { Hono } from "hono";\nimport { prices } from "./prices";\nconst app = new Hono().get("/health", (c) => c.text("ok"));\n// app.route("/prices", prices);\nexport type AppType = typeof app;\nexport default app;`;

describe("routes of an app nothing mounts", () => {
  it("JavaScript: a sub-app built by a chain, imported but never mounted, is dead", () => {
    const a = analyse(
      {
        "src/index.js": `import { Hono } from "hono";\nimport { prices } from "./prices.js";\nconst app = new Hono();\napp.get("/health", (c) => c.text("ok"));\nexport default app;`,
        "src/prices.js": `import { Hono } from "hono";\nconst prices = new Hono()\n  .get("/", async (c) => c.json(await (await fetch("https://api.example-pay.com/v1/prices")).json()))\n  .post("/", async (c) => c.json(await (await fetch("https://api.example-pay.com/v1/prices", { method: "POST" })).json()));\nexport { prices };`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a sub-app mounted by a live app is walked, not dropped", () => {
    const a = analyse({
      "src/index.ts": HONO_INDEX.replace("// app.route", "app.route"),
      "src/prices.ts": `import { Hono } from "hono";\nexport const prices = new Hono().get("/", async (c) => {\n  const r = await fetch("https://api.example-pay.com/v1/prices");\n  return c.json(await r.json());\n});`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 1);
  });

  it("a sub-app built by a chain on a fresh app, imported but never mounted: NO_VALID_HOSTS with a note", () => {
    const a = analyse({
      "src/index.ts": HONO_INDEX,
      "src/prices.ts": `import { Hono } from "hono";\nexport const prices = new Hono().get("/", async (c) => {\n  const r = await fetch("https://api.example-pay.com/v1/prices");\n  return c.json(await r.json());\n});\nexport type PricesType = typeof prices;`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(a.notes, [
      "not counted: a call to back ends where no request of the Worker runs it (prices.ts:3: nothing a request runs refers to it)",
    ]);
  });

  it("routes registered by statements on an app variable nothing mounts are dead too", () => {
    const a = analyse({
      "src/index.ts": HONO_INDEX,
      "src/prices.ts": `import { Hono } from "hono";\nconst prices = new Hono();\nprices.get("/", async (c) => c.json(await (await fetch("https://api.example-pay.com/v1/prices")).json()));\nprices.post("/", async (c) => c.json(await (await fetch("https://api.example-pay.com/v1/prices", { method: "POST" })).json()));\nexport { prices };`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a sub-app handed at module level to something that is not a route registration stays live: UNKNOWN", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nimport { register } from "plugin-kit";\nimport { prices } from "./prices";\nconst app = new Hono().get("/health", (c) => c.text("ok"));\nregister(app, prices);\nexport default app;`,
      "src/prices.ts": `import { Hono } from "hono";\nexport const prices = new Hono().get("/", async (c) => {\n  const r = await fetch("https://api.example-pay.com/v1/prices");\n  return c.json(await r.json());\n});`,
    });
    assert.deepEqual(a.unknowns, [LOST("prices.ts:3")]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a callback handed to a call on something other than an app is not a route: UNKNOWN", () => {
    const a = analyse({
      "src/index.ts": `import { Hono } from "hono";\nimport { jobs } from "./jobs";\nconst app = new Hono().get("/health", (c) => c.text("ok"));\nexport default app;`,
      "src/jobs.ts": `import { Queue } from "job-kit";\nexport const jobs = new Queue().get("/", async () => {\n  await fetch("https://api.example-pay.com/v1/sync");\n});`,
    });
    assert.deepEqual(a.unknowns, [LOST("jobs.ts:3")]);
  });
});

describe("names a CommonJS module exports through an object", () => {
  const LINKS = `const listLinks = async () => {\n  const response = await fetch("https://api.example-table.com/v0/links");\n  return response.json();\n};\nmodule.exports = { listLinks, load: listLinks };`;

  for (const [shape, entry] of [
    [
      "an ES import in a service-worker-syntax Worker",
      `import { listLinks } from "../utils/links";\naddEventListener("fetch", (event) => {\n  event.respondWith(handleRequest(event.request));\n});\nasync function handleRequest(request) {\n  const links = await listLinks();\n  return new Response(JSON.stringify(links));\n}`,
    ],
    [
      "a require destructured under another name",
      `const { load } = require("../utils/links");\nexport default { async fetch(request) { return new Response(JSON.stringify(await load())); } };`,
    ],
  ] as const) {
    it(`${shape}: the call is followed (one round trip)`, () => {
      const a = analyse({ "src/index.js": entry, "utils/links.js": LINKS }, { main: "src/index.js" });
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 1);
      assert.deepEqual(
        a.backends.map((b) => b.host),
        ["api.example-table.com"],
      );
    });
  }
});

describe("env.ASSETS.fetch", () => {
  const PROXY = `export default {\n  async fetch(request, env) {\n    const url = new URL(request.url);\n    if (url.pathname.startsWith("/api/")) {\n      url.hostname = "origin.example-host.com";\n      return fetch(new Request(url, request));\n    }\n    return env.ASSETS.fetch(request);\n  },\n};`;

  it("with no assets binding in the config: the static assets binding by its name, never a back end nor an unknown", () => {
    const a = analyse({ "src/index.js": PROXY }, { main: "src/index.js" });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    const assets = a.subrequests.find((s) => s.target === "ASSETS");
    assert.equal(assets?.category, "binding");
    assert.match(assets?.note ?? "", /a binding the config does not name/);
  });

  it("another binding the config does not name, handed the request, is still unknown", () => {
    const a = analyse({ "src/index.js": PROXY.replace("env.ASSETS", "env.BACKEND") }, { main: "src/index.js" });
    assert.deepEqual(a.unknowns, ["env.BACKEND.fetch(...) hands the request to something the analyser cannot resolve (index.js:8)"]);
  });
});

describe("branches under a condition no request can change", () => {
  const worker = (body: string): Record<string, string> => ({
    "src/index.js": `export default {\n  async fetch(request, env) {\n    let url = new URL(request.url);\n${body}\n  },\n};`,
  });

  it('`url.pathname.startsWith("/")` is always true: the else branch is not counted', () => {
    const a = analyse(
      worker(
        `    if (url.pathname.startsWith("/")) {\n      url.hostname = "origin.example-upstream.com";\n      return fetch(new Request(url, request));\n    } else {\n      await fetch("https://a.example-other.com/1");\n      return fetch("https://a.example-other.com/2");\n    }`,
      ),
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      a.backends.map((b) => b.host),
      ["origin.example-upstream.com"],
    );
  });

  it("code after an always-taken branch that returns is dead, said in a note; a negated guard is never taken", () => {
    const a = analyse(
      worker(
        `    if (!url.pathname.startsWith("/")) return fetch("https://a.example-other.com/never");\n    if (url.pathname.startsWith("/")) return new Response("moved");\n    return fetch("https://a.example-other.com/after");`,
      ),
      { main: "src/index.js" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(a.notes, [
      "not counted: 2 calls to back ends where no request of the Worker runs them (index.js:4: a branch no request takes; index.js:6: a branch no request takes)",
    ]);
  });

  it('a prefix other than "/", or a URL not of the incoming request, may go either way', () => {
    const a = analyse(
      worker(
        `    const other = new URL(env.TARGET);\n    if (other.pathname.startsWith("/")) return new Response("a");\n    if (url.pathname.startsWith("/api")) return new Response("b");\n    return fetch("https://a.example-other.com/x");`,
      ),
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 1);
  });
});
