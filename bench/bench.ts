// `npm run bench`: speed and memory against the targets, on generated inputs (deterministic seed).
// Prints readable tables, then, as the last line, one JSON object with the figures.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir, totalmem } from "node:os";
import * as path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import ts from "typescript";
import { HoverRequest, NotificationType, RequestType0 } from "vscode-languageserver-protocol/node";
import { analyzeConfig } from "../server/src/core/analysis";
import { findConfigFiles } from "../server/src/core/discovery";
import { MemoryFileSystem, normalizePath, RunFileSystem } from "../server/src/core/fs";
import { createAnalysisCache } from "../server/src/core/worker/analyze";
import { collectFacts } from "../server/src/core/worker/module";
import { NodeFileSystem } from "../server/src/host/nodeFileSystem";
import { LspTestClient, uriOf } from "../test/lsp/client";
import { largeRepository, moduleSource, random, writeFiles, writeMonorepo, writeWorker } from "./generate";

const SCAN_COMPLETE = new NotificationType<{ configs: number; files: number; ms: number }>("smartPlacement/scanComplete");
const STATS = new RequestType0<{ rssBytes: number; heapUsedBytes: number; configs: number }, void>("smartPlacement/stats");

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const median = (values: number[]): number => percentile(values, 50);
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
const table = (title: string, rows: Array<Record<string, string | number>>): void => {
  console.log(`\n${title}`);
  console.table(rows);
};

const scratch = mkdtempSync(path.join(tmpdir(), "sp-bench-"));
const results: Record<string, number | string | null> = {};
/** The repository root (the bench runs from out/bench/). */
const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist/cli.js");

