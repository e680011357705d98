import { MemoryFileSystem } from "./server/src/core/fs";
import { analyzeWorker, createAnalysisCache } from "./server/src/core/worker/analyze";
const N = Number(process.env.N ?? 600);
const files: Record<string, string> = {};
for (let m = 0; m < N; m++) {
  const next = [m + 1, m + 2, m + 3].filter((x) => x < N);
  files[`/w/src/m${m}.ts`] = next.map((x) => `import { f${x} } from "./m${x}";`).join("\n") + `\nexport async function f${m}() {\n  await fetch("https://db.example.com/${m}");\n${next.length && m % 20 !== 19 ? `  await f${next[0]}();\n` : ""}}\n`;
}
const heads = Array.from({ length: N / 20 }, (_, i) => i * 20);
const entry = heads.map((h) => `import { f${h} } from "./m${h}";`).join("\n") + `\nexport default { async fetch() { ${heads.map((h) => `await f${h}();`).join(" ")} return new Response(); } };\n`;
const NO = { d1: [], kv: [], r2: [], services: [], durableObjects: [], queues: [], ai: [], hyperdrive: [], assets: [], other: [] };
for (const keep of [false, true]) {
  const fs = new MemoryFileSystem({ ...files, "/w/src/index.ts": entry });
  const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: NO };
  const cache = createAnalysisCache(2000, { keepSummaries: keep });
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    fs.set("/w/src/index.ts", entry + `// ${i}\n`);
    const t = performance.now(); const r = analyzeWorker(input, cache); times.push(performance.now() - t);
    if (i === 29) console.log(keep, r.roundTrips, cache.summaryStats);
  }
  times.sort((a, b) => a - b); console.log(keep ? "kept" : "walked", "median ms", times[15].toFixed(1));
}
