import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one } from "./helpers/analyse";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { MAX_LITERAL_ITERATIONS } from "../../server/src/core/worker/flow";

/**
 * Exact round-trip counts on the worst path, for shapes where hand-judged real Workers showed the
 * count too high or too low: calls started without waiting, loops in loops, a batch's prebuilt
 * queries, fields reached through fields. Each in TypeScript and JavaScript where the syntax allows.
 */

const handler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request, env, ctx) {\n${body}\nreturn new Response("ok"); } };`;
const steps = (a: WorkerAnalysis): number[] => a.criticalSteps.filter((s) => s.possible > 0).map((s) => s.backend);

describe("calls started without waiting overlap", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`statements that push un-awaited calls, one behind an if, then Promise.all: one wave (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(`await fetch("https://a.example.com/lookup");
const pending = [];
if (request.headers.has("x-old")) pending.push(fetch("https://a.example.com/drop"));
pending.push(fetch("https://a.example.com/store"));
await Promise.all(pending);`),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(steps(a), [1, 1]);
    });

    it(`the values of an object literal nobody waits for run together: the longest counts (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(
            `const data = { zones: both(), account: fetch("https://a.example.com/account"), plan: fetch("https://a.example.com/plan") };
await Promise.all([data.zones, data.account, data.plan]);`,
            `async function both() { await fetch("https://a.example.com/zones"); return fetch("https://a.example.com/rules"); }`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 2);
    });

    it(`arguments that wait for nothing are started together; an awaited one comes after them (${ext})`, () => {
      const started = analyse(
        {
          [`src/index.${ext}`]: handler(
            `await render(fetch("https://a.example.com/1"), fetch("https://a.example.com/2"));`,
            `async function render(a, b) { const [x, y] = await Promise.all([a, b]); return x.status + y.status; }`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(started.roundTrips, 1);
      const awaited = analyse(
        {
          [`src/index.${ext}`]: handler(
            `await render(await fetch("https://a.example.com/1"), await fetch("https://a.example.com/2"));`,
            `async function render(a, b) { return a.status + b.status; }`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(awaited.roundTrips, 2);
    });
  }

  it("awaited statements stay in order, and a statement that waits ends the calls started before it", () => {
    const a = one(
      handler(`const first = fetch("https://a.example.com/1");
const second = fetch("https://a.example.com/2");
await Promise.all([first, second]);
const third = await fetch("https://a.example.com/3");
const fourth = await fetch("https://a.example.com/4?" + third.status);`),
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(steps(a), [1, 1, 1]);
  });

  it("a statement that may return is not started alongside the next: an early return keeps its own path", () => {
    // The held call overlaps what follows until `await cached`; the HEAD path's two awaits stay in order.
    const a = one(
      handler(`const cached = fetch("https://a.example.com/cache");
if (request.method === "HEAD") {
  const head = await fetch("https://a.example.com/head");
  return fetch("https://a.example.com/head2?" + head.status);
}
await cached;
await fetch("https://a.example.com/after");`),
    );
    // HEAD: cache and head at once, then head2; otherwise cache, then after: two waves either way.
    assert.equal(a.roundTrips, 2);
  });

  it("a call started and held overlaps the statements after it until one uses it", () => {
    const a = one(
      handler(`const cached = fetch("https://a.example.com/cache");
if (request.method === "HEAD") return fetch("https://a.example.com/head");
await fetch("https://a.example.com/after");
await cached;`),
    );
    assert.equal(a.roundTrips, 1);
  });

  it("a then-chain started without waiting keeps its own order inside the wave", () => {
    const a = one(
      handler(`const chained = fetch("https://a.example.com/1").then((r) => fetch("https://a.example.com/2?" + r.status));
const other = fetch("https://a.example.com/3");
await Promise.all([chained, other]);`),
    );
    assert.equal(a.roundTrips, 2);
  });
});

describe("loops", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`a loop inside a loop counts twice, not four times (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(`for (const feed of request.url.split("/")) {
  for (let page = 1; page < Number(feed); page++) await fetch("https://a.example.com/" + feed + "/" + page);
}`),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(steps(a), [2]);
    });

    it(`an inner loop of a literal bound counts its iterations once, not again per outer iteration (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(`for (const feed of [1, 2]) {
  for (let page = 1; page < 4; page++) await fetch("https://a.example.com/" + feed + "/" + page);
}`),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 3);
      assert.deepEqual(steps(a), [3]);
    });
  }

  it("a loop around a helper that loops: the helper's loop is not doubled again, the rest of its body is", () => {
    const a = one(
      handler(
        `for (const id of request.url.split("/")) await sync(id);`,
        `async function sync(id: string) {
  await fetch("https://a.example.com/meta/" + id);
  for (const page of id.split(",")) await fetch("https://a.example.com/page/" + page);
}`,
      ),
    );
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(steps(a), [2, 2]);
  });

  it("a loop after a loop: each counts twice", () => {
    const a = one(
      handler(`for (const x of [1, 2]) await fetch("https://a.example.com/x" + x);
for (const y of [1, 2]) await fetch("https://a.example.com/y" + y);`),
    );
    assert.equal(a.roundTrips, 4);
  });
});

describe("loops over a literal list", () => {
  const notes = (a: WorkerAnalysis): Array<string | undefined> => a.criticalSteps.filter((s) => s.possible > 0).map((s) => s.note);
  for (const ext of ["ts", "js"] as const) {
    const run = (body: string, head = "") => analyse({ [`src/index.${ext}`]: handler(body, head) }, { main: `src/index.${ext}` });

    it(`an array literal of three: three round trips (${ext})`, () => {
      const a = run(`for (const u of ["https://a.example.com/1", "https://b.example.com/2", "https://c.example.com/3"]) await fetch(u);`);
      assert.equal(a.roundTrips, 3);
      assert.deepEqual(steps(a), [3]);
      assert.deepEqual(notes(a), ["in a loop over 3 items: counts 3 times"]);
    });

    it(`a module-level const list of four, and a local one of seven (${ext})`, () => {
      const head = `const SITES = ["a", "b", "c", "d"];`;
      assert.equal(run(`for (const s of SITES) await fetch("https://" + s + ".example.com/");`, head).roundTrips, 4);
      const local = run(`const targets = [1, 2, 3, 4, 5, 6, 7];\nfor (const t of targets) { await fetch("https://a.example.com/" + t); }`);
      assert.equal(local.roundTrips, 7);
    });

    it(`a literal list's map has the list's length; promises a map started overlap however they are awaited (${ext})`, () => {
      const mapped = run(`for (const p of ["a", "b", "c"].map((s) => s.toUpperCase())) await fetch("https://a.example.com/" + p);`);
      assert.equal(mapped.roundTrips, 3);
      const started = run(`for (const p of ["a", "b", "c"].map(async (s) => fetch("https://a.example.com/" + s))) await p;`);
      assert.equal(started.roundTrips, 1);
    });

    it(`a list that changes, or has a spread, is of unknown length: twice (${ext})`, () => {
      assert.equal(
        run(`const l = ["a", "b", "c"];\nl.push("d");\nfor (const s of l) await fetch("https://a.example.com/" + s);`).roundTrips,
        2,
      );
      assert.equal(
        run(`const more = request.url.split("/");\nfor (const s of ["a", ...more]) await fetch("https://a.example.com/" + s);`).roundTrips,
        2,
      );
    });

    it(`a list longer than ${MAX_LITERAL_ITERATIONS} counts ${MAX_LITERAL_ITERATIONS} times and says so (${ext})`, () => {
      const a = run(`for (const i of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) await fetch("https://a.example.com/" + i);`);
      assert.equal(a.roundTrips, 10);
      assert.deepEqual(notes(a), ["in a loop over 12 items: counts 10 times (at most 10 are counted)"]);
    });

    it(`an empty list runs nothing; a list of one runs once, with no loop note (${ext})`, () => {
      assert.equal(
        run(`for (const i of []) await fetch("https://a.example.com/" + i);\nawait fetch("https://a.example.com/x");`).roundTrips,
        1,
      );
      const single = run(`for (const i of [1]) await fetch("https://a.example.com/" + i);`);
      assert.equal(single.roundTrips, 1);
      assert.deepEqual(notes(single), [undefined]);
    });

    it(`Promise.all over a literal list's map is still one wave; a loop that waits for nothing too (${ext})`, () => {
      assert.equal(run(`await Promise.all(["a", "b", "c"].map(async (s) => fetch("https://a.example.com/" + s)));`).roundTrips, 1);
      assert.equal(
        run(`const ps = ["a", "b", "c"].map(async (s) => fetch("https://a.example.com/" + s));\nfor (const p of ps) await p;`).roundTrips,
        1,
      );
      assert.equal(
        run(`const p = [];\nfor (const s of ["a", "b", "c"]) p.push(fetch("https://a.example.com/" + s));\nawait Promise.all(p);`)
          .roundTrips,
        1,
      );
    });

    it(`nested: a literal list around a loop of unknown length multiplies only its own calls (${ext})`, () => {
      const a = run(`for (const r of ["eu", "us", "ap"]) {
  await fetch("https://" + r + ".example.com/head");
  for (const page of request.url.split("/")) await fetch("https://" + r + ".example.com/" + page);
}`);
      // head ×3, the inner loop's two not multiplied again.
      assert.equal(a.roundTrips, 5);
      assert.deepEqual(steps(a), [3, 2]);
      const inner = run(`for (const id of request.url.split("/")) {
  await fetch("https://a.example.com/" + id);
  for (const r of ["eu", "us", "ap"]) await fetch("https://a.example.com/" + r + id);
}`);
      // the outer loop doubles its own call; the literal inner loop's three stay three.
      assert.equal(inner.roundTrips, 5);
      assert.deepEqual(steps(inner), [2, 3]);
    });

    it(`an index loop bounded by a literal list's length counts once per element, module-level or local (${ext})`, () => {
      const head = `const MIRRORS = ["https://a.example.com/", "https://b.example.com/", "https://c.example.com/"];`;
      const a = run(`for (let i = 0; i < MIRRORS.length; i++) { await fetch(MIRRORS[i]); }`, head);
      assert.equal(a.roundTrips, 3);
      assert.deepEqual(notes(a), ["in a loop over 3 items: counts 3 times"]);
      const local = run(
        `const days = ["mon", "tue", "wed", "thu"];\nfor (let d = 0; days.length > d; ++d) await fetch("https://a.example.com/" + days[d]);`,
      );
      assert.equal(local.roundTrips, 4);
    });

    it(`an index loop bounded by a number: < and <=, steps, a const bound, capped at ${MAX_LITERAL_ITERATIONS} (${ext})`, () => {
      const count = (body: string, head = "") => run(body, head).roundTrips;
      assert.equal(count(`for (let i = 0; i < 3; i++) await fetch("https://a.example.com/" + i);`), 3);
      assert.equal(count(`for (let page = 1; page <= 4; page += 1) await fetch("https://a.example.com/" + page);`), 4);
      assert.equal(count(`for (let i = 0; i < 6; i = i + 2) await fetch("https://a.example.com/" + i);`), 3);
      assert.equal(count(`for (let i = 0; i < PAGES; i++) await fetch("https://a.example.com/" + i);`, `const PAGES = 5;`), 5);
      const many = run(`for (let i = 0; i < 25; i++) await fetch("https://a.example.com/" + i);`);
      assert.equal(many.roundTrips, 10);
      assert.deepEqual(notes(many), ["in a loop over 25 items: counts 10 times (at most 10 are counted)"]);
      assert.equal(
        count(`for (let i = 5; i < 3; i++) await fetch("https://a.example.com/" + i);\nawait fetch("https://a.example.com/x");`),
        1,
      );
    });

    it(`an index loop whose count is not written in the code counts twice (${ext})`, () => {
      const count = (body: string, head = "") => run(body, head).roundTrips;
      // A bound known at run time, a list that changes, a counter changed in the body, a let bound.
      assert.equal(
        count(`const ids = request.url.split("/");\nfor (let i = 0; i < ids.length; i++) await fetch("https://a.example.com/" + ids[i]);`),
        2,
      );
      assert.equal(
        count(`const l = ["a", "b"];\nl.push("c");\nfor (let i = 0; i < l.length; i++) await fetch("https://a.example.com/" + l[i]);`),
        2,
      );
      assert.equal(
        count(`for (let i = 0; i < 3; i++) { const r = await fetch("https://a.example.com/" + i); if (r.status === 429) i--; }`),
        2,
      );
      assert.equal(count(`let n = 3;\nfor (let i = 0; i < n; i++) await fetch("https://a.example.com/" + i);`), 2);
      assert.equal(count(`for (let i = 0; i < 3; i--) await fetch("https://a.example.com/" + i);`), 2);
    });

    it(`a literal loop that returns from inside: the worst of all iterations and of one then the returning one (${ext})`, () => {
      const a = run(`for (const u of ["https://a.example.com/1", "https://a.example.com/2", "https://a.example.com/3"]) {
  const r = await fetch(u);
  if (r.headers.has("x-found")) return r;
}`);
      assert.equal(a.roundTrips, 3);
    });
  }
});