/** Median wall time of TypeScript's parse of `texts`, in this process (the floor the ratios are to). */
function parseFloorMs(texts: ReadonlyMap<string, string>, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    for (const [file, text] of texts) ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Analysis time over TypeScript's own parse time of the same files, same process. */
function analysisToParse(): void {
  const root = path.join(scratch, "ratio");
  writeMonorepo(root, 50, 10);
  const configs = findConfigFiles(new NodeFileSystem(), normalizePath(root));
  const sources = configs.flatMap((config) => {
    const dir = path.dirname(config);
    return [path.join(dir, "src/index.ts"), ...Array.from({ length: 9 }, (_, m) => path.join(dir, `src/lib/m${m}.ts`))];
  });
  const texts = new Map(sources.map((file) => [file, readFileSync(file, "utf8")]));
  const configTexts = new Map(configs.map((file) => [file, readFileSync(file, "utf8")]));
  // Both sides read from memory: the ratio is about computing, not the disk.
  const fs = new MemoryFileSystem(Object.fromEntries([...texts, ...configTexts]));
  const parse = (): void => {
    for (const [file, text] of texts) ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  };
  const analyse = (): void => {
    const cache = createAnalysisCache();
    for (const [file, text] of configTexts) analyzeConfig(fs, file, text, { cache });
  };
  for (let i = 0; i < 5; i++) {
    parse();
    analyse();
  }
  const parseTimes: number[] = [];
  const analysisTimes: number[] = [];
  for (let i = 0; i < 11; i++) {
    let t = performance.now();
    parse();
    parseTimes.push(performance.now() - t);
    t = performance.now();
    analyse();
    analysisTimes.push(performance.now() - t);
  }
  const lines = [...texts.values()].reduce((n, t) => n + t.split("\n").length, 0);
  results["analysisToParseRatio"] = round(median(analysisTimes) / median(parseTimes));
  table("Analysis against the parse floor (median of 11 runs)", [
    { what: "ts.createSourceFile only", files: texts.size, lines, ms: round(median(parseTimes)) },
    { what: "full analysis (parse + facts + round trips + prediction)", files: texts.size, lines, ms: round(median(analysisTimes)) },
  ]);
}

/** A 3,000-line Worker file, edited through the real server over stdio. */
async function editorLatency(): Promise<void> {
  const root = path.join(scratch, "edit");
  const rand = random(7);
  const dir = path.join(root, "worker");
  const entry = path.join(dir, "src/index.ts");
  const body = moduleSource(rand, 0, 2960);
  // The handler calls every helper, so the whole file is on the response path (the hard case).
  const helpers = [...body.matchAll(/export async function (load0_\d+)/g)].map((m) => m[1]!);
  const calls = helpers.map((name) => `    results.push(await ${name}(id, env));`).join("\n");
  const text = `${body}\nexport default {\n  async fetch(request: Request, env: { API: string }, ctx: ExecutionContext): Promise<Response> {\n    const id = new URL(request.url).pathname;\n    const results: unknown[] = [];\n${calls}\n    return Response.json(results);\n  },\n};\n`;
  mkdirSync(path.dirname(entry), { recursive: true });
  writeFileSync(entry, text);
  writeFileSync(
    path.join(dir, "wrangler.toml"),
    'name = "big"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nAPI = "https://api.example.com"\n\n[placement]\nmode = "smart"\n',
  );
  const client = new LspTestClient();
  await client.initialize(root);
  await client.open(entry, text, "typescript");
  await client.diagnostics(entry, () => true, 30_000);
  const uri = uriOf(entry);
  const lines = text.split("\n");
  const commentLines = lines.flatMap((l, i) => (l.trimStart().startsWith("//") ? [i] : []));
  const latencies: number[] = [];
  for (let i = 0; i < 220; i++) {
    const line = commentLines[i % commentLines.length]!;
    const published = new Promise<void>((resolve) => {
      client.onPublish = (params) => {
        if (params.uri === uri && params.version === i + 2) resolve();
      };
    });
    const start = performance.now();
    await client.edit(entry, [{ range: { start: { line, character: 2 }, end: { line, character: 2 } }, newText: "x" }]);
    await published;
    if (i >= 20) latencies.push(performance.now() - start);
  }
  client.onPublish = () => undefined;
  results["editToDiagnosticsP95Ms"] = round(percentile(latencies, 95));
  // The floor: TypeScript parsing the edited file once, in this process, on this machine, now.
  const parseMs = parseFloorMs(new Map([[entry, client.text(entry)]]), 21);
  results["editParseMs"] = round(parseMs);
  results["editToParseRatio"] = round(percentile(latencies, 95) / parseMs);

  const current = client.text(entry).split("\n");
  const positions = current.flatMap((l, i) => {
    const at = l.indexOf("fetch(");
    return at >= 0 ? [{ line: i, character: at + 1 }] : [];
  });
  const handlerLine = current.findIndex((l) => l.includes("async fetch(request"));
  positions.push({ line: handlerLine, character: 10 });
  const hovers: number[] = [];
  let answered = 0;
  for (let i = 0; i < 220; i++) {
    const position = i % 10 === 0 ? positions[positions.length - 1]! : positions[i % (positions.length - 1)]!;
    const start = performance.now();
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    if (i >= 20) hovers.push(performance.now() - start);
    if (hover) answered++;
  }
  // Calls in helpers the handler never reaches have no hover in the editor (see listUnreached).
  if (answered < 50) throw new Error(`only ${answered} hovers answered`);
  results["hoverP95Ms"] = round(percentile(hovers, 95));
  table("Editing a 3,000-line Worker through the server (stdio)", [
    {
      what: "didChange -> publishDiagnostics",
      samples: latencies.length,
      p50: round(median(latencies)),
      p95: results["editToDiagnosticsP95Ms"] as number,
      max: round(Math.max(...latencies)),
    },
    { what: "ts.createSourceFile of the file (the floor)", samples: 21, p50: round(parseMs), p95: round(parseMs), max: round(parseMs) },
    {
      what: "hover (subrequests, fetch handler)",
      samples: hovers.length,
      p50: round(median(hovers)),
      p95: results["hoverP95Ms"] as number,
      max: round(Math.max(...hovers)),
    },
  ]);

  await client.stop();
}

/** A Worker whose entry (which starts with a comment) awaits every helper of `modules` generated modules. */
function wideWorker(modules: number, linesPerModule: number, rand: () => number): Record<string, string> {
  const files: Record<string, string> = {};
  const imports: string[] = [];
  const calls: string[] = [];
  for (let m = 0; m < modules; m++) {
    const source = moduleSource(rand, m, linesPerModule);
    files[`src/lib/m${m}.ts`] = source;
    const helpers = [...source.matchAll(/export async function (load\d+_\d+)/g)].map((match) => match[1]!);
    imports.push(`import { ${helpers.join(", ")} } from "./lib/m${m}";`);
    calls.push(...helpers.map((name) => `    results.push(await ${name}(id, env));`));
  }
  files["src/index.ts"] =
    `// every helper, in turn\n${imports.join("\n")}\n\nexport default {\n  async fetch(request: Request, env: { API: string }): Promise<Response> {\n    const id = new URL(request.url).pathname;\n    const results: unknown[] = [];\n${calls.join("\n")}\n    return Response.json(results);\n  },\n};\n`;
  return files;
}

/** Median time to re-analyse a Worker after each of 60 edits to its entry, in process, as the editor analyses. */
function editTimes(files: Readonly<Record<string, string>>, entry: string, keepSummaries: boolean): number {
  const config = 'name = "mf"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nAPI = "https://api.example.com"\n';
  const fs = new MemoryFileSystem({ ...files, "/mf/src/index.ts": entry, "/mf/wrangler.toml": config });
  const cache = createAnalysisCache(undefined, { keepSummaries });
  const times: number[] = [];
  for (let i = 0; i < 63; i++) {
    fs.set("/mf/src/index.ts", `${entry}// edit ${i}\n`);
    const start = performance.now();
    analyzeConfig(fs, "/mf/wrangler.toml", config, { cache, listUnreached: false });
    if (i >= 3) times.push(performance.now() - start);
  }
  return round(median(times));
}

/**
 * An edit to the entry of a multi-file Worker whose handler reaches every helper: what the kept
 * function summaries save. Two shapes: 40 large helper modules, and 1,500 small ones that each
 * import the next three (long import chains: checking a summary must not walk its closure).
 */
function multiFileEdit(): void {
  const { "src/index.ts": wideEntry, ...wideHelpers } = wideWorker(40, 300, random(23));
  const wide = Object.fromEntries(Object.entries(wideHelpers).map(([relative, text]) => [`/mf/${relative}`, text]));

  const deep: Record<string, string> = {};
  const modules = 1500;
  for (let m = 0; m < modules; m++) {
    const next = [m + 1, m + 2, m + 3].filter((n) => n < modules);
    // Calls go 20 modules deep (the analysis follows calls 40 deep); imports reach to the end.
    const call = m % 20 !== 19 && next.length ? `  await f${m + 1}(id);\n` : "";
    deep[`/mf/src/lib/m${m}.ts`] =
      `${next.map((n) => `import { f${n} } from "./m${n}";`).join("\n")}\nexport async function f${m}(id: string) {\n  await fetch(\`https://db.example.com/${m}/\${id}\`);\n${call}}\n`;
  }
  const heads = Array.from({ length: modules / 20 }, (_, i) => i * 20);
  const deepEntry = `${heads.map((h) => `import { f${h} } from "./lib/m${h}";`).join("\n")}\nexport default {\n  async fetch(request: Request): Promise<Response> {\n${heads.map((h) => `    await f${h}(request.url);`).join("\n")}\n    return new Response("ok");\n  },\n};\n`;

  const linesOf = (files: Record<string, string>, entry: string): number =>
    Object.values(files).reduce((n, t) => n + t.split("\n").length, entry.split("\n").length);
  const rows = [
    {
      what: "40 helper modules",
      files: 41,
      lines: linesOf(wide, wideEntry),
      walked: editTimes(wide, wideEntry, false),
      replayed: editTimes(wide, wideEntry, true),
    },
    {
      what: "1,500 modules, import chains",
      files: modules + 1,
      lines: linesOf(deep, deepEntry),
      walked: editTimes(deep, deepEntry, false),
      replayed: editTimes(deep, deepEntry, true),
    },
  ];
  results["multiFileEditMs"] = rows[0]!.replayed;
  results["multiFileEditWithoutSummariesMs"] = rows[0]!.walked;
  results["manyModulesEditMs"] = rows[1]!.replayed;
  results["manyModulesEditWithoutSummariesMs"] = rows[1]!.walked;
  table("Re-analysing a Worker after an edit to its entry, in process: ms, helpers walked again / summaries replayed (median of 60)", rows);
}

/**
 * 10,000 edits through the server, in batches of 50, to the open files of a Worker; the server's
 * memory must stay flat. Every fifth batch goes to the second file, when there is one.
 */
async function soakRun(
  name: string,
  files: Readonly<Record<string, string>>,
  edited: readonly string[],
): Promise<Record<string, number | string>> {
  const dir = path.join(scratch, `soak-${name}`, "worker");
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), text);
  }
  writeFileSync(
    path.join(dir, "wrangler.toml"),
    'name = "soak"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n[vars]\nAPI = "https://api.example.com"\n\n[placement]\nmode = "smart"\n',
  );
  const client = new LspTestClient(["--stdio"], ["--expose-gc"]);
  await client.initialize(path.dirname(dir));
  const documents = edited.map((relative) => {
    const file = path.join(dir, relative);
    const text = files[relative]!;
    return {
      file,
      uri: uriOf(file),
      version: 1,
      comments: text.split("\n").flatMap((l, i) => (l.trimStart().startsWith("//") ? [i] : [])),
    };
  });
  for (const document of documents) {
    await client.open(document.file, files[path.relative(dir, document.file)]!, "typescript");
    await client.diagnostics(document.file, () => true, 30_000);
  }
  const edits = 10_000;
  const batch = 50;
  let warm = { rssBytes: 0, heapUsedBytes: 0 };
  const started = performance.now();
  for (let b = 0; b < edits / batch; b++) {
    const document = documents[b % 5 === 4 && documents.length > 1 ? 1 : 0]!;
    for (let i = 0; i < batch; i++) {
      const line = document.comments[(b * batch + i) % document.comments.length]!;
      await client.edit(document.file, [
        { range: { start: { line, character: 3 }, end: { line, character: 4 } }, newText: String.fromCharCode(97 + (i % 26)) },
      ]);
      document.version++;
    }
    const target = document.version;
    await new Promise<void>((resolve) => {
      client.onPublish = (params) => {
        if (params.uri === document.uri && (params.version ?? 0) >= target) resolve();
      };
    });
    if (b === 19) warm = await client.connection.sendRequest(STATS);
  }
  const end = await client.connection.sendRequest(STATS);
  await client.stop();
  return {
    worker: name,
    edits,
    seconds: round((performance.now() - started) / 1000, 1),
    warmHeapMb: round(warm.heapUsedBytes / 1e6, 1),
    endHeapMb: round(end.heapUsedBytes / 1e6, 1),
    heapGrowthPct: round(((end.heapUsedBytes - warm.heapUsedBytes) / warm.heapUsedBytes) * 100, 1),
    warmRssMb: round(warm.rssBytes / 1e6, 1),
    endRssMb: round(end.rssBytes / 1e6, 1),
    rssGrowthPct: round(((end.rssBytes - warm.rssBytes) / warm.rssBytes) * 100, 1),
  };
}

