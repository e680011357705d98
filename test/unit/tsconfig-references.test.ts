import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { ModuleResolver } from "../../server/src/core/worker/resolve";

/** A solution-style tsconfig as React Router's Cloudflare template writes it, with a decoy alias in the node project. */
function solution(extra: Record<string, string> = {}): ModuleResolver {
  return new ModuleResolver(
    new MemoryFileSystem({
      "/w/tsconfig.json": `{ "files": [], "references": [{ "path": "./tsconfig.node.json" }, { "path": "./tsconfig.cloudflare.json" }] }`,
      "/w/tsconfig.node.json": `{ "extends": "./tsconfig.json", "include": ["vite.config.ts"], "compilerOptions": { "paths": { "~/*": ["./tooling/*"] } } }`,
      "/w/tsconfig.cloudflare.json": `{
        // comments are allowed
        "extends": "./tsconfig.json",
        "include": ["app/**/*", "workers/**/*"],
        "exclude": ["app/legacy"],
        "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["./app/*"], "@/*": ["./*"] } },
      }`,
      "/w/app/lib/auth.ts": "export const a = 1;\n",
      "/w/app/routes/home.tsx": "export {};\n",
      "/w/app/legacy/old.ts": "export {};\n",
      "/w/tooling/lib/auth.ts": "export const t = 1;\n",
      "/w/sdk/zones.ts": "export const z = 1;\n",
      "/w/vite.config.ts": "export default {};\n",
      "/w/workers/app.ts": "export {};\n",
      ...extra,
    }),
  );
}

describe("solution-style tsconfig (files: [] and references)", () => {
  it("resolves an alias with the referenced project whose include covers the file", () => {
    const resolver = solution();
    assert.equal(resolver.resolve("~/lib/auth", "/w/app/routes/home.tsx"), "/w/app/lib/auth.ts");
    assert.equal(resolver.resolve("~/lib/auth", "/w/workers/app.ts"), "/w/app/lib/auth.ts");
    // The node project covers vite.config.ts: its own alias applies there.
    assert.equal(resolver.resolve("~/lib/auth", "/w/vite.config.ts"), "/w/tooling/lib/auth.ts");
  });

  it("resolves bare paths through baseUrl (`sdk/zones.js` written for `sdk/zones.ts`) and `@/*`", () => {
    const resolver = solution();
    assert.equal(resolver.resolve("sdk/zones.js", "/w/app/routes/home.tsx"), "/w/sdk/zones.ts");
    assert.equal(resolver.resolve("app/lib/auth", "/w/app/routes/home.tsx"), "/w/app/lib/auth.ts");
    assert.equal(resolver.resolve("@/sdk/zones", "/w/workers/app.ts"), "/w/sdk/zones.ts");
    // A bare specifier with nothing under baseUrl is still a package.
    assert.equal(resolver.resolve("react-router", "/w/app/routes/home.tsx"), undefined);
  });

  it("an excluded file, covered by no project, falls back to the first project with a mapping", () => {
    const resolver = solution();
    // app/legacy is excluded from the cloudflare project; the node project does not cover it either.
    assert.equal(resolver.resolve("~/lib/auth", "/w/app/legacy/old.ts"), "/w/tooling/lib/auth.ts");
  });

  it("a project's `files` list covers exactly those files; a referenced folder means its tsconfig.json", () => {
    const resolver = new ModuleResolver(
      new MemoryFileSystem({
        "/w/tsconfig.json": `{ "files": [], "references": [{ "path": "./api" }, { "path": "./tsconfig.worker.json" }] }`,
        "/w/api/tsconfig.json": `{ "compilerOptions": { "paths": { "#lib/*": ["./lib/*"] } } }`,
        "/w/api/lib/x.ts": "export {};\n",
        "/w/tsconfig.worker.json": `{ "files": ["src/index.ts"], "compilerOptions": { "paths": { "#lib/*": ["./src/lib/*"] } } }`,
        "/w/src/index.ts": "export {};\n",
        "/w/src/other.ts": "export {};\n",
        "/w/src/lib/x.ts": "export {};\n",
      }),
    );
    assert.equal(resolver.resolve("#lib/x", "/w/src/index.ts"), "/w/src/lib/x.ts");
    // Not listed in `files`, not under api/: the first project with a mapping.
    assert.equal(resolver.resolve("#lib/x", "/w/src/other.ts"), "/w/api/lib/x.ts");
  });

  it("a plain tsconfig with baseUrl and no paths resolves bare paths under it; references to itself or nowhere are ignored", () => {
    const resolver = new ModuleResolver(
      new MemoryFileSystem({
        "/w/tsconfig.json": `{ "references": [{ "path": "./tsconfig.json" }, { "path": "./missing.json" }, 3], "compilerOptions": { "baseUrl": "src" } }`,
        "/w/src/lib/db.ts": "export {};\n",
        "/w/src/index.ts": "export {};\n",
      }),
    );
    assert.equal(resolver.resolve("lib/db", "/w/src/index.ts"), "/w/src/lib/db.ts");
    assert.equal(resolver.resolve("hono", "/w/src/index.ts"), undefined);
  });
});

describe("jsconfig.json", () => {
  it("resolves `paths` the way a tsconfig.json's are, through `extends` and with `baseUrl`", () => {
    const resolver = new ModuleResolver(
      new MemoryFileSystem({
        "/w/jsconfig.json": `{ "extends": "./jsconfig.base.json", "compilerOptions": { "baseUrl": "src" } }`,
        "/w/jsconfig.base.json": `{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }`,
        "/w/src/lib/repo.js": "export {};\n",
        "/w/src/index.js": "export {};\n",
        "/w/site/jsconfig.json": `{ "compilerOptions": { "paths": { "@/*": ["./app/*"] } } }`,
        "/w/site/app/lib/repo.js": "export {};\n",
        "/w/site/app/page.js": "export {};\n",
      }),
    );
    // Inherited `@/*`, resolved against the baseUrl set by the extending config; a bare path under baseUrl too.
    assert.equal(resolver.resolve("@/lib/repo", "/w/src/index.js"), "/w/src/lib/repo.js");
    assert.equal(resolver.resolve("lib/repo", "/w/src/index.js"), "/w/src/lib/repo.js");
    // The nearest config wins: a nested app's own jsconfig.json.
    assert.equal(resolver.resolve("@/lib/repo", "/w/site/app/page.js"), "/w/site/app/lib/repo.js");
  });

  it("a tsconfig.json next to a jsconfig.json wins", () => {
    const resolver = new ModuleResolver(
      new MemoryFileSystem({
        "/w/tsconfig.json": `{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }`,
        "/w/jsconfig.json": `{ "compilerOptions": { "paths": { "@/*": ["./legacy/*"] } } }`,
        "/w/src/db.ts": "export {};\n",
        "/w/legacy/db.js": "export {};\n",
        "/w/src/index.ts": "export {};\n",
      }),
    );
    assert.equal(resolver.resolve("@/db", "/w/src/index.ts"), "/w/src/db.ts");
  });
});
