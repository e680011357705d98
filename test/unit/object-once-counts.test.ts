import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/**
 * Round trips of work guarded by a flag on an object (its instance, a context it is given), of
 * retry helpers that ask a predicate named for retrying, and of counted loops left early: shapes
 * where real Workers' longest paths were counted far above a careful reader's.
 */

const handler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request, env, ctx) {\n${body}\nreturn new Response("ok"); } };`;

const store = `class Store {
  ensured = { schema: false };
  async ensure() {
    if (this.ensured.schema) return;
    await fetch("https://db.example.com/create");
    this.ensured.schema = true;
  }
  async get(id) { await this.ensure(); return fetch("https://db.example.com/get/" + id); }
}`;

describe("work behind a flag on an object", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`one store, two calls: its schema counts once (${ext})`, () => {
      const a = analyse(
        { [`src/index.${ext}`]: handler(`const s = new Store(); await s.get(1); await s.get(2);`, store) },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 3);
    });

    it(`two stores: each sets up its own schema (${ext})`, () => {
      const a = analyse(
        { [`src/index.${ext}`]: handler(`const a = new Store(); const b = new Store(); await a.get(1); await b.get(2);`, store) },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 4);
    });

    it(`a store made inline on each call is another object each time (${ext})`, () => {
      const a = analyse(
        { [`src/index.${ext}`]: handler(`await new Store().get(1); await new Store().get(2);`, store) },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 4);
    });

    it(`a store made in each iteration: the loop repeats its schema (${ext})`, () => {
      const a = analyse(
        {
          [`src/index.${ext}`]: handler(
            `for (const id of request.headers.get("ids").split(",")) { const s = new Store(); await s.get(id); }`,
            store,
          ),
        },
        { main: `src/index.${ext}` },
      );
      assert.equal(a.roundTrips, 4);
    });
  }

  it("a result kept on a context: once per context, again for another", () => {
    const head = `async function scope(ctx) {
  if (ctx.scope) return ctx.scope;
  ctx.scope = await fetch("https://auth.example.com/me");
  return ctx.scope;
}`;
    const same = analyse(
      { "src/index.ts": handler(`const c = { request }; await scope(c); await scope(c);`, head) },
      { main: "src/index.ts" },
    );
    assert.equal(same.roundTrips, 1);
    const other = analyse(
      { "src/index.ts": handler(`const c = { request }; const d = { request }; await scope(c); await scope(d);`, head) },
      { main: "src/index.ts" },
    );
    assert.equal(other.roundTrips, 2);
    const perItem = analyse(
      { "src/index.ts": handler(`for (const c of [{ a: 1 }, { a: 2 }, { a: 3 }]) await scope(c);`, head) },
      { main: "src/index.ts" },
    );
    assert.equal(perItem.roundTrips, 3);
  });
});

describe("retry helpers that ask a predicate", () => {
  const helper = (test: string): string => `async function withRetry(run, opts) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = await run();
    if (${test}) return r;
  }
  throw new Error("gave up");
}`;
  it("isRetryable, shouldRetry, isTransient...: one attempt", () => {
    for (const test of ["!opts.isRetryable(r) || attempt === 3", "!shouldRetry(r)", "!isTransientUpstreamFailure(r)"]) {
      const a = analyse(
        {
          "src/index.ts": handler(
            `await withRetry(() => fetch("https://api.example.com/x"), {}); await fetch("https://api.example.com/y");`,
            helper(test),
          ),
        },
        { main: "src/index.ts" },
      );
      assert.equal(a.roundTrips, 2, test);
    }
  });
  it("a predicate on the attempts, not on the result, is no retry test: a loop", () => {
    const a = analyse(
      {
        "src/index.ts": handler(
          `await withRetry(() => fetch("https://api.example.com/x"), {}); await fetch("https://api.example.com/y");`,
          helper("!isRetryAllowed(attempt)"),
        ),
      },
      { main: "src/index.ts" },
    );
    assert.equal(a.roundTrips, 3);
  });
});

describe("counted loops left early", () => {
  it("page <= 20 with a break on the last page: a loop (two)", () => {
    const a = analyse(
      {
        "src/index.ts": handler(`for (let page = 1; page <= 20; page++) {
  const r = await (await fetch("https://api.example.com/list?page=" + page)).json();
  if (page >= r.pages) break;
}`),
      },
      { main: "src/index.ts" },
    );
    assert.equal(a.roundTrips, 2);
  });
  it("page <= 4 with nothing leaving it early: four", () => {
    const a = analyse(
      { "src/index.ts": handler(`for (let page = 1; page <= 4; page++) await fetch("https://api.example.com/list?page=" + page);`) },
      { main: "src/index.ts" },
    );
    assert.equal(a.roundTrips, 4);
  });
});

describe("memoised functions", () => {
  const head = `import { cache } from "react";
const getSession = cache(async () => (await fetch("https://auth.example.com/session")).json());
const getTeam = cache(async (id: string) => (await fetch("https://api.example.com/teams/" + id)).json());`;
  it("React cache with no argument: a later call on the path is answered from the cache", () => {
    const a = analyse(
      { "src/index.ts": handler(`await getSession(); await getTeam("a"); await getSession();`, head) },
      { main: "src/index.ts" },
    );
    assert.equal(a.roundTrips, 2);
  });
  it("the same argument once, another argument again", () => {
    const a = analyse(
      {
        "src/index.ts": handler(
          `const id = request.headers.get("x-team") ?? ""; await getTeam(id); await getTeam(id); await getTeam("other");`,
          head,
        ),
      },
      { main: "src/index.ts" },
    );
    assert.equal(a.roundTrips, 2);
  });
});