describe("a loop that returns from inside, in a loop", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`its return path (one iteration, then the one that returns) is the inner loop's two: not doubled again (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(
            `for (const id of request.url.split("/")) {
  await waitReady();
  await fetch("https://a.example.com/post/" + id, { method: "POST" });
}`,
            `async function waitReady(tries = 5) {
  for (let i = 0; i < tries; i++) {
    try {
      const r = await fetch("https://a.example.com/health");
      // Polling a state, not retrying a failure (see retries.ts): the loop counts twice.
      if (((await r.json()) as { ready: boolean }).ready) return;
    } catch {}
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("not ready");
}`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      // health twice (the helper's loop), then the POST twice (the outer loop): four, not six.
      assert.equal(a.roundTrips, 4);
      assert.deepEqual(steps(a), [1, 1, 2]);
    });

    it(`a return from inside nested loops does not add an iteration per level (${ext})`, () => {
      const nested = analyse(
        {
          [`src/index.${ext}`]: handler(
            `for (const a of request.url.split("/")) {
  for (const b of a.split(",")) {
    for (const c of b.split(".")) {
      if (c === "stop") return new Response("stopped");
      await fetch("https://a.example.com/" + c);
    }
  }
}`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(nested.roundTrips, 2);
      // An inner loop, then a call only on the returning path: the inner loop's two, then the call.
      const after = analyse(
        {
          [`src/index.${ext}`]: handler(
            `for (const a of request.url.split("/")) {
  for (const b of a.split(",")) await fetch("https://a.example.com/" + b);
  if (a === "last") return fetch("https://b.example.com/" + a);
}`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(after.roundTrips, 3);
      assert.deepEqual(steps(after), [2, 1]);
    });
  }
});

describe("continue and break", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`a retry loop that goes on with continue counts one attempt of its two calls: retries happen only on failure (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(`await fetch("https://a.example.com/file");
for (let attempt = 1; attempt <= 3; attempt++) {
  try {
    const current = await fetch("https://a.example.com/contents");
    const put = await fetch("https://a.example.com/contents", { method: "PUT", body: String(current.status) });
    if (!put.ok) {
      if (attempt < 3) continue;
      throw new Error("conflict");
    }
    return put;
  } catch (error) {
    if (attempt === 3) throw error;
  }
}`),
        },
        { main: `src/index.${ext}` },
      );
      // The file, then one attempt of two calls: the loop goes round again only when the write failed.
      assert.equal(a.roundTrips, 3);
    });
  }

  it("continue skips the rest of the iteration; what follows it is not on that path", () => {
    const a = one(
      handler(`for (const id of ["a", "b"]) {
  if (id === "a") continue;
  await fetch("https://a.example.com/" + id);
}
await fetch("https://a.example.com/done");`),
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(steps(a), [2, 1]);
  });

  it("break leaves the loop: the part of the iteration before it counts once, the loop itself twice", () => {
    const a = one(
      handler(`for (const mirror of ["a", "b"]) {
  const response = await fetch("https://a.example.com/" + mirror);
  if (response.headers.has("x-found")) break;
}`),
    );
    assert.equal(a.roundTrips, 2);
  });

  it("break inside a switch leaves the switch only: the worst case counts, then what follows", () => {
    const a = one(
      handler(`switch (request.method) {
  case "GET":
    await fetch("https://a.example.com/get");
    break;
  case "POST":
    await fetch("https://a.example.com/check");
    await fetch("https://a.example.com/post");
    break;
}
await fetch("https://a.example.com/after");`),
    );
    assert.equal(a.roundTrips, 3);
  });
});

