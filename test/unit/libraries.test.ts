import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, one } from "./helpers/analyse";
import { classifyHost, GLOBAL_HOSTS } from "../../server/src/core/worker/hosts";
import { DRIZZLE_DRIVERS, generatedPrismaModule, LIBRARIES, libraryFor, packageOf } from "../../server/src/core/worker/sdks";
import type { BindingNames } from "../../server/src/core/worker/types";

/** One entry of the library table, exercised: the subrequests it makes and the round trips they count. */
interface Case {
  readonly library: string;
  readonly title: string;
  readonly source: string;
  readonly vars?: Record<string, string>;
  readonly bindings?: Partial<BindingNames>;
  /** [kind, target, category] of each subrequest, in source order. */
  readonly subrequests: ReadonlyArray<readonly [string, string | null, string]>;
  readonly roundTrips: number;
  /** How many unknowns the analysis reports. */
  readonly unknowns?: number;
}

const DB_URL = { DB_URL: "postgres://app@pg.example.com:5432/app" };
const handler = (body: string): string =>
  `export default { async fetch(request: Request, env: any, ctx: any) {\n${body}\nreturn new Response("ok");\n} };`;

const CASES: Case[] = [
  {
    library: "PostgreSQL (pg)",
    title: "connect and each query; pool.connect() gives a connection; listeners and release send nothing",
    source: `import { Client, Pool } from "pg";\n${handler(`const c = new Client(env.DB_URL);
await c.connect();
c.on("error", () => {});
await c.query("select 1");
const pool = new Pool({ connectionString: env.DB_URL });
const conn = await pool.connect();
await conn.query("select 2");
conn.release();`)}`,
    vars: DB_URL,
    subrequests: [
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
    ],
    roundTrips: 4,
  },
  {
    library: "PostgreSQL (pg)",
    title: "over Hyperdrive given the binding's fields (`host: env.HD.host`): connect() reaches Hyperdrive's pool, not counted",
    source: `import { Client } from "pg";\n${handler(`const c = new Client({ host: env.HD.host, user: env.HD.user, password: env.HD.password, database: env.HD.database, port: env.HD.port });
await c.connect();
await c.query("select 1");`)}`,
    bindings: { hyperdrive: ["HD"] },
    subrequests: [
      ["sdk", "hyperdrive:HD", "binding"],
      ["sdk", "hyperdrive:HD", "backend"],
    ],
    roundTrips: 1,
  },
  {
    library: "PostgreSQL (postgres.js)",
    title: "tagged templates are queries; sql(rows) and nested fragments are not; begin() runs its callback between its BEGIN and COMMIT",
    source: `import postgres from "postgres";\n${handler(`const sql = postgres(env.DB_URL);
const rows = [{ a: 1 }];
await sql\`insert into t \${sql(rows)}\`;
await sql\`select * from t where a = 1 \${sql\`and b = 2\`}\`;
await sql.begin(async (tx) => {
  await tx\`update t set a = 2\`;
  await tx\`delete from t\`;
});`)}`,
    vars: DB_URL,
    subrequests: [
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
    ],
    roundTrips: 6,
  },
  {
    library: "Neon",
    title: "a query, then sql.transaction([...]) in one round trip",
    source: `import { neon } from "@neondatabase/serverless";\n${handler(`const sql = neon(env.DB_URL);
await sql\`select 1\`;
await sql.transaction([sql\`select 2\`, sql\`select 3\`]);`)}`,
    vars: { DB_URL: "postgres://u@ep-cool.eu-central-1.aws.neon.tech/db" },
    subrequests: [
      ["sdk", "ep-cool.eu-central-1.aws.neon.tech", "backend"],
      ["sdk", "ep-cool.eu-central-1.aws.neon.tech", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Vercel Postgres",
    title: "the ready-made sql client, its address a secret",
    source: `import { sql } from "@vercel/postgres";\n${handler("await sql`select 1`;")}`,
    subrequests: [["sdk", "postgresql", "backend"]],
    roundTrips: 1,
  },
  {
    library: "MySQL (mysql2)",
    title: "createConnection is itself a round trip; createPool is not",
    source: `import mysql from "mysql2/promise";\n${handler(`const conn = await mysql.createConnection(env.MYSQL_URL);
await conn.query("select 1");
const pool = mysql.createPool(env.MYSQL_URL);
await pool.query("select 2");`)}`,
    vars: { MYSQL_URL: "mysql://app@mysql.example.com:3306/app" },
    subrequests: [
      ["sdk", "mysql.example.com", "backend"],
      ["sdk", "mysql.example.com", "backend"],
      ["sdk", "mysql.example.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "MySQL (mysql2)",
    title:
      "over Hyperdrive (options read from the binding): connecting and getConnection() reach Hyperdrive's pool near the Worker; each query a round trip",
    source: `import mysql from "mysql2/promise";\n${handler(`const conn = await mysql.createConnection({ host: env.HD.host, user: env.HD.user, password: env.HD.password });
await conn.query("select 1");
const { host, user, password, database } = env.HD;
const pool = mysql.createPool({ host, user, password, database });
const leased = await pool.getConnection();
await leased.execute("select 2");
const spread = mysql.createPool({ ...env.HD, connectionLimit: 1 });
await spread.query("select 3");`)}`,
    bindings: { hyperdrive: ["HD"] },
    subrequests: [
      ["sdk", "hyperdrive:HD", "binding"],
      ["sdk", "hyperdrive:HD", "backend"],
      ["sdk", "hyperdrive:HD", "binding"],
      ["sdk", "hyperdrive:HD", "backend"],
      ["sdk", "hyperdrive:HD", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "PostgreSQL (pg)",
    title:
      "over Hyperdrive through a helper's parameter (`createClient(env.HD.connectionString)` making `new Client({ connectionString })`): connect() not counted",
    source: `import { Client } from "pg";\nfunction createClient(connectionString: string) { return new Client({ connectionString }); }\n${handler(`const c = createClient(env.HD.connectionString);
await c.connect();
await c.query("select 1");`)}`,
    bindings: { hyperdrive: ["HD"] },
    subrequests: [
      ["sdk", "hyperdrive:HD", "binding"],
      ["sdk", "hyperdrive:HD", "backend"],
    ],
    roundTrips: 1,
  },
  {
    library: "PostgreSQL (pg)",
    title: "a helper also called with a database URL is not taken to be over Hyperdrive: connect() counted",
    source: `import { Client } from "pg";\nfunction createClient(connectionString: string) { return new Client({ connectionString }); }
export async function direct() { const d = createClient("postgres://app@pg.example.com:5432/app"); await d.connect(); }\n${handler(`const c = createClient(env.HD.connectionString);
await c.connect();
await c.query("select 1");`)}`,
    bindings: { hyperdrive: ["HD"] },
    // The other caller's connect() (an exported function, walked too), then the handler's connect and query.
    subrequests: [
      ["sdk", "postgresql", "backend"],
      ["sdk", "postgresql", "backend"],
      ["sdk", "postgresql", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "MySQL (mysql2)",
    title:
      "over Hyperdrive through a helper given the binding (`connect(env.HD)` reading `h.host`, or `{ host, user }` taken apart in its parameter list)",
    source: `import mysql from "mysql2/promise";
