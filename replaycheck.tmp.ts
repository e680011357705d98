import { MemoryFileSystem } from "./server/src/core/fs";
import { analyzeWorker, createAnalysisCache } from "./server/src/core/worker/analyze";
import { moduleSource, entrySource, random } from "./bench/generate";
let kept = 0, replayed = 0;
for (let seed = 0; seed < 50; seed++) {
  const rand = random(seed);
  const files: Record<string, string> = {};
  const n = 1 + (seed % 3);
  for (let m = 0; m < n; m++) files[`/w/src/lib/m${m}.ts`] = moduleSource(rand, m, 24);
  files["/w/src/index.ts"] = entrySource(n, 'load0_0("log", env)');
  const fs = new MemoryFileSystem(files);
  const cache = createAnalysisCache();
  const input = { fs, projectRoot: "/w", main: "src/index.ts", pagesBuildOutputDir: null, vars: {}, bindings: { d1: ["DB"], kv: ["KV"], r2: [], services: ["AUTH"], durableObjects: [], queues: [], ai: [], hyperdrive: [], assets: ["ASSETS"], other: [] } };
  for (let i = 0; i < 3; i++) analyzeWorker(input as any, cache);
  fs.set("/w/src/index.ts", files["/w/src/index.ts"] + "\n// x\n");
  analyzeWorker(input as any, cache);
  kept += cache.summaryStats.kept; replayed += cache.summaryStats.replayed;
}
console.log({ kept, replayed });
