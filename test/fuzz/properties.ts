// Property and fuzz checks over the core: random bytes and mutations of real-looking configs and
// Worker sources. The core never throws, never hangs, keeps its output well-formed, and every quick
// fix it offers applies cleanly. Shared by `npm run fuzz` (100,000 cases) and the unit tests.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { toPlainValue, type ConfigFormat } from "../../server/src/core/config/tree";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { isRuleCode } from "../../server/src/core/rules/catalogue";
import { checkConfig } from "../../server/src/core/rules/config";
import { applyEdits } from "../../server/src/core/text";
import { analyzeWorker, createAnalysisCache } from "../../server/src/core/worker/analyze";
import type { BindingNames, WorkerAnalysisInput } from "../../server/src/core/worker/types";
import { entrySource, moduleSource, random } from "../../bench/generate";

const ROOT = path.resolve(__dirname, "../..");
/** Time box per input: a hang shows up as a failure, not a stuck run. */
const MAX_MS_PER_INPUT = 2000;

function filesUnder(dir: string, accept: (file: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? (name === "node_modules" ? [] : filesUnder(full, accept)) : accept(full) ? [full] : [];
  });
}

const CONFIG_SEEDS = [
  ...filesUnder(path.join(ROOT, "test/fixtures/wrangler-oracle"), (f) => /\.(toml|jsonc?)$/.test(f) && !f.endsWith("verdicts.json")),
  ...filesUnder(path.join(ROOT, "examples"), (f) => /wrangler\.(toml|jsonc?)$/.test(f)),
].map((file) => ({
  format: (file.endsWith(".toml") ? "toml" : file.endsWith(".jsonc") ? "jsonc" : "json") as ConfigFormat,
  text: readFileSync(file, "utf8"),
}));

const SOURCE_SEEDS = filesUnder(path.join(ROOT, "test/fixtures/workers"), (f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts")).map(
  (file) => readFileSync(file, "utf8"),
);

const TOKENS = [
  "[",
  "]",
  "[[",
  "]]",
  "{",
  "}",
  "=",
  ",",
  '"',
  "'",
  '"""',
  "#",
  "//",
  "/*",
  "*/",
  "\n",
  "placement",
  "mode",
  "smart",
  "region",
  "env",
  "await ",
  "fetch(",
  ")",
  "=>",
  "async ",
  "ctx.waitUntil(",
  "\u0000",
  "\ufffd",
];

/** A mutation of `text`: a deleted, duplicated or swapped slice, or an inserted token. */
/** Up to four edits of random text: deleted, duplicated and swapped slices, inserted tokens. */
const edits = fc.array(fc.tuple(fc.nat(4), fc.nat(), fc.nat(), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 4 });

function mutate(seed: string, changes: ReadonlyArray<[number, number, number, string]>): string {
  let text = seed;
  for (const [kind, a, b, token] of changes) {
    const i = text.length ? a % text.length : 0;
    const j = text.length ? Math.min(text.length, i + (b % 40)) : 0;
    if (kind === 0) text = text.slice(0, i) + text.slice(j);
    else if (kind === 1) text = text.slice(0, j) + text.slice(i, j) + text.slice(j);
    else if (kind === 2) {
      const k = text.length ? b % text.length : 0;
      const [x, y] = i < k ? [i, k] : [k, i];
      text = text.slice(0, x) + text.slice(y, y + 10) + text.slice(x + 10, y) + text.slice(x, x + 10) + text.slice(y + 10);
    } else text = text.slice(0, i) + token + text.slice(i);
  }
  return text;
}

function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), edits).map(([seed, changes]) => mutate(seed, changes));
}

const randomText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("utf8")),
);

function timed<T>(work: () => T): T {
  const start = performance.now();
  const result = work();
  const elapsed = performance.now() - start;
  assert.ok(elapsed < MAX_MS_PER_INPUT, `took ${elapsed.toFixed(0)} ms`);
  return result;
}

/** The placement-free rest of a config: what a placement quick fix must leave alone. */
function withoutPlacement(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlacement);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== "placement")
        .map(([key, v]) => [key, withoutPlacement(v)]),
    );
  }
  return value;
}

function commentLines(text: string, format: ConfigFormat): string[] {
  const marker = format === "toml" ? "#" : "//";
  return text.split(/\r?\n/).flatMap((line) => {
    const at = line.indexOf(marker);
    return at >= 0 && line.slice(0, at).trim() === "" ? [line.slice(at).trim()] : [];
  });
}