/** Soaks a 300-line Worker, and an 11-file one whose entry and a helper are edited (kept summaries invalidated and kept again). */
async function soak(): Promise<void> {
  const single = `${moduleSource(random(11), 0, 300)}\nexport default { async fetch(request: Request, env: { API: string }) { await load0_0("1", env); return new Response("ok"); } };\n`;
  const multi = wideWorker(10, 300, random(13));
  const rows = [
    await soakRun("300 lines, 1 file", { "src/index.ts": single }, ["src/index.ts"]),
    await soakRun("3,000 lines, 11 files", multi, ["src/index.ts", "src/lib/m3.ts"]),
  ];
  results["soakEdits"] = 10_000;
  results["soakHeapGrowthPct"] = rows[0]!["heapGrowthPct"]!;
  results["soakRssGrowthPct"] = rows[0]!["rssGrowthPct"]!;
  results["multiFileSoakHeapGrowthPct"] = rows[1]!["heapGrowthPct"]!;
  results["multiFileSoakRssGrowthPct"] = rows[1]!["rssGrowthPct"]!;
  table("Soak: 10,000 edits through the server (memory after a full GC; warm = after 1,000 edits)", rows);
}

/** The server's first full analysis of generated monorepos, at several sizes. */
async function workspaceScan(): Promise<void> {
  const rows: Array<Record<string, number>> = [];
  for (const workers of [20, 100, 200, 500]) {
    const root = path.join(scratch, `mono-${workers}`);
    const files = writeMonorepo(root, workers, 10);
    const client = new LspTestClient();
    const done = new Promise<{ configs: number; files: number; ms: number }>((resolve) =>
      client.connection.onNotification(SCAN_COMPLETE, resolve),
    );
    const start = performance.now();
    await client.initialize(root);
    const summary = await done;
    const wall = performance.now() - start;
    const stats = await client.connection.sendRequest(STATS);
    await client.stop();
    rows.push({
      workers,
      files: summary.files,
      scanMs: summary.ms,
      wallMs: round(wall, 0),
      msPerFile: round(summary.ms / summary.files, 3),
      rssMb: round(stats.rssBytes / 1e6, 1),
    });
    if (workers === 200) {
      const sources = files.filter((file) => /\.ts$/.test(file));
      const parseMs = parseFloorMs(new Map(sources.map((file) => [file, readFileSync(file, "utf8")])), 3);
      results["workspaceParseMs"] = round(parseMs, 0);
      results["scanToParseRatio"] = round(summary.ms / parseMs);
      results["workspaceScanMs"] = summary.ms;
      results["workspaceFiles"] = summary.files;
      results["serverRssMb"] = round(stats.rssBytes / 1e6, 1);
    }
    rmSync(root, { recursive: true, force: true });
  }
  table("Workspace scan by size (close to linear: ms per file stays flat)", rows);
  const small = rows[1]!;
  const large = rows[3]!;
  results["scanGrowthPerFileRatio"] = round(large.msPerFile! / small.msPerFile!);
}

