import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { createAnalysisCache } from "../../server/src/core/worker/analyze";

const TOML = `name = "w"
main = "src/index.ts"
compatibility_date = "2025-03-01"

[vars]
STAGE = "production"
DEBUG = ""
VERBOSE = "false"

[env.dev]
vars = { STAGE = "development", DEBUG = "1", VERBOSE = "false" }
`;

/** Round trips and status of each environment's prediction, by name (`top` for the top level). */
function predictions(
  source: string,
  options: { config?: string; configName?: string; file?: string; files?: Record<string, string> } = {},
): Record<string, [string, number | null]> {
  const configName = options.configName ?? "wrangler.toml";
  const config = (options.config ?? TOML).replace("src/index.ts", options.file ?? "src/index.ts");
  const fs = new MemoryFileSystem({
    [`/w/${configName}`]: config,
    [`/w/${options.file ?? "src/index.ts"}`]: source,
    ...Object.fromEntries(Object.entries(options.files ?? {}).map(([name, text]) => [`/w/${name}`, text])),
  });
  const result = analyzeConfig(fs, `/w/${configName}`, config, { cache: createAnalysisCache(), settingsFs: false });
  return Object.fromEntries(result.workers.map((w) => [w.env.name ?? "top", [w.prediction.status, w.prediction.roundTrips]]));
}

/** A module Worker whose /seed route runs `guard` first, then three sequential round trips; every other path makes one. */
function seedWorker(guard: string, prelude = "", parameters = "request: Request, env: Env"): string {
  return `${prelude}
interface Env { STAGE: string; DEBUG: string; VERBOSE: string; SECRET_STAGE: string }
async function seed(${parameters}): Promise<Response> {
  ${guard}
  await fetch("https://db.example.com/a", { method: "POST" });
  await fetch("https://db.example.com/b", { method: "POST" });
  await fetch("https://db.example.com/c", { method: "POST" });
  return new Response("seeded");
}
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === "/seed") return seed(request, env);
    return fetch("https://db.example.com/items");
  },
};
`;
}

const GUARDED = { top: ["INSUFFICIENT_SUBREQUESTS", 1], dev: ["SUCCESS", 3] };
const UNDECIDED = { top: ["SUCCESS", 3], dev: ["SUCCESS", 3] };

