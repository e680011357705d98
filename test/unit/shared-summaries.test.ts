import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem, RunFileSystem } from "../../server/src/core/fs";
import { createAnalysisCache } from "../../server/src/core/worker/analyze";

// Two Workers of one monorepo over a shared package (as the CLI reads a repository in one run).
const FILES: Record<string, string> = {
  "/r/package.json": JSON.stringify({ name: "r", private: true, workspaces: ["apps/*", "packages/*"] }),
  "/r/packages/db/package.json": JSON.stringify({ name: "@r/db", private: true }),
  "/r/packages/db/src/db.ts": `export async function query(env: { API: string }, path: string): Promise<unknown> {\n  const response = await fetch(env.API + path);\n  return response.json();\n}\n`,
  "/r/packages/db/src/users.ts": `import { query } from "./db";\nexport async function loadUser(env: { API: string }, id: string) {\n  const user = await query(env, "/users/" + id);\n  const settings = await query(env, "/settings/" + id);\n  return { user, settings };\n}\n`,
  "/r/apps/a/package.json": JSON.stringify({ name: "a", dependencies: { "@r/db": "*" } }),
  "/r/apps/a/wrangler.toml": `name = "a"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nAPI = "https://db.example.com"\nLOG_LEVEL = "debug"\n`,
  "/r/apps/a/src/index.ts": `import { loadUser } from "@r/db/src/users";\nexport default {\n  async fetch(request: Request, env: { API: string }): Promise<Response> {\n    return Response.json(await loadUser(env, new URL(request.url).pathname));\n  },\n};\n`,
  "/r/apps/b/package.json": JSON.stringify({ name: "b", dependencies: { "@r/db": "*" } }),
  "/r/apps/b/wrangler.toml": `name = "b"\nmain = "src/main.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nAPI = "https://db.example.com"\nLOG_LEVEL = "debug"\n\n[env.quiet]\nvars = { API = "https://db.example.com", LOG_LEVEL = "warn" }\n\n[env.other]\nvars = { API = "https://other.example.net", LOG_LEVEL = "debug" }\n`,
  "/r/apps/b/src/main.ts": `import { loadUser } from "@r/db/src/users";\nexport default {\n  async fetch(request: Request, env: { API: string }): Promise<Response> {\n    const user = await loadUser(env, "me");\n    return Response.json(user);\n  },\n};\n`,
};

describe("Workers of one run share what their walks of a shared package found", () => {
  const run = () => ({ fs: new RunFileSystem(new MemoryFileSystem(FILES)), cache: createAnalysisCache(undefined, { oneRun: true }) });
  const analyse = (context: ReturnType<typeof run>, config: string) =>
    analyzeConfig(context.fs, config, FILES[config]!, { cache: context.cache });
  const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  it("the second Worker replays the first one's summaries of the package and gets what it gets alone", () => {
    const together = run();
    analyse(together, "/r/apps/a/wrangler.toml");
    assert.deepEqual(together.cache.summaryStats, { kept: 3, replayed: 0 }, "a's fetch handler, loadUser and query");
    const b = analyse(together, "/r/apps/b/wrangler.toml");
    // loadUser and query, from a's walk (b's project folder is another: the walks read nothing of it).
    assert.equal(together.cache.summaryStats.replayed, 2);
    const alone = analyse(run(), "/r/apps/b/wrangler.toml");
    assert.deepEqual(plain(b.workers), plain(alone.workers));
    assert.deepEqual(
      b.workers[0]!.analysis.backends.map((backend) => [backend.host, backend.roundTrips]),
      [["db.example.com", 2]],
    );
  });

  it("a helper's walk that calls a method on a parameter declared a string is kept, and so are its callers'", () => {
    // `path.trim()`: what the call passes for `path` is no object with a `trim` method of the
    // project's, whatever the call; asking cut the walk, and every caller's, so nothing was shared.
    const files: Record<string, string> = {
      ...FILES,
      "/r/packages/db/src/users.ts": `import { query } from "./db";\nfunction clean(path: string): string {\n  return path.trim();\n}\nexport async function loadUser(env: { API: string }, id: string) {\n  const user = await query(env, clean("/users/" + id));\n  return { user };\n}\n`,
    };
    const context = { fs: new RunFileSystem(new MemoryFileSystem(files)), cache: createAnalysisCache(undefined, { oneRun: true }) };
    analyzeConfig(context.fs, "/r/apps/a/wrangler.toml", files["/r/apps/a/wrangler.toml"]!, { cache: context.cache });
    assert.deepEqual(context.cache.summaryStats, { kept: 4, replayed: 0 }, "a's fetch handler, loadUser, clean and query");
    const b = analyzeConfig(context.fs, "/r/apps/b/wrangler.toml", files["/r/apps/b/wrangler.toml"]!, { cache: context.cache });
    assert.equal(context.cache.summaryStats.replayed, 3, "loadUser, clean and query");
    assert.deepEqual(
      b.workers[0]!.analysis.backends.map((backend) => [backend.host, backend.roundTrips]),
      [["db.example.com", 1]],
    );
  });

  it("an analysis that replays another's walk reads the vars that walk read, so its environments share only what they may", () => {
    const together = run();
    analyse(together, "/r/apps/a/wrangler.toml");
    const b = analyse(together, "/r/apps/b/wrangler.toml");
    assert.deepEqual(
      b.workers.map((w) => w.env.name),
      [null, "quiet", "other"],
    );
    const [top, quiet, other] = b.workers.map((w) => w.analysis);
    // LOG_LEVEL is read by no walk: the same analysis. API is read by query(), walked for a only.
    assert.equal(quiet, top);
    assert.notEqual(other, top);
    assert.deepEqual(
      other!.backends.map((backend) => backend.host),
      ["other.example.net"],
    );
  });
});