/** Wall times of commands run in turn, `rounds` times each (interleaved, so the machine's mood hits all alike). */
function interleaved(commands: ReadonlyArray<{ name: string; run: () => void }>, rounds: number): Map<string, number[]> {
  const times = new Map(commands.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (const command of commands) {
      const start = performance.now();
      command.run();
      times.get(command.name)!.push(performance.now() - start);
    }
  }
  return times;
}

/**
 * Wrangler, when installed where this repository can see it (`npm i -D wrangler` in it, or the
 * WRANGLER variable naming its executable): how to start it, else null.
 */
function findWrangler(): { command: string; args: string[] } | null {
  const named = process.env["WRANGLER"];
  if (named) return existsSync(named) ? { command: named, args: [] } : null;
  try {
    const manifestPath = createRequire(path.join(ROOT, "package.json")).resolve("wrangler/package.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.["wrangler"];
    return bin ? { command: process.execPath, args: [path.join(path.dirname(manifestPath), bin)] } : null;
  } catch {
    return null;
  }
}

/**
 * Wrangler reading and validating a config (`wrangler deploy --dry-run`): the time until it says
 * it is done. It then may wait on the network (update check, telemetry) before it exits; that
 * wait is not Wrangler's validation and is cut short.
 */
async function wranglerValidation(wrangler: { command: string; args: string[] }, dir: string): Promise<number | null> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(wrangler.command, [...wrangler.args, "deploy", "--dry-run", "--outdir", path.join(dir, ".dry-run")], {
      cwd: dir,
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let settled = false;
    const finish = (ms: number | null): void => {
      if (settled) return;
      settled = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Exited already.
      }
      resolve(ms);
    };
    const listen = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("--dry-run: exiting now")) finish(performance.now() - start);
    };
    child.stdout.on("data", listen);
    child.stderr.on("data", listen);
    child.on("exit", () => {
      if (!settled) console.log(`wrangler did not validate the config:\n${output.slice(0, 600)}`);
      finish(null);
    });
  });
}

