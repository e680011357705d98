// Deterministic generated inputs for the benchmark: Worker projects of realistic shape.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** mulberry32: a small seeded PRNG, so every run generates the same workspace. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTS = ["db.example.com", "api.example.com", "api.honeycomb.io", "www.googleapis.com", "orders.example.net"];

/** A helper module of about `lines` lines: functions that fetch, call each other and branch. */
export function moduleSource(rand: () => number, index: number, lines: number): string {
  const out: string[] = [`// module ${index}`, `const BASE_${index} = "https://${HOSTS[index % HOSTS.length]}";`, ""];
  let fn = 0;
  while (out.length < lines) {
    const host = HOSTS[Math.floor(rand() * HOSTS.length)];
    const calls = 1 + Math.floor(rand() * 3);
    out.push(`export async function load${index}_${fn}(id: string, env: { API: string }): Promise<unknown> {`);
    out.push(`  // fetch and combine ${calls} resources`);
    out.push(`  const results: unknown[] = [];`);
    for (let c = 0; c < calls; c++) {
      if (rand() < 0.3) out.push(`  if (id.length > ${c}) {`, `    results.push(await fetch(\`https://${host}/r${c}/\${id}\`));`, "  }");
      else if (rand() < 0.5)
        out.push(
          `  const [a${c}, b${c}] = await Promise.all([fetch(BASE_${index} + "/a"), fetch(\`\${env.API}/b/\${id}\`)]);`,
          `  results.push(a${c}, b${c});`,
        );
      else out.push(`  results.push(await (await fetch(\`\${BASE_${index}}/items/\${id}?n=${c}\`)).json());`);
    }
    if (fn > 0 && rand() < 0.5) out.push(`  results.push(await load${index}_${fn - 1}(id, env));`);
    out.push(`  return results;`, `}`, "");
    fn++;
  }
  return out.join("\n") + "\n";
}

/** An entry that imports `modules` helper modules, awaits the first four, and defers `deferred`. */
export function entrySource(modules: number, deferred: string): string {
  return [
    ...Array.from({ length: modules }, (_, m) => `import { load${m}_0 } from "./lib/m${m}";`),
    "",
    "export default {",
    "  async fetch(request: Request, env: { API: string }, ctx: ExecutionContext): Promise<Response> {",
    '    const id = new URL(request.url).searchParams.get("id") ?? "1";',
    ...Array.from({ length: Math.min(modules, 4) }, (_, m) => `    const r${m} = await load${m}_0(id, env);`),
    `    ctx.waitUntil(${deferred});`,
    "    return Response.json({ ok: true });",
    "  },",
    "};",
    "",
  ].join("\n");
}

/** One Worker: a config and `files` source files (an entry importing the rest). */
export function writeWorker(dir: string, rand: () => number, index: number, files: number, linesPerFile = 60): string[] {
  mkdirSync(path.join(dir, "src/lib"), { recursive: true });
  const written: string[] = [];
  const modules = files - 1;
  const entry = entrySource(modules, 'fetch("https://api.honeycomb.io/1/events/x", { method: "POST" })');
  writeFileSync(path.join(dir, "src/index.ts"), entry);
  written.push(path.join(dir, "src/index.ts"));
  for (let m = 0; m < modules; m++) {
    const file = path.join(dir, `src/lib/m${m}.ts`);
    writeFileSync(file, moduleSource(rand, m, linesPerFile));
    written.push(file);
  }
  const placement =
    index % 3 === 0 ? '\n[placement]\nmode = "smart"\n' : index % 3 === 1 ? '\n[placement]\nregion = "aws:us-east-1"\n' : "";
  if (index % 2 === 0) {
    writeFileSync(
      path.join(dir, "wrangler.toml"),
      `name = "w${index}"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nAPI = "https://api.example.com"\n${placement}`,
    );
  } else {
    writeFileSync(
      path.join(dir, "wrangler.jsonc"),
      `{\n  // worker ${index}\n  "name": "w${index}",\n  "main": "src/index.ts",\n  "compatibility_date": "2025-01-01",\n  "vars": { "API": "https://api.example.com" },\n  "placement": { "mode": "smart" },\n}\n`,
    );
  }
  return written;
}

