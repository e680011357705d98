import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { predict } from "../../server/src/core/predict/predict";
import { analyse, one, statusOf, criticalTargets as targets, fetchHandler as handler } from "./helpers/analyse";

// These tests are about what stays unknown: they predict with nothing assumed (see assume.test.ts for the default).
const strictOne = (source: string, options: Parameters<typeof one>[1] = {}) => one(source, { ...options, assume: "strict" });

describe("URLs chosen at run time among known hosts", () => {
  it("a ternary on a value not in [vars]: one of two hosts, counted once with both listed", () => {
    const a = one(
      handler(`const base = env.STAGE === "prod" ? "https://api.a.com" : "https://api-staging.a.com"; await fetch(base + "/x");`),
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(targets(a), ["api.a.com api.a.com:backend api-staging.a.com:backend"]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("a ternary whose branches agree on the host is that host, without candidates", () => {
    const a = one(handler(`const u = request.method === "GET" ? "https://db.x.com/r" : "https://db.x.com/w"; await fetch(u);`));
    assert.deepEqual(targets(a), ["db.x.com"]);
  });

  it("a comparison of a [vars] entry decides the branch", () => {
    const source = handler(
      `const base = env.STAGE === "prod" ? "https://api.a.com" : "https://api-staging.a.com"; await fetch(\`\${base}/x\`);`,
    );
    assert.deepEqual(targets(one(source, { vars: { STAGE: "prod" } })), ["api.a.com"]);
    assert.deepEqual(targets(one(source, { vars: { STAGE: "dev" } })), ["api-staging.a.com"]);
    const negated = handler(`await fetch(env.STAGE !== "prod" ? "https://api-staging.a.com" : "https://api.a.com");`);
    assert.deepEqual(targets(one(negated, { vars: { STAGE: "prod" } })), ["api.a.com"]);
  });

  it("a `let` assigned in if/else, in a switch, and with `??=`: every value it is given", () => {
    const a = one(
      handler(`let url; if (request.method === "POST") url = "https://w.x.com/a"; else url = "https://r.x.com/b"; await fetch(url);
let other = ""; switch (request.method) { case "GET": other = "https://s1.x.com"; break; default: other = "https://s2.x.com"; } await fetch(other);
let lazy: string | undefined; lazy ??= "https://lazy.x.com"; await fetch(lazy);`),
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(targets(a), ["w.x.com w.x.com:backend r.x.com:backend", "s1.x.com s1.x.com:backend s2.x.com:backend", "lazy.x.com"]);
  });

  it("a `let` one of whose values is unknown stays unknown, never a guess", () => {
    const a = strictOne(
      handler(
        `let url = "https://a.x.com"; if (request.headers.has("t")) url = lookup(request); await fetch(url);`,
        `import { lookup } from "directory";`,
      ),
    );
    assert.deepEqual(targets(a), ["?"]);
    assert.equal(a.subrequests[0]!.category, "unknown");
    assert.equal(a.possibleRoundTrips, 1);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("`+=` keeps the host and makes the rest of the URL unknown", () => {
    const a = one(handler(`let url = "https://a.x.com/items"; url += "?page=" + request.url; await fetch(url);`));
    assert.deepEqual(targets(a), ["a.x.com"]);
    const unknownStart = one(handler(`let url = "https://"; url += request.headers.get("h"); await fetch(url);`));
    assert.deepEqual(targets(unknownStart), ["?"]);
  });

  it("constant tables: a key known at run time gives every entry; a property gives its own", () => {
    const a = one(
      handler(
        `const region = request.headers.get("r") as "us" | "eu";
await fetch(HOSTS[region] + "/v1");
await fetch(API.users);
const { search } = SETTINGS[request.headers.has("d") ? "dev" : "prod"];
await fetch(search);
const cfg = SETTINGS[region as "dev"];
await fetch(cfg.search + "/q");`,
        `const HOSTS = { us: "https://us.x.com", eu: "https://eu.x.com" } as const;
const BASE = "https://core.x.com";
const API = { users: \`\${BASE}/users\`, orders: \`\${BASE}/orders\` };
const SETTINGS = { dev: { search: "https://s-dev.x.com" }, prod: { search: "https://s.x.com" } };`,
      ),
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(targets(a), [
      "us.x.com us.x.com:backend eu.x.com:backend",
      "core.x.com",
      "s-dev.x.com s-dev.x.com:backend s.x.com:backend",
      "s-dev.x.com s-dev.x.com:backend s.x.com:backend",
    ]);
  });

  it("a property of a table's entry read in place: every entry's for a run-time key, the named entry's for a known one", () => {
    const a = one(
      handler(
        `const region = request.headers.get("r");
await fetch(SETTINGS[region].search);
await fetch(\`\${SETTINGS[region]?.search}/q\`);
await fetch(SETTINGS["prod"].search);
await fetch(SETTINGS[DEV].search + "/q");`,
        `const DEV = "dev";
const SETTINGS = { dev: { search: "https://s-dev.x.com" }, prod: { search: "https://s.x.com" } };`,
      ),
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(targets(a), [
      "s-dev.x.com s-dev.x.com:backend s.x.com:backend",
      "s-dev.x.com s-dev.x.com:backend s.x.com:backend",
      "s.x.com",
      "s-dev.x.com",
    ]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a constant list of URLs: an element by its index, any element for a run-time index; a list with a spread or a `let` is not read", () => {
    const a = one(
      handler(
        `const i = Number(request.headers.get("i"));
await fetch(MIRRORS[1]);
await fetch(MIRRORS[i] + "/v1");
await fetch(MORE[0]);
await fetch(OPEN[0]);`,
        `const MIRRORS = ["https://m1.x.com", "https://m2.x.com"] as const;
const MORE = [...MIRRORS, "https://m3.x.com"];
let OPEN = ["https://o.x.com"];`,
      ),
    );
    assert.deepEqual(targets(a), ["m2.x.com", "m1.x.com m1.x.com:backend m2.x.com:backend", "?", "?"]);
  });

  it("what project functions return, with their parameters bound to the call's arguments", () => {
    const a = strictOne(
      handler(
        `await fetch(apiUrl("/me"));
await fetch(originFor(request.headers.get("k") ?? ""));
await fetch(join("https://given.x.com", "/p"));
await fetch(pick(true));`,
        `const BASE = "https://api.x.com";
function apiUrl(path: string) { return \`\${BASE}\${path}\`; }
function originFor(kind: string): string { switch (kind) { case "img": return "https://img.x.com"; default: return "https://files.x.com"; } }
const join = (base: string, path: string) => base + path;
function pick(flag: boolean) { if (flag) return "https://p1.x.com"; return undefined; }`,
      ),
    );
    assert.deepEqual(targets(a), ["api.x.com", "img.x.com img.x.com:backend files.x.com:backend", "given.x.com", "?"]);
    assert.equal(a.roundTrips, 3);
  });

  it("new URL(path, base) with searchParams.set keeps the base's host", () => {
    const a = one(
      handler(
        `const u = new URL("/search", BASE); u.searchParams.set("q", "x"); await fetch(u); await fetch(u.toString());`,
        `const BASE = "https://api.x.com";`,
      ),
    );
    assert.deepEqual(targets(a), ["api.x.com", "api.x.com"]);
    assert.equal(a.roundTrips, 2);
  });

  it("a back end or a global host depending on a setting: counted as the back end, and the reasons say so", () => {
    const a = one(
      handler(
        `const origin = env.MODE === "static" ? "https://docs.pages.dev" : "https://docs-api.example.com"; await fetch(origin); await fetch("https://auth.example.com");`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["docs-api.example.com docs.pages.dev:global docs-api.example.com:backend", "auth.example.com"]);
    const prediction = predict(a, { targeted: false, d1Bindings: [] });
    assert.equal(prediction.status, "SUCCESS");
    assert.ok(
      prediction.reasons.includes(
        "the URL is one of docs.pages.dev (globally distributed), docs-api.example.com (a back end), chosen at run time: counted as docs-api.example.com, the worst case",
      ),
      prediction.reasons.join("\n"),
    );
  });

  it("only global hosts among the candidates: globally distributed, not counted", () => {
    const a = one(handler(`await fetch(request.method === "GET" ? "https://a.pages.dev/x" : "https://b.pages.dev/y");`));
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(targets(a), ["a.pages.dev a.pages.dev:global b.pages.dev:global"]);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a class field given one of two hosts in the constructor; a module `let` assigned from [vars] in the handler", () => {
    const a = one(
      handler(
        `BASE = env.API_URL; await new Api(env).get("/x"); await fetch(\`\${BASE}/y\`);`,
        `let BASE: string;
class Api { private base: string; constructor(env: any) { this.base = env.EU ? "https://eu.api.x.com" : "https://us.api.x.com"; } get(p: string) { return fetch(this.base + p); } }`,
      ),
      { vars: { API_URL: "https://vars.x.com" } },
    );
    assert.deepEqual(targets(a), ["eu.api.x.com eu.api.x.com:backend us.api.x.com:backend", "vars.x.com"]);
    assert.equal(a.roundTrips, 2);
  });

  it('`this.base` in an object literal\'s method, `[...].join("/")` and `concat`', () => {
    const a = one(
      handler(
        `await fetch(api.url("/x")); await fetch(["https://join.x.com", "v1", request.url].join("/")); await fetch("https://cat.x.com".concat("/a", request.url));`,
        `const api = { base: "https://obj.x.com", url(p: string) { return this.base + p; } };`,
      ),
    );
    assert.deepEqual(targets(a), ["obj.x.com", "join.x.com", "cat.x.com"]);
    assert.equal(a.roundTrips, 3);
    const spread = one(handler(`const parts = ["v1"]; await fetch([...parts, "https://x.com"].join("/"));`));
    assert.deepEqual(targets(spread), ["?"]);
  });

  it("[vars] entries destructured from the environment: a variable, a typed parameter, a parameter given env", () => {
    const a = one(
      handler(
        `const { API_URL } = env; await fetch(\`\${API_URL}/a\`); await typed(request, env); await untyped(env); const { API_URL: renamed } = ctx.env; await fetch(renamed);`,
        `async function typed(r: Request, { API_URL }: Env) { return fetch(API_URL + "/b"); }
async function untyped({ API_URL }: any) { return fetch(API_URL + "/c"); }`,
      ),
      { vars: { API_URL: "https://vars.x.com" } },
    );
    assert.deepEqual(targets(a), ["vars.x.com", "vars.x.com", "vars.x.com", "vars.x.com"]);
    assert.equal(a.roundTrips, 4);
    // Not in [vars]: a secret, counted as the app's own back end named after it (configured hosts).
    const secret = one(handler(`const { API_URL } = env; await fetch(API_URL);`));
    assert.deepEqual(targets(secret), ["env.API_URL"]);
    const notEnv = one(handler(`const { API_URL } = await request.json() as any; await fetch(API_URL);`), {
      vars: { API_URL: "https://vars.x.com" },
    });
    // A body field is chosen per request (provenance.ts), whatever [vars] holds under that name.
    assert.deepEqual(targets(notEnv), ["request"]);
  });

  it("values defined through themselves are not followed round again (no blow-up): unknown", () => {
    const assigns = Array.from({ length: 12 }, (_, i) => `u = u + "/${i}";`).join(" ");
    const a = one(handler(`let u = "https://a.x.com"; ${assigns} await fetch(u);`));
    assert.deepEqual(targets(a), ["?"]);
    const returns = Array.from({ length: 12 }, (_, i) => `if (n === ${i}) return f(n + 1) + "/${i}";`).join(" ");
    const b = one(handler(`await fetch(f(0));`, `function f(n: number): string { ${returns} return "https://b.x.com"; }`));
    assert.deepEqual(targets(b), ["?"]);
    const c = one(
      handler(
        `await new C().go();`,
        `class C { base = "https://c.x.com"; grow() { ${Array.from({ length: 12 }, () => "this.base = this.base + '/x';").join(" ")} } go() { return fetch(this.base); } }`,
      ),
    );
    assert.deepEqual(targets(c), ["?"]);
  });

  it("more candidates than the bound is unknown, never 0", () => {
    const c = (n: number) => `(request.method === "${n}" ? "https://a${n}.x.com" : "https://b${n}.x.com")`;
    const a = one(handler(`await fetch(${c(1)} + ${c(2)} + ${c(3)} + ${c(4)});`));
    assert.deepEqual(targets(a), ["?"]);
    assert.equal(a.possibleRoundTrips, 1);
  });
});

describe("loops and concurrency", () => {
  const fetches = (n: number, host = "db.x.com") => Array.from({ length: n }, (_, i) => `await fetch("https://${host}/${i}");`).join(" ");

  it("forEach(async ...) is not waited for: its calls are listed, off the response path", () => {
    const a = one(handler(`[1, 2].forEach(async (i) => { ${fetches(2)} }); await fetch("https://other.x.com");`));
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath, s.waitUntil]),
      [
        ["db.x.com", false, false],
        ["db.x.com", false, false],
        ["other.x.com", true, false],
      ],
    );
  });

  it("map(async ...) whose promises are dropped is like forEach: off the response path", () => {
    const a = one(handler(`[1, 2].map(async (i) => { ${fetches(2)} }); await fetch("https://other.x.com");`));
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath]),
      [
        ["db.x.com", false],
        ["db.x.com", false],
        ["other.x.com", true],
      ],
    );
  });

  it("await Promise.all(map(async ...)) is one wave as deep as the callback", () => {
    assert.equal(one(handler(`await Promise.all([1, 2].map(async (i) => { ${fetches(2)} }));`)).roundTrips, 2);
    assert.equal(one(handler(`await Promise.all([1, 2].map(async (i) => { ${fetches(3)} }));`)).roundTrips, 3);
    assert.equal(one(handler(`await Promise.allSettled([1, 2].map(async (i) => { ${fetches(2)} }));`)).roundTrips, 2);
    assert.equal(one(handler(`await Promise.allSettled([1, 2].map((i) => fetch("https://db.x.com/" + i)));`)).roundTrips, 1);
    const held = one(handler(`const jobs = [1, 2].map(async (i) => { ${fetches(2)} }); await Promise.all(jobs);`));
    assert.equal(held.roundTrips, 2);
  });

  it("for...of with an await inside is a loop: two (over a literal list: once per element)", () => {
    assert.equal(one(handler(`for (const i of request.url.split("/")) { await fetch("https://db.x.com/" + i); }`)).roundTrips, 2);
    assert.equal(one(handler(`for (const i of request.url.split("/")) { ${fetches(2)} }`)).roundTrips, 4);
    assert.equal(one(handler(`for (const i of [1, 2, 3]) { await fetch("https://db.x.com/" + i); }`)).roundTrips, 3);
    assert.equal(one(handler(`for (const i of [1, 2]) { ${fetches(2)} }`)).roundTrips, 4);
    assert.equal(one(handler(`let i = 0; while (i++ < 3) { const r = await fetch("https://db.x.com"); }`)).roundTrips, 2);
  });

  it("a loop that waits for nothing starts its calls together: one", () => {
    const a = one(handler(`const p = []; for (const i of [1, 2, 3]) p.push(fetch("https://db.x.com/" + i)); await Promise.all(p);`));
    assert.equal(a.roundTrips, 1);
    assert.equal(a.criticalSteps[0]!.note, "started in a loop that waits for nothing: the iterations overlap");
    assert.equal(
      one(handler(`const p = []; [1, 2].forEach((i) => p.push(fetch("https://db.x.com/" + i))); await Promise.all(p);`)).roundTrips,
      1,
    );
    // A promise chain carried from one iteration to the next is sequential.
    assert.equal(
      one(
        handler(
          `let chain = Promise.resolve(); for (const i of [1, 2]) chain = chain.then(() => fetch("https://db.x.com/" + i)); await chain;`,
        ),
      ).roundTrips,
      2,
    );
  });

  it("a project helper that awaits its callback in a loop (asyncForEach) runs it as a loop; one that calls it once, once", () => {
    const helpers = `async function asyncForEach<T>(items: T[], cb: (item: T) => Promise<void>) { for (let i = 0; i < items.length; i++) await cb(items[i]!); }
async function startAll<T>(items: T[], cb: (item: T) => Promise<void>) { for (const item of items) void cb(item); }
async function once(cb: () => Promise<void>) { await cb(); }`;
    const run = (call: string) => one(handler(call, helpers)).roundTrips;
    assert.equal(run(`await asyncForEach([1, 2], async (i) => { await fetch("https://db.x.com/" + i); });`), 2);
    assert.equal(run(`await asyncForEach([1, 2], async (i) => { ${fetches(2)} });`), 4);
    assert.equal(run(`await startAll([1, 2], async (i) => { ${fetches(2)} });`), 2);
    assert.equal(run(`await once(async () => { ${fetches(2)} });`), 2);
  });

  it("for await is a loop", () => {
    assert.equal(one(handler(`for await (const r of [1, 2]) { await fetch("https://db.x.com/" + r); }`)).roundTrips, 2);
  });

  it("reduce over an async callback that awaits the previous one is a loop, and no unknown", () => {
    const a = one(
      handler(`await [1, 2, 3].reduce(async (prev, i) => { await prev; await fetch("https://db.x.com/" + i); }, Promise.resolve());`),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
    assert.equal(
      one(handler(`await [1, 2].reduce((p, i) => p.then(() => fetch("https://db.x.com/" + i)), Promise.resolve(new Response()));`))
        .roundTrips,
      2,
    );
    assert.equal(
      one(
        handler(
          `const all = [1, 2].reduce((acc, i) => { acc.push(fetch("https://db.x.com/" + i)); return acc; }, [] as Promise<Response>[]); await Promise.all(all);`,
        ),
      ).roundTrips,
      1,
    );
  });
});

describe("postgres.js clients handed to helpers", () => {
  const head = `import postgres, { type Sql } from "postgres";`;
  const made = `const sql = postgres(env.DATABASE_URL);`;

  it("every call form on a passed client counts: tagged template, unsafe, begin, typed parameters", () => {
    const a = one(
      handler(
        `${made} await byId(sql, "1"); await raw(sql, "select 1"); await tx(sql);`,
        `${head}
async function byId(sql: Sql, id: string) { return sql\`select * from t where id = \${id}\`; }
async function raw(sql: postgres.Sql, q: string) { return sql.unsafe(q); }
async function tx(sql: Sql) { return sql.begin(async (t) => { await t\`insert 1\`; await t\`insert 2\`; }); }`,
      ),
    );
    // begin() is its BEGIN and COMMIT around the two inserts.
    assert.equal(a.roundTrips, 6);
    assert.deepEqual(targets(a), ["postgresql", "postgresql", "postgresql", "postgresql", "postgresql"]);
  });

  it("sql.unsafe on an untyped parameter given the client (JavaScript) counts; the URL's host when known", () => {
    const a = analyse(
      {
        "src/index.js": `import postgres from "postgres";
async function search(sql, q) { return sql.unsafe(q); }
export default { async fetch(request, env) { const sql = postgres("postgres://u:p@db.example.com:5432/app"); await search(sql, "select 1"); await search(sql, "select 2"); return new Response(); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(targets(a), ["db.example.com"]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a client passed in a context object, or to a class constructor, counts like the client", () => {
    const a = one(
      handler(
        `${made} await viaDeps({ sql }); await new Repo(sql).list(); await new Audit({ sql }).write();`,
        `${head}
async function viaDeps(deps: { sql: Sql }) { return deps.sql\`select 1\`; }
class Repo { constructor(private db: Sql) {} list() { return this.db.unsafe("select 2"); } }
class Audit { constructor(private readonly deps: { sql: Sql }) {} write() { return this.deps.sql.unsafe("insert"); } }`,
      ),
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(targets(a), ["postgresql", "postgresql", "postgresql"]);
  });

  it("a parameter typed as a postgres.js client counts even where no call passing it was met", () => {
    const a = one(
      handler(
        `await getClient().then(run);`,
        `${head}
declare function getClient(): Promise<Sql>;
async function run(sql: Sql) { await sql\`select 1\`; await sql.unsafe("select 2"); }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a query with type arguments (sql<Row[]>`...`) on a parameter typed with a project alias, given the client", () => {
    const a = one(
      handler(
        `${made} await rows(sql);`,
        `${head}
type Db = postgres.Sql;
const rows = async (sql: Db) => { await sql<{ id: string }[]>\`select id from t\`; await sql.unsafe("select 1"); };`,
      ),
    );
    assert.equal(a.roundTrips, 2);
  });

  it("sql.unsafe(...) inside a query is a fragment of it, not a round trip of its own; inside another tag it is a query", () => {
    const a = one(
      handler(
        `${made} await sql\`select \${sql.unsafe("a")} from t\`; await q(sql, "b");`,
        `${head}
async function q(sql: Sql, col: string) { return sql\`select \${sql.unsafe(col)} from t\`; }`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.equal(a.subrequests.length, 2);
    const other = one(
      handler(
        `${made} const page = html\`<p>\${await sql.unsafe("select 1")}</p>\`;`,
        `${head}
declare function html(s: TemplateStringsArray, ...v: unknown[]): string;`,
      ),
    );
    assert.equal(other.roundTrips, 1);
  });

  it("method calls on other parameters are not queries", () => {
    const a = one(handler(`await helper(request);`, `async function helper(r: Request) { await r.json(); await r.text(); }`));
    assert.equal(a.subrequests.length, 0);
  });
});
