import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one, statusOf } from "./helpers/analyse";

const handler = (body: string, env = "any"): string =>
  `export default { async fetch(request: Request, env: ${env}, ctx: any) {\n${body}\nreturn new Response("ok");\n} };`;
const trips = (a: ReturnType<typeof one>): Array<[string | null, string]> => a.subrequests.map((s) => [s.target, s.category]);

describe("hosts taken from configuration (a variable or secret not in [vars])", () => {
  it("`${env.API_BASE}/x`, `https://${env.HOST}/x`, `env.API + path`, `new URL(path, env.ORIGIN)`: a back end named after its source", () => {
    const a = one(
      handler(`await fetch(\`\${env.API_BASE}/users\`);
await fetch(\`https://\${env.MAIL_HOST}/send\`);
await fetch(env.HOOKS + "/n");
await fetch(new URL("/data", env.ORIGIN));
await fetch(new Request(\`\${c.env.RPC}/call\`));`).replace(
        "await fetch(new Request(`${c.env.RPC}/call`));",
        "const c = { env }; await fetch(new Request(`${c.env.RPC}/call`));",
      ),
    );
    assert.deepEqual(trips(a), [
      ["env.API_BASE", "backend"],
      ["env.MAIL_HOST", "backend"],
      ["env.HOOKS", "backend"],
      ["env.ORIGIN", "backend"],
      ["env.RPC", "backend"],
    ]);
    assert.equal(a.roundTrips, 5);
    assert.equal(a.unknowns.length, 0);
    assert.match(
      a.subrequests[0]!.note!,
      /the host comes from env\.API_BASE, a variable or secret not in \[vars\]: assumed to be the app's own back end/,
    );
  });

  it("through a constant, a destructured name, a `||` fallback, a class field set in the constructor, a helper's parameter", () => {
    const a = one(`class Mailer {
  private endpoint: string;
  constructor(env: any) { this.endpoint = env.MAIL_HOST || ""; }
  send() { return fetch(\`https://\${this.endpoint}/send\`); }
}
async function call(base: string) { return fetch(\`\${base}/v1/run\`); }
${handler(`const api = env.API_BASE ?? "https://fallback.example.com";
await fetch(\`\${api}/me\`);
const { SEARCH_URL } = env;
await fetch(SEARCH_URL);
await new Mailer(env).send();
await call(env.JOBS_URL);`)}`);
    assert.deepEqual(trips(a), [
      ["env.MAIL_HOST", "backend"],
      ["env.JOBS_URL", "backend"],
      ["env.API_BASE", "backend"],
      ["env.SEARCH_URL", "backend"],
    ]);
    assert.equal(a.roundTrips, 4);
  });

  it("a URL the Worker keeps in KV (a value, JSON, or a field of a JSON config) is named after its key", () => {
    const a = one(
      handler(`const endpoint = await env.CONFIG.get("endpoint");
await fetch(\`\${endpoint}/x\`);
const app = await env.CONFIG.get("app", "json");
await fetch(app.apiUrl);
const raw = JSON.parse(await env.CONFIG.get("raw"));
await fetch(\`https://\${raw.host}/y\`);
const mine = { url: request.url };
await fetch(mine.url);`),
      { bindings: { kv: ["CONFIG"] } },
    );
    assert.deepEqual(trips(a), [
      ["CONFIG", "binding"],
      ["kv:CONFIG/endpoint", "backend"],
      ["CONFIG", "binding"],
      ["kv:CONFIG/app", "backend"],
      ["CONFIG", "binding"],
      ["kv:CONFIG/raw", "backend"],
      // The incoming request's own URL: the origin server (provenance.ts).
      ["origin", "backend"],
    ]);
    assert.match(a.subrequests[1]!.note!, /a value the Worker keeps in KV: assumed to be the app's own back end/);
  });

  it("a host only partly from configuration, or from two sources, stays unknown (a back end only by assumption)", () => {
    const source = handler(`await fetch(\`https://\${env.SUB}.example.com/x\`);
const base = request.url.length > 10 ? env.A : env.B;
await fetch(\`\${base}/x\`);`);
    // By default such hosts are assumed to be back ends: the calls stay unknown, the count has them.
    assert.equal(statusOf(one(source)), "SUCCESS");
    const a = one(source, { assume: "strict" });
    assert.deepEqual(trips(a), [
      [null, "unknown"],
      [null, "unknown"],
    ]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a host chosen per request is `request`, also when part of it is configured (`https://${tenant}.${env.SUFFIX}`)", () => {
    const a = one(
      handler(`const tenant = request.headers.get("x-tenant");
await fetch(\`https://\${tenant}.\${env.SUFFIX}/x\`);
await fetch(request.headers.get("x-target") ?? "");`),
    );
    assert.deepEqual(trips(a), [
      ["request", "backend"],
      ["request", "backend"],
    ]);
    assert.equal(
      a.subrequests[0]!.note,
      'fetch: the host is chosen per request (header x-tenant): counted as a round trip to a back end (list "request" in the hosts.global or hosts.analytics setting if it is not)',
    );
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a variable that [vars] defines resolves to its host, and a binding is never a configured host", () => {
    const a = one(handler(`await fetch(\`\${env.API_BASE}/x\`);\nawait fetch(\`\${env.KV}/x\`);`), {
      vars: { API_BASE: "https://api.example.com" },
      bindings: { kv: ["KV"] },
    });
    assert.deepEqual(trips(a), [
      ["api.example.com", "backend"],
      [null, "unknown"],
    ]);
  });

  it("the hosts settings name a configured host (`env.X` or `X`) global, analytics or a back end", () => {
    const a = one(handler(`await fetch(\`\${env.CDN_BASE}/a\`);\nawait fetch(\`\${env.LOGS}/b\`);\nawait fetch(\`\${env.API}/c\`);`), {
      hostCategories: { global: ["env.CDN_BASE"], analytics: ["LOGS"] },
    });
    assert.deepEqual(trips(a), [
      ["env.CDN_BASE", "global"],
      ["env.LOGS", "analytics"],
      ["env.API", "backend"],
    ]);
    assert.equal(a.roundTrips, 1);
  });

  it("an HTTP client whose base URL is configured is a configured host too", () => {
    const a = one(
      `import ky from "ky";\n${handler(`const api = ky.create({ prefixUrl: env.API_BASE });\nawait api.get("me");\nawait api.post("events");`)}`,
    );
    assert.deepEqual(trips(a), [
      ["env.API_BASE", "backend"],
      ["env.API_BASE", "backend"],
    ]);
  });
});

describe("local work is not a subrequest", () => {
  it("computed calls on console, Math, JSON and crypto.subtle", () => {
    const a = one(
      handler(`const level = request.method === "GET" ? "info" : "warn";
console[level]("x");
const op = "max";
(Math as any)[op](1, 2);
await (crypto.subtle as any)[request.headers.get("alg") ?? "digest"]("SHA-256", new Uint8Array());
await fetch("https://api.example.com/a");`),
    );
    assert.deepEqual(trips(a), [["api.example.com", "backend"]]);
    assert.equal(a.unknowns.length, 0);
  });

  it("a shadowed console is not the global: its methods are read", () => {
    const a = one(
      `const console = { async info() { await fetch("https://logs-db.example.com/x"); } } as any;\n${handler(`await console[request.method]("x");`)}`,
    );
    assert.deepEqual(trips(a), [["logs-db.example.com", "backend"]]);
  });

  it("a function a package made, given only plain data, does its work in the Worker", () => {
    const a = one(
      `import { makeConverter } from "text-kit";\nconst convert = makeConverter({ from: "a", to: "b" });\n${handler(`const body = (await request.json()) as { text: string };
const q = new URL(request.url).searchParams.get("q") ?? "";
await convert(body.text);
await convert(q.trim(), { strict: true });
await convert(String(42));
await fetch("https://api.example.com/a");`)}`,
    );
    assert.equal(a.unknowns.length, 0, a.unknowns.join("\n"));
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("given the request, a URL, a binding, a client or a callback, or made with one, it stays unknown", () => {
    const cases = [
      `const h = makeHandler({ mode: "x" });\nawait h(request);`,
      `const h = makeHandler({ mode: "x" });\nawait h("https://api.example.com/x");`,
      `const h = makeHandler({ mode: "x" });\nawait h(env.DB);`,
      `const h = makeHandler({ mode: "x" });\nawait h((x: number) => x);`,
      `const h = makeHandler(env.API_KEY);\nawait h("text");`,
      `const h = makeHandler({ db: new Pool() });\nawait h("text");`,
      `const client = makeClient();\nconst h = makeHandler({ mode: "x" });\nawait h(client);`,
    ];
    for (const body of cases) {
      const a = one(`import { makeHandler, makeClient, Pool } from "handler-kit";\n${handler(body)}`, { bindings: { d1: ["DB"] } });
      assert.equal(a.unknowns.length, 1, body);
      assert.match(
        a.unknowns[0]!,
        /handles the request in code the analyser does not read|whose subrequests the analyser cannot see/,
        body,
      );
    }
  });

  it("a package-made function given a parameter named like a client stays unknown", () => {
    const a = analyse(
      {
        "src/index.ts": `import { makeRunner } from "runner-kit";\nconst run = makeRunner({ retries: 1 });\nasync function go(db: unknown) { return run(db); }\n${handler(`await go(env.DB);`)}`,
      },
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.unknowns.length, 1);
  });
});
