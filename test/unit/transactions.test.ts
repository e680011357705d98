import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { one } from "./helpers/analyse";
import { DRIZZLE_DRIVERS } from "../../server/src/core/worker/sdks";

const DB_URL = { DB_URL: "postgres://app@pg.example.com:5432/app", TURSO_URL: "libsql://app-acme.turso.io" };
const handler = (body: string): string =>
  `export default { async fetch(request: Request, env: any, ctx: any) {\n${body}\nreturn new Response("ok");\n} };`;

/**
 * `db.transaction(async (tx) => { one query })` over each Drizzle driver: the driver's BEGIN, the
 * query, its COMMIT; none over neon-http (it throws at once); over D1 the `begin` D1 rejects.
 */
const DRIZZLE_TRANSACTIONS: Readonly<Record<string, { imports?: string; setup: string; roundTrips: number; subrequests: number }>> = {
  "drizzle-orm/node-postgres": {
    imports: `import { Pool } from "pg";`,
    setup: `drizzle({ client: new Pool({ connectionString: env.DB_URL }) })`,
    roundTrips: 3,
    subrequests: 2,
  },
  "drizzle-orm/postgres-js": {
    imports: `import postgres from "postgres";`,
    setup: `drizzle(postgres(env.DB_URL))`,
    roundTrips: 3,
    subrequests: 2,
  },
  "drizzle-orm/neon-http": { setup: `drizzle(env.DB_URL)`, roundTrips: 0, subrequests: 0 },
  "drizzle-orm/neon-serverless": {
    imports: `import { Pool } from "@neondatabase/serverless";`,
    setup: `drizzle({ client: new Pool({ connectionString: env.DB_URL }) })`,
    roundTrips: 3,
    subrequests: 2,
  },
  "drizzle-orm/libsql": { setup: `drizzle({ connection: { url: env.TURSO_URL } })`, roundTrips: 3, subrequests: 2 },
  "drizzle-orm/planetscale-serverless": {
    imports: `import { Client } from "@planetscale/database";`,
    setup: `drizzle(new Client({ host: "aws.connect.psdb.cloud", username: env.U, password: env.P }))`,
    roundTrips: 3,
    subrequests: 2,
  },
  "drizzle-orm/mysql2": { setup: `drizzle(env.SECRET_MYSQL_URL)`, roundTrips: 3, subrequests: 2 },
  "drizzle-orm/d1": { setup: `drizzle(env.DB)`, roundTrips: 1, subrequests: 1 },
  "drizzle-orm/vercel-postgres": {
    imports: `import { sql } from "@vercel/postgres";`,
    setup: `drizzle({ client: sql })`,
    roundTrips: 3,
    subrequests: 2,
  },
};

