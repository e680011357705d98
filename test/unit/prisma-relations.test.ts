import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ts from "typescript";
import { analyse, one } from "./helpers/analyse";
import { parsePrismaSchema } from "../../server/src/core/worker/prismaSchema";
import { prismaRelationQueries } from "../../server/src/core/worker/prismaRelations";

/** The relations read with queries of their own for the options object written `options`. */
function relationsOf(options: string): readonly string[] {
  const file = ts.createSourceFile("q.ts", `f(${options});`, ts.ScriptTarget.Latest, true);
  const statement = file.statements[0] as ts.ExpressionStatement;
  return prismaRelationQueries((statement.expression as ts.CallExpression).arguments[0]);
}

const D1_HEAD = `import { PrismaClient } from "@prisma/client";\nimport { PrismaD1 } from "@prisma/adapter-d1";\n`;
const d1Handler = (body: string): string =>
  `${D1_HEAD}export default { async fetch(request: Request, env: any) {\nconst prisma = new PrismaClient({ adapter: new PrismaD1(env.DB) });\n${body}\nreturn new Response("ok");\n} };`;

describe("Prisma relations read with queries of their own", () => {
  it("include: each relation, nested ones after their parent, in order", () => {
    assert.deepEqual(relationsOf(`{ include: { author: true } }`), ["author"]);
    assert.deepEqual(relationsOf(`{ where: { id: 1 }, include: { posts: { include: { comments: true } }, profile: true } }`), [
      "posts",
      "posts.comments",
      "profile",
    ]);
    assert.deepEqual(
      relationsOf(`{ include: { posts: { where: { published: true }, select: { author: { select: { name: true } } } } } }`),
      ["posts", "posts.author"],
    );
  });

  it("what is not a relation query: false, _count, a field chosen in select with true, an include not written out", () => {
    assert.deepEqual(relationsOf(`{ include: { author: false } }`), []);
    assert.deepEqual(relationsOf(`{ include: { _count: true } }`), []);
    assert.deepEqual(relationsOf(`{ select: { _count: { select: { posts: true } }, title: true, author: true } }`), []);
    assert.deepEqual(relationsOf(`{ include }`), []);
    assert.deepEqual(relationsOf(`options`), []);
    assert.deepEqual(relationsOf(``), []);
  });

  it('relationLoadStrategy: "join" joins them in the one query; "query" keeps them apart', () => {
    assert.deepEqual(relationsOf(`{ relationLoadStrategy: "join", include: { author: true, tags: true } }`), []);
    assert.deepEqual(relationsOf(`{ relationLoadStrategy: "query", include: { author: true } }`), ["author"]);
  });

  it("findMany with include over D1: two sequential round trips, explained", () => {
    const a = one(d1Handler(`await prisma.post.findMany({ include: { author: true } });`), { bindings: { d1: ["DB"] } });
    assert.equal(a.roundTrips, 2);
    assert.equal(a.subrequests.length, 1);
    assert.equal(
      a.subrequests[0]!.note,
      "Prisma findMany(): 2 sequential round trips to DB (its query, then one for each included relation: author)",
    );
  });

  it("a write that includes relations counts them after it, nested and siblings", () => {
    const a = one(
      d1Handler(`await prisma.post.create({ data: { title: "t" }, include: { author: { include: { profile: true } }, tags: true } });`),
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(a.roundTrips, 4);
  });

  it("without relations, or joined, a model call stays one round trip", () => {
    const plain = one(d1Handler(`await prisma.post.findMany({ where: { published: true }, select: { title: true, author: true } });`), {
      bindings: { d1: ["DB"] },
    });
    assert.equal(plain.roundTrips, 1);
    const joined = one(
      `import { PrismaClient } from "@prisma/client";\nimport { PrismaPg } from "@prisma/adapter-pg";\nexport default { async fetch(request: Request, env: any) {\nconst prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DB_URL }) });\nawait prisma.post.findMany({ relationLoadStrategy: "join", include: { author: true } });\nreturn new Response("ok");\n} };`,
      { vars: { DB_URL: "postgres://app@pg.example.com:5432/app" } },
    );
    assert.equal(joined.roundTrips, 1);
  });

  it("a schema that enables relationJoins for PostgreSQL joins them by default, unless the call asks for queries", () => {
    const schema = (provider: string): string =>
      `generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["driverAdapters", "relationJoins"]\n}\ndatasource db {\n  provider = "${provider}"\n  url = env("DB_URL")\n}\n`;
    assert.equal(parsePrismaSchema("/w/prisma/schema.prisma", schema("postgresql")).relationJoins, true);
    assert.equal(
      parsePrismaSchema("/w/prisma/schema.prisma", schema("postgresql").replace(', "relationJoins"', "")).relationJoins,
      undefined,
    );
    const source = (options: string): string =>
      `import { PrismaClient } from "@prisma/client";\nimport { PrismaPg } from "@prisma/adapter-pg";\nexport default { async fetch(request: Request, env: any) {\nconst prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DB_URL }) });\nawait prisma.post.findMany(${options});\nreturn new Response("ok");\n} };`;
    const vars = { DB_URL: "postgres://app@pg.example.com:5432/app" };
    const joined = analyse(
      { "src/index.ts": source(`{ include: { author: true } }`), "prisma/schema.prisma": schema("postgresql") },
      { vars },
    );
    assert.equal(joined.roundTrips, 1);
    const queried = analyse(
      {
        "src/index.ts": source(`{ relationLoadStrategy: "query", include: { author: true } }`),
        "prisma/schema.prisma": schema("postgresql"),
      },
      { vars },
    );
    assert.equal(queried.roundTrips, 2);
    // Without the feature (or with no schema found), Prisma's default: a query per relation.
    const plain = analyse(
      {
        "src/index.ts": source(`{ include: { author: true } }`),
        "prisma/schema.prisma": schema("postgresql").replace(', "relationJoins"', ""),
      },
      { vars },
    );
    assert.equal(plain.roundTrips, 2);
    // SQLite has no relation joins: the feature changes nothing.
    const sqlite = analyse({ "src/index.ts": source(`{ include: { author: true } }`), "prisma/schema.prisma": schema("sqlite") }, { vars });
    assert.equal(sqlite.roundTrips, 2);
  });

  it("Prisma Accelerate runs the engine next to the database: one request still", () => {
    const a = one(
      `import { PrismaClient } from "@prisma/client/edge";\nimport { withAccelerate } from "@prisma/extension-accelerate";\nexport default { async fetch() {\nconst prisma = new PrismaClient().$extends(withAccelerate());\nawait prisma.post.findMany({ include: { author: true } });\nreturn new Response("ok");\n} };`,
    );
    assert.equal(a.roundTrips, 1);
  });
});