export function checkConfigText(text: string, format: ConfigFormat): void {
  const file = `/fuzz/wrangler.${format}`;
  const findings = timed(() => checkConfig(loadWranglerConfig(file, text, format), new MemoryFileSystem({ [file]: text })));
  const original = loadWranglerConfig(file, text, format);
  for (const finding of findings) {
    assert.ok(isRuleCode(finding.code), finding.code);
    assert.ok(finding.message.length > 0);
    assert.ok(
      finding.span.start >= 0 && finding.span.start <= finding.span.end && finding.span.end <= text.length,
      JSON.stringify(finding.span),
    );
    for (const fix of finding.fixes) {
      const result = applyEdits(text, fix.edits[0]!.edits);
      const fixed = loadWranglerConfig(file, result, format);
      assert.equal(fixed.syntaxError, undefined, `fix "${fix.title}" broke the file:\n${result}`);
      assert.deepEqual(
        withoutPlacement(toPlainValue(fixed.root!)),
        withoutPlacement(toPlainValue(original.root!)),
        `fix "${fix.title}" changed other keys`,
      );
      const before = commentLines(text, format);
      const after = commentLines(result, format);
      for (const comment of before) assert.ok(after.includes(comment), `fix "${fix.title}" lost the comment ${comment}`);
    }
  }
}

const NO_BINDINGS: BindingNames = {
  d1: ["DB"],
  kv: ["KV"],
  r2: [],
  services: ["AUTH"],
  durableObjects: [],
  queues: [],
  ai: [],
  hyperdrive: [],
  assets: ["ASSETS"],
  other: [],
};

/** The Worker under /w, entry src/index.ts, as every source property analyses it. */
function workerInput(fs: MemoryFileSystem): WorkerAnalysisInput {
  return {
    fs,
    projectRoot: "/w",
    main: "src/index.ts",
    pagesBuildOutputDir: null,
    vars: { API: "https://api.example.com" },
    bindings: NO_BINDINGS,
  };
}

export function checkSource(text: string): void {
  const analysis = timed(() => analyzeWorker(workerInput(new MemoryFileSystem({ "/w/src/index.ts": text }))));
  assert.ok(analysis.roundTrips === null || analysis.roundTrips >= 0);
  for (const s of analysis.subrequests) assert.ok(s.span.start >= 0 && s.span.end <= text.length && s.span.start <= s.span.end);
  for (const finding of analysis.findings) {
    for (const fix of finding.fixes) {
      const result = applyEdits(text, fix.edits[0]!.edits);
      const parsed = ts.createSourceFile("x.ts", result, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as ts.SourceFile & {
        parseDiagnostics: ts.Diagnostic[];
      };
      const before = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as ts.SourceFile & {
        parseDiagnostics: ts.Diagnostic[];
      };
      assert.ok(parsed.parseDiagnostics.length <= before.parseDiagnostics.length, `fix "${fix.title}" added syntax errors`);
    }
  }
}

/**
 * An edit analysed with what earlier analyses kept (TypeScript's incremental reparse, the facts
 * walk over reused nodes, the unchanged files' trees and their function summaries) gives exactly
 * what a fresh analysis of the new text gives; so does undoing the edit.
 */
export function checkIncremental(files: Readonly<Record<string, string>>, edited: string, after: string): void {
  const fs = new MemoryFileSystem(files);
  const input = workerInput(fs);
  const cache = createAnalysisCache();
  analyzeWorker(input, cache);
  analyzeWorker(input, cache); // asked for twice: the trees are kept for the edit
  analyzeWorker(input, cache); // unchanged since: the function summaries are kept too
  assert.ok(cache.modules.has(edited));
  for (const text of [after, files[edited]!]) {
    fs.set(edited, text);
    const incremental = timed(() => analyzeWorker(input, cache));
    const fresh = analyzeWorker(input, createAnalysisCache());
    assert.deepEqual(incremental, fresh);
    // The CLI prints the analysis as JSON: the order of keys must match too.
    assert.equal(JSON.stringify(incremental), JSON.stringify(fresh));
  }
}

/**
 * Two Workers of one run over one package (the CLI's one-run cache: trees, resolutions and
 * function summaries shared): Worker /v's entry is /w's, edited, importing /w's modules. Each
 * Worker's analysis, and its JSON, equals the analysis of that Worker alone.
 */
export function checkSharedRun(files: Readonly<Record<string, string>>, changes: ReadonlyArray<[number, number, number, string]>): void {
  const other = mutate(files["/w/src/index.ts"]!, changes).split('"./lib/').join('"../../w/src/lib/');
  const fs = new MemoryFileSystem({ ...files, "/v/src/index.ts": other });
  const inputs = [workerInput(fs), { ...workerInput(fs), projectRoot: "/v" }];
  const cache = createAnalysisCache(undefined, { oneRun: true });
  for (const input of [...inputs, ...inputs.reverse()]) {
    const together = timed(() => analyzeWorker(input, cache));
    const alone = analyzeWorker(input, createAnalysisCache(undefined, { oneRun: true }));
    assert.equal(JSON.stringify(together), JSON.stringify(alone));
  }
}

/**
 * A relay in helper module `m` of `modules`: calls into the next module on the response path and
 * in waitUntil, awaits an analytics call, may serve assets and makes a dynamic call. Modules that
 * import each other give kept summaries with every kind of effect to replay.
 */
function relaySource(m: number, modules: number): string {
  const next = m + 1 < modules ? m + 1 : undefined;
  return [
    ...(next === undefined ? [] : [`import { load${next}_0, relay${next} } from "./m${next}";`]),
    `const handlers${m}: Record<string, () => Promise<void>> = {};`,
    `export async function relay${m}(id: string, env: any, ctx: ExecutionContext, request: Request): Promise<unknown> {`,
    ...(next === undefined ? [] : [`  ctx.waitUntil(load${next}_0(id, env));`]),
    '  ctx.waitUntil(fetch("https://api.segment.io/v1/w"));',
    `  await fetch("https://api.segment.io/v1/t${m}");`,
    '  if (id === "a") return env.ASSETS.fetch(request);',
    `  await handlers${m}[id]!();`,
    next === undefined ? `  return load${m}_0(id, env);` : `  return relay${next}(id, env, ctx, request);`,
    "}",
    "",
  ].join("\n");
}

/** A Worker of an entry and 1–3 generated helper modules, each importing the next. */
const multiFileWorker = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })).map(([seed, modules]) => {
  const rand = random(seed);
  const files: Record<string, string> = {};
  for (let m = 0; m < modules; m++) files[`/w/src/lib/m${m}.ts`] = moduleSource(rand, m, 24) + relaySource(m, modules);
  files["/w/src/index.ts"] = entrySource(modules, 'load0_0("log", env)')
    .replace("export default", 'import { relay0 } from "./lib/m0";\nexport default')
    .replace("    ctx.waitUntil(", "    await relay0(id, env, ctx, request);\n    ctx.waitUntil(");
  return files;
});