describe("branches decided by [vars] of the analysed environment", () => {
  it("a comparison with a string literal, in each operator and either order", () => {
    const forbid = `return new Response("no", { status: 403 });`;
    assert.deepEqual(predictions(seedWorker(`if (env.STAGE !== "development") ${forbid}`)), GUARDED);
    assert.deepEqual(predictions(seedWorker(`if (env.STAGE != "development") ${forbid}`)), GUARDED);
    assert.deepEqual(predictions(seedWorker(`if (env.STAGE === "production") ${forbid}`)), GUARDED);
    assert.deepEqual(predictions(seedWorker(`if ("production" == env.STAGE) ${forbid}`)), GUARDED);
    assert.deepEqual(predictions(seedWorker(`if (env["STAGE"] === "production") throw new Error("no");`)), GUARDED);
    // The branch that does the work is the one never taken.
    assert.deepEqual(
      predictions(
        seedWorker(
          `if (env.STAGE === "development") { await fetch("https://db.example.com/x"); await fetch("https://db.example.com/y"); await fetch("https://db.example.com/z"); }`,
        ),
      ),
      { top: ["SUCCESS", 3], dev: ["SUCCESS", 6] },
    );
  });

  it("each way the env is read: through a holder, `this.env`, Nitro's and Astro's context, destructured, a const", () => {
    const forbid = `return new Response("no", { status: 403 });`;
    assert.deepEqual(predictions(seedWorker(`const c = { env }; if (c.env.STAGE === "production") ${forbid}`)), GUARDED);
    assert.deepEqual(
      predictions(
        seedWorker(
          `const event = { context: { cloudflare: { env } } }; if (event.context.cloudflare?.env?.STAGE !== "development") ${forbid}`,
        ),
      ),
      GUARDED,
    );
    assert.deepEqual(
      predictions(seedWorker(`const locals = { runtime: { env } }; if (locals.runtime.env.STAGE !== "development") ${forbid}`)),
      GUARDED,
    );
    assert.deepEqual(predictions(seedWorker(`const { STAGE } = env; if (STAGE !== "development") ${forbid}`)), GUARDED);
    assert.deepEqual(predictions(seedWorker(`if (STAGE !== "development") ${forbid}`, "", "request: Request, { STAGE }: Env")), GUARDED);
    assert.deepEqual(predictions(seedWorker(`const stage = env.STAGE; if (stage !== "development") ${forbid}`)), GUARDED);
    assert.deepEqual(predictions(seedWorker(`const allowed = env.STAGE === "development"; if (!allowed) ${forbid}`)), GUARDED);
    const entrypoint = `import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint<{ STAGE: string }> {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === "/seed") return this.#seed();
    return fetch("https://db.example.com/items");
  }
  async #seed(): Promise<Response> {
    if (this.env.STAGE !== "development") throw new Error("no");
    await fetch("https://db.example.com/a");
    await fetch("https://db.example.com/b");
    return new Response("seeded");
  }
}
`;
    assert.deepEqual(predictions(entrypoint), { top: ["INSUFFICIENT_SUBREQUESTS", 1], dev: ["SUCCESS", 2] });
  });

  it('a var alone is its string\'s truthiness: any non-empty string (even "false") true; an empty one, a placeholder, decides nothing', () => {
    const work = `{ await fetch("https://db.example.com/x"); await fetch("https://db.example.com/y"); await fetch("https://db.example.com/z"); }`;
    // DEBUG is "" at the top level: a template's placeholder, filled in before a real deploy.
    assert.deepEqual(predictions(seedWorker(`if (env.DEBUG) ${work}`)), { top: ["SUCCESS", 6], dev: ["SUCCESS", 6] });
    assert.deepEqual(predictions(seedWorker(`if (!env.DEBUG) return new Response("off");`)), UNDECIDED);
    assert.deepEqual(predictions(seedWorker(`if (env.DEBUG === "") return new Response("off");`)), UNDECIDED);
    assert.deepEqual(predictions(seedWorker(`if (env.VERBOSE) ${work}`)), { top: ["SUCCESS", 6], dev: ["SUCCESS", 6] });
  });

  it("`&&`, `||` and `!` over decided and undecided parts", () => {
    const forbid = `return new Response("no", { status: 403 });`;
    // Undecided on the left, decided true on the right of `||`: always true.
    assert.deepEqual(predictions(seedWorker(`if (request.headers.has("x-block") || env.STAGE === "production") ${forbid}`)), {
      top: ["INSUFFICIENT_SUBREQUESTS", 1],
      dev: ["SUCCESS", 3],
    });
    // `&&` with an undecided part stays undecided where the decided part is true.
    assert.deepEqual(predictions(seedWorker(`if (env.STAGE === "production" && request.headers.has("x-block")) ${forbid}`)), UNDECIDED);
    // `!` over `||` of two comparisons: both false at the top level (the guard fires), one true in dev (it never does).
    assert.deepEqual(predictions(seedWorker(`if (!(env.STAGE === "development" || env.STAGE === "staging")) ${forbid}`)), GUARDED);
  });

  it("a var not in [vars] (a secret, another environment's var) leaves the condition undecided", () => {
    const forbid = `return new Response("no", { status: 403 });`;
    assert.deepEqual(predictions(seedWorker(`if (env.SECRET_STAGE !== "development") ${forbid}`)), UNDECIDED);
    assert.deepEqual(predictions(seedWorker(`if (env.SECRET_STAGE) ${forbid}`)), UNDECIDED);
    // `process.env` may be replaced by the bundler, and `import.meta.env` is Vite's: neither is read as [vars].
    assert.deepEqual(predictions(seedWorker(`if (process.env.STAGE !== "development") ${forbid}`)), UNDECIDED);
    assert.deepEqual(predictions(seedWorker(`if ((import.meta as any).env.STAGE !== "development") ${forbid}`)), UNDECIDED);
  });

  it("a value the shared settings give (a secret's, one for every environment) decides no branch, but still names hosts", () => {
    const source = seedWorker(`if (env.SECRET_STAGE !== "development") return new Response("no", { status: 403 });
  await fetch(env.SECRET_STAGE === "x" ? "https://a.example.com" : "https://b.example.com");`);
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": TOML, "/w/src/index.ts": source });
    const result = analyzeConfig(fs, "/w/wrangler.toml", TOML, {
      cache: createAnalysisCache(),
      settingsFs: false,
      extraVars: { SECRET_STAGE: "production" },
    });
    assert.deepEqual(
      result.workers.map((w) => [w.prediction.status, w.prediction.roundTrips]),
      [
        ["SUCCESS", 4],
        ["SUCCESS", 4],
      ],
    );
    // The settings' value still resolves a host, as it did before.
    assert.ok(result.workers[0]!.prediction.backends.some((b) => b.host === "b.example.com"));
  });

  it("the framework's production build flags: import.meta.dev, import.meta.env.DEV / PROD, SvelteKit's dev", () => {
    const forbid = `return new Response("no", { status: 403 });`;
    const ALWAYS = { top: ["INSUFFICIENT_SUBREQUESTS", 1], dev: ["INSUFFICIENT_SUBREQUESTS", 1] };
    assert.deepEqual(predictions(seedWorker(`if (!(import.meta as any).dev) ${forbid}`)), ALWAYS);
    assert.deepEqual(predictions(seedWorker(`if (!(import.meta as any).env.DEV) ${forbid}`)), ALWAYS);
    assert.deepEqual(predictions(seedWorker(`if ((import.meta as any).env.PROD) ${forbid}`)), ALWAYS);
    assert.deepEqual(predictions(seedWorker(`if (!dev) ${forbid}`, `import { dev } from "$app/environment";`)), ALWAYS);
    // A name of the project's own called `dev` is not SvelteKit's.
    assert.deepEqual(predictions(seedWorker(`const dev = request.headers.has("x-dev"); if (!dev) ${forbid}`)), UNDECIDED);
    // Nuxt's shape: development builds or staging only.
    assert.deepEqual(
      predictions(
        seedWorker(`const isStaging = env.STAGE === "development"; if (!(import.meta as any).dev && !isStaging) throw new Error("no");`),
      ),
      GUARDED,
    );
  });

  it("JavaScript, with vars from wrangler.jsonc at the top level and in an environment", () => {
    const jsonc = `{
  "name": "w",
  "main": "src/index.js",
  "compatibility_date": "2025-03-01",
  "vars": { "STAGE": "production" },
  "env": { "dev": { "vars": { "STAGE": "development" } } }
}
`;
    const source = `export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/seed") {
      if (env.STAGE !== "development") return new Response("no", { status: 403 });
      await fetch("https://db.example.com/a");
      await fetch("https://db.example.com/b");
    }
    return fetch("https://db.example.com/items");
  },
};
`;
    assert.deepEqual(predictions(source, { config: jsonc, configName: "wrangler.jsonc", file: "src/index.js" }), {
      top: ["INSUFFICIENT_SUBREQUESTS", 1],
      dev: ["SUCCESS", 3],
    });
  });

  it("environments whose decided vars are equal share one analysis; those that differ get their own", () => {
    const config = `${TOML}
[env.prod2]
vars = { STAGE = "production", DEBUG = "", VERBOSE = "true" }
`;
    const fs = new MemoryFileSystem({
      "/w/wrangler.toml": config,
      "/w/src/index.ts": seedWorker(`if (env.STAGE !== "development") throw new Error("no");`),
    });
    const result = analyzeConfig(fs, "/w/wrangler.toml", config, { cache: createAnalysisCache(), settingsFs: false });
    const [top, dev, prod2] = result.workers;
    assert.equal(prod2!.analysis, top!.analysis);
    assert.notEqual(dev!.analysis, top!.analysis);
    assert.deepEqual(
      result.workers.map((w) => w.prediction.roundTrips),
      [1, 3, 1],
    );
  });
});