/**
 * The CLI from the shell, as CI and pre-commit hooks run it: one small Worker, and a config-only
 * check (no source to read), each a new process, against Node starting and against Wrangler.
 */
async function cliStartup(): Promise<void> {
  const dir = path.join(scratch, "cli");
  writeWorker(path.join(dir, "worker"), random(5), 0, 3);
  const configOnly = path.join(dir, "site");
  mkdirSync(path.join(configOnly, "public"), { recursive: true });
  writeFileSync(path.join(configOnly, "public/index.html"), "<h1>hi</h1>\n");
  writeFileSync(
    path.join(configOnly, "wrangler.toml"),
    'name = "site"\ncompatibility_date = "2025-01-01"\n\n[assets]\ndirectory = "./public"\n\n[placement]\nmode = "smart"\n',
  );
  const cache = path.join(dir, "cache");
  const cli = (target: string, env: Record<string, string>) => (): void => {
    const result = spawnSync(process.execPath, [CLI, "check", target], { env: { ...process.env, ...env }, encoding: "utf8" });
    if (result.status === null || result.status > 1) throw new Error(`smart-placement check ${target} failed: ${result.stderr}`);
  };
  const worker = path.join(dir, "worker");
  let start = performance.now();
  cli(worker, { XDG_CACHE_HOME: cache })();
  const firstRun = performance.now() - start;
  start = performance.now();
  const times = interleaved(
    [
      { name: "node", run: () => void spawnSync(process.execPath, ["-e", "0"]) },
      { name: "worker", run: cli(worker, { XDG_CACHE_HOME: cache }) },
      { name: "configOnly", run: cli(configOnly, { XDG_CACHE_HOME: cache }) },
      { name: "workerNoCache", run: cli(worker, { SMART_PLACEMENT_NO_CACHE: "1" }) },
    ],
    15,
  );
  const ms = (name: string): number => round(median(times.get(name)!), 0);
  const wrangler = findWrangler();
  const wranglerTimes: number[] = [];
  if (wrangler) {
    for (let i = 0; i < 7; i++) {
      const t = await wranglerValidation(wrangler, worker);
      if (t === null) break;
      wranglerTimes.push(t);
    }
  }
  const wranglerMs = wranglerTimes.length > 0 ? round(median(wranglerTimes), 0) : null;
  results["nodeStartMs"] = ms("node");
  results["cliColdMs"] = ms("worker");
  results["cliConfigOnlyMs"] = ms("configOnly");
  results["cliToNodeStartRatio"] = round(ms("worker") / ms("node"));
  results["wranglerValidateMs"] = wranglerMs;
  results["cliToWranglerRatio"] = wranglerMs === null ? null : round(ms("worker") / wranglerMs);
  table("The CLI from the shell: a new process per run (median of 15, wall ms, interleaved)", [
    { what: "node -e 0 (the floor)", ms: ms("node") },
    { what: "check: one small Worker (3 files)", ms: ms("worker") },
    { what: "check: a config-only Worker (assets, no source)", ms: ms("configOnly") },
    { what: "check: one small Worker, no code cache", ms: ms("workerNoCache") },
    { what: "check: one small Worker, first run (writes the code cache)", ms: round(firstRun, 0) },
    {
      what:
        wranglerMs === null
          ? "wrangler deploy --dry-run: not installed (see README, Performance)"
          : "wrangler deploy --dry-run, until it is done (median of 7)",
      ms: wranglerMs ?? "-",
    },
  ]);
}