describe("a batch's prebuilt queries", () => {
  const drizzle = (body: string): string =>
    `import { drizzle } from "drizzle-orm/d1";\nconst t = {};\n${handler(`const db = drizzle(env.DB);\n${body}`)}`;

  it("queries built into variables and only sent in db.batch([...]) are the batch's one round trip", () => {
    const a = one(
      drizzle(`await db.select().from(t).limit(1);
const page = db.select().from(t).limit(20);
const total = db.select().from(t);
await db.batch([page, total]);`),
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.criticalPath]),
      [
        ["d1", true],
        ["d1", true],
      ],
    );
  });

  it("a query also awaited on its own still counts where it is sent", () => {
    const a = one(
      drizzle(`const page = db.select().from(t).limit(20);
const total = db.select().from(t);
const rows = await page;
await db.batch([page, total]);`),
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 2);
  });
});

describe("instances reached through fields", () => {
  const endpoints = `export class Hasher { async hash(v) { const r = await fetch("https://auth.example.com/hash", { method: "POST", body: v }); return r.text(); } }
export class Api { constructor() { this.hasher = new Hasher(); } }`;
  for (const ext of ["ts", "js"] as const) {
    it(`a field of a field (this.api.hasher.hash()) and a field the base class sets (${ext})`, () => {
      const a = analyse(
        {
          [`src/endpoints.${ext}`]:
            ext === "ts" ? endpoints.replace("export class Api {", "export class Api {\n  hasher: Hasher;") : endpoints,
          [`src/base.${ext}`]: `import { Api } from "./endpoints";
export default class Base {${ext === "ts" ? "\n  protected api: Api;" : ""}
  constructor() { this.api = new Api(); }
}`,
          [`src/index.${ext}`]: handler(
            `const user = new User();
await user.register("a");`,
            `import Base from "./base";
class User extends Base {
  async register(email) {
    const first = await this.api.hasher.hash(email);
    return this.api.hasher.hash(first);
  }
}`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.subrequests.map((s) => [s.target, s.criticalPath]),
        [["auth.example.com", true]],
      );
    });
  }
});

describe("instances a project factory returns", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`a method called on what a factory returns (through a cache and a switch) is followed (${ext})`, () => {
      const a = analyse(
        {
          [`src/gateway.${ext}`]: `export class Card { async hold() { const r = await fetch("https://pay.example.com/holds", { method: "POST" }); return r.json(); } }
export class Fake { async hold() { return {}; } }
const made = new Map();
export function gatewayFor(kind${ext === "ts" ? ": string" : ""}) {
  const known = made.get(kind);
  if (known) return known;
  let gateway;
  switch (kind) { case "card": gateway = new Card(); break; default: gateway = new Fake(); }
  made.set(kind, gateway);
  return gateway;
}
export const defaultGateway = () => gatewayFor("card");`,
          [`src/index.${ext}`]: handler(
            `const order = await fetch("https://orders.example.com/1");
const gateway = defaultGateway();
await gateway.hold();`,
            `import { defaultGateway } from "./gateway";`,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(
        a.subrequests.filter((s) => s.criticalPath).map((s) => s.target),
        ["pay.example.com", "orders.example.com"],
      );
    });
  }

  it("a method bound to itself in the constructor does not send the analysis round in circles", () => {
    const a = one(
      handler(
        `await new Client().load();`,
        `class Client {
  constructor() { this.get = this.get.bind(this); this.load = this.load.bind(this); }
  async get(path: string) { return fetch("https://a.example.com" + path); }
  async load() { await this.get("/a"); return this.get("/b"); }
}`,
      ),
    );
    assert.equal(a.roundTrips, 2);
  });
});

describe("work that runs once per isolate", () => {
  const ensure = `let ready = false;
async function ensure() {
  if (ready) return;
  await fetch("https://db.example.com/create");
  await fetch("https://db.example.com/index");
  ready = true;
}
async function list() { await ensure(); return fetch("https://db.example.com/list"); }
async function get() { await ensure(); return fetch("https://db.example.com/get"); }`;

  for (const ext of ["ts", "js"] as const) {
    it(`a function behind its own module-level flag counts once on a path, where it first runs (${ext})`, () => {
      const a = analyse({ [`src/index.${ext}`]: handler(`await list();\nawait get();`, ensure) }, { main: `src/index.${ext}` });
      assert.equal(a.roundTrips, 4);
      assert.deepEqual(steps(a), [1, 1, 1, 1]);
    });
  }

  it("on alternative paths each runs it", () => {
    const a = one(handler(`if (request.method === "GET") await list();\nelse await get();`, ensure));
    assert.equal(a.roundTrips, 3);
  });

  it("in a loop it is not doubled; the rest of the loop is", () => {
    const a = one(handler(`for (const id of ["a", "b"]) await list();`, ensure));
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(steps(a), [1, 1, 2]);
  });

  it("a block that sets the module-level value it tests for unset (`if (!db) { db = ...; await ... }`) runs once", () => {
    const a = one(
      handler(
        `await connect();\nawait connect();\nawait fetch("https://db.example.com/query");`,
        `let db: object | undefined;
async function connect() {
  if (!db) {
    db = {};
    await fetch("https://db.example.com/connect");
    await fetch("https://db.example.com/migrate");
  }
}`,
      ),
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(steps(a), [1, 1, 1]);
  });

  it("a flag on globalThis counts too; a local flag or one the function does not set does not", () => {
    const global = one(
      handler(
        `await init();\nawait init();`,
        `async function init() { if (!globalThis.__READY__) { await fetch("https://db.example.com/init"); globalThis.__READY__ = true; } }`,
      ),
    );
    assert.equal(global.roundTrips, 1);
    const notSet = one(
      handler(
        `await f();\nawait f();`,
        `const disabled = false;\nasync function f() { if (disabled) return; await fetch("https://db.example.com/a"); }`,
      ),
    );
    assert.equal(notSet.roundTrips, 2);
    const local = one(
      handler(
        `await f();\nawait f();`,
        `async function f() { let done = false; if (done) return; await fetch("https://db.example.com/a"); done = true; }`,
      ),
    );
    assert.equal(local.roundTrips, 2);
  });
});

describe("short-circuit chains of helpers that answer only their own requests", () => {
  // Each helper gives null unless it owns the request, and returns a response after its fetch when it does.
  const owners = (typed: boolean): string => {
    const t = (s: string): string => (typed ? s : "");
    return `
function legacy(req${t(": Request")})${t(": Response | null")} { return req.url.endsWith("/old") ? Response.redirect("https://a.example.com/new", 301) : null; }
async function api(req${t(": Request")}) { if (!req.url.includes("/api/")) return null; return fetch("https://api.example.com/v1"); }
async function status(req${t(": Request")}) { if (!req.url.includes("status.")) return null; const res = await fetch("https://status.example.com/now"); return res; }
async function lookup(req${t(": Request")}) { const hit = await fetch("https://cache.example.com/get"); if (!hit.ok) return null; return new Response(hit.body); }
async function later(req${t(": Request")}) { let res = await fetch("https://b.example.com/x"); return res; }
async function routed(req${t(": Request")}) { return req.url.includes("/r/") ? forward(req) : null; }
async function forward(req${t(": Request")}) { const res = await fetch("https://r.example.com/x"); return new Response(res.body); }`;
  };
  for (const ext of ["ts", "js"] as const) {
    const run = (body: string): number =>
      analyse({ [`src/index.${ext}`]: handler(body, owners(ext === "ts")) }, { main: `src/index.${ext}` }).roundTrips ?? -1;

    it(`a || chain counts the worst operand after the others' paths that give nothing, not their sum (${ext})`, () => {
      assert.equal(run(`return legacy(request) || (await api(request)) || (await status(request)) || (await fetch(request));`), 1);
    });
    it(`a helper that returns cond ? forward(req) : null gives nothing only without the forward's round trip (${ext})`, () => {
      assert.equal(run(`return (await routed(request)) || (await api(request)) || (await fetch(request));`), 1);
    });
    it(`a ?? chain is read the same way (${ext})`, () => {
      assert.equal(run(`return (await api(request)) ?? (await status(request)) ?? (await fetch(request));`), 1);
    });
    it(`a helper whose round trip comes before it gives nothing still chains: lookup then origin (${ext})`, () => {
      assert.equal(run(`return (await lookup(request)) || (await fetch(request));`), 2);
      assert.equal(run(`return (await api(request)) ?? (await lookup(request)) ?? (await fetch(request));`), 2);
    });
    it(`a value held in a variable that may change (let) may be nothing: the chain goes on (${ext})`, () => {
      assert.equal(run(`return (await later(request)) || (await fetch(request));`), 2);
    });
    it(`an operand that is not a call of the project's function is taken whole (${ext})`, () => {
      assert.equal(run(`const hit = await fetch("https://cache.example.com/get");\nreturn (hit.ok && hit) || (await fetch(request));`), 2);
    });
    it(`if ((r = await helper(req))) return r; chains end where a helper answers (${ext})`, () => {
      assert.equal(
        run(`let r;\nif ((r = await api(request))) return r;\nif ((r = await status(request)) !== null) return r;\nreturn fetch(request);`),
        1,
      );
      assert.equal(run(`let r;\nif ((r = await lookup(request))) return r;\nreturn fetch(request);`), 2);
    });
  }
});