/**
 * A Worker wired like real apps: the entry hands the request to a Hono app in another module,
 * whose routes are registered by a function, read a client that middleware in a third module puts
 * on the request context, go through a class field and a callback helper. Which host each route
 * calls, and how many times, varies; the edits then break and mend any of the files.
 */
const wiredWorker = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })).map(([seed, routes]): Record<string, string> => {
  const rand = random(seed);
  const host = (): string => ["db.example.com", "api.example.com", "api.honeycomb.io"][Math.floor(rand() * 3)]!;
  const calls = (): string =>
    Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => `    await fetch("https://${host()}/${i}");`).join("\n");
  return {
    "/w/src/index.ts": [
      'import { app } from "./app";',
      "export default {",
      "  fetch(request: Request, env: any, ctx: ExecutionContext) {",
      "    return app.fetch(request, env, ctx);",
      "  },",
      "};",
      "",
    ].join("\n"),
    "/w/src/app.ts": [
      'import { Hono } from "hono";',
      'import { withDb } from "./middleware";',
      'import { registerRoutes } from "./routes";',
      'export const app = new Hono().use("*", withDb);',
      "registerRoutes(app);",
      "",
    ].join("\n"),
    "/w/src/middleware.ts": [
      'import { neon } from "@neondatabase/serverless";',
      "export const withDb = async (c: any, next: () => Promise<void>) => {",
      '  c.set("db", neon(c.env.DATABASE_URL));',
      `${calls()}`,
      "  await next();",
      "};",
      "",
    ].join("\n"),
    "/w/src/routes.ts": [
      "class Store {",
      "  constructor(private db: any) {}",
      "  async load() {",
      "    await this.db`select 1`;",
      `${calls()}`,
      "  }",
      "}",
      "async function guarded(fn: () => Promise<Response>) {",
      "  try { return await fn(); } catch { return new Response(null, { status: 500 }); }",
      "}",
      "export function registerRoutes(app: any) {",
      ...Array.from({ length: routes }, (_, r) =>
        [
          `  app.get("/r${r}", (c: any) => guarded(async () => {`,
          '    const store = new Store(c.get("db"));',
          "    await store.load();",
          "    await c.var.db`select 2`;",
          `${calls()}`,
          "    return c.text('ok');",
          "  }));",
        ].join("\n"),
      ),
      "}",
      "",
    ].join("\n"),
  };
});

/**
 * A hostile workspace: packages whose manifests point at themselves, at each other and at folders
 * that do not exist (`main`, `exports`, `workspaces` in any combination), tsconfig files that
 * extend each other in a ring, and a source with a string of up to 300,000 characters. The entry
 * imports the packages; the analysis must end within its time box, never throw, and say what it
 * could not read instead of guessing.
 */