/**
 * One config with 14 environments over one source tree, differing only in routes and in vars the
 * code does not read (as real configs' staging / production / regional environments do), against
 * the same config with the top level only.
 */
function environments(): void {
  const files = wideWorker(12, 100, random(31));
  const fsFiles = Object.fromEntries(Object.entries(files).map(([relative, text]) => [`/envs/${relative}`, text]));
  const top =
    'name = "api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\nroutes = ["api.example.com/*"]\n\n[vars]\nAPI = "https://api.example.com"\nENVIRONMENT = "production"\n\n[placement]\nmode = "smart"\n';
  const envs = Array.from(
    { length: 13 },
    (_, i) =>
      `\n[env.e${i}]\nroutes = ["e${i}.example.com/*"]\n[env.e${i}.vars]\nAPI = "https://api.example.com"\nENVIRONMENT = "e${i}"\nLOG_LEVEL = "${i % 2 ? "debug" : "info"}"\n`,
  ).join("");
  // The same environments, but each with its own back end: every one is analysed.
  const ownBackends = envs.replace(
    /API = "https:\/\/api\.example\.com"/g,
    (_, offset: number) => `API = "https://api${offset}.example.com"`,
  );
  const analyse = (config: string) => (): void => {
    const fs = new MemoryFileSystem({ ...fsFiles, "/envs/wrangler.toml": config });
    const result = analyzeConfig(fs, "/envs/wrangler.toml", config, { cache: createAnalysisCache() });
    if (result.workers.some((w) => w.prediction.status === "UNKNOWN")) throw new Error("environments: the prediction is UNKNOWN");
  };
  const times = interleaved(
    [
      { name: "one", run: analyse(top) },
      { name: "shared", run: analyse(top + envs) },
      { name: "separate", run: analyse(top + ownBackends) },
    ],
    11,
  );
  // The first rounds warm the JIT up.
  const [one, shared, separate] = ["one", "shared", "separate"].map((name) => median(times.get(name)!.slice(3)));
  results["envShareRatio"] = round(shared! / one!);
  table("One config, 14 environments over one tree (13 files), in process (median of 8, interleaved)", [
    { what: "top level only", ms: round(one!), ratio: 1 },
    { what: "14 environments: routes and unread vars differ", ms: round(shared!), ratio: round(shared! / one!) },
    { what: "14 environments, each with its own back end (a read var differs)", ms: round(separate!), ratio: round(separate! / one!) },
  ]);
}

