import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * A name called in the code means what its lexical scope declares: a function's or block's own
 * declaration shadows an import or a module-level function of the same name there, and only there.
 */

const db = `export async function query(sql: string): Promise<unknown> {
  const response = await fetch("https://db.example.com/query", { method: "POST", body: sql });
  return response.json();
}`;

const reader = `function reader(env: { CACHE: KVNamespace }): (key: string) => Promise<string | null> {
  return (key) => env.CACHE.get(key);
}`;

/** The critical-path subrequests as `kind target`, in source order. */
const critical = (files: Record<string, string>, main?: string): string[] =>
  analyse(files, { bindings: { kv: ["CACHE", "RELEASES"] }, ...(main ? { main } : {}) })
    .subrequests.filter((s) => s.criticalPath)
    .map((s) => `${s.kind} ${s.target ?? "?"}`);

describe("a called name resolved lexically (project functions)", () => {
  it("a function's `const query = reader(env)` is its KV reader, not the imported `query`: a KV read, no round trip to the database", () => {
    const files = {
      "src/index.ts": `import { query } from "./db";
${reader}
export default {
  async fetch(req: Request, env: { CACHE: KVNamespace }): Promise<Response> {
    return cached(env);
  },
};
async function cached(env: { CACHE: KVNamespace }): Promise<Response> {
  const query = reader(env);
  const first = await query("a");
  const second = await query("b");
  return new Response(\`\${first} \${second}\`);
}`,
      "src/db.ts": db,
    };
    const a = analyse(files, { bindings: { kv: ["CACHE"] } });
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(critical(files), ["kv CACHE"]);
  });

  it("in another function, the same name is the import again: two sequential round trips to the database", () => {
    const files = {
      "src/index.ts": `import { query } from "./db";
${reader}
export default {
  async fetch(req: Request, env: { CACHE: KVNamespace }): Promise<Response> {
    const a = await query("select 1");
    const b = await query("select 2");
    return Response.json({ a, b });
  },
};
export async function cached(env: { CACHE: KVNamespace }): Promise<Response> {
  const query = reader(env);
  return new Response(await query("a"));
}`,
      "src/db.ts": db,
    };
    const a = analyse(files, { bindings: { kv: ["CACHE"] } });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(critical(files), ["fetch db.example.com"]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("a block's own `query` shadows the import inside the block only", () => {
    const files = {
      "src/index.ts": `import { query } from "./db";
${reader}
export default {
  async fetch(req: Request, env: { CACHE: KVNamespace }): Promise<Response> {
    if (req.method === "HEAD") {
      const query = reader(env);
      await query("a");
      await query("b");
      return new Response(null);
    }
    return Response.json(await query("select 1"));
  },
};`,
      "src/db.ts": db,
    };
    assert.equal(analyse(files, { bindings: { kv: ["CACHE"] } }).roundTrips, 1);
  });

  it("a `let` local the analysis cannot follow still shadows the import: its calls are not the database's", () => {
    const files = {
      "src/index.ts": `import { query } from "./db";
${reader}
export default {
  async fetch(req: Request, env: { CACHE: KVNamespace }): Promise<Response> {
    let query = reader(env);
    const a = await query("a");
    const b = await query("b");
    return new Response(\`\${a} \${b}\`);
  },
};`,
      "src/db.ts": db,
    };
    const a = analyse(files, { bindings: { kv: ["CACHE"] } });
    assert.equal(a.subrequests.filter((s) => s.target === "db.example.com" && s.criticalPath).length, 0);
  });

  it("a parameter named like a module-level function is the parameter: the module's function is not what it runs", () => {
    const files = {
      "src/index.ts": `async function load(key: string): Promise<Response> {
  return fetch(\`https://api.example.com/\${key}\`);
}
async function twice(load: (key: string) => Promise<string | null>): Promise<string> {
  return \`\${await load("a")} \${await load("b")}\`;
}
export default {
  async fetch(req: Request, env: { CACHE: KVNamespace }): Promise<Response> {
    return new Response(await twice((key) => env.CACHE.get(key)));
  },
};`,
    };
    assert.equal(analyse(files, { bindings: { kv: ["CACHE"] } }).roundTrips, 0);
  });

  it("a function's local made by a package's memoising wrapper is still followed: React's cache(fn)", () => {
    const files = {
      "src/index.ts": `import { cache } from "react";
export default {
  async fetch(req: Request): Promise<Response> {
    const getUser = cache(async (id: string) => (await fetch(\`https://users.example.com/\${id}\`)).json());
    const user = await getUser("1");
    const again = await fetch("https://audit.example.com/log");
    return Response.json({ user, status: again.status });
  },
};`,
    };
    assert.deepEqual(critical(files), ["fetch users.example.com", "fetch audit.example.com"]);
  });
});

describe("a package member resolved lexically (library calls)", () => {
  const liveRelease = `async function liveRelease(env: { GITHUB_TOKEN: string }): Promise<Response> {
  const { data } = await request("GET /repos/{owner}/{repo}/releases/latest", { owner: "acme", repo: "tool" });
  return Response.json(data);
}`;
  const storedReleases = `async function storedReleases(env: { RELEASES: KVNamespace }): Promise<Response> {
  const request = (key: string) => env.RELEASES.get(key, "json");
  const latest = await request("latest");
  const previous = await request("previous");
  return Response.json({ latest, previous });
}`;

  it("a function's local `request` is not @octokit/request's: a KV read, no GitHub call", () => {
    const files = {
      "src/index.ts": `import { request } from "@octokit/request";
${storedReleases}
export default { fetch: (req: Request, env: { RELEASES: KVNamespace }) => storedReleases(env) };`,
    };
    const a = analyse(files, { bindings: { kv: ["RELEASES"] } });
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(critical(files), ["kv RELEASES"]);
  });

  it("in another function, `request` is the import: one round trip to api.github.com, only at its call", () => {
    const files = {
      "src/index.ts": `import { request } from "@octokit/request";
${liveRelease}
${storedReleases}
export default {
  fetch: (req: Request, env: { GITHUB_TOKEN: string; RELEASES: KVNamespace }) =>
    req.method === "POST" ? liveRelease(env) : storedReleases(env),
};`,
    };
    const a = analyse(files, { bindings: { kv: ["RELEASES"] } });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(
      critical(files).filter((s) => s.startsWith("sdk")),
      ["sdk api.github.com"],
    );
  });

  it("a module-level `require` binding is the package (it is the module's import)", () => {
    const files = {
      "src/index.js": `const { request } = require("@octokit/request");
export default {
  async fetch() {
    const a = await request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "tool" });
    const b = await request("GET /repos/{owner}/{repo}/releases", { owner: "acme", repo: "tool" });
    return Response.json([a.data, b.data]);
  },
};`,
    };
    assert.equal(analyse(files, { main: "src/index.js" }).roundTrips, 2);
  });
});
