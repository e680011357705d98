import { NodeFileSystem } from "./server/src/host/nodeFileSystem";
import * as worker from "./server/src/core/worker/analyze";
import * as analysis from "./server/src/core/analysis";
import { normalizePath } from "./server/src/core/fs";
const fs = new NodeFileSystem();
const orig = worker.analyzeWorker;
const file = normalizePath("/work/scratch/eval-repos2/TBXark__ChatGPT-Telegram-Workers/wrangler-example.toml");
(worker as any).analyzeWorker = (i: any, c: any) => { try { return orig(i, c); } catch (e) { console.log((e as Error).stack?.split("\n").slice(0, 60).join("\n")); throw e; } };
analysis.analyzeConfig(fs, file, fs.readFile(file)!, {});