/**
 * A repository shaped like large real monorepos (bench/generate.ts, largeRepository): the
 * analysis of all its Workers against TypeScript parsing every file the analysis read once, in
 * process; then the CLI over it and the editor's scan of it, each against the same floor.
 */
async function largeRepo(inProcessOnly = false): Promise<void> {
  const files = largeRepository();
  const root = path.join(scratch, "large");
  writeFiles(root, files);
  const memory = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([relative, text]) => [`/large/${relative}`, text])));
  const configs = Object.keys(files)
    .filter((relative) => relative.endsWith("wrangler.toml"))
    .map((relative) => `/large/${relative}`);
  const read = new Map<string, string>();
  const analyse = (): void => {
    // As the CLI analyses: one run over files that do not change (trees, resolutions, answers of
    // the file system and function summaries shared by the run's Workers).
    const cache = createAnalysisCache(undefined, { oneRun: true });
    const fs = new RunFileSystem(memory);
    for (const config of configs) {
      const result = analyzeConfig(fs, config, memory.readFile(config)!, { cache });
      for (const worker of result.workers) {
        if (worker.prediction.status === "UNKNOWN") throw new Error(`large repository: ${config} is UNKNOWN`);
        for (const file of worker.analysis.files) read.set(file, memory.readFile(file)!);
      }
    }
  };
  analyse();
  // A run keeps every tree it parses (Workers share them): each timed run starts from a collected
  // heap, as a CLI run starts from a new one, and does not pay for collecting the previous run's
  // trees. The floor's trees die young; it is timed from a collected heap too.
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as () => void;
  const parseTimes: number[] = [];
  const analysisTimes: number[] = [];
  // CPU time too (this process's, GC threads included): on a shared machine, wall time is mostly
  // how long the process waited for a core, and its ratio swung 3-6 between runs of one build; the
  // CPU time's ratio moved by a few percent.
  const parseCpu: number[] = [];
  const analysisCpu: number[] = [];
  // What reading the files costs before any analysis: each parsed and its facts collected, kept
  // (a run keeps every tree, for the Workers that share them) where the floor's die young.
  const readCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  for (let i = 0; i < 5; i++) {
    collect();
    let cpu = process.cpuUsage();
    parseTimes.push(parseFloorMs(read, 1));
    parseCpu.push(cpuMs(cpu));
    collect();
    cpu = process.cpuUsage();
    const kept = [...read].map(([file, text]) => collectFacts(file, text));
    readCpu.push(cpuMs(cpu));
    kept.length = 0;
    collect();
    cpu = process.cpuUsage();
    const start = performance.now();
    analyse();
    analysisTimes.push(performance.now() - start);
    analysisCpu.push(cpuMs(cpu));
  }
  const parseMs = median(parseTimes);
  const analysisMs = median(analysisTimes);
  const parseCpuMs = median(parseCpu);
  const analysisCpuMs = median(analysisCpu);
  const readCpuMs = median(readCpu);
  const lines = [...read.values()].reduce((n, t) => n + t.split("\n").length, 0);
  results["largeRepoFiles"] = read.size;
  results["largeRepoParseMs"] = round(parseMs, 0);
  results["largeRepoAnalysisMs"] = round(analysisMs, 0);
  results["largeRepoAnalysisToParseRatio"] = round(analysisMs / parseMs);
  results["largeRepoParseCpuMs"] = round(parseCpuMs, 0);
  results["largeRepoAnalysisCpuMs"] = round(analysisCpuMs, 0);
  results["largeRepoAnalysisToParseCpuRatio"] = round(analysisCpuMs / parseCpuMs);
  results["largeRepoReadToParseCpuRatio"] = round(readCpuMs / parseCpuMs);
  const inProcess = [
    { what: "ts.createSourceFile of each file read, once (the floor)", ms: round(parseMs, 0), ratio: 1 },
    {
      what: "analysis of every Worker, in process, as the CLI runs it (median of 5)",
      ms: round(analysisMs, 0),
      ratio: round(analysisMs / parseMs),
    },
    { what: "the same, CPU time: the floor's", ms: round(parseCpuMs, 0), ratio: 1 },
    {
      what: "the same, CPU time: reading (each file parsed, its facts collected, kept)",
      ms: round(readCpuMs, 0),
      ratio: round(readCpuMs / parseCpuMs),
    },
    { what: "the same, CPU time: the analysis'", ms: round(analysisCpuMs, 0), ratio: round(analysisCpuMs / parseCpuMs) },
  ];
  const title = `A large monorepo: ${configs.length} Workers (chained Hono apps) over a shared backend package, ${read.size} files read, ${lines} lines`;
  if (inProcessOnly) {
    table(title, inProcess);
    return;
  }

  const cliTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [CLI, "check", root, "--format", "json"], { encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
    cliTimes.push(performance.now() - start);
    if (result.status === null || result.status > 1) throw new Error(`smart-placement check (large repository) failed: ${result.stderr}`);
  }
  const cliMs = median(cliTimes);

  const client = new LspTestClient();
  const done = new Promise<{ configs: number; files: number; ms: number }>((resolve) =>
    client.connection.onNotification(SCAN_COMPLETE, resolve),
  );
  await client.initialize(root);
  const scan = await done;
  await client.stop();

  results["largeRepoCliMs"] = round(cliMs, 0);
  results["largeRepoScanMs"] = scan.ms;
  table(title, [
    ...inProcess,
    { what: "smart-placement check REPO, a new process (median of 3)", ms: round(cliMs, 0), ratio: round(cliMs / parseMs) },
    { what: "the editor's workspace scan", ms: scan.ms, ratio: round(scan.ms / parseMs) },
  ]);
}

async function main(): Promise<void> {
  console.log(
    `smart-placement benchmark on ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  // BENCH_ONLY=ratio|cli|env|large|edit|multi|soak|scan runs one section (for profiling); the default runs all.
  // BENCH_ONLY=large-in-process: the large repository's in-process figures only (no CLI, no editor scan).
  const only = process.env["BENCH_ONLY"];
  if (!only || only === "ratio") analysisToParse();
  if (!only || only === "cli") await cliStartup();
  if (!only || only === "env") environments();
  if (!only || only === "large" || only === "large-in-process") await largeRepo(only === "large-in-process");
  if (!only || only === "edit") await editorLatency();
  if (!only || only === "multi") multiFileEdit();
  if (!only || only === "soak") await soak();
  if (!only || only === "scan") await workspaceScan();
  rmSync(scratch, { recursive: true, force: true });
  console.log(JSON.stringify(results));
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
});