/** A monorepo of `workers` Workers with `filesPerWorker` source files each. */
export function writeMonorepo(root: string, workers: number, filesPerWorker: number, seed = 42): string[] {
  const rand = random(seed);
  const files: string[] = [];
  for (let i = 0; i < workers; i++) files.push(...writeWorker(path.join(root, `apps/w${i}`), rand, i, filesPerWorker));
  writeFileSync(
    path.join(root, "package.json"),
    JSON.stringify({ name: "bench-monorepo", private: true, devDependencies: { wrangler: "^4.60.0" } }),
  );
  return files;
}

/** Which of the backend's domains Worker `i` of the large repository mounts. */
export function domainsOfWorker(worker: number, domains: number): number[] {
  return [0, 1, 2].map((k) => (worker * 3 + k) % domains);
}

/**
 * A repository shaped like the large monorepos users have: npm workspaces, `workers` Workers under
 * apps/, each a Hono app that chains the route apps of three domains of a shared backend package
 * (packages/backend: `domains` x `modulesPerDomain` modules, plus a core of database helpers). Every
 * domain module calls core helpers and, in runs of ten, the next module of its domain.
 * Returns the files written, relative to `root`, with their text.
 */
export function largeRepository(workers = 24, domains = 40, modulesPerDomain = 50, coreModules = 50): Record<string, string> {
  const files: Record<string, string> = {};
  const rand = random(99);
  files["package.json"] = JSON.stringify(
    { name: "acme", private: true, workspaces: ["apps/*", "packages/*"], devDependencies: { wrangler: "^4.60.0" } },
    null,
    2,
  );
  files["packages/backend/package.json"] = JSON.stringify(
    { name: "@acme/backend", private: true, dependencies: { hono: "^4.0.0" } },
    null,
    2,
  );
  for (let c = 0; c < coreModules; c++) {
    const host = HOSTS[c % HOSTS.length];
    files[`packages/backend/src/core/db${c}.ts`] = [
      `// database helpers ${c}`,
      `export async function query${c}(sql: string, params: unknown[] = []): Promise<unknown> {`,
      `  const response = await fetch("https://${host}/query", { method: "POST", body: JSON.stringify({ sql, params }) });`,
      `  if (!response.ok) throw new Error(\`query failed: \${response.status}\`);`,
      `  return response.json();`,
      `}`,
      ``,
      `export function table${c}(name: string): string {`,
      `  return name.replace(/[^a-z_]/g, "") + "_${c}";`,
      `}`,
      ``,
    ].join("\n");
  }
  // A database client the request context holds (Hono middleware's `c.set("db", ...)`), handed by
  // the routes to each domain's service functions: the walk of a function reading a context value or
  // a client its callers pass is not kept, so those functions are walked again on every path.
  files["packages/backend/src/core/database.ts"] = [
    `import { neon } from "@neondatabase/serverless";`,
    `import { drizzle } from "drizzle-orm/neon-http";`,
    ``,
    `export function createDatabase(url: string) {`,
    `  return drizzle(neon(url));`,
    `}`,
    ``,
    `export type Database = ReturnType<typeof createDatabase>;`,
    ``,
  ].join("\n");
  for (let d = 0; d < domains; d++) {
    files[`packages/backend/src/d${d}/service.ts`] = [
      `import type { Database } from "../core/database";`,
      ``,
      `export async function listItems${d}(db: Database, owner: string): Promise<unknown[]> {`,
      `  const key = owner.trim().toLowerCase().replace(/[^a-z0-9]/g, "");`,
      `  const started = Date.now();`,
      `  const result = await db.execute(\`select * from items_${d} where owner = '\${key}'\`);`,
      `  const rows = result.rows.filter((row) => row !== null).slice(0, 100);`,
      `  console.log(JSON.stringify({ domain: ${d}, owner: key, rows: rows.length, ms: Date.now() - started }));`,
      `  return rows.map((row) => ({ ...row, domain: ${d} }));`,
      `}`,
      ``,
      `export async function countItems${d}(db: Database, owner: string): Promise<number> {`,
      `  const items = await listItems${d}(db, owner);`,
      `  return items.length;`,
      `}`,
      ``,
    ].join("\n");
    for (let m = 0; m < modulesPerDomain; m++) {
      const core = Math.floor(rand() * coreModules);
      const next = m % 10 !== 9 && m + 1 < modulesPerDomain ? m + 1 : undefined;
      const lines = [
        `// domain ${d}, module ${m}`,
        `import { query${core}, table${core} } from "../core/db${core}";`,
        ...(next !== undefined ? [`import { load${d}_${next} } from "./m${next}";`] : []),
        ``,
        `export interface Row${d}_${m} {`,
        `  id: string;`,
        `  name: string;`,
        `  updatedAt: number;`,
        `}`,
        ``,
        `export async function load${d}_${m}(id: string): Promise<Row${d}_${m}[]> {`,
        `  const rows = (await query${core}(\`select * from \${table${core}("d${d}")} where id = ?\`, [id])) as Row${d}_${m}[];`,
        ...(next !== undefined ? [`  if (rows.length === 0) return load${d}_${next}(id);`] : []),
        `  return rows.filter((row) => row.updatedAt > ${m});`,
        `}`,
        ``,
        `export function format${d}_${m}(row: Row${d}_${m}): string {`,
        `  const parts = [row.id, row.name, new Date(row.updatedAt).toISOString()];`,
        `  return parts.map((part) => part.trim()).join(" / ");`,
        `}`,
        ``,
      ];
      files[`packages/backend/src/d${d}/m${m}.ts`] = lines.join("\n");
    }
    const heads = Array.from({ length: Math.ceil(modulesPerDomain / 10) }, (_, k) => k * 10);
    files[`packages/backend/src/d${d}/routes.ts`] = [
      `import { Hono } from "hono";`,
      `import { createDatabase, type Database } from "../core/database";`,
      `import { countItems${d}, listItems${d} } from "./service";`,
      ...heads.map((h) => `import { load${d}_${h}, format${d}_${h} } from "./m${h}";`),
      ``,
      `export const routes${d} = new Hono<{ Bindings: { DATABASE_URL: string }; Variables: { db: Database } }>()`,
      `  .use("*", async (c, next) => {`,
      `    c.set("db", createDatabase(c.env.DATABASE_URL));`,
      `    await next();`,
      `  })`,
      ...heads.map(
        (h) =>
          `  .get("/items${h}/:owner", async (c) => {\n    const db = c.get("db");\n    const count = await countItems${d}(db, c.req.param("owner"));\n    const items = await listItems${d}(db, c.req.param("owner"));\n    return c.json({ count, items });\n  })`,
      ),
      ...heads.map(
        (h) =>
          `  .get("/r${h}/:id", async (c) => {\n    const rows = await load${d}_${h}(c.req.param("id"));\n    return c.json(rows.map(format${d}_${h}));\n  })`,
      ),
      `  .post("/sync", async (c) => {`,
      `    const first = await load${d}_0("first");`,
      `    const second = await load${d}_${heads[heads.length - 1]}("second");`,
      `    return c.json({ first: first.length, second: second.length });`,
      `  });`,
      ``,
    ].join("\n");
  }
  for (let w = 0; w < workers; w++) {
    const mounted = domainsOfWorker(w, domains);
    files[`apps/w${w}/package.json`] = JSON.stringify(
      { name: `@acme/w${w}`, private: true, dependencies: { "@acme/backend": "*", hono: "^4.0.0" } },
      null,
      2,
    );
    files[`apps/w${w}/wrangler.toml`] =
      `name = "w${w}"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nAPI = "https://api.example.com"\nDATABASE_URL = "postgres://app@db.example.com/app"\n${w % 2 === 0 ? '\n[placement]\nmode = "smart"\n' : ""}`;
    files[`apps/w${w}/src/index.ts`] = [
      `import { Hono } from "hono";`,
      ...mounted.map((d) => `import { routes${d} } from "@acme/backend/src/d${d}/routes";`),
      ``,
      `const app = new Hono()`,
      `  .get("/health", (c) => c.text("ok"))`,
      ...mounted.map((d) => `  .route("/d${d}", routes${d})`),
      `  ;`,
      ``,
      `export default app;`,
      ``,
    ].join("\n");
  }
  return files;
}

/** Writes `files` (relative paths) under `root`. */
export function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  }
}