function connect(h: Hyperdrive) { return mysql.createConnection({ host: h.host, user: h.user, password: h.password }); }
function pool({ host, user, password }: Hyperdrive) { return mysql.createPool({ host, user, password }); }\n${handler(`const conn = await connect(env.HD);
await conn.query("select 1");
await pool(env.HD).query("select 2");`)}`,
    bindings: { hyperdrive: ["HD"] },
    subrequests: [
      ["sdk", "hyperdrive:HD", "binding"],
      ["sdk", "hyperdrive:HD", "backend"],
      ["sdk", "hyperdrive:HD", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "PlanetScale",
    title: "execute, and each query of a transaction between its BEGIN and COMMIT requests",
    source: `import { connect } from "@planetscale/database";\n${handler(`const conn = connect({ host: "aws.connect.psdb.cloud", username: env.U, password: env.P });
await conn.execute("select 1");
await conn.transaction(async (tx) => {
  await tx.execute("insert 1");
  await tx.execute("insert 2");
});`)}`,
    subrequests: [
      ["sdk", "aws.connect.psdb.cloud", "backend"],
      ["sdk", "aws.connect.psdb.cloud", "backend"],
      ["sdk", "aws.connect.psdb.cloud", "backend"],
      ["sdk", "aws.connect.psdb.cloud", "backend"],
    ],
    roundTrips: 5,
  },
  {
    library: "libSQL/Turso",
    title: "execute and batch are one round trip each; close sends nothing",
    source: `import { createClient } from "@libsql/client/web";\n${handler(`const db = createClient({ url: "libsql://app-acme.turso.io", authToken: env.TOKEN });
await db.execute("select 1");
await db.batch(["insert 1", "insert 2"], "write");
db.close();`)}`,
    subrequests: [
      ["sdk", "app-acme.turso.io", "backend"],
      ["sdk", "app-acme.turso.io", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Atlas App Services (realm-web)",
    title: "logIn: location, login, profile; the user's collection and function calls one each",
    source: `import * as Realm from "realm-web";\n${handler(`const app = new Realm.App({ id: "shop-abcde" });
const user = await app.logIn(Realm.Credentials.anonymous());
await user.mongoClient("mongodb-atlas").db("shop").collection("orders").insertOne({ id: 1 });
await user.functions.notify(1);`)}`,
    subrequests: [
      ["sdk", "services.cloud.mongodb.com", "backend"],
      ["sdk", "services.cloud.mongodb.com", "backend"],
      ["sdk", "services.cloud.mongodb.com", "backend"],
    ],
    roundTrips: 5,
  },
  {
    library: "MongoDB",
    title: "db() and collection() build; findOne and find().toArray() send",
    source: `import { MongoClient } from "mongodb";\n${handler(`const client = new MongoClient(env.MONGO_URL);
const users = client.db("app").collection("users");
await users.findOne({ id: 1 });
await users.find({}).toArray();`)}`,
    vars: { MONGO_URL: "mongodb+srv://u@cluster0.abcde.mongodb.net/app" },
    subrequests: [
      ["sdk", "cluster0.abcde.mongodb.net", "backend"],
      ["sdk", "cluster0.abcde.mongodb.net", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "RavenDB",
    title: "openSession, store and query building stay local; load, a query's all(), saveChanges and maintenance.send send",
    source: `import { DocumentStore, GetStatisticsOperation } from "ravendb";\n${handler(`const store = new DocumentStore([env.RAVEN_URL], "shop");
store.initialize();
const session = store.openSession();
await session.load("orders/1");
await session.query({ collection: "Orders" }).whereEquals("open", true).all();
await session.store({ open: false });
await session.saveChanges();
await store.maintenance.send(new GetStatisticsOperation());`)}`,
    vars: { RAVEN_URL: "https://a.free.acme.ravendb.cloud" },
    subrequests: [
      ["sdk", "ravendb", "backend"],
      ["sdk", "ravendb", "backend"],
      ["sdk", "ravendb", "backend"],
      ["sdk", "ravendb", "backend"],
    ],
    roundTrips: 4,
  },
  {
    library: "Upstash Redis",
    title: "a command, then a pipeline sent by exec()",
    source: `import { Redis } from "@upstash/redis/cloudflare";\n${handler(`const redis = new Redis({ url: env.UPSTASH_URL, token: env.TOKEN });
await redis.get("a");
const p = redis.pipeline();
p.set("a", 1);
p.get("b");
await p.exec();`)}`,
    vars: { UPSTASH_URL: "https://eu1-sharp-cat.upstash.io" },
    subrequests: [
      ["sdk", "eu1-sharp-cat.upstash.io", "backend"],
      ["sdk", "eu1-sharp-cat.upstash.io", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Upstash Vector",
    title: "fromEnv() reads its URL from [vars]; a namespace only builds; a query, then an upsert",
    source: `import { Index } from "@upstash/vector";\n${handler(`const index = Index.fromEnv(env);
const docs = index.namespace("docs");
await docs.query({ data: "hello", topK: 3 });
await index.upsert({ id: "a", data: "hello" });`)}`,
    vars: { UPSTASH_VECTOR_REST_URL: "https://us1-brave-fox-vector.upstash.io" },
    subrequests: [
      ["sdk", "us1-brave-fox-vector.upstash.io", "backend"],
      ["sdk", "us1-brave-fox-vector.upstash.io", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Vercel KV",
    title: "the ready-made kv client",
    source: `import { kv } from "@vercel/kv";\n${handler(`await kv.get("a");`)}`,
    subrequests: [["sdk", "upstash", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Supabase",
    title: "queries, rpc and auth.getUser are round trips; from() alone, channel() and auth.getSession() are not",
    source: `import { createClient } from "@supabase/supabase-js";\n${handler(`const supabase = createClient(env.SUPABASE_URL, env.KEY);
await supabase.from("profiles").select("*").eq("id", 1).single();
await supabase.rpc("touch", { id: 1 });
await supabase.auth.getUser(request.headers.get("authorization") ?? "");
await supabase.auth.getSession();
supabase.channel("room");
const items = supabase.from("items");
await items.select("*");`)}`,
    vars: { SUPABASE_URL: "https://abcdefgh.supabase.co" },
    subrequests: [
      ["sdk", "abcdefgh.supabase.co", "backend"],
      ["sdk", "abcdefgh.supabase.co", "backend"],
      ["sdk", "abcdefgh.supabase.co", "backend"],
      ["sdk", "abcdefgh.supabase.co", "backend"],
    ],
    roundTrips: 4,
  },
  {
    library: "Supabase",
    title:
      "1.x auth: setAuth, session(), user() and the auth.api URL and cookie helpers send nothing; api.getUser and signOut are round trips",
    source: `import { createClient } from "@supabase/supabase-js";\n${handler(`const supabase = createClient(env.SUPABASE_URL, env.KEY);
const token = request.headers.get("authorization") ?? "";
supabase.auth.setAuth(token);
supabase.auth.session();
supabase.auth.user();
supabase.auth.api.getUrlForProvider("github", {});
supabase.auth.api.getAuthCookieString(request, {});
supabase.functions.setAuth(token);
supabase.getSubscriptions();
await supabase.auth.api.getUser(token);
await supabase.auth.signOut();`)}`,
    vars: { SUPABASE_URL: "https://abcdefgh.supabase.co" },
    subrequests: [
      ["sdk", "abcdefgh.supabase.co", "backend"],
      ["sdk", "abcdefgh.supabase.co", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Drizzle",
    title: "node-postgres: a chain counts once, batch([...]) once, each query of a transaction and its BEGIN and COMMIT",
    source: `import { drizzle } from "drizzle-orm/node-postgres";\nimport { Pool } from "pg";\nconst users: any = {};\n${handler(`const db = drizzle(new Pool({ connectionString: env.DB_URL }));
await db.select().from(users).where(users.id);
await db.batch([db.select().from(users), db.insert(users).values({})]);
await db.transaction(async (tx) => {
  await tx.insert(users).values({});
  await tx.update(users).set({});
});`)}`,
    vars: DB_URL,
    subrequests: [
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
    ],
    roundTrips: 6,
  },
  {
    library: "Prisma",
    title:
      "model calls, $queryRaw, $transaction([...]) once, interactive $transaction per tx call and its start and commit; over a pg adapter",
    source: `import { PrismaClient } from "@prisma/client";\nimport { PrismaPg } from "@prisma/adapter-pg";\n${handler(`const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DB_URL }) });
await prisma.user.findMany();
await prisma.$queryRaw\`select 1\`;
await prisma.$transaction([prisma.user.create({ data: {} }), prisma.post.delete({ where: { id: 1 } })]);
await prisma.$transaction(async (tx) => {
  await tx.user.update({ where: { id: 1 }, data: {} });
  await tx.post.create({ data: {} });
});`)}`,
    vars: DB_URL,
    subrequests: [
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
    ],
    roundTrips: 7,
  },
  {
    library: "Prisma Accelerate",
    title: "the edge client over Accelerate, extended",
    source: `import { PrismaClient } from "@prisma/client/edge";\nimport { withAccelerate } from "@prisma/extension-accelerate";\n${handler(`const prisma = new PrismaClient().$extends(withAccelerate());
await prisma.user.findFirst();`)}`,
    subrequests: [["sdk", "accelerate.prisma-data.net", "backend"]],
    roundTrips: 1,
  },
  {
    library: "remult",
    title: "repo() and create() send nothing; find, insert and save one each, upsert two; a data provider is no unknown library",
    source: `import { remult, repo } from "remult";\nimport { createD1DataProvider } from "remult/remult-d1";\nclass Task {}\n${handler(`remult.dataProvider = createD1DataProvider(env.DB);
const tasks = repo(Task);
const draft = tasks.create({ title: "a" });
const rows = await tasks.find({ where: { done: false } });
await remult.repo(Task).insert(draft);
await tasks.upsert({ where: { id: "1" }, set: { done: true } });
await tasks.save(rows[0]);`)}`,
    subrequests: [
      ["sdk", "remult", "backend"],
      ["sdk", "remult", "backend"],
      ["sdk", "remult", "backend"],
      ["sdk", "remult", "backend"],
    ],
    roundTrips: 5,
  },
  {
    library: "Kysely",
    title: "builders send nothing; execute, executeTakeFirst and a transaction's execute do, and the transaction its BEGIN and COMMIT",
    source: `import { Kysely, PostgresDialect } from "kysely";\nimport { Pool } from "pg";\n${handler(`const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: env.DB_URL }) }) });
const q = db.selectFrom("person").selectAll();
await q.execute();
await db.selectFrom("pet").selectAll().where("id", "=", 1).executeTakeFirst();
await db.transaction().execute(async (trx) => {
  await trx.insertInto("person").values({}).execute();
});`)}`,
    vars: DB_URL,
    subrequests: [
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
      ["sdk", "pg.example.com", "backend"],
    ],
    roundTrips: 5,
  },
  {
    library: "Kysely",
    title: "over @libsql/kysely-libsql's LibsqlDialect given its URL from a secret: libSQL/Turso, host unnamed",
    source: `import { Kysely } from "kysely";\nimport { LibsqlDialect } from "@libsql/kysely-libsql";\n${handler(`const db = new Kysely<any>({ dialect: new LibsqlDialect({ url: env.TURSO_URL, authToken: env.TURSO_TOKEN }) });
await db.selectFrom("t").selectAll().execute();
await db.selectFrom("u").selectAll().executeTakeFirst();`)}`,
    subrequests: [
      ["sdk", "libsql", "backend"],
      ["sdk", "libsql", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Kysely",
    title: "over a LibsqlDialect held in a name first (`{ dialect }`)",
    source: `import { Kysely } from "kysely";\nimport { LibsqlDialect } from "kysely-libsql";\n${handler(`const dialect = new LibsqlDialect({ url: env.TURSO_URL });
const db = new Kysely<any>({ dialect });
await db.selectFrom("t").selectAll().execute();
await db.selectFrom("u").selectAll().executeTakeFirst();`)}`,
    subrequests: [
      ["sdk", "libsql", "backend"],
      ["sdk", "libsql", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Kysely",
    title: "over kysely-d1's D1Dialect: the D1 binding it is given",
    source: `import { Kysely } from "kysely";\nimport { D1Dialect } from "kysely-d1";\n${handler(`const db = new Kysely<any>({ dialect: new D1Dialect({ database: env.DB }) });
await db.selectFrom("t").selectAll().execute();
await db.selectFrom("u").selectAll().executeTakeFirst();`)}`,
    bindings: { d1: ["DB"] },
    subrequests: [
      ["d1", "DB", "backend"],
      ["d1", "DB", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Kysely",
    title: "over kysely-neon's NeonDialect and NeonHTTPDialect: Neon",
    source: `import { Kysely } from "kysely";\nimport { NeonDialect, NeonHTTPDialect } from "kysely-neon";\n${handler(`const db = new Kysely<any>({ dialect: new NeonDialect({ connectionString: env.DATABASE_URL }) });
await db.selectFrom("t").selectAll().execute();
const http = new Kysely<any>({ dialect: new NeonHTTPDialect({ connectionString: env.DATABASE_URL }) });
await http.selectFrom("u").selectAll().execute();`)}`,
    subrequests: [
      ["sdk", "neon", "backend"],
      ["sdk", "neon", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Kysely",
    title: "over kysely-planetscale's PlanetScaleDialect: PlanetScale",
    source: `import { Kysely } from "kysely";\nimport { PlanetScaleDialect } from "kysely-planetscale";\n${handler(`const db = new Kysely<any>({ dialect: new PlanetScaleDialect({ host: env.PS_HOST, username: env.PS_USER, password: env.PS_PASSWORD }) });
await db.selectFrom("t").selectAll().execute();
await db.selectFrom("u").selectAll().executeTakeFirst();`)}`,
    subrequests: [
      ["sdk", "planetscale", "backend"],
      ["sdk", "planetscale", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Kysely",
    title: "over kysely-postgres-js's PostgresJSDialect given a client from a parameter: postgres.js",
    source: `import { Kysely } from "kysely";\nimport { PostgresJSDialect } from "kysely-postgres-js";\nfunction makeDb(sql: any) { return new Kysely<any>({ dialect: new PostgresJSDialect({ postgres: sql }) }); }\n${handler(`const db = makeDb(env.SQL);
await db.selectFrom("t").selectAll().execute();
await db.selectFrom("u").selectAll().executeTakeFirst();`)}`,
    subrequests: [
      ["sdk", "postgresql", "backend"],
      ["sdk", "postgresql", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Kysely",
    title: "over Kysely's own MysqlDialect given a pool it cannot read: MySQL",
    source: `import { Kysely, MysqlDialect } from "kysely";\nfunction makeDb(pool: any) { return new Kysely<any>({ dialect: new MysqlDialect({ pool }) }); }\n${handler(`const db = makeDb(env.POOL);
await db.selectFrom("t").selectAll().execute();
await db.selectFrom("u").selectAll().executeTakeFirst();`)}`,
    subrequests: [
      ["sdk", "mysql", "backend"],
      ["sdk", "mysql", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Cloudflare Containers",
    title: "getContainer, an awaited getRandom and loadBalance give the container's Durable Object stub: binding calls, no back end",
    source: `import { Container, getContainer, getRandom, loadBalance } from "@cloudflare/containers";\nexport class App extends Container { defaultPort = 8080; }\n${handler(`await getContainer(env.APP, "main").fetch(request);
const pooled = await getRandom(env.APP, 3);
await pooled.fetch(request);
await (await loadBalance(env.APP, 2)).fetch(request);`)}`,
    bindings: { durableObjects: ["APP"] },
    subrequests: [
      ["durable-object", "APP", "binding"],
      ["durable-object", "APP", "binding"],
      ["durable-object", "APP", "binding"],
    ],
    roundTrips: 0,
  },
  {
    library: "better-auth",
    title: "database `{ dialect, type }` over a LibsqlDialect given a secret URL: libSQL/Turso, through Kysely's dialect table",
    source: `import { betterAuth } from "better-auth";\nimport { LibsqlDialect } from "@libsql/kysely-libsql";\n${handler(`const dialect = new LibsqlDialect({ url: env.TURSO_URL, authToken: env.TURSO_TOKEN });
const auth = betterAuth({ database: { dialect, type: "sqlite" } });
await auth.api.getSession({ headers: request.headers });`)}`,
    subrequests: [["sdk", "libsql", "backend"]],
    roundTrips: 2,
  },
  {
    library: "better-auth",
    title: "a dialect itself as its database (`database: new NeonDialect(...)`): Neon",
    source: `import { betterAuth } from "better-auth";\nimport { NeonDialect } from "kysely-neon";\n${handler(`const auth = betterAuth({ database: new NeonDialect({ connectionString: env.DATABASE_URL }) });
await auth.api.signOut({ headers: request.headers });`)}`,
    subrequests: [["sdk", "neon", "backend"]],
    roundTrips: 1,
  },
  {
    library: "better-auth",
    title: "database `{ dialect: new D1Dialect({ database: env.DB }), type }` written in place: the D1 binding",
    source: `import { betterAuth } from "better-auth";\nimport { D1Dialect } from "kysely-d1";\n${handler(`const auth = betterAuth({ database: { dialect: new D1Dialect({ database: env.DB }), type: "sqlite" } });
await auth.api.getSession({ headers: request.headers });`)}`,
    bindings: { d1: ["DB"] },
    subrequests: [["d1", "DB", "backend"]],
    roundTrips: 2,
  },
  {
    library: "better-auth",
    title: "api.getSession() is two round trips to the auth database (through the Drizzle adapter)",
    source: `import { betterAuth } from "better-auth";\nimport { drizzleAdapter } from "better-auth/adapters/drizzle";\nimport { drizzle } from "drizzle-orm/postgres-js";\nimport postgres from "postgres";\n${handler(`const db = drizzle(postgres(env.DB_URL));
const auth = betterAuth({ database: drizzleAdapter(db, { provider: "pg" }) });
const session = await auth.api.getSession({ headers: request.headers });`)}`,
    vars: DB_URL,
    subrequests: [["sdk", "pg.example.com", "backend"]],
    roundTrips: 2,
  },
  {
    library: "better-auth",
    title:
      "handler(request) is four round trips (an email sign-up or a first OAuth sign-in); signInEmail three, signOut one; made per request by a factory, no unknown",
    source: `import { betterAuth } from "better-auth";\nimport { drizzleAdapter } from "better-auth/adapters/drizzle";\nimport { drizzle } from "drizzle-orm/neon-http";\nimport { neon } from "@neondatabase/serverless";
