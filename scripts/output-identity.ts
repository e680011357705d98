// `npx tsx scripts/output-identity.ts DIR`: the CLI's JSON output on the examples, every fixture
// Worker (one run each, and all of them in one run, where Workers share a cache), the whole
// test/fixtures tree, and the benchmark's large generated monorepo, written to DIR. Run it
// before and after a change to the analysis' caching and compare the folders (`diff -r`): a
// cache may make the CLI faster, never change what it prints.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { largeRepository, writeFiles } from "../bench/generate";

const out = process.argv[2];
if (!out) {
  console.error("usage: tsx scripts/output-identity.ts OUTPUT_DIR");
  process.exit(2);
}
const root = path.resolve(__dirname, "..");
const cli = path.join(root, "dist/cli.js");
mkdirSync(out, { recursive: true });

// A fixed place, so that the paths in the output are the same from run to run.
const large = path.join(tmpdir(), "smart-placement-identity-large");
rmSync(large, { recursive: true, force: true });
writeFiles(large, largeRepository());

const fixtures = path.join(root, "test/fixtures/workers");
const runs: Array<[string, string[]]> = [
  ["examples", ["examples"]],
  ["fixtures-all", ["test/fixtures"]],
  ["large", [large]],
  ["large-first-workers", [path.join(large, "apps/w0"), path.join(large, "apps/w1"), path.join(large, "apps/w2")]],
  ...readdirSync(fixtures, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d): [string, string[]] => [`fixture-${d.name}`, [path.join("test/fixtures/workers", d.name)]]),
];
for (const [name, targets] of runs) {
  for (const extra of [[], ["--platform-rules", "2024"]]) {
    const result = spawnSync(process.execPath, [cli, "check", ...targets, "--format", "json", ...extra], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 512 * 2 ** 20,
      env: { ...process.env, SMART_PLACEMENT_NO_CACHE: "1" },
    });
    writeFileSync(path.join(out, `${name}${extra.length ? "-2024" : ""}.json`), `${result.status}\n${result.stdout}\n${result.stderr}`);
  }
}
rmSync(large, { recursive: true, force: true });
console.log(`${runs.length * 2} runs written to ${out}`);
