import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one, statusOf } from "./helpers/analyse";

const handler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request: Request, env: any, ctx: any) {\n${body}\nreturn new Response("ok");\n} };`;
const jsHandler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request, env, ctx) {\n${body}\nreturn new Response("ok");\n} };`;
const js = (source: string, extra: Record<string, string> = {}) => analyse({ "src/index.js": source, ...extra }, { main: "src/index.js" });
/** Each subrequest as `target category critical`, in source order. */
const rows = (a: ReturnType<typeof one>): string[] =>
  a.subrequests.map((s) => `${s.target ?? "?"} ${s.category}${s.criticalPath ? "" : " off-path"}`);
const notes = (a: ReturnType<typeof one>): string[] => a.subrequests.map((s) => s.note ?? "");
const perRequest = (detail: string, what = "fetch"): string =>
  `${what}: the host is chosen per request (${detail}): counted as a round trip to a back end (list "request" in the hosts.global or hosts.analytics setting if it is not)`;
const fromResponse = (detail: string): string =>
  `fetch: the host is taken from an earlier response (${detail}): counted as a round trip to a back end (list "response" in the hosts.global or hosts.analytics setting if it is not)`;
const ORIGIN = "fetch: the URL is the incoming request's own: the origin server";

describe("host provenance: chosen per request", () => {
  it("a query parameter, a header, a path segment, a body field, a form field: each `request`, named", () => {
    const a = one(
      handler(`const url = new URL(request.url);
await fetch(url.searchParams.get("feed")!);
await fetch(\`https://\${request.headers.get("X-Upstream")}/healthz\`);
const host = url.pathname.split("/")[2];
await fetch(\`https://\${host}/ping\`);
const { callback } = (await request.json()) as { callback: string };
await fetch(callback, { method: "POST" });
const form = await request.formData();
await fetch(String(form.get("hook")));`),
    );
    assert.deepEqual(rows(a), ["request backend", "request backend", "request backend", "request backend", "request backend"]);
    assert.deepEqual(notes(a), [
      perRequest("query parameter feed"),
      perRequest("header x-upstream"),
      perRequest("the path"),
      perRequest("body field callback"),
      perRequest("form field hook"),
    ]);
    assert.equal(a.roundTrips, 5);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("JavaScript: through a helper's return, `decodeURIComponent`, `trim`, a `for…of` over `split`, `request.clone()`", () => {
    const a = js(
      jsHandler(
        `const target = pick(request);
await fetch(decodeURIComponent(target).trim());
const list = (await request.clone().text()).split("\\n");
for (const line of list) await fetch(line);`,
        `function pick(req) { return new URL(req.url).searchParams.get("to") ?? ""; }`,
      ),
    );
    assert.deepEqual(rows(a), ["request backend", "request backend"]);
    assert.deepEqual(notes(a), [perRequest("query parameter to"), perRequest("the body")]);
    // The loop counts twice.
    assert.equal(a.roundTrips, 3);
  });

  it("Hono's `c.req.query`, `c.req.param`, `c.req.header`; a host partly configured is still chosen per request", () => {
    const a = one(`import { Hono } from "hono";
const app = new Hono();
app.get("/go/:site", async (c) => {
  await fetch(c.req.query("url")!);
  await fetch(\`https://\${c.req.param("site")}/x\`);
  await fetch(\`https://\${c.req.header("x-tenant")}.\${c.env.TENANT_SUFFIX}/y\`);
  return c.text("ok");
});
export default app;`);
    assert.deepEqual(rows(a), ["request backend", "request backend", "request backend"]);
    assert.deepEqual(notes(a), [perRequest("query parameter url"), perRequest("path parameter site"), perRequest("header x-tenant")]);
    assert.equal(a.roundTrips, 3);
  });

  it('h3 / Nitro: `getQuery(event).url`, `getRouterParam(event, "host")`', () => {
    const a = one(`import { defineEventHandler, getQuery, getRouterParam } from "h3";
export async function load(event: any) {
  await fetch(String(getQuery(event).url));
  await fetch(\`https://\${getRouterParam(event, "host")}/x\`);
}
export default { async fetch(request: Request) { await load({ request }); return new Response(); } };`);
    assert.deepEqual(rows(a), ["request backend", "request backend"]);
    assert.deepEqual(notes(a), [perRequest("query parameter url"), perRequest("path parameter host")]);
  });

  it("a `let` given a known URL or one from the request counts as `request`; an HTTP client names its library", () => {
    const b = one(
      handler(
        `let url = "https://default.example.com/feed";
if (request.headers.has("x-feed")) url = request.headers.get("x-feed")!;
await fetch(url);
const { hook } = (await request.json()) as { hook: string };
await ky.post(hook, { json: {} });`,
        `import ky from "ky";`,
      ),
    );
    assert.deepEqual(rows(b), ["request backend", "request backend"]);
    assert.deepEqual(notes(b), [perRequest("header x-feed"), perRequest("body field hook", "ky post(...)")]);
  });

  it("the incoming request's own URL is the origin: `fetch(request)`, `fetch(request.url)`, `new URL(request.url)` unchanged", () => {
    const a = one(
      handler(`await fetch(request);
await fetch(request.url, { headers: request.headers });
const same = new URL(request.url);
await fetch(same.toString());
const mine = { url: request.url };
await fetch(mine.url);`),
    );
    assert.deepEqual(rows(a), ["origin backend", "origin backend", "origin backend", "origin backend"]);
    assert.deepEqual(notes(a).slice(1), [ORIGIN, ORIGIN, ORIGIN]);
  });

  it("`request` listed in hosts.global is not counted", () => {
    const a = one(handler(`await fetch(new URL(request.url).searchParams.get("u")!);`), { hostCategories: { global: ["request"] } });
    assert.deepEqual(rows(a), ["request global"]);
    assert.equal(a.roundTrips, 0);
    assert.equal(a.subrequests[0]!.note, "request is globally distributed (settings)");
  });
});

describe("host provenance: taken from an earlier response", () => {
  it("a redirect followed by hand, a body field of `res.json()`, `$fetch`'s parsed body: `response`, naming the call", () => {
    const a = one(
      handler(`const first = await fetch("https://files.example.com/latest", { redirect: "manual" });
const location = first.headers.get("Location");
if (location) await fetch(location);
const created = await fetch("https://files.example.com/sessions", { method: "POST" });
const session = (await created.json()) as { upload_url: string };
await fetch(session.upload_url, { method: "PUT" });
const next = await $fetch("https://files.example.com/next");
await fetch(next.href);`),
    );
    assert.deepEqual(rows(a), [
      "files.example.com backend",
      "response backend",
      "files.example.com backend",
      "response backend",
      "files.example.com backend",
      "response backend",
    ]);
    assert.deepEqual(
      [notes(a)[1], notes(a)[3], notes(a)[5]],
      [
        fromResponse("header location of the response to fetch(...) at index.ts:3"),
        fromResponse("body field upload_url of the response to fetch(...) at index.ts:6"),
        fromResponse("the body of the response to $fetch(...) at index.ts:9"),
      ],
    );
    assert.equal(a.roundTrips, 6);
  });

  it("redirects followed by hand in a loop: `response` (the first URL is known, the next ones come from the answers)", () => {
    const a = one(
      handler(`let url = "https://start.example.com/file";
for (let hop = 0; hop < 3; hop++) {
  const res = await fetch(url, { redirect: "manual" });
  const next = res.headers.get("location");
  if (!next) return res;
  url = new URL(next, url).toString();
}`),
    );
    assert.deepEqual(rows(a), ["response backend"]);
    assert.equal(notes(a)[0], fromResponse("header location of the response to fetch(...) at index.ts:5"));
    // Bounded by a literal (three hops) but left as soon as an answer has no location: the answers
    // decide how often it goes round (as paging does), so it counts as a loop, twice.
    assert.equal(a.roundTrips, 2);
  });

  it("a request event's `event.url.searchParams` (SvelteKit) and `context.params` (Pages Functions)", () => {
    const a = one(`async function load(event: any) { return fetch(event.url.searchParams.get("src")!); }
async function page(context: any) { return fetch(\`https://\${context.params.site}/\`); }
export default { async fetch(request: Request) { await load({ request, url: new URL(request.url) }); await page({ request }); return new Response(); } };`);
    assert.deepEqual(rows(a), ["request backend", "request backend"]);
    assert.deepEqual(notes(a), [perRequest("query parameter src"), perRequest("path parameter site")]);
  });

  it("answers of client calls (ky, a service binding's fetch): `response`; an unknown client's answer stays unknown", () => {
    const a = one(
      handler(
        `const next = await ky.get("https://api.example.com/next").json<{ url: string }>();
await fetch(next.url);
const routed = await env.ROUTER.fetch("https://router/resolve");
await fetch(routed.headers.get("location")!);
const found = await new Directory().lookup("billing");
await fetch(found.url);`,
        `import ky from "ky";\nimport { Directory } from "@acme/directory";`,
      ),
      { bindings: { services: ["ROUTER"] } },
    );
    assert.deepEqual(rows(a), [
      "api.example.com backend",
      "response backend",
      "ROUTER binding",
      "response backend",
      "? unknown",
      "? unknown",
    ]);
    assert.deepEqual(
      [notes(a)[1], notes(a)[3]],
      [
        fromResponse('the response to ky.get("https://api.example.com/next").json(...) at index.ts:4'),
        fromResponse("header location of the response to env.ROUTER.fetch(...) at index.ts:6"),
      ],
    );
  });

  it("JavaScript: a field of what axios answers; a URL read in a loop from the page before", () => {
    const a = js(
      jsHandler(
        `const { data } = await axios.post("https://jobs.example.com/start");
await fetch(data.status_url);
let page = "https://feed.example.com/1";
while (page) { const body = await ky.get(page).json(); page = body.next; }`,
        `import axios from "axios";\nimport ky from "ky";`,
      ),
    );
    assert.deepEqual(rows(a), ["jobs.example.com backend", "response backend", "response backend"]);
    assert.deepEqual(notes(a).slice(1), [
      fromResponse("the response to axios.post(...) at index.js:4"),
      'ky get(...): the host is taken from an earlier response (the response to ky.get(page).json(...) at index.js:7): counted as a round trip to a back end (list "response" in the hosts.global or hosts.analytics setting if it is not)',
    ]);
  });

  it("JavaScript: a header parsed by a helper into an object literal, passed to another helper", () => {
    const a = js(
      jsHandler(
        `const probe = await fetch("https://registry.example.com/v2/");
const challenge = parse(probe.headers.get("www-authenticate") ?? "");
await token(challenge);`,
        `function parse(header) { const m = header.match(/realm="([^"]+)"/); return { realm: m ? m[1] : "" }; }
async function token(challenge) { const url = new URL(challenge.realm); url.searchParams.set("scope", "pull"); return fetch(url.toString()); }`,
      ),
    );
    assert.deepEqual(rows(a), ["response backend", "registry.example.com backend"]);
    assert.equal(notes(a)[0], fromResponse("header www-authenticate of the response to fetch(...) at index.js:4"));
    assert.equal(a.roundTrips, 2);
  });
});

describe("host provenance: Request and URL objects", () => {
  it("a `Request` built by a helper in another module from a configured host; dropped fetches are off the path", () => {
    const a = analyse({
      "src/index.ts": `import { lookup, record } from "./requests";
export default { async fetch(request: Request, env: any) {
  const cfg = { host: env.STORE_HOST };
  const found = await fetch(lookup(cfg, "a"));
  fetch(record(cfg));
  const later = record(cfg);
  fetch(later);
  return new Response(found.body);
} };`,
      "src/requests.ts": `function base(host: string) { return new URL(\`https://\${host}/api/\`); }
export function lookup(cfg: { host: string }, id: string): Request { const u = new URL(id, base(cfg.host)); return new Request(u, {}); }
export function record(cfg: { host: string }): Request { const init = { method: "POST" }; return new Request(base(cfg.host).href + "record", init); }`,
    });
    assert.deepEqual(rows(a), ["env.STORE_HOST backend", "env.STORE_HOST backend off-path", "env.STORE_HOST backend off-path"]);
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("a fetch returned or kept is on the path; one written as a statement is not", () => {
    const a = one(
      handler(`fetch("https://a.example.com/log");
const kept = fetch("https://b.example.com/x");
await kept;
return fetch("https://c.example.com/y");`),
    );
    assert.deepEqual(rows(a), ["a.example.com backend off-path", "b.example.com backend", "c.example.com backend"]);
    assert.equal(a.roundTrips, 2);
  });

  it("URL objects: `pathname` set, `href`, `toString()`, a template literal, `new URL(path, base)` from a constant or a secret", () => {
    const a = one(
      handler(
        `const u = new URL(BASE);
u.pathname = "/v2/items";
await fetch(u.toString());
await fetch(new URL("users", BASE).href);
const s = new URL("/stock", env.STOCK_ORIGIN);
s.searchParams.set("q", "x");
await fetch(\`\${s}\`);
const moved = new URL(request.url);
moved.hostname = request.headers.get("x-host")!;
await fetch(moved);`,
        `const BASE = "https://api.catalog.example/";`,
      ),
    );
    assert.deepEqual(rows(a), [
      "api.catalog.example backend",
      "api.catalog.example backend",
      "env.STOCK_ORIGIN backend",
      "request backend",
    ]);
    assert.equal(notes(a)[3], perRequest("header x-host"));
  });

  it("JavaScript: a URL made by a helper from a [vars] base; `new URL(env.X)` not in [vars]", () => {
    const a = js(
      jsHandler(
        `await fetch(make(env.API, "a").toString());
const alerts = new URL(env.ALERTS_URL);
alerts.searchParams.set("city", "x");
await fetch(alerts);`,
        `function make(base, city) { const url = new URL("/forecast", base); url.searchParams.set("city", city); return url; }`,
      ),
    );
    const withVars = analyse(
      {
        "src/index.js": jsHandler(
          `await fetch(make(env.API, "a").toString());
const alerts = new URL(env.ALERTS_URL);
alerts.searchParams.set("city", "x");
await fetch(alerts);`,
          `function make(base, city) { const url = new URL("/forecast", base); url.searchParams.set("city", city); return url; }`,
        ),
      },
      { main: "src/index.js", vars: { API: "https://api.weather.example" } },
    );
    assert.deepEqual(rows(a), ["env.API backend", "env.ALERTS_URL backend"]);
    assert.deepEqual(rows(withVars), ["api.weather.example backend", "env.ALERTS_URL backend"]);
  });

  it('service-worker syntax: a [vars] global is its value; `"" + url.pathname` is a path, dropped among candidates', () => {
    const a = analyse(
      {
        "src/index.js": `const ROUTES = { "a.example.org": "https://upstream.example.com" };
function pick(host) { if (host in ROUTES) return ROUTES[host]; if (MODE === "debug") return FALLBACK; return ""; }
addEventListener("fetch", (event) => event.respondWith(handle(event.request)));
async function handle(request) {
  const url = new URL(request.url);
  const upstream = pick(url.hostname);
  return fetch(new Request(new URL(upstream + url.pathname), request));
}`,
      },
      { main: "src/index.js", vars: { MODE: "production", FALLBACK: "" } },
    );
    assert.deepEqual(rows(a), ["upstream.example.com backend"]);
  });
});

describe("host provenance: unknown stays unknown, naming what hides it", () => {
  it("what a package's call returns; a parameter no call passes (UNKNOWN when nothing is assumed)", () => {
    const source = `import { resolveService } from "@acme/directory";
export async function notify(target: string) { return fetch(target, { method: "POST" }); }
export default { async fetch(request: Request) {
  const billing = resolveService("billing");
  await fetch(\`\${billing}/invoices\`);
  return new Response();
} };`;
    // By default the unresolved host is assumed to be a back end (see assume.test.ts).
    assert.equal(statusOf(one(source)), "INSUFFICIENT_SUBREQUESTS");
    const a = one(source, { assume: "strict" });
    assert.deepEqual(rows(a), ["? unknown off-path", "? unknown"]);
    assert.deepEqual(notes(a), [
      "the URL target cannot be resolved to a host: it is the parameter target of notify, which no call the analysis follows passes",
      'the URL `${billing}/invoices` cannot be resolved to a host: it is what resolveService(...) from "@acme/directory" returns',
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("JavaScript: a host from two configured sources, or partly configured, has no provenance", () => {
    const a = js(
      jsHandler(`const base = request.method === "POST" ? env.A : env.B;
await fetch(\`\${base}/x\`);
await fetch(\`https://\${env.SUB}.example.com/y\`);
const host = env.REGION + ".api.example.com";
await fetch(\`https://\${host}/z\`);`),
    );
    assert.deepEqual(rows(a), ["? unknown", "? unknown", "? unknown"]);
    assert.deepEqual(notes(a), [
      "the URL `${base}/x` cannot be resolved to a host",
      "the URL `https://${env.SUB}.example.com/y` cannot be resolved to a host",
      "the URL `https://${host}/z` cannot be resolved to a host",
    ]);
  });
});