const hostileWorkspace = fc
  .tuple(
    fc.array(
      fc.record({
        main: fc.constantFrom(".", "./", "../a", "../b", "../c", "./missing.js", "index", "./src/index.ts", ""),
        exports: fc.constantFrom(undefined, ".", "./", { ".": "../a" }, { ".": { workerd: "../b", default: "." } }, { "./*": "./*" }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    fc.integer({ min: 0, max: 300_000 }),
    fc.boolean(),
  )
  .map(([packages, stringLength, ring]): Record<string, string> => {
    const names = ["a", "b", "c"].slice(0, packages.length);
    const files: Record<string, string> = {
      "/w/package.json": JSON.stringify({ private: true, workspaces: ["packages/*", "packages/**", ".", ".."] }),
      "/w/pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n  - '.'\n",
      "/w/tsconfig.json": JSON.stringify({ extends: ring ? "./tsconfig.base.json" : undefined, compilerOptions: {} }),
      "/w/tsconfig.base.json": JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { paths: { "~/*": ["./packages/*"] } } }),
      "/w/src/index.ts": [
        ...names.map((n) => `import * as ${n} from "${n}";`),
        `import * as alias from "~/a";`,
        `const long = "${"x".repeat(stringLength)}";`,
        `export default { async fetch() { ${names.map((n) => `await ${n}.load?.();`).join(" ")} return new Response(long); } };`,
      ].join("\n"),
    };
    packages.forEach((manifest, i) => {
      files[`/w/packages/${names[i]}/package.json`] = JSON.stringify({ name: names[i], ...manifest });
      if (i === 0)
        files[`/w/packages/${names[i]}/src/index.ts`] = `export async function load() { await fetch("https://db.example.com/${i}"); }`;
    });
    return files;
  });

export const PROPERTIES = {
  "config: random text": fc.property(randomText, fc.constantFrom<ConfigFormat>("toml", "jsonc", "json"), (text, format) =>
    checkConfigText(text, format),
  ),
  "config: mutated TOML": fc.property(mutated(CONFIG_SEEDS.filter((s) => s.format === "toml").map((s) => s.text)), (text) =>
    checkConfigText(text, "toml"),
  ),
  "config: mutated JSONC": fc.property(mutated(CONFIG_SEEDS.filter((s) => s.format !== "toml").map((s) => s.text)), (text) =>
    checkConfigText(text, "jsonc"),
  ),
  "source: mutated Workers and random text": fc.property(fc.oneof(mutated(SOURCE_SEEDS), randomText), (text) => checkSource(text)),
  "source: an edit analysed incrementally equals a fresh analysis": fc.property(
    fc.oneof(fc.constantFrom(...SOURCE_SEEDS), mutated(SOURCE_SEEDS)),
    edits,
    (before, changes) => checkIncremental({ "/w/src/index.ts": before }, "/w/src/index.ts", mutate(before, changes)),
  ),
  "source: an edit to one file of a multi-file Worker, incrementally, equals a fresh analysis": fc.property(
    multiFileWorker,
    fc.nat(),
    edits,
    (files, which, changes) => {
      const paths = Object.keys(files);
      const edited = paths[which % paths.length]!;
      checkIncremental(files, edited, mutate(files[edited]!, changes));
    },
  ),
  "source: Workers of one run that share a package each get what they get alone": fc.property(
    fc.oneof(multiFileWorker, wiredWorker),
    edits,
    (files, changes) => checkSharedRun(files, changes),
  ),
  "source: a hostile workspace (self-referencing packages, tsconfig rings, huge strings) ends with an answer": fc.property(
    hostileWorkspace,
    (files) => {
      const analysis = timed(() => analyzeWorker(workerInput(new MemoryFileSystem(files))));
      assert.ok(analysis.entryProblem !== null || analysis.handlers.some((h) => h.kind === "fetch"));
      assert.ok(analysis.files.length <= Object.keys(files).length);
    },
  ),
  "source: an edit to one file of a wired app (hand-off, registrar, context, fields, callbacks), incrementally, equals a fresh analysis":
    fc.property(wiredWorker, fc.nat(), edits, (files, which, changes) => {
      const paths = Object.keys(files);
      const edited = paths[which % paths.length]!;
      checkIncremental(files, edited, mutate(files[edited]!, changes));
    }),
};

/** Every seed itself, unmutated: each quick fix offered on every fixture applies cleanly. */
export function checkAllSeeds(): void {
  for (const seed of CONFIG_SEEDS) checkConfigText(seed.text, seed.format);
  for (const seed of SOURCE_SEEDS) checkSource(seed);
}
