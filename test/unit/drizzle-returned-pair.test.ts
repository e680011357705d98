import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

/** Drizzle over postgres.js made by a factory that returns `{ db, sql }`, and what hands the client on. */

const SCHEMA = `import { pgTable, text } from "drizzle-orm/pg-core";\nexport const notes = pgTable("notes", { id: text("id").primaryKey(), owner: text("owner") });`;
const CLIENT = [
  `import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";`,
  `import postgres, { type Sql } from "postgres";`,
  `import * as schema from "./schema";`,
  `export type StoreDb = PostgresJsDatabase<typeof schema>;`,
  `export function openStore(env: { HYPERDRIVE: Hyperdrive }): { db: StoreDb; sql: Sql } {`,
  `  const sql = postgres(env.HYPERDRIVE.connectionString, { max: 1 });`,
  `  return { db: drizzle(sql, { schema }), sql };`,
  `}`,
].join("\n");
const HYPERDRIVE = { hyperdrive: ["HYPERDRIVE"] };

/** The files of the last analysis, to tell the line of an offset. */
let sources: Record<string, string> = {};

const run = (files: Record<string, string>, options: Parameters<typeof analyse>[1] = {}): WorkerAnalysis => {
  sources = files;
  return analyse(files, options);
};

/** The subrequests as `file:line target category on-path`. */
const listed = (a: WorkerAnalysis): string[] =>
  a.subrequests.map((s) => {
    const file = s.file.slice("/w/".length);
    const line = (sources[file] ?? "").slice(0, s.span.start).split("\n").length;
    return `${file.slice(file.lastIndexOf("/") + 1)}:${line} ${s.target ?? "?"} ${s.category} ${s.criticalPath}`;
  });

const worker = (index: string, extra: Record<string, string> = {}): WorkerAnalysis =>
  run({ "src/index.ts": index, "src/db/client.ts": CLIENT, "src/db/schema.ts": SCHEMA, ...extra }, { bindings: HYPERDRIVE });