describe("interactive transactions cost their own BEGIN and COMMIT", () => {
  for (const [module, d] of Object.entries(DRIZZLE_TRANSACTIONS)) {
    it(`Drizzle over ${module.slice("drizzle-orm/".length)}: db.transaction(cb) with one query is ${d.roundTrips}`, () => {
      const source = `import { drizzle } from "${module}";\n${d.imports ?? ""}\nconst users: any = {};\n${handler(`const db = ${d.setup};
await db.transaction(async (tx) => {
  await tx.select().from(users);
});`)}`;
      const a = one(source, { vars: DB_URL, bindings: { d1: ["DB"] } });
      assert.equal(a.roundTrips, d.roundTrips);
      assert.equal(a.subrequests.length, d.subrequests);
      assert.deepEqual(a.unknowns, []);
    });
  }

  it("every Drizzle driver has a transaction case", () => {
    assert.deepEqual(Object.keys(DRIZZLE_DRIVERS).sort(), Object.keys(DRIZZLE_TRANSACTIONS).sort());
  });

  it("the transaction's BEGIN comes before its callback's round trips and its COMMIT after them", () => {
    const a = one(
      `import postgres from "postgres";\n${handler(`const sql = postgres(env.DB_URL);
await sql.begin(async (tx) => {
  await fetch("https://api.example.com/check");
});`)}`,
      { vars: DB_URL },
    );
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(
      a.handlers[0]!.backendSteps!.map((s) => s.hosts),
      [["pg.example.com"], ["api.example.com"], ["pg.example.com"]],
    );
  });

  it("a transaction in a loop: three round trips an iteration", () => {
    const a = one(
      `import postgres from "postgres";\n${handler(`const sql = postgres(env.DB_URL);
for (const id of [1, 2, 3].filter(Boolean)) {
  await sql.begin(async (tx) => {
    await tx\`update t set n = n + 1 where id = \${id}\`;
  });
}`)}`,
      { vars: DB_URL },
    );
    assert.equal(a.roundTrips, 6);
  });

  it("Prisma: $transaction([...]) stays one; an interactive $transaction over Accelerate is its start, the calls, its commit", () => {
    const a = one(
      `import { PrismaClient } from "@prisma/client/edge";\n${handler(`const prisma = new PrismaClient();
await prisma.$transaction([prisma.user.count(), prisma.post.count()]);
await prisma.$transaction(async (tx) => {
  await tx.user.create({ data: {} });
});`)}`,
    );
    assert.deepEqual(
      a.subrequests.map((s) => s.target),
      ["accelerate.prisma-data.net", "accelerate.prisma-data.net", "accelerate.prisma-data.net"],
    );
    assert.equal(a.roundTrips, 4);
  });

  it("Prisma over its D1 adapter rejects an interactive transaction before the callback runs: nothing sent", () => {
    const a = one(
      `import { PrismaClient } from "@prisma/client";\nimport { PrismaD1 } from "@prisma/adapter-d1";\n${handler(`const prisma = new PrismaClient({ adapter: new PrismaD1(env.DB) });
await prisma.user.findMany();
await prisma.$transaction(async (tx) => {
  await tx.user.create({ data: {} });
  await tx.post.create({ data: {} });
});`)}`,
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.subrequests.length, 1);
    assert.equal(a.roundTrips, 1);
  });

  it("Kysely over kysely-d1 rejects a transaction before anything is sent: its callback never runs", () => {
    const a = one(
      `import { Kysely } from "kysely";\nimport { D1Dialect } from "kysely-d1";\n${handler(`const db = new Kysely<any>({ dialect: new D1Dialect({ database: env.DB }) });
await db.selectFrom("person").selectAll().execute();
await db.transaction().execute(async (trx) => {
  await trx.insertInto("person").values({}).execute();
});`)}`,
      { bindings: { d1: ["DB"] } },
    );
    // The callback's insert is listed (it is in the code) but never on the response path.
    assert.deepEqual(
      a.subrequests.map((s) => [s.kind, s.target, s.criticalPath]),
      [
        ["d1", "DB", true],
        ["d1", "DB", false],
      ],
    );
    assert.equal(a.roundTrips, 1);
  });

  it("TypeORM: transaction(cb) is its start and commit around the manager's calls", () => {
    const a = one(
      `import { DataSource } from "typeorm";\nclass User {}\n${handler(`const source = new DataSource({ type: "postgres", url: env.DB_URL, entities: [User] });
await source.transaction(async (manager) => {
  await manager.find(User);
  await manager.insert(User, {});
});`)}`,
      { vars: DB_URL },
    );
    assert.equal(a.roundTrips, 4);
  });

  it("node-postgres: explicit BEGIN and COMMIT are queries like any other", () => {
    const a = one(
      `import { Client } from "pg";\n${handler(`const client = new Client(env.DB_URL);
await client.connect();
await client.query("BEGIN");
await client.query("update t set n = 1");
await client.query("COMMIT");`)}`,
      { vars: DB_URL },
    );
    assert.equal(a.subrequests.length, 4);
    assert.equal(a.roundTrips, 4);
  });

  it("mysql2: beginTransaction() and commit() are round trips of their own", () => {
    const a = one(
      `import mysql from "mysql2/promise";\n${handler(`const pool = mysql.createPool(env.SECRET_MYSQL_URL);
await pool.beginTransaction();
await pool.query("update t set n = 1");
await pool.commit();`)}`,
    );
    assert.equal(a.roundTrips, 3);
  });

  it("libSQL: a batch stays one; an interactive transaction is its start, each statement and its commit", () => {
    const a = one(
      `import { createClient } from "@libsql/client/web";\n${handler(`const db = createClient({ url: env.TURSO_URL });
await db.batch(["insert into a values (1)", "insert into b values (2)"], "write");
const tx = await db.transaction("write");
await tx.execute("update a set n = 2");
await tx.commit();`)}`,
      { vars: DB_URL },
    );
    assert.equal(a.roundTrips, 4);
  });
});