const makeAuth = (url: string) => betterAuth({ database: drizzleAdapter(drizzle(neon(url)), { provider: "pg" }) });
${handler(`const auth = makeAuth(env.DB_URL);
if (request.method === "PUT") return auth.handler(request);
if (request.method === "POST") { await auth.api.signInEmail({ body: { email: "a@b.c", password: "p" } }); await auth.api.signOut({ headers: request.headers }); }`)}`,
    vars: DB_URL,
    subrequests: [
      ["sdk", "neon", "backend"],
      ["sdk", "neon", "backend"],
      ["sdk", "neon", "backend"],
    ],
    roundTrips: 4,
    unknowns: 0,
  },
  {
    library: "OpenAuth client",
    title: "verify() made per request reads the issuer's metadata then its key set (two to the issuer URL); authorize() sends nothing",
    source: `import { createClient } from "@openauthjs/openauth/client";\nconst subjects: any = {};\n${handler(`const client = createClient({ clientID: "web", issuer: env.ISSUER_URL });
await client.authorize("https://app.example.com/callback", "code");
const verified = await client.verify(subjects, request.headers.get("authorization") ?? "");`)}`,
    vars: { ISSUER_URL: "https://auth.example.com" },
    subrequests: [["sdk", "auth.example.com", "backend"]],
    roundTrips: 2,
  },
  {
    library: "AT Protocol OAuth",
    title:
      "authorize(handle): four round trips to the account's PDS and authorization server, the app's stateStore.set (a D1 insert, followed), then the pushed authorization request",
    source: `import { NodeOAuthClient } from "@atproto/oauth-client-node";\n${handler(`const client = new NodeOAuthClient({
  clientMetadata: {} as any,
  stateStore: {
    async get(key: string) { return undefined; },
    async set(key: string, value: unknown) { await env.DB.prepare("insert into state values (?, ?)").bind(key, JSON.stringify(value)).run(); },
    async del(key: string) {},
  },
  sessionStore: { async get() { return undefined; }, async set() {}, async del() {} },
});
const url = await client.authorize("alice.bsky.social");`)}`,
    bindings: { d1: ["DB"] },
    subrequests: [
      ["d1", "DB", "backend"],
      ["sdk", "bsky.social", "backend"],
    ],
    roundTrips: 6,
  },
  {
    library: "remix-auth",
    title:
      "authenticate(name) runs the named strategy (Discord: token and profile at discord.com) then the verify function, whose D1 query follows; isAuthenticated sends nothing",
    source: `import { Authenticator } from "remix-auth";\nimport { DiscordStrategy } from "remix-auth-discord";\nimport { FormStrategy } from "remix-auth-form";\n${handler(`const auth = new Authenticator<{ id: string }>(env.SESSIONS);
auth.use(new FormStrategy(async () => ({ id: "form" })), "form");
auth.use(new DiscordStrategy({ clientID: "a", clientSecret: "b", callbackURL: "/cb" }, async ({ profile }: any) => {
  const row = await env.DB.prepare("select id from users where discord = ?").bind(profile.id).first();
  return { id: String(row?.id) };
}));
await auth.isAuthenticated(request);
await auth.authenticate("discord", request);`)}`,
    bindings: { d1: ["DB"] },
    subrequests: [
      ["d1", "DB", "backend"],
      ["sdk", "discord.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "remix-auth",
    title: "authenticate(name) of the form strategy sends nothing itself: its verify function's round trip only",
    source: `import { Authenticator } from "remix-auth";\nimport { FormStrategy } from "remix-auth-form";\n${handler(`const auth = new Authenticator<{ id: string }>(env.SESSIONS);
auth.use(new FormStrategy(async () => {
  const res = await fetch("https://users.example.com/check");
  return { id: await res.text() };
}), "user-pass");
await auth.authenticate("user-pass", request);`)}`,
    subrequests: [["fetch", "users.example.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Payload",
    title: "a REST route handler is three round trips to the database its config's db adapter reaches",
    source: `import { REST_GET } from "@payloadcms/next/routes";\nimport { postgresAdapter } from "@payloadcms/db-postgres";\nimport { buildConfig } from "payload";\n${handler(`const config = buildConfig({ collections: [], db: postgresAdapter({ pool: { connectionString: env.DB_URL } }) });
const GET = REST_GET(config);
return GET(request);`)}`,
    vars: DB_URL,
    subrequests: [["sdk", "pg.example.com", "backend"]],
    roundTrips: 3,
  },
  {
    library: "Lucia",
    title: "validateSession is one round trip; cookie helpers are not",
    source: `import { Lucia } from "lucia";\nimport { NodePostgresAdapter } from "@lucia-auth/adapter-postgresql";\nimport { Pool } from "pg";\n${handler(`const pool = new Pool({ connectionString: env.DB_URL });
const lucia = new Lucia(new NodePostgresAdapter(pool, { user: "users", session: "sessions" }));
const id = lucia.readSessionCookie(request.headers.get("cookie") ?? "");
const { session } = await lucia.validateSession(id ?? "");
lucia.createBlankSessionCookie();`)}`,
    vars: DB_URL,
    subrequests: [["sdk", "pg.example.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Auth.js",
    title: "Auth(request, config) depends on the route: counted once, reported unknown",
    source: `import { Auth } from "@auth/core";\nimport PostgresAdapter from "@auth/pg-adapter";\nimport { Pool } from "pg";\n${handler(`const pool = new Pool({ connectionString: env.DB_URL });
return Auth(request, { adapter: PostgresAdapter(pool), providers: [] });`)}`,
    vars: DB_URL,
    subrequests: [["sdk", "pg.example.com", "backend"]],
    roundTrips: 1,
    unknowns: 1,
  },
  {
    library: "Auth.js",
    title:
      "SvelteKitAuth: its OAuth callback route is three round trips to GitHub (the token, the user, its e-mail addresses when the profile shows none); locals.auth() with JWT sessions is none",
    source: `import { SvelteKitAuth } from "@auth/sveltekit";
import GitHub from "@auth/sveltekit/providers/github";
export const { handle } = SvelteKitAuth({ providers: [GitHub({ clientId: "id" })] });
${handler(`const locals: any = {};
const session = await locals.auth();`)}`,
    subrequests: [["sdk", "github.com", "backend"]],
    roundTrips: 3,
  },
  {
    library: "TypeORM",
    title:
      "initialize(), repository and manager calls and a query builder's getMany() are one round trip each; save() three (its own transaction); getRepository(), create() none",
    source: `import { DataSource } from "typeorm";
class User {}
${handler(`const source = new DataSource({ type: "mysql", url: env.DB_URL, entities: [User] });
await source.initialize();
const users = source.getRepository(User);
const user = users.create({});
await users.save(user);
await source.manager.findOneBy(User, { id: 1 });
await users.createQueryBuilder("u").where("u.id = :id", { id: 1 }).getMany();`)}`,
    vars: { DB_URL: "mysql://app@mysql.example.com/app" },
    subrequests: [
      ["sdk", "mysql.example.com", "backend"],
      ["sdk", "mysql.example.com", "backend"],
      ["sdk", "mysql.example.com", "backend"],
      ["sdk", "mysql.example.com", "backend"],
    ],
    roundTrips: 6,
  },
  {
    library: "TypeORM",
    title: "a URL held in a secret: the back end is named by the driver in `type`",
    source: `import { DataSource } from "typeorm";
${handler(`const source = new DataSource({ type: "postgres", url: env.DATABASE_URL });
await source.initialize();
await source.query("select 1");`)}`,
    subrequests: [
      ["sdk", "postgresql", "backend"],
      ["sdk", "postgresql", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Webflow",
    title: "each awaited API call is one round trip to api.webflow.com",
    source: `import { WebflowClient } from "webflow-api";
