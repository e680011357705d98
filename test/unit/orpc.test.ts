import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

describe("oRPC handlers", () => {
  for (const lang of ["ts", "js"] as const)
    it(`OpenAPIHandler.handle(request, { prefix, context }) in a fetch handler: os.router procedures, os.middleware, .route paths (${lang})`, () => {
      const any = lang === "ts" ? ": any" : "";
      const a = analyse(
        {
          [`src/index.${lang}`]: `import { OpenAPIHandler } from "@orpc/openapi/fetch";
import { router } from "./router";
const handler = new OpenAPIHandler(router);
export default {
  async fetch(request${any}, env${any}) {
    const { matched, response } = await handler.handle(request, { prefix: "/api", context: { db: env.DB } });
    return matched ? response : new Response("not found", { status: 404 });
  },
};`,
          [`src/router.${lang}`]: `import { os } from "@orpc/server";
const audit = os.middleware(async ({ context, next }${any}) => {
  await fetch("https://audit.example.com/log");
  return next({ context: { store: context.db } });
});
const logged = os.use(audit);
export const router = os.router({
  planets: {
    get: os.route({ method: "GET", path: "/planets/{id}" }).handler(async ({ input, context }${any}) => context.db.prepare("select").bind(input.id).first()),
    create: logged
      .route({ method: "POST", path: "/planets" })
      .handler(async ({ context }${any}) => { await context.store.prepare("insert").run(); return context.db.prepare("select").first(); }),
  },
});`,
        },
        { main: `src/index.${lang}`, bindings: { d1: ["DB"] } },
      );
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 3);
      assert.equal(statusOf(a), "SUCCESS");
    });

  it("handle() on a project's own object of the same name is not oRPC's", () => {
    const a = analyse(
      {
        "src/index.ts": `import { os } from "@orpc/server";
class Queue { async handle(request: Request) { await fetch("https://q.example.com/1"); return new Response("ok"); } }
const queue = new Queue();
export const unused = os.handler(async () => { await fetch("https://x.example.com/1"); await fetch("https://x.example.com/2"); });
export default { async fetch(request: Request) { return queue.handle(request); } };`,
      },
      { main: "src/index.ts" },
    );
    assert.equal(a.roundTrips, 1);
  });
});

describe("remult", () => {
  for (const lang of ["ts", "js"] as const)
    it(`repository calls are one round trip each, upsert two, in withRemult over a D1 data provider (${lang})`, () => {
      const any = lang === "ts" ? ": any" : "";
      const a = analyse(
        {
          [`src/index.${lang}`]: `import { remult, repo, withRemult } from "remult";
import { createD1DataProvider } from "remult/remult-d1";
class Task {}
export default {
  async fetch(request${any}, env${any}) {
    return withRemult(async () => {
      const tasks = remult.repo(Task);
      const row = tasks.create({ title: "x" });
      await tasks.insert(row);
      await repo(Task).upsert({ where: { id: "1" }, set: { done: true } });
      if (remult.authenticated()) await tasks.delete("2");
      return Response.json(await tasks.count());
    }, { dataProvider: createD1DataProvider(env.DB) });
  },
};`,
        },
        { main: `src/index.${lang}`, bindings: { d1: ["DB"] } },
      );
      assert.deepEqual(a.unknowns, []);
      assert.equal(a.roundTrips, 5);
      assert.equal(statusOf(a), "SUCCESS");
    });
});
