import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

const NEXT = JSON.stringify({ dependencies: { next: "15.3.0", react: "19.1.0", "react-dom": "19.1.0" } });

/** An OpenNext app (main names the build output) with these sources besides its package.json. */
const nextApp = (files: Record<string, string>, d1: string[] = []): WorkerAnalysis =>
  analyse({ "package.json": NEXT, ...files }, { main: ".open-next/worker.js", bindings: { d1 } });

/** The critical-path subrequests as `target@file`. */
const critical = (a: WorkerAnalysis): string[] =>
  a.subrequests.filter((s) => s.criticalPath).map((s) => `${s.target ?? "?"}@${s.file.split("/").pop() ?? ""}`);

const TWO_FETCHES = `await fetch("https://api.example-ledger.com/a"); await fetch("https://api.example-ledger.com/b"); return new Response("");`;

describe("Next.js route verbs destructured from the project's own function", () => {
  it("`export const { POST, GET } = makeHandlers()` of an arrow returning `{ GET: handler, POST: handler }`", () => {
    const a = nextApp({
      "app/api/ledger/route.ts": `const makeHandlers = () => {\n  const handler = async (request: Request) => { ${TWO_FETCHES} };\n  return { GET: handler, POST: handler };\n};\nexport const { POST, GET } = makeHandlers();`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(critical(a), ["api.example-ledger.com@route.ts", "api.example-ledger.com@route.ts"]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("`const handlers = make(); export const { GET } = handlers` with a method member", () => {
    const a = nextApp({
      "app/api/ledger/route.ts": `function make() {\n  return {\n    async GET(request: Request) {\n      ${TWO_FETCHES}\n    },\n  };\n}\nconst handlers = make();\nexport const { GET } = handlers;`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(critical(a), ["api.example-ledger.com@route.ts", "api.example-ledger.com@route.ts"]);
  });

  it("a maker imported from another project module is followed there", () => {
    const a = nextApp({
      "lib/handlers.ts": `export function makeHandlers() {\n  return { GET: async () => { ${TWO_FETCHES} } };\n}`,
      "app/api/ledger/route.ts": `import { makeHandlers } from "../../../lib/handlers";\nexport const { GET } = makeHandlers();`,
    });
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(critical(a), ["api.example-ledger.com@handlers.ts", "api.example-ledger.com@handlers.ts"]);
  });

  it("a package's maker the analyser does not know stays UNKNOWN, naming the route", () => {
    const a = nextApp({
      "app/api/orders/route.ts": `import { createRouteHandlers } from "@acme/route-kit";\nexport const { GET, POST } = createRouteHandlers({ resource: "orders" });`,
    });
    assert.deepEqual(a.unknowns, ["Next.js: the route handler in app/api/orders/route.ts could not be resolved"]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("`auth().handler(request)`: better-auth made per request over a Kysely D1 dialect is its handler, on the D1 binding", () => {
    const a = nextApp(
      {
        "lib/auth.ts": `import { betterAuth } from "better-auth";\nimport { Kysely } from "kysely";\nimport { D1Dialect } from "kysely-d1";\nimport { getCloudflareContext } from "@opennextjs/cloudflare";\nexport const auth = () =>\n  betterAuth({\n    database: { db: new Kysely({ dialect: new D1Dialect({ database: getCloudflareContext().env.ACCOUNTS_DB }) }), type: "sqlite" },\n  });`,
        "app/api/auth/[...all]/route.ts": `import { auth } from "../../../../lib/auth";\nconst makeHandlers = () => {\n  const handler = async (request: Request) => await auth().handler(request);\n  return { GET: handler, POST: handler };\n};\nexport const { POST, GET } = makeHandlers();`,
      },
      ["ACCOUNTS_DB"],
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(critical(a), ["ACCOUNTS_DB@route.ts"]);
  });
});