describe("Drizzle's client in a factory's returned pair", () => {
  it("`conn.db` of `const conn = openStore(env)` queried in place and through `const db: StoreDb = conn.db`", () => {
    const a = worker(
      [
        `import { openStore, type StoreDb } from "./db/client";`,
        `import { notes } from "./db/schema";`,
        `export default { async fetch(request: Request, env: { HYPERDRIVE: Hyperdrive }) {`,
        `  const conn = openStore(env);`,
        `  const first = await conn.db.select().from(notes).limit(1);`,
        `  const db: StoreDb = conn.db;`,
        `  const all = await db.select().from(notes);`,
        `  return Response.json({ first, all });`,
        `} };`,
      ].join("\n"),
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(listed(a), ["index.ts:5 hyperdrive:HYPERDRIVE backend true", "index.ts:7 hyperdrive:HYPERDRIVE backend true"]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a helper whose parameter is typed with the project alias, given `conn.db`", () => {
    const a = worker(
      [
        `import { openStore } from "./db/client";`,
        `import { countNotes } from "./count";`,
        `export default { async fetch(request: Request, env: { HYPERDRIVE: Hyperdrive }) {`,
        `  const conn = openStore(env);`,
        `  return Response.json({ n: await countNotes(conn.db) });`,
        `} };`,
      ].join("\n"),
      {
        "src/count.ts": `import type { StoreDb } from "./db/client";\nimport { notes } from "./db/schema";\nexport async function countNotes(db: StoreDb) {\n  const rows = await db.select().from(notes);\n  return rows.length;\n}`,
      },
    );
    assert.deepEqual(listed(a), ["count.ts:4 hyperdrive:HYPERDRIVE backend true"]);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("a context object carrying `conn.db` handed to a function the analysis cannot resolve: UNKNOWN naming the call", () => {
    const a = worker(
      [
        `import { openStore } from "./db/client";`,
        `import { notes } from "./db/schema";`,
        `type Handler = (c: { db: unknown }) => Promise<Response>;`,
        `const table = new Map<string, Handler>();`,
        `export default { async fetch(request: Request, env: { HYPERDRIVE: Hyperdrive }) {`,
        `  const conn = openStore(env);`,
        `  await conn.db.select().from(notes).limit(1);`,
        `  const op = table.get(new URL(request.url).pathname)!;`,
        `  return await op({ db: conn.db, url: request.url });`,
        `} };`,
      ].join("\n"),
    );
    assert.deepEqual(a.unknowns, [
      "op(...) is given an object carrying `db`, a client of a library that makes round trips, but the analyser cannot tell which function it calls: the round trips it makes with it cannot be seen (index.ts:9)",
    ]);
  });

  it("the same object handed to a platform function (`Response.json`) is data: no unknown", () => {
    const a = worker(
      [
        `import { openStore } from "./db/client";`,
        `export default { async fetch(request: Request, env: { HYPERDRIVE: Hyperdrive }) {`,
        `  const conn = openStore(env);`,
        `  const db = conn.db;`,
        `  return await Response.json({ db, url: request.url });`,
        `} };`,
      ].join("\n"),
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("`c.db` on a parameter typed with an interface declaring `db: StoreDb`, where no call passing `c` was followed", () => {
    const a = worker(
      [
        `import { openStore } from "./db/client";`,
        `import { guard } from "./guard";`,
        `export default { async fetch(request: Request, env: { HYPERDRIVE: Hyperdrive }) {`,
        `  const conn = openStore(env);`,
        `  const table: Record<string, typeof guard> = JSON.parse(env.HYPERDRIVE.database) ? {} : { guard };`,
        `  const handler = table[new URL(request.url).pathname]!;`,
        `  return Response.json(await handler({ db: conn.db }));`,
        `} };`,
      ].join("\n"),
      {
        "src/guard.ts": `import { eq } from "drizzle-orm";\nimport type { StoreDb } from "./db/client";\nimport { notes } from "./db/schema";\nexport interface Context { db: StoreDb }\nexport async function guard(c: Context) {\n  const [row] = await c.db.select().from(notes).where(eq(notes.owner, "x")).limit(1);\n  return row;\n}`,
      },
    );
    // The guard's query is listed off the path as a query of the client its declared type names
    // (postgres.js, whose address the type does not say), never one of an unknown client.
    assert.deepEqual(listed(a), ["guard.ts:6 postgresql backend false"]);
    assert.equal(statusOf(a), "UNKNOWN");
  });
});

describe("an awaited Drizzle query on a value the analysis cannot resolve", () => {
  const QUERIES = [
    `import { eq } from "drizzle-orm";`,
    `import { notes } from "./db/schema";`,
    `const tenants = (globalThis as { tenants?: any }).tenants;`,
    `export default { async fetch(request: Request, env: { HYPERDRIVE: Hyperdrive }) {`,
    `  return withTenant(tenants, async (db) => {`,
    `    const rows = await db.select().from(notes).where(eq(notes.owner, "x"));`,
    `    await db.insert(notes).values({ id: "1", owner: "x" });`,
    `    return Response.json(rows);`,
    `  });`,
    `} };`,
    `async function withTenant(holder: any, use: (db: any) => Promise<Response>) {`,
    `  return use(holder.db);`,
    `}`,
  ].join("\n");

  it("on the fetch path: a round trip each by assumption (likely), said once in the reasons", () => {
    const a = worker(QUERIES);
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(listed(a), ["index.ts:6 ? unknown true", "index.ts:7 ? unknown true"]);
    assert.deepEqual(
      a.subrequests.map((s) => s.assumed),
      [
        "the Drizzle query on `db`, whose client the analyser cannot resolve, counted as a round trip to its database",
        "the Drizzle query on `db`, whose client the analyser cannot resolve, counted as a round trip to its database",
      ],
    );
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("with `assume: strict`: UNKNOWN naming the query", () => {
    const a = run({ "src/index.ts": QUERIES, "src/db/schema.ts": SCHEMA }, { bindings: HYPERDRIVE, assume: "strict" });
    assert.equal(a.unknowns.length, 2);
    assert.match(
      a.unknowns[0]!,
      /^db\.select\(\)\.from\(notes\)\.where\(\.\.\.\) is a Drizzle query on `db`, which the analyser cannot resolve to a client/,
    );
  });

  it("in code no handler was seen to reach, with nothing on the fetch path: UNKNOWN naming the lost query", () => {
    const a = run(
      {
        "src/index.ts": `import { ops } from "./ops";\nexport default { async fetch(request: Request) {\n  const run = ops[new URL(request.url).pathname];\n  return new Response(run ? "queued" : "none");\n} };`,
        "src/ops.ts": `import { eq } from "drizzle-orm";\nimport { notes } from "./db/schema";\nexport const ops: Record<string, (c: { db: any }) => Promise<unknown>> = {\n  "/notes": async (c) => c.db.select().from(notes),\n  "/one": async (c) => {\n    const [row] = await c.db.select().from(notes).where(eq(notes.id, "1")).limit(1);\n    return row;\n  },\n};`,
        "src/db/schema.ts": SCHEMA,
      },
      {},
    );
    assert.deepEqual(listed(a), ["ops.ts:6 ? unknown false"]);
    assert.deepEqual(a.unknowns, [
      "no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (ops.ts:6): how it is called could not be followed",
    ]);
  });

  it("no false query: Drizzle-shaped calls that are not queries, and chains in modules that do not import Drizzle", () => {
    const a = run({
      "src/index.ts": [
        `import { sql } from "drizzle-orm";`,
        `import { shelve } from "./shelf";`,
        `async function tidy(store: any, list: any, key: string) {`,
        `  await store.delete(key);`,
        `  await store.update(key);`,
        `  await list.select("id");`,
        `  return sql.raw(key);`,
        `}`,
        `export default { async fetch(request: Request) {`,
        `  await tidy(new Map(), [], "k");`,
        `  return new Response(String(await shelve({ select: () => ({ from: async () => 1 }) })));`,
        `} };`,
      ].join("\n"),
      "src/shelf.ts": `export async function shelve(builder: any) {\n  return await builder.select("a").from("b");\n}`,
    });
    assert.deepEqual(a.subrequests, []);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
});