${handler(`const webflow = new WebflowClient({ accessToken: env.WEBFLOW_TOKEN });
const { sites } = await webflow.sites.list();
await webflow.collections.items.listItems(sites[0].id);`)}`,
    subrequests: [
      ["sdk", "api.webflow.com", "backend"],
      ["sdk", "api.webflow.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Clerk",
    title: "session checks (verifyToken, authenticateRequest, getAuth) are local; Backend API calls go to Clerk",
    source: `import { createClerkClient, verifyToken } from "@clerk/backend";\nimport { getAuth } from "@clerk/remix/ssr.server";\n${handler(`const clerk = createClerkClient({ secretKey: env.CLERK_SECRET_KEY });
const claims = await verifyToken(request.headers.get("authorization") ?? "", { jwtKey: env.CLERK_JWT_KEY });
await clerk.authenticateRequest(request, { jwtKey: env.CLERK_JWT_KEY });
const { userId } = await getAuth({ request, context: {}, params: {} } as any);
await clerk.users.getUser(userId ?? claims.sub);`)}`,
    subrequests: [["sdk", "api.clerk.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Sanity",
    title: "reads through the CDN (useCdn: true) are global; useCdn: false reads and a mutation go to the project's API",
    source: `import { createClient } from "@sanity/client";\n${handler(`const cdn = createClient({ projectId: "abc123", dataset: "production", useCdn: true });
const api = createClient({ projectId: "abc123", dataset: "production", useCdn: false, token: env.SANITY_TOKEN });
await cdn.fetch("*[_type == 'post']");
await api.fetch("*[_type == 'draft']");
await cdn.patch("doc").set({ seen: true }).commit();`)}`,
    subrequests: [
      ["sdk", "abc123.apicdn.sanity.io", "global"],
      ["sdk", "abc123.api.sanity.io", "backend"],
      ["sdk", "abc123.api.sanity.io", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "ky",
    title: "ky.get(url).json(), ky(url), a ky.create({ prefixUrl }) client extended then post(path), and the same in one chain",
    source: `import ky from "ky";\n${handler(`const user = await ky.get("https://api.users.example.com/me").json();
await ky("https://api.billing.example.com/plan");
const llm = ky.create({ prefixUrl: "https://llm.example.com/v1" }).extend({ timeout: 60000 });
await llm.post("chat/completions", { json: { user } }).json();
await ky.create({ prefixUrl: "https://audit.example.com" }).extend({ timeout: 1000 }).post("events");`)}`,
    subrequests: [
      ["fetch", "api.users.example.com", "backend"],
      ["fetch", "api.billing.example.com", "backend"],
      ["fetch", "llm.example.com", "backend"],
      ["fetch", "audit.example.com", "backend"],
    ],
    roundTrips: 4,
  },
  {
    library: "axios",
    title: "axios.get(url), axios(config), axios.create({ baseURL }) then a path; interceptors send nothing",
    source: `import axios from "axios";\n${handler(`const api = axios.create({ baseURL: "https://api.shop.example.com" });
api.interceptors.request.use((c) => c);
const { data } = await axios.get("https://auth.example.com/session");
await axios({ url: "https://audit.example.com/log", method: "post", data });
await api.post("/orders", data);`)}`,
    subrequests: [
      ["fetch", "auth.example.com", "backend"],
      ["fetch", "audit.example.com", "backend"],
      ["fetch", "api.shop.example.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "redaxios",
    title: "as axios: a GET then a client with a baseURL",
    source: `import axios from "redaxios";\n${handler(`await axios.get("https://api.one.example.com/a");
const two = axios.create({ baseURL: "https://api.two.example.com" });
await two.get("/b");`)}`,
    subrequests: [
      ["fetch", "api.one.example.com", "backend"],
      ["fetch", "api.two.example.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "ofetch",
    title: "ofetch(url), $fetch(url) imported from ofetch, and ofetch.create({ baseURL })",
    source: `import { ofetch, $fetch } from "ofetch";\n${handler(`const a = await ofetch("https://api.a.example.com/x");
await $fetch("https://api.b.example.com/y", { method: "POST", body: a });
const c = ofetch.create({ baseURL: "https://api.c.example.com" });
await c("/z");`)}`,
    subrequests: [
      ["fetch", "api.a.example.com", "backend"],
      ["fetch", "api.b.example.com", "backend"],
      ["fetch", "api.c.example.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "openapi-fetch",
    title: "client.GET/POST(path) on createClient({ baseUrl }) are one round trip each; use(middleware) sends nothing",
    source: `import createClient from "openapi-fetch";\n${handler(`const api = createClient({ baseUrl: "https://api.o.example.com" });
api.use({ onRequest: ({ request }) => request });
const me = await api.GET("/me");
await api.POST("/orders", { body: { owner: me.data } });`)}`,
    subrequests: [
      ["fetch", "api.o.example.com", "backend"],
      ["fetch", "api.o.example.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "wretch",
    title: "wretch(url).get().json() is one request per chain; a held builder with headers() sends nothing",
    source: `import wretch from "wretch";\n${handler(`const base = wretch("https://api.w.example.com").headers({ accept: "application/json" });
const items = await base.get().json();
await wretch("https://hooks.example.com/n").post({ items }).res();`)}`,
    subrequests: [
      ["fetch", "api.w.example.com", "backend"],
      ["fetch", "hooks.example.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "up-fetch",
    title: "the function up(fetch) makes: each call is a request to its URL",
    source: `import { up } from "up-fetch";\n${handler(`const upfetch = up(fetch);
await upfetch("https://api.up.example.com/todos");`)}`,
    subrequests: [["fetch", "api.up.example.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "got",
    title: "got(url) and got.extend({ prefixUrl }) then a path",
    source: `import got from "got";\n${handler(`await got("https://api.g.example.com/a").json();
const client = got.extend({ prefixUrl: "https://api.h.example.com" });
await client.get("b");`)}`,
    subrequests: [
      ["fetch", "api.g.example.com", "backend"],
      ["fetch", "api.h.example.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "WorkOS",
    title: "an API call",
    source: `import { WorkOS } from "@workos-inc/node";\n${handler(`const workos = new WorkOS(env.WORKOS_KEY);
await workos.userManagement.getUser("u");`)}`,
    subrequests: [["sdk", "api.workos.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Vercel AI SDK",
    title: "generateText then embed: two round trips to the model provider, named by the model's provider package",
    source: `import { generateText, embed } from "ai";\nimport { openai } from "@ai-sdk/openai";\n${handler(`const { text } = await generateText({ model: openai("gpt-4o-mini"), prompt: "hi" });
await embed({ model: openai.embedding("text-embedding-3-small"), value: text });`)}`,
    subrequests: [
      ["sdk", "api.openai.com", "backend"],
      ["sdk", "api.openai.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Vercel AI SDK",
    title:
      "a model given as an id string (the default provider, the Vercel AI Gateway), or wrapped by a Groq model held in a name: ai-gateway.vercel.sh, then api.groq.com",
    source: `import { generateText, wrapLanguageModel } from "ai";\nimport { createGroq } from "@ai-sdk/groq";\n${handler(`await generateText({ model: "openai/gpt-4o", prompt: "hi" });
const groq = createGroq({ apiKey: env.KEY });
const fast = wrapLanguageModel({ model: groq("llama-3.1-8b-instant"), middleware: [] });
await generateText({ model: fast, prompt: "again" });`)}`,
    subrequests: [
      ["sdk", "ai-gateway.vercel.sh", "backend"],
      ["sdk", "api.groq.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Firestore",
    title: "getDoc and setDoc are round trips to Google: globally distributed",
    source: `import { getFirestore, doc, getDoc, setDoc } from "firebase/firestore/lite";\n${handler(`const db = getFirestore();
await getDoc(doc(db, "users", "1"));
await setDoc(doc(db, "users", "2"), {});`)}`,
    subrequests: [
      ["sdk", "firestore.googleapis.com", "global"],
      ["sdk", "firestore.googleapis.com", "global"],
    ],
    roundTrips: 0,
  },
  {
    library: "Firebase Admin",
    title: "collection() and doc() build; get() and set() send, to Google",
    source: `import { getFirestore } from "firebase-admin/firestore";\n${handler(`const db = getFirestore();
await db.collection("users").doc("1").get();
const ref = db.collection("users").doc("2");
await ref.set({});`)}`,
    subrequests: [
      ["sdk", "firestore.googleapis.com", "global"],
      ["sdk", "firestore.googleapis.com", "global"],
    ],
    roundTrips: 0,
  },
  {
    library: "Google APIs",
    title: "a Sheets call: globally distributed",
    source: `import { google } from "googleapis";\n${handler(`const sheets = google.sheets({ version: "v4" });
await sheets.spreadsheets.values.get({ spreadsheetId: "x", range: "A1" });`)}`,
    subrequests: [["sdk", "googleapis.com", "global"]],
    roundTrips: 0,
  },
  {
    library: "arctic",
    title:
      "each provider class reaches its token endpoint (GitHub a back end, Google global), a tenant's domain from [vars], an unlisted provider the fallback; createAuthorizationURL sends nothing",
    source: `import { GitHub, Google, Auth0, Bungie } from "arctic";\n${handler(`const github = new GitHub(env.GH_ID, env.GH_SECRET, null);
const url = github.createAuthorizationURL("state", ["read:user"]);
await github.validateAuthorizationCode("code");
const google = new Google(env.G_ID, env.G_SECRET, "https://app.example.com/cb");
await google.validateAuthorizationCode("code", "verifier");
const auth0 = new Auth0(env.AUTH0_DOMAIN, "id", "secret", "https://app.example.com/cb");
await auth0.refreshAccessToken("refresh");
await new Bungie("id", "secret", "https://app.example.com/cb").validateAuthorizationCode("code");`)}`,
    vars: { GH_ID: "Iv1.0123", G_ID: "123.apps.googleusercontent.com", AUTH0_DOMAIN: "acme.eu.auth0.com" },
    subrequests: [
      ["sdk", "github.com", "backend"],
      ["sdk", "oauth2.googleapis.com", "global"],
      ["sdk", "acme.eu.auth0.com", "backend"],
      ["sdk", "oauth-provider", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "free-google-images",
    title: "searchRandom() through the default export and search() by name: each one request to Google, globally distributed",
    source: `import Pictures from "free-google-images";\nimport { search } from "free-google-images";\n${handler(`const hit = await Pictures.searchRandom("otter");
const all = await search("heron");`)}`,
    subrequests: [
      ["sdk", "www.google.com", "global"],
      ["sdk", "www.google.com", "global"],
    ],
    roundTrips: 0,
  },
  {
    library: "Stripe",
    title: "an API call; verifying a webhook (also the Async forms with Web Crypto) sends nothing",
    source: `import Stripe from "stripe";\n${handler(`const stripe = new Stripe(env.STRIPE_KEY);
stripe.webhooks.constructEvent("body", "sig", "secret");
await stripe.webhooks.constructEventAsync("body", "sig", "secret", undefined, Stripe.createSubtleCryptoProvider());
await stripe.webhooks.signature.verifyHeaderAsync("body", "sig", "secret");
await stripe.customers.create({ email: "a@example.com" });`)}`,
    subrequests: [["sdk", "api.stripe.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "OpenAI",
    title: "a completion",
    source: `import OpenAI from "openai";\n${handler(`const openai = new OpenAI({ apiKey: env.KEY });
await openai.chat.completions.create({ model: "m", messages: [] });`)}`,
    subrequests: [["sdk", "api.openai.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Anthropic",
    title: "a message",
    source: `import Anthropic from "@anthropic-ai/sdk";\n${handler(`const anthropic = new Anthropic({ apiKey: env.KEY });
await anthropic.messages.create({ model: "m", max_tokens: 1, messages: [] });`)}`,
    subrequests: [["sdk", "api.anthropic.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Cloudflare API",
    title: "the zones of the account, then a DNS record: two round trips to api.cloudflare.com",
    source: `import Cloudflare from "cloudflare";\n${handler(`const cf = new Cloudflare({ apiToken: env.CF_TOKEN });
const zones = await cf.zones.list({ name: "example.com" });
await cf.dns.records.create({ zone_id: zones.result[0].id, type: "A", name: "www", content: "192.0.2.1" });`)}`,
    subrequests: [
      ["sdk", "api.cloudflare.com", "backend"],
      ["sdk", "api.cloudflare.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "LangChain OpenAI",
    title: "a chat call after bindTools and an embedding; binding tools and piping send nothing",
    source: `import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";\n${handler(`const model = new ChatOpenAI({ model: "m", apiKey: env.KEY });
