import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
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
