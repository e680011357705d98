import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { ModuleResolver } from "../../server/src/core/worker/resolve";

describe("a bare import of the package a file sits inside", () => {
  it("resolves a library repository's example/ import of the library to the library's source", () => {
    const resolver = new ModuleResolver(
      new MemoryFileSystem({
        "/r/package.json": `{ "name": "do-proxy", "exports": { ".": "./src/index.ts", "./*": "./src/*.ts" } }`,
        "/r/src/index.ts": "export const open = () => 1;\n",
        "/r/src/object.ts": "export class Obj {}\n",
        "/r/example/package.json": `{ "name": "example", "dependencies": { "do-proxy": "^0.1.0" } }`,
        "/r/example/src/index.ts": "export {};\n",
      }),
    );
    assert.equal(resolver.resolve("do-proxy", "/r/example/src/index.ts"), "/r/src/index.ts");
    assert.equal(resolver.resolve("do-proxy/object", "/r/example/src/index.ts"), "/r/src/object.ts");
    // A package importing itself through its own exports (Node's self-reference).
    assert.equal(resolver.resolve("do-proxy/object", "/r/src/index.ts"), "/r/src/object.ts");
    // Another package name is still a third-party package, recognised by name.
    assert.equal(resolver.resolve("hono", "/r/example/src/index.ts"), undefined);
  });

  it("never takes an app that only calls itself like a framework for that framework", () => {
    const resolver = new ModuleResolver(
      new MemoryFileSystem({
        "/a/package.json": `{ "name": "astro", "type": "module", "scripts": { "build": "astro build" } }`,
        "/a/src/index.ts": "export {};\n",
        "/a/src/middleware.ts": "export {};\n",
      }),
    );
    assert.equal(resolver.resolve("astro", "/a/src/middleware.ts"), undefined);
    assert.equal(resolver.resolve("astro/middleware", "/a/src/middleware.ts"), undefined);
  });
});
