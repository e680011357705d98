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