const withTools = model.bindTools([]);
await withTools.invoke("hi");
const embeddings = new OpenAIEmbeddings({ apiKey: env.KEY });
await embeddings.embedQuery("text");`)}`,
    subrequests: [
      ["sdk", "api.openai.com", "backend"],
      ["sdk", "api.openai.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "LangChain Anthropic",
    title: "a chat call",
    source: `import { ChatAnthropic } from "@langchain/anthropic";\n${handler(`const model = new ChatAnthropic({ model: "m" });
await model.withStructuredOutput({}).invoke("hi");`)}`,
    subrequests: [["sdk", "api.anthropic.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "LangChain Supabase vector store",
    title: "a similarity search is the query's embedding, then the database; asRetriever sends nothing",
    source: `import { SupabaseVectorStore } from "@langchain/community/vectorstores/supabase";\n${handler(`const store = await SupabaseVectorStore.fromExistingIndex(env.EMBEDDINGS, { tableName: "docs" });
const retriever = store.asRetriever();
await store.similaritySearch("query", 4);`)}`,
    subrequests: [["sdk", "supabase", "backend"]],
    roundTrips: 2,
  },
  {
    library: "GitHub",
    title: "a REST call",
    source: `import { Octokit } from "@octokit/rest";\n${handler(`const octokit = new Octokit({ auth: env.TOKEN });
await octokit.rest.repos.get({ owner: "o", repo: "r" });`)}`,
    subrequests: [["sdk", "api.github.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "GitHub request",
    title: "@octokit/request under another name, then @octokit/graphql: one round trip each; `graphql.defaults(...)` none",
    source: `import { request as gh } from "@octokit/request";
import { graphql } from "@octokit/graphql";\n${handler(`const repo = await gh("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
const authed = graphql.defaults({ headers: { authorization: String(repo.status) } });
await graphql("query { viewer { login } }", { headers: { authorization: String(repo.status) } });
void authed;`)}`,
    subrequests: [
      ["sdk", "api.github.com", "backend"],
      ["sdk", "api.github.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Hono OAuth providers",
    title: "route middleware: the code exchanged for a token, then the user read, before the handler",
    source: `import { Hono } from "hono";
import { githubAuth } from "@hono/oauth-providers/github";
const app = new Hono();
app.get("/login", githubAuth({ scope: ["read:user"] }), (c) => c.json(c.get("user-github" as never)));
export default app;`,
    subrequests: [["sdk", "github.com", "backend"]],
    roundTrips: 2,
  },
  {
    library: "GitHub App",
    title: "a webhook handler's calls run inside receive, after the installation token",
    source: `import { App } from "@octokit/app";\n${handler(`const app = new App({ appId: env.ID, privateKey: env.KEY, webhooks: { secret: env.S } });
app.webhooks.on("issues.opened", async ({ octokit }) => {
  await octokit.request("GET /repos/o/r/labels");
  await octokit.request("POST /repos/o/r/issues/1/labels", { labels: ["x"] });
});
await app.webhooks.receive({ id: "1", name: "issues", payload: await request.json() } as never);`)}`,
    subrequests: [
      ["sdk", "api.github.com", "backend"],
      ["sdk", "api.github.com", "backend"],
      ["sdk", "api.github.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "Resend",
    title: "sending an email",
    source: `import { Resend } from "resend";\n${handler(`const resend = new Resend(env.KEY);
await resend.emails.send({ from: "a@example.com", to: "b@example.com", subject: "s", html: "h" });`)}`,
    subrequests: [["sdk", "api.resend.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Resend",
    title: "a webhook's signature is checked in the Worker; forwarding the received email is three round trips",
    source: `import { Resend } from "resend";\n${handler(`const resend = new Resend(env.KEY);
const event = resend.webhooks.verify({ payload: await request.text(), headers: { id: "i", timestamp: "t", signature: "s" }, webhookSecret: env.SECRET });
if (event.type !== "email.received") return new Response("ok");
await resend.emails.receiving.forward({ emailId: event.data.email_id, to: "a@example.com", from: "b@example.com" });`)}`,
    subrequests: [["sdk", "api.resend.com", "backend"]],
    roundTrips: 3,
  },
  {
    library: "Resend",
    title: "verifying a domain is a round trip (only webhooks.verify is local)",
    source: `import { Resend } from "resend";\n${handler(`const resend = new Resend(env.KEY);
await resend.domains.verify("d_1");
await resend.emails.send({ from: "a@example.com", to: "b@example.com", subject: "s", html: "h" });`)}`,
    subrequests: [
      ["sdk", "api.resend.com", "backend"],
      ["sdk", "api.resend.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Pinata",
    title: "a file upload, then a signed upload URL",
    source: `import { PinataSDK } from "pinata";\n${handler(`const pinata = new PinataSDK({ pinataJwt: env.KEY });
await pinata.upload.public.file(new File(["x"], "x.txt"));
await pinata.upload.public.createSignedURL({ expires: 30 });`)}`,
    subrequests: [
      ["sdk", "api.pinata.cloud", "backend"],
      ["sdk", "api.pinata.cloud", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Twilio",
    title: "the default export is the factory",
    source: `import twilio from "twilio";\n${handler(`const client = twilio(env.SID, env.TOKEN);
await client.messages.create({ to: "+1", from: "+2", body: "b" });`)}`,
    subrequests: [["sdk", "api.twilio.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "DynamoDB",
    title: "a document client made by a static factory, one send",
    source: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";\n${handler(`const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-1" }));
await doc.send(new GetCommand({ TableName: "t", Key: { id: 1 } }));`)}`,
    subrequests: [["sdk", "dynamodb.amazonaws.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Amazon S3",
    title: "one send",
    source: `import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";\n${handler(`const s3 = new S3Client({ region: "us-east-1" });
await s3.send(new GetObjectCommand({ Bucket: "b", Key: "k" }));`)}`,
    subrequests: [["sdk", "s3.amazonaws.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Amazon SES, SQS, Lambda",
    title: "one send each to SES and SQS; a Lambda invoke",
    source: `import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";\nimport { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\nimport { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda";\n${handler(`const ses = new SESv2Client({ region: "eu-west-1" });
await ses.send(new SendEmailCommand({}));
const sqs = new SQSClient({ region: "eu-west-1" });
await sqs.send(new SendMessageCommand({ QueueUrl: "q", MessageBody: "b" }));
await new LambdaClient({}).send(new InvokeCommand({ FunctionName: "f" }));`)}`,
    subrequests: [
      ["sdk", "amazonaws.com", "backend"],
      ["sdk", "amazonaws.com", "backend"],
      ["sdk", "amazonaws.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "Pinecone",
    title: "index() and namespace() only build; a query and an upsert",
    source: `import { Pinecone } from "@pinecone-database/pinecone";\n${handler(`const pc = new Pinecone({ apiKey: env.KEY });
const index = pc.index("docs").namespace("ns");
await index.query({ vector: [0.1], topK: 3 });
await pc.index("docs").upsert([{ id: "a", values: [0.1] }]);`)}`,
    subrequests: [
      ["sdk", "pinecone.io", "backend"],
      ["sdk", "pinecone.io", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Pinecone",
    title: "the v0 PineconeClient: init() and a query through Index()",
    source: `import { PineconeClient } from "@pinecone-database/pinecone";\n${handler(`const client = new PineconeClient();
await client.init({ apiKey: env.KEY, environment: "us-east1-gcp" });
await client.Index("docs").query({ queryRequest: { vector: [0.1], topK: 3 } });`)}`,
    subrequests: [
      ["sdk", "pinecone.io", "backend"],
      ["sdk", "pinecone.io", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Qdrant",
    title: "a search against the cluster URL",
    source: `import { QdrantClient } from "@qdrant/js-client-rest";\n${handler(`const q = new QdrantClient({ url: "https://abc.eu-central.aws.cloud.qdrant.io", apiKey: env.KEY });
await q.search("docs", { vector: [0.1], limit: 3 });`)}`,
    subrequests: [["sdk", "abc.eu-central.aws.cloud.qdrant.io", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Meilisearch",
    title: "index() only builds; a search at the host held in a secret",
    source: `import { MeiliSearch } from "meilisearch";\n${handler(`const client = new MeiliSearch({ host: env.MEILI_HOST, apiKey: env.KEY });
const movies = client.index("movies");
await movies.search("q");`)}`,
    subrequests: [["sdk", "meilisearch", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Typesense",
    title: "a chain of builders ending in a search is one round trip",
    source: `import Typesense from "typesense";\n${handler(`const client = new Typesense.Client({ nodes: [{ host: "x", port: 443, protocol: "https" }], apiKey: env.KEY });
const docs = client.collections("books").documents();
await docs.search({ q: "a", query_by: "title" });`)}`,
    subrequests: [["sdk", "typesense", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Algolia",
    title: "initIndex() only builds; a search",
    source: `import algoliasearch from "algoliasearch";\n${handler(`const client = algoliasearch(env.APP_ID, env.KEY);
const index = client.initIndex("products");
await index.search("shoe");`)}`,
    subrequests: [["sdk", "algolia.net", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Groq",
    title: "a chat completion",
    source: `import Groq from "groq-sdk";\n${handler(`const groq = new Groq({ apiKey: env.KEY });
await groq.chat.completions.create({ model: "m", messages: [] });`)}`,
    subrequests: [["sdk", "api.groq.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Mistral AI",
    title: "a chat completion",
    source: `import { Mistral } from "@mistralai/mistralai";\n${handler(`const mistral = new Mistral({ apiKey: env.KEY });
await mistral.chat.complete({ model: "m", messages: [] });`)}`,
    subrequests: [["sdk", "api.mistral.ai", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Cohere",
    title: "an embedding then a rerank",
    source: `import { CohereClientV2 } from "cohere-ai";\n${handler(`const cohere = new CohereClientV2({ token: env.KEY });
await cohere.embed({ texts: ["a"], model: "m" });
await cohere.rerank({ query: "q", documents: ["a"], model: "m" });`)}`,
    subrequests: [
      ["sdk", "api.cohere.com", "backend"],
      ["sdk", "api.cohere.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Replicate",
    title: "run() is one round trip",
    source: `import Replicate from "replicate";\n${handler(`const replicate = new Replicate({ auth: env.TOKEN });
await replicate.run("owner/model", { input: { prompt: "p" } });`)}`,
    subrequests: [["sdk", "api.replicate.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Google Gemini",
    title: "getGenerativeModel() only builds; generateContent goes to a global host; so does the new SDK",
    source: `import { GoogleGenerativeAI } from "@google/generative-ai";\nimport { GoogleGenAI } from "@google/genai";\n${handler(`const model = new GoogleGenerativeAI(env.KEY).getGenerativeModel({ model: "m" });
await model.generateContent("hi");
const ai = new GoogleGenAI({ apiKey: env.KEY });
await ai.models.generateContent({ model: "m", contents: "hi" });`)}`,
    subrequests: [
      ["sdk", "generativelanguage.googleapis.com", "global"],
      ["sdk", "generativelanguage.googleapis.com", "global"],
    ],
    roundTrips: 0,
  },
  {
    library: "LangChain Cloudflare",
    title: "a Vectorize store over Workers AI embeddings: Cloudflare's own services; asRetriever only builds",
    source: `import { CloudflareVectorizeStore, CloudflareWorkersAIEmbeddings } from "@langchain/cloudflare";\n${handler(`const embeddings = new CloudflareWorkersAIEmbeddings({ binding: env.AI });
const store = new CloudflareVectorizeStore(embeddings, { index: env.INDEX });
await store.addDocuments([{ pageContent: "a", metadata: {} }]);
const retriever = store.asRetriever();
await embeddings.embedQuery("q");`)}`,
    subrequests: [
      ["sdk", "workers-ai", "global"],
      ["sdk", "workers-ai", "global"],
    ],
    roundTrips: 0,
  },
  {
    library: "Hugging Face Inference",
    title: "a text generation",
    source: `import { InferenceClient } from "@huggingface/inference";\n${handler(`const hf = new InferenceClient(env.HF_TOKEN);
await hf.chatCompletion({ model: "m", messages: [] });`)}`,
    subrequests: [["sdk", "router.huggingface.co", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Notion",
    title: "a database query, then the blocks of its first page",
    source: `import { Client } from "@notionhq/client";\n${handler(`const notion = new Client({ auth: env.NOTION_TOKEN });
const pages = await notion.databases.query({ database_id: env.DB_ID });
await notion.blocks.children.list({ block_id: pages.results[0].id });`)}`,
    subrequests: [
      ["sdk", "api.notion.com", "backend"],
      ["sdk", "api.notion.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Notion",
    title: "collectPaginatedAPI calls the method it is given once per page: a loop",
    source: `import { Client, collectPaginatedAPI } from "@notionhq/client";\n${handler(`const notion = new Client({ auth: env.NOTION_TOKEN });
await collectPaginatedAPI(notion.blocks.children.list, { block_id: "b" });`)}`,
    subrequests: [["sdk", "api.notion.com", "backend"]],
    roundTrips: 2,
  },
  {
    library: "Notion",
    title: "an unknown library's function given the client is one round trip to api.notion.com by assumption",
    source: `import { Client } from "@notionhq/client";\nimport { renderPage } from "notion-render-kit";\n${handler(`const notion = new Client({ auth: env.NOTION_TOKEN });
await renderPage(notion, "p");`)}`,
    subrequests: [["sdk", "api.notion.com", "unknown"]],
    roundTrips: 1,
  },
  {
    library: "Contentful",
    title: "an unknown library made with the client talks to the CDN: no back end, nothing unknown",
    source: `import { createClient } from "contentful";\nimport { RichPages } from "contentful-rich-pages";\n${handler(`const pages = new RichPages({ client: createClient({ space: "s", accessToken: env.TOKEN }) });
await pages.load("home");`)}`,
    subrequests: [["sdk", "cdn.contentful.com", "global"]],
    roundTrips: 0,
  },
  {
    library: "Airtable",
    title: "base() and the table call only build; firstPage() and find() send",
    source: `import Airtable from "airtable";\n${handler(`const base = new Airtable({ apiKey: env.KEY }).base("app1");
const records = await base("Tasks").select({ maxRecords: 3 }).firstPage();
await base("Tasks").find(records[0].id);`)}`,
    subrequests: [
      ["sdk", "api.airtable.com", "backend"],
      ["sdk", "api.airtable.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Contentful",
    title: "a delivery read goes to a global host",
    source: `import * as contentful from "contentful";\n${handler(`const client = contentful.createClient({ space: env.SPACE, accessToken: env.TOKEN });
await client.getEntries({ content_type: "post" });`)}`,
    subrequests: [["sdk", "cdn.contentful.com", "global"]],
    roundTrips: 0,
  },
  {
    library: "Shopify",
    title: "an Admin API GraphQL request",
    source: `import { createAdminApiClient } from "@shopify/admin-api-client";\n${handler(`const client = createAdminApiClient({ storeDomain: env.SHOP, apiVersion: "2025-01", accessToken: env.TOKEN });
await client.request("query { shop { name } }");`)}`,
    subrequests: [["sdk", "myshopify.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Linear",
    title: "creating an issue",
    source: `import { LinearClient } from "@linear/sdk";\n${handler(`const linear = new LinearClient({ apiKey: env.KEY });
await linear.createIssue({ teamId: "t", title: "x" });`)}`,
    subrequests: [["sdk", "api.linear.app", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Slack",
    title: "posting a message",
    source: `import { WebClient } from "@slack/web-api";\n${handler(`const slack = new WebClient(env.SLACK_TOKEN);
await slack.chat.postMessage({ channel: "c", text: "t" });`)}`,
    subrequests: [["sdk", "slack.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "slack-edge",
    title: "SlackAPIClient: each awaited Web API call is one round trip",
    source: `import { SlackAPIClient } from "slack-edge";\n${handler(`const client = new SlackAPIClient(env.SLACK_BOT_TOKEN);
const me = await client.auth.test();
await client.chat.postMessage({ channel: "c", text: String(me.user_id) });`)}`,
    subrequests: [
      ["sdk", "slack.com", "backend"],
      ["sdk", "slack.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "LINE Messaging API",
    title: "validateSignature() is local; a reply is one round trip",
    source: `import { messagingApi, validateSignature } from "@line/bot-sdk";\n${handler(`if (!validateSignature("body", env.SECRET, "sig")) return new Response("no", { status: 401 });
const client = new messagingApi.MessagingApiClient({ channelAccessToken: env.TOKEN });
await client.replyMessage({ replyToken: "r", messages: [{ type: "text", text: "hi" }] });`)}`,
    subrequests: [["sdk", "api.line.me", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Telegram Bot API (grammY, Telegraf)",
    title: "bot.api calls (grammY) and bot.telegram calls (Telegraf); registering a handler sends nothing",
    source: `import { Bot } from "grammy";\nimport { Telegraf } from "telegraf";\n${handler(`const bot = new Bot(env.BOT_TOKEN);
bot.command("start", () => {});
await bot.api.sendMessage(1, "hi");
const tg = new Telegraf(env.BOT_TOKEN);
await tg.telegram.sendMessage(1, "hi");`)}`,
    subrequests: [
      ["sdk", "api.telegram.org", "backend"],
      ["sdk", "api.telegram.org", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Discord REST",
    title: "setToken() only builds; a put",
    source: `import { REST } from "@discordjs/rest";\n${handler(`const rest = new REST({ version: "10" }).setToken(env.TOKEN);
await rest.put("/applications/1/commands", { body: [] });`)}`,
    subrequests: [["sdk", "discord.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "discord-hono",
    title: "createRest(token): each call of the REST function it returns; building a path sends nothing",
    source: `import { createRest } from "discord-hono";
${handler(`const rest = createRest(env.TOKEN);
const path = "/channels/{channel.id}/messages";
await rest("GET", "/users/@me");
await rest("POST", path, ["1"], { content: "hi" });`)}`,
    subrequests: [
      ["sdk", "discord.com", "backend"],
      ["sdk", "discord.com", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Carbon (Discord)",
    title: "the client's REST calls, an interaction typed CommandInteraction (reply, followUp); its option getters send nothing",
    source: `import { Client, type CommandInteraction } from "@buape/carbon";
async function answer(interaction: CommandInteraction) {
  const text = interaction.options.getString("text");
  await interaction.reply({ content: text ?? "" });
  await interaction.followUp({ content: "done" });
}
${handler(`const client = new Client({ baseUrl: "https://bot.example.com", clientId: "1", publicKey: "k", token: env.TOKEN }, {});
await client.rest.get("/users/@me");
await answer(undefined as any);`)}`,
    subrequests: [
      ["sdk", "discord.com", "backend"],
      ["sdk", "discord.com", "backend"],
      ["sdk", "discord.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "X (twitter-api-v2)",
    title: "a tweet",
    source: `import { TwitterApi } from "twitter-api-v2";\n${handler(`const client = new TwitterApi(env.TOKEN);
await client.v2.tweet("hello");`)}`,
    subrequests: [["sdk", "api.x.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "AT Protocol (@atproto/api)",
    title: "an agent for the service it is given: login, a timeline page and an api.app.bsky chain; setHeader is local",
    source: `import { AtpAgent } from "@atproto/api";\n${handler(`const agent = new AtpAgent({ service: "https://pds.example.org" });
agent.setHeader("x-client", "digest");
await agent.login({ identifier: env.HANDLE, password: env.PASSWORD });
await agent.getTimeline({ limit: 20 });
await agent.api.app.bsky.actor.getProfile({ actor: env.HANDLE });`)}`,
    subrequests: [
      ["sdk", "pds.example.org", "backend"],
      ["sdk", "pds.example.org", "backend"],
      ["sdk", "pds.example.org", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "AT Protocol (@atproto/api)",
    title: "a BskyAgent whose service is a secret: bsky.social stands for it",
    source: `import { BskyAgent } from "@atproto/api";\n${handler(`const agent = new BskyAgent({ service: env.PDS });
await agent.post({ text: "hi" });`)}`,
    subrequests: [["sdk", "bsky.social", "backend"]],
    roundTrips: 1,
  },
  {
    library: "SendGrid",
    title: "the default export is the client: setApiKey() is local, send() is one round trip",
    source: `import sgMail from "@sendgrid/mail";\n${handler(`sgMail.setApiKey(env.KEY);
await sgMail.send({ to: "a@example.com", from: "b@example.com", subject: "s", text: "t" });`)}`,
    subrequests: [["sdk", "api.sendgrid.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Mailgun",
    title: "client() only builds (mailgun.js); messages().send() is one (mailgun-js)",
    source: `import Mailgun from "mailgun.js";\nimport mailgun from "mailgun-js";\n${handler(`const mg = new Mailgun(FormData).client({ username: "api", key: env.KEY });
await mg.messages.create("example.com", { to: "a@example.com" });
const old = mailgun({ apiKey: env.KEY, domain: "example.com" });
await old.messages().send({ to: "a@example.com" });`)}`,
    subrequests: [
      ["sdk", "api.mailgun.net", "backend"],
      ["sdk", "api.mailgun.net", "backend"],
    ],
    roundTrips: 2,
  },
  {
    library: "Postmark",
    title: "a namespace import's ServerClient; one email",
    source: `import * as postmark from "postmark";\n${handler(`const client = new postmark.ServerClient(env.TOKEN);
await client.sendEmail({ From: "a@example.com", To: "b@example.com", Subject: "s", TextBody: "t" });`)}`,
    subrequests: [["sdk", "api.postmarkapp.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Mailchimp Marketing",
    title: "setConfig() is local; adding a list member is one round trip",
    source: `import mailchimp from "@mailchimp/mailchimp_marketing";\n${handler(`mailchimp.setConfig({ apiKey: env.KEY, server: "us1" });
await mailchimp.lists.addListMember("list", { email_address: "a@example.com", status: "subscribed" });`)}`,
    subrequests: [["sdk", "api.mailchimp.com", "backend"]],
    roundTrips: 1,
  },
  {
    library: "wtf_wikipedia",
    title: "wtf.fetch() is one round trip; parsing the page is local",
    source: `import wtf from "wtf_wikipedia";\n${handler(`const doc = await wtf.fetch("Toronto", "en");
const box = doc.infobox();`)}`,
    subrequests: [["sdk", "wikipedia.org", "backend"]],
    roundTrips: 1,
  },
  {
    library: "Redis (ioredis, node-redis)",
    title: "ioredis at its URL; node-redis connect() and a get",
    source: `import Redis from "ioredis";\nimport { createClient } from "redis";\n${handler(`const r = new Redis("redis://cache.example.com:6379");
r.on("error", () => {});
await r.get("k");
const client = createClient({ url: "redis://cache.example.com:6379" });
await client.connect();
await client.get("k");`)}`,
    subrequests: [
      ["sdk", "cache.example.com", "backend"],
      ["sdk", "cache.example.com", "backend"],
      ["sdk", "cache.example.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "oauth4webapi",
    title: "each *Request function is one round trip to the issuer discoveryRequest was given; process*Response and PKCE helpers are local",
    source: `import * as oauth from "oauth4webapi";\n${handler(`const issuer = new URL("https://idp.example.com");
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer));
const client = { client_id: "app" };
const verifier = oauth.generateRandomCodeVerifier();
await oauth.calculatePKCECodeChallenge(verifier);
const params = oauth.validateAuthResponse(as, client, new URL(request.url));
const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, "https://app.example/cb", verifier));
oauth.getValidatedIdTokenClaims(tokens);
await oauth.refreshTokenGrantRequest(as, client, oauth.None(), "rt");`)}`,
    subrequests: [
      ["sdk", "idp.example.com", "backend"],
      ["sdk", "idp.example.com", "backend"],
      ["sdk", "idp.example.com", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "openid-client",
    title:
      "v6: discovery(), authorizationCodeGrant(), fetchUserInfo() one each to the discovered server; buildAuthorizationUrl and random* local",
    source: `import * as client from "openid-client";\n${handler(`const config = await client.discovery(new URL("https://login.example.net"), "app", "secret");
const verifier = client.randomPKCECodeVerifier();
client.buildAuthorizationUrl(config, { code_challenge: await client.calculatePKCECodeChallenge(verifier), state: client.randomState() });
const tokens = await client.authorizationCodeGrant(config, request, { pkceCodeVerifier: verifier });
await client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck);`)}`,
    subrequests: [
      ["sdk", "login.example.net", "backend"],
      ["sdk", "login.example.net", "backend"],
      ["sdk", "login.example.net", "backend"],
    ],
    roundTrips: 3,
  },
  {
    library: "nodemailer",
    title: "sendMail() over SMTP at a literal host: an SMTP exchange of four round trips; use() and close() send nothing",
    source: `import nodemailer from "nodemailer";\n${handler(`const transporter = nodemailer.createTransport({ host: "smtp.example.com", port: 587, auth: { user: env.SMTP_USER, pass: env.SMTP_PASS } });
transporter.use("compile", () => {});
await transporter.sendMail({ from: "a@example.com", to: "b@example.com", subject: "hi", text: "hi" });
transporter.close();`)}`,
    subrequests: [["sdk", "smtp.example.com", "backend"]],
    roundTrips: 4,
  },
  {
    library: "worker-mailer",
    title: "WorkerMailer.connect() (greeting, EHLO) then send() (the envelope, the message): four round trips to the var's host",
    source: `import { WorkerMailer } from "worker-mailer";\n${handler(`const mailer = await WorkerMailer.connect({ host: env.SMTP_HOST, port: 587, credentials: { username: "u", password: env.SMTP_PASS } });
await mailer.send({ from: "a@example.com", to: "b@example.com", subject: "hi", text: "hi" });
await mailer.close();`)}`,
    vars: { SMTP_HOST: "mail.example.org" },
    subrequests: [
      ["sdk", "mail.example.org", "backend"],
      ["sdk", "mail.example.org", "backend"],
    ],
    roundTrips: 4,
  },
];

/** Drizzle over each driver, in each way of giving it the driver. */
const DRIZZLE_CASES: ReadonlyArray<{ module: string; setup: string; imports?: string; target: string; kind?: string; category?: string }> =
  [
    {
      module: "drizzle-orm/node-postgres",
      imports: `import { Pool } from "pg";`,
      setup: `drizzle({ client: new Pool({ connectionString: env.DB_URL }) })`,
      target: "pg.example.com",
    },
    {
      module: "drizzle-orm/postgres-js",
      imports: `import postgres from "postgres";`,
      setup: `drizzle(postgres(env.DB_URL))`,
      target: "pg.example.com",
    },
    { module: "drizzle-orm/neon-http", setup: `drizzle(env.DB_URL)`, target: "pg.example.com" },
    {
      module: "drizzle-orm/neon-serverless",
      imports: `import { Pool } from "@neondatabase/serverless";`,
      setup: `drizzle({ client: new Pool({ connectionString: env.DB_URL }) })`,
      target: "pg.example.com",
    },
    {
      module: "drizzle-orm/libsql",
      setup: `drizzle({ connection: { url: env.TURSO_URL, authToken: env.TOKEN } })`,
      target: "app-acme.turso.io",
    },
    {
      module: "drizzle-orm/planetscale-serverless",
      imports: `import { Client } from "@planetscale/database";`,
      setup: `drizzle(new Client({ host: "aws.connect.psdb.cloud", username: env.U, password: env.P }))`,
      target: "aws.connect.psdb.cloud",
    },
    { module: "drizzle-orm/mysql2", setup: `drizzle(env.SECRET_MYSQL_URL)`, target: "mysql" },
    { module: "drizzle-orm/d1", setup: `drizzle(env.DB)`, target: "DB", kind: "d1", category: "backend" },
    {
      module: "drizzle-orm/vercel-postgres",
      imports: `import { sql } from "@vercel/postgres";`,
      setup: `drizzle({ client: sql })`,
      target: "postgresql",
    },
  ];

const resultOf = (a: ReturnType<typeof one>): Array<[string, string | null, string]> =>
  a.subrequests.map((s) => [s.kind, s.target, s.category]);

describe("the library table, entry by entry", () => {
  for (const c of CASES) {
    it(`${c.library}: ${c.title}`, () => {
      const a = one(c.source, { vars: c.vars ?? {}, bindings: c.bindings ?? {} });
      assert.deepEqual(resultOf(a), c.subrequests);
      assert.equal(a.roundTrips, c.roundTrips);
      assert.equal(a.unknowns.length, c.unknowns ?? 0, a.unknowns.join("\n"));
    });
  }

  it("every library in the table has a case", () => {
    assert.deepEqual(
      LIBRARIES.map((l) => l.name).filter((name) => !CASES.some((c) => c.library === name)),
      [],
    );
  });

  for (const d of DRIZZLE_CASES) {
    it(`Drizzle over ${d.module.slice("drizzle-orm/".length)}: ${d.setup}`, () => {
      const source = `import { drizzle } from "${d.module}";\n${d.imports ?? ""}\nconst users: any = {};\n${handler(`const db = ${d.setup};
await db.select().from(users);
await db.query.users.findFirst();`)}`;
      const a = one(source, {
        vars: { ...DB_URL, TURSO_URL: "libsql://app-acme.turso.io" },
        bindings: { d1: ["DB"] },
      });
      const kind = d.kind ?? "sdk";
      const category = d.category ?? "backend";
      assert.deepEqual(resultOf(a), [
        [kind, d.target, category],
        [kind, d.target, category],
      ]);
      assert.equal(a.roundTrips, category === "backend" ? 2 : 0);
    });
  }

  it("every Drizzle driver has a case", () => {
    assert.deepEqual(
      Object.keys(DRIZZLE_DRIVERS).filter((m) => !DRIZZLE_CASES.some((d) => d.module === m)),
      [],
    );
  });

  it("a library's distribution decides its category", () => {
    for (const library of LIBRARIES) {
      assert.equal(libraryFor(library.packages[0]!), library);
      assert.ok(library.why.length > 0 && library.cost.length > 0, library.name);
    }
    assert.deepEqual(
      LIBRARIES.filter((l) => l.distribution === "global").map((l) => l.name),
      ["Firestore", "Firebase Admin", "Google APIs", "free-google-images", "LangChain Cloudflare", "Google Gemini", "Contentful"],
    );
  });
});

describe("subpath entry points", () => {
  it("a subpath of a known package is that package's library, unless the subpath has an entry of its own", () => {
    assert.equal(libraryFor("better-auth/minimal")?.name, "better-auth");
    assert.equal(libraryFor("stripe/lib")?.name, "Stripe");
    assert.equal(libraryFor("openai/resources")?.name, "OpenAI");
    assert.equal(libraryFor("@upstash/redis/fastly")?.name, "Upstash Redis");
    assert.equal(libraryFor("@prisma/client/edge")?.name, "Prisma Accelerate");
    assert.equal(libraryFor("@prisma/client/runtime/library")?.name, "Prisma");
    assert.equal(libraryFor("stripe-lite"), undefined);
    assert.equal(libraryFor("./stripe"), undefined);
    assert.equal(packageOf("@scope/pkg/sub/path"), "@scope/pkg");
    assert.equal(packageOf("pkg/sub"), "pkg");
  });

  it("a Prisma client generated into the project is read as the Prisma build it is", () => {
    assert.equal(generatedPrismaModule("./generated/prisma"), "@prisma/client");
    assert.equal(generatedPrismaModule("../generated/prisma/"), "@prisma/client");
    assert.equal(generatedPrismaModule("../../generated/prisma/client"), "@prisma/client");
    assert.equal(generatedPrismaModule("./generated/prisma/client.js"), "@prisma/client");
    assert.equal(generatedPrismaModule("./generated/prisma/index.js"), "@prisma/client");
    assert.equal(generatedPrismaModule("@/generated/prisma"), "@prisma/client");
    assert.equal(generatedPrismaModule("~/generated/prisma/client"), "@prisma/client");
    assert.equal(generatedPrismaModule("../node_modules/.prisma/client"), "@prisma/client");
    assert.equal(generatedPrismaModule("./generated/prisma/edge"), "@prisma/client/edge");
    assert.equal(generatedPrismaModule("./generated/prisma/wasm"), "@prisma/client/wasm");
    // The project's own module named after Prisma is its own code, and packages keep their names.
    assert.equal(generatedPrismaModule("./lib/prisma"), undefined);
    assert.equal(generatedPrismaModule("./generated/db"), undefined);
    assert.equal(generatedPrismaModule("./prisma"), undefined);
    assert.equal(generatedPrismaModule("@prisma/client"), undefined);
    assert.equal(generatedPrismaModule("generated/prisma"), undefined);
  });

  it("a model call on a client from a generated Prisma folder that is not in the project is one D1 round trip", () => {
    const a = one(
      `import { PrismaClient } from "../generated/prisma";\nimport { PrismaD1 } from "@prisma/adapter-d1";\n${handler(`const prisma = new PrismaClient({ adapter: new PrismaD1(env.DB) });
await prisma.user.findMany();`)}`,
      { bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(resultOf(a), [["d1", "DB", "backend"]]);
    assert.equal(a.roundTrips, 1);
    assert.equal(a.unknowns.length, 0);
  });

  it("better-auth/minimal's getSession counts as better-auth's: two round trips to its database", () => {
    const a = one(
      `import { betterAuth } from "better-auth/minimal";\nimport { Pool } from "pg";\n${handler(`const auth = betterAuth({ database: new Pool({ connectionString: env.DB_URL }) });
await auth.api.getSession({ headers: request.headers });`)}`,
      { vars: DB_URL },
    );
    assert.deepEqual(resultOf(a), [["sdk", "pg.example.com", "backend"]]);
    assert.equal(a.roundTrips, 2);
    assert.equal(a.unknowns.length, 0);
  });
});

describe("auth servers and unknown libraries", () => {
  it("an unknown SDK's factory makes a client, and what its awaited call gives is one too; not a factory given nothing or a binding", () => {
    const made = one(
      `import { makeShop } from "shop-kit";\n${handler(`const shop = makeShop(env.KEY);
const ctx = await shop.context(request);
for (const id of [1, 2, 3].filter(() => Math.random() > 0.5)) await ctx.http.patch(\`/p/\${id}\`);
const res = await ctx.http.get("/x");
await res.json();`)}`,
    );
    assert.deepEqual(resultOf(made), [
      ["other", null, "unknown"],
      ["other", null, "unknown"],
      ["other", null, "unknown"],
    ]);
    // context, the loop (twice), get; the body read sends nothing.
    assert.equal(made.roundTrips, 4);
    const accessor = one(`import { getInfo } from "some-framework";\n${handler(`const info = getInfo();\nawait info.ctx.load();`)}`);
    assert.equal(accessor.roundTrips, 0);
    const overBinding = one(
      `import { createStore } from "some-store";\n${handler(`const store = createStore(env.NS);\nawait store.get("k");`)}`,
      {
        bindings: { durableObjects: ["NS"] },
      },
    );
    assert.equal(overBinding.roundTrips, 0);
  });

  it("handlers registered with on() run inside an awaited receive() of the same object; Node's emit does not wait for them", () => {
    const hooks = one(
      `import { Hooks } from "hooks-lib";\n${handler(`const hooks = new Hooks(env.S);
hooks.on("a", async () => { await fetch("https://a.example.com/1"); await fetch("https://a.example.com/2"); });
hooks.on("b", async () => { await fetch("https://b.example.com/1"); });
await hooks.receive(await request.json());`)}`,
    );
    // The longest handler; receive itself is the library dispatching, not a round trip.
    assert.equal(hooks.roundTrips, 2);
    assert.deepEqual(
      hooks.subrequests.filter((r) => r.criticalPath).map((r) => r.target),
      ["a.example.com", "a.example.com", "b.example.com"],
    );
    const emitter = one(
      `import { EventEmitter } from "node:events";\n${handler(`const bus = new EventEmitter();
bus.on("a", async () => { await fetch("https://a.example.com/1"); await fetch("https://a.example.com/2"); });
await bus.emit("a");`)}`,
    );
    // Unchanged: an async function given to a call the analyser cannot read is taken as run where it is given.
    assert.equal(emitter.roundTrips, 2);
    assert.equal(emitter.unknowns.length, 0);
  });

  it("better-auth's handler: four round trips (its worst common endpoint), and another endpoint: counted once and unknown", () => {
    const a = one(
      `import { betterAuth } from "better-auth";\nimport { Pool } from "pg";\nconst auth = betterAuth({ database: new Pool({ connectionString: "postgres://u@auth-db.example.com/a" }) });\n${handler(`return auth.handler(request);`)}`,
    );
    assert.deepEqual(resultOf(a), [["sdk", "auth-db.example.com", "backend"]]);
    assert.equal(a.roundTrips, 4);
    assert.deepEqual(a.unknowns, []);
    assert.equal(a.subrequests[0]!.note, "better-auth handler(): 4 sequential round trips to auth-db.example.com");
    const other = one(
      `import { betterAuth } from "better-auth";\nimport { Pool } from "pg";\nconst auth = betterAuth({ database: new Pool({ connectionString: "postgres://u@auth-db.example.com/a" }) });\n${handler(`await auth.api.listUserAccounts({ headers: request.headers });`)}`,
    );
    assert.equal(other.roundTrips, 1);
    assert.equal(other.unknowns.length, 1);
    assert.match(other.unknowns[0]!, /^better-auth listUserAccounts\(\.\.\.\): its round trips depend on the request/);
  });

  it("Prisma over D1 and Prisma without an adapter", () => {
    const d1 = one(
      `import { PrismaClient } from "@prisma/client";\nimport { PrismaD1 } from "@prisma/adapter-d1";\n${handler(`const prisma = new PrismaClient({ adapter: new PrismaD1(env.DB) });\nawait prisma.user.findMany();`)}`,
      { bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(resultOf(d1), [["d1", "DB", "backend"]]);
    const plain = one(
      `import { PrismaClient } from "@prisma/client";\n${handler(`const prisma = new PrismaClient();\nawait prisma.user.findMany();`)}`,
    );
    assert.deepEqual(resultOf(plain), [["sdk", "prisma", "backend"]]);
  });

  it("an unknown library given a database client, awaited directly or through what it made: unknown, named", () => {
    const a = one(
      `import { Pool } from "pg";\nimport { verifySession } from "session-kit";\nimport { createServer } from "graph-server";\n${handler(`const pool = new Pool({ connectionString: env.DB_URL });
await verifySession(pool, request);
const server = createServer({ context: { db: pool } });
await server.run(request);`)}`,
      { vars: DB_URL },
    );
    assert.deepEqual(resultOf(a), [
      ["other", null, "unknown"],
      ["other", null, "unknown"],
    ]);
    assert.equal(a.roundTrips, 0);
    assert.equal(a.unknowns.length, 2);
    assert.match(a.unknowns[0]!, /^verifySession\(\.\.\.\) from "session-kit" is given a database client/);
    assert.match(a.unknowns[1]!, /^createServer\(\.\.\.\) from "graph-server" is given a database client/);
  });

  it("an unknown library given a D1 binding or a connection URL: unknown", () => {
    const a = one(
      `import { migrate } from "tiny-migrate";\nimport { cache } from "query-cache";\n${handler(`await migrate(env.DB);\nawait cache(env.DATABASE_URL);`)}`,
      {
        bindings: { d1: ["DB"] },
        vars: { DATABASE_URL: "postgres://u@pg.example.com/a" },
      },
    );
    assert.deepEqual(resultOf(a), [
      ["other", null, "unknown"],
      ["other", null, "unknown"],
    ]);
    assert.match(a.unknowns[0]!, /is given the D1 database DB/);
  });

  it("an awaited method of an unknown package's default or namespace import: unknown, named", () => {
    const a = one(
      `import wiki from "wiki-lib";\nimport * as feeds from "feed-client";\n${handler(`const doc = await wiki.fetch("Page", "en");\nawait feeds.get(doc.id);`)}`,
    );
    assert.deepEqual(resultOf(a), [
      ["other", null, "unknown"],
      ["other", null, "unknown"],
    ]);
    assert.equal(a.unknowns.length, 2);
    assert.match(
      a.unknowns[0]!,
      /^wiki\.fetch\(\.\.\.\) from "wiki-lib" is a function of a library the analyser does not know: it may make round trips/,
    );
    assert.match(a.unknowns[1]!, /^feeds\.get\(\.\.\.\) from "feed-client"/);
  });

  it("an awaited function of an unknown package given an http(s) URL (an OAuth helper and its token URL): unknown, named with the host", () => {
    const a = one(
      `import { exchangeCode } from "tiny-oauth";\nimport { getToken } from "other-oauth";\n${handler(`const t = await exchangeCode("https://id.twitch.tv/oauth2/token", "code");
const u = await getToken({ tokenUrl: env.TOKEN_URL, code: "code" });`)}`,
      { vars: { TOKEN_URL: "https://login.example.com/oauth/token" } },
    );
    assert.deepEqual(resultOf(a), [
      ["other", null, "unknown"],
      ["other", null, "unknown"],
    ]);
    assert.deepEqual(a.unknowns, [
      'exchangeCode(...) from "tiny-oauth", a library the analyser does not know, is given the URL https://id.twitch.tv/oauth2/token: it may make round trips to id.twitch.tv (index.ts:4)',
      'getToken(...) from "other-oauth", a library the analyser does not know, is given the URL https://login.example.com/oauth/token: it may make round trips to login.example.com (index.ts:5)',
    ]);
  });

  it("a package named after Google is not taken for Google: only a library the table knows is global", () => {
    // google-search-results-nodejs is SerpApi's client (serpapi.com); free-google-images scrapes www.google.com.
    const a = one(
      `import SerpApi from "google-search-results-nodejs";\nimport Pictures from "free-google-images";\n${handler(`await SerpApi.json({ q: "otter" });\nawait Pictures.search("otter");`)}`,
    );
    assert.deepEqual(resultOf(a), [
      ["other", null, "unknown"],
      ["sdk", "www.google.com", "global"],
    ]);
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0]!, /^SerpApi\.json\(\.\.\.\) from "google-search-results-nodejs" is a function of a library/);
  });

  it("awaited methods of packages that work in the Worker, and unawaited calls, are not flagged", () => {
    const a = one(
      `import bcrypt from "bcryptjs";\nimport * as jose from "jose";\nimport PostalMime from "postal-mime";\nimport * as Sentry from "@sentry/cloudflare";\nimport wiki from "wiki-lib";\n${handler(`await bcrypt.hash("p", 10);
await jose.jwtVerify("t", new Uint8Array(1));
await PostalMime.parse("raw");
await Sentry.flush(2000);
wiki.configure({});`)}`,
    );
    assert.deepEqual(resultOf(a), []);
    assert.equal(a.unknowns.length, 0);
  });

  it("the handler's request handed to an unknown package's handler is delegation, not flagged as a library call", () => {
    const a = one(
      `import handler from "some-framework/entry";\nexport default { async fetch(request: Request, env: any, ctx: any) { return handler.fetch(request, env, ctx); } };`,
    );
    assert.deepEqual(
      a.unknowns.filter((u) => u.includes("is a function of a library the analyser does not know")),
      [],
    );
  });

  it("a library's function returned by a helper whose callers use its value as it is: not flagged; awaited callers keep it", () => {
    const files = (use: string, typed = ""): Record<string, string> => ({
      "src/store.ts": `import * as sig from "tiny-signer";
export function signedStore(name: string) {
  return {
    sign(value: string)${typed} { return sig.sign(name, value); },
  };
}
export const session = signedStore("sid");`,
      "src/index.ts": `import { session } from "./store";
${handler(use)}`,
    });
    const unflagged = (a: ReturnType<typeof one>): string[] =>
      a.unknowns.filter((u) => u.includes("is a function of a library the analyser does not know"));
    // Used where it is written (a header's value): the call gives a string, not a round trip.
    const plain = analyse(
      files(`const token = session.sign("x");
return new Response("ok", { headers: { "set-cookie": token } });`),
    );
    assert.deepEqual(unflagged(plain), []);
    assert.deepEqual(resultOf(plain), []);
    // A caller that waits for it: it may be a round trip, as before.
    const awaited = analyse(
      files(`const token = await session.sign("x");
return new Response(token);`),
    );
    assert.equal(unflagged(awaited).length, 1);
    // Kept and waited for later: as awaited.
    const later = analyse(files(`const pending = session.sign("x");\nreturn new Response(await pending);`));
    assert.equal(unflagged(later).length, 1);
    // Declared to give a string: never a promise, whoever calls it.
    const typed = analyse(
      files(
        `const token = await session.sign("x");
return new Response(token);`,
        ": string",
      ),
    );
    assert.deepEqual(unflagged(typed), []);
    // Declared to give a promise: flagged.
    const promised = analyse(
      files(
        `const token = session.sign("x");
return new Response("ok");`,
        ": Promise<string>",
      ),
    );
    assert.equal(unflagged(promised).length, 1);
  });

  it("a library given no client is not a round trip", () => {
    const a = one(`import { z } from "zod";\n${handler(`await z.object({}).parseAsync({});`)}`);
    assert.deepEqual(resultOf(a), []);
    assert.equal(a.unknowns.length, 0);
  });
});

describe("globally distributed hosts", () => {
  const global = (host: string) => classifyHost(host).category;
  it("static hosting and CDNs named by the issue", () => {
    for (const host of [
      "acme.github.io",
      "raw.githubusercontent.com",
      "docs.pages.dev",
      "api.acme.workers.dev",
      "acme.netlify.app",
      "acme.vercel.app",
      "d111111abcdef8.cloudfront.net",
      "cdn.jsdelivr.net",
      "unpkg.com",
    ])
      assert.equal(global(host), "global", host);
  });
  it("each entry of the list, with a reason", () => {
    for (const entry of GLOBAL_HOSTS) {
      assert.equal(global(`x.${entry.suffix}`), "global", entry.suffix);
      assert.equal(global(entry.suffix), "global", entry.suffix);
      assert.ok(entry.why.length > 0, entry.suffix);
    }
  });
  it("look-alikes and other hosting stay back ends", () => {
    for (const host of ["github.com.evil.example", "notgithub.io", "api.example.com", "app.herokuapp.com", "acme.fly.dev"])
      assert.equal(global(host), "backend", host);
  });
  it("public DNS-over-HTTPS resolvers, by name and by address; other addresses stay back ends", () => {
    for (const host of [
      "cloudflare-dns.com",
      "security.cloudflare-dns.com",
      "1.1.1.1",
      "1.0.0.1",
      "dns.google",
      "8.8.8.8",
      "8.8.4.4",
      "dns.quad9.net",
    ])
      assert.equal(global(host), "global", host);
    assert.equal(classifyHost("cloudflare-dns.com").note, "Cloudflare DNS over HTTPS is globally distributed: Smart Placement ignores it");
    for (const host of ["11.1.1.1", "1.1.1.10", "8.8.8.80", "18.8.8.8", "dns.google.example.com", "mydns.google.example"])
      assert.equal(global(host), "backend", host);
  });
});

describe("unresolved hosts are unknown subrequests, never dropped", () => {
  it("fetch of a computed URL, and an SDK client whose address is computed", () => {
    const a = one(
      `import { createClient } from "@supabase/supabase-js";\nimport { lookup } from "directory";\n${handler(`await fetch(lookup("target") ?? "");
const supabase = createClient(\`https://\${env.PROJECT}.supabase.co\`, env.KEY);
await supabase.from("t").select();`)}`,
    );
    assert.deepEqual(resultOf(a), [
      ["fetch", null, "unknown"],
      ["sdk", "supabase", "backend"],
    ]);
  });
});

describe("the README documents the table", () => {
  it("every library and every globally distributed host", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const library of LIBRARIES) assert.ok(readme.includes(`| ${library.name} |`), library.name);
    // An address entry (`1.1.1.1`) is shown as itself: it has no subdomains.
    for (const host of GLOBAL_HOSTS)
      assert.ok(readme.includes(/^[0-9.]+$/.test(host.suffix) ? `| \`${host.suffix}\` |` : `| \`*.${host.suffix}\` |`), host.suffix);
  });
});
