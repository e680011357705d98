import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { analyse, criticalTargets, one } from "./helpers/analyse";
import { parsePrismaSchema, PrismaSchemas } from "../../server/src/core/worker/prismaSchema";

describe("Prisma schema: generator output and datasource", () => {
  const schema = [
    '// generator fake { output = "../nope" }',
    '/* datasource x { provider = "mysql" } */',
    "generator client {",
    '  provider        = "prisma-client-js"',
    '  previewFeatures = ["driverAdapters", "x"]',
    '  output          = "../output" // where prisma generate writes',
    "}",
    "generator docs {",
    '  provider = "prisma-docs-generator"',
    '  output   = "../docs"',
    "}",
    "datasource db {",
    '  url      = env("DATABASE_URL")',
    '  provider = "postgresql"',
    "}",
    "model User {",
    "  id String @id @default(cuid())",
    '  name String @default("{ output = x }")',
    "}",
  ].join("\n");

  it("reads the client generators' outputs (relative to the schema), the provider and the url's variable", () => {
    const parsed = parsePrismaSchema("/repo/packages/db/prisma/schema.prisma", schema);
    assert.deepEqual(parsed.outputs, ["/repo/packages/db/output"]);
    assert.equal(parsed.provider, "postgresql");
    assert.equal(parsed.urlEnv, "DATABASE_URL");
  });

  it("maps an import under the output to the Prisma build it stands for, and nothing else", () => {
    const fs = new MemoryFileSystem({ "/repo/packages/db/prisma/schema.prisma": schema, "/repo/packages/db/client/index.ts": "" });
    const schemas = new PrismaSchemas(fs);
    const from = "/repo/packages/db/client/index.ts";
    assert.equal(schemas.generatedModule("../output/edge", from)?.module, "@prisma/client/edge");
    assert.equal(schemas.generatedModule("../output/wasm.js", from)?.module, "@prisma/client/wasm");
    assert.equal(schemas.generatedModule("../output", from)?.module, "@prisma/client");
    assert.equal(schemas.generatedModule("../output/index.js", from)?.module, "@prisma/client");
    assert.equal(schemas.generatedModule("../output/runtime/library", from), undefined);
    assert.equal(schemas.generatedModule("../docs", from), undefined);
    assert.equal(schemas.generatedModule("../outputs/edge", from), undefined);
    assert.equal(schemas.generatedModule("@acme/output", from), undefined);
  });

  it("finds a schema split into prisma/schema/*.prisma", () => {
    const fs = new MemoryFileSystem({
      "/w/prisma/schema/base.prisma": 'generator client {\n provider = "prisma-client"\n output = "../../src/gen"\n}',
      "/w/prisma/schema/user.prisma": "model User {\n id Int @id\n}",
      "/w/src/db.ts": "",
    });
    assert.equal(new PrismaSchemas(fs).generatedModule("./gen/client", "/w/src/db.ts")?.module, "@prisma/client");
  });
});

describe("What an unknown package's function gives, used as a string, is not a client", () => {
  const helper = (line: string): string =>
    [
      'import { tidy } from "text-tidy";',
      "async function page(): Promise<string> {",
      '  const text = await (await fetch("https://docs.example.com/a")).text();',
      `  ${line}`,
      "}",
      "export default { async fetch() { return new Response(await page()); } };",
    ].join("\n");

  it("a string method on the result, chained or through a variable: one round trip", () => {
    for (const line of [
      "return tidy(text).replace(/a/g, 'b').slice(1);",
      "const s = tidy(text); return s.trim();",
      "return tidy(text).split(',').join(';');",
    ]) {
      const a = one(helper(line));
      assert.equal(a.roundTrips, 1, line);
      assert.deepEqual(criticalTargets(a), ["docs.example.com"], line);
    }
  });

  it("a method that is not a string's or a list's stays a call on a client of an unknown library", () => {
    const a = one(helper("const api = tidy(text); return await api.lookup('x');"));
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(criticalTargets(a), ["docs.example.com", "?"]);
  });
});

describe("new Promise(executor)", () => {
  it("awaited: the executor's round trips are on the path; handed to waitUntil: listed off it", () => {
    const a = one(
      [
        "export default { async fetch(request: Request, env: any, ctx: any) {",
        "  await new Promise(async (resolve) => { await fetch('https://a.example.com'); resolve(1); });",
        "  ctx.waitUntil(new Promise(async (resolve) => { await fetch('https://b.example.com'); resolve(1); }));",
        "  return new Response();",
        "} };",
      ].join("\n"),
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath, s.waitUntil]),
      [
        ["a.example.com", true, false],
        ["b.example.com", false, true],
      ],
    );
  });

  it("a chain in the executor that hands on resolve or reject settles the promise: awaited with it", () => {
    const a = one(
      [
        "export default { async fetch(request: Request, env: any, ctx: any) {",
        "  const body = await new Promise((resolve, reject) => { fetch('https://a.example.com').then((r) => r.text()).then(resolve, reject); });",
        "  await new Promise((resolve) => { fetch('https://b.example.com').catch(() => null); resolve(1); });",
        "  ctx.waitUntil(new Promise((done) => { fetch('https://c.example.com').finally(done); }));",
        "  return new Response(String(body));",
        "} };",
      ].join("\n"),
    );
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath, s.waitUntil]),
      [
        ["a.example.com", true, false],
        ["b.example.com", false, false],
        ["c.example.com", false, true],
      ],
    );
  });

  it("a Promise of the module's own (a local class) is not the global one", () => {
    const a = analyse({
      "src/index.ts": [
        "class Promise { constructor(public run: () => unknown) {} }",
        "export default { async fetch() {",
        "  await new Promise(async () => { await fetch('https://a.example.com'); });",
        "  return new Response();",
        "} };",
      ].join("\n"),
    });
    assert.equal(a.roundTrips, 0);
  });
});
