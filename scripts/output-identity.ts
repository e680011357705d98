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
// SMART_PLACEMENT_CLI: another build's dist/cli.js (the version before the change), same inputs.
const cli = process.env["SMART_PLACEMENT_CLI"] ?? path.join(root, "dist/cli.js");
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
const commands: Array<[string, string[]]> = [
  ["", ["check", "--format", "json"]],
  ["-2024", ["check", "--format", "json", "--platform-rules", "2024"]],
];
for (const [name, targets] of runs) {
  // The estimate too, where Workers are many (it reads every Worker's round trips).
  const estimate: Array<[string, string[]]> = name.startsWith("fixture-") ? [] : [["-estimate", ["estimate"]]];
  for (const [suffix, command] of [...commands, ...estimate]) {
    const result = spawnSync(process.execPath, [cli, command[0]!, ...targets, ...command.slice(1)], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 512 * 2 ** 20,
      env: { ...process.env, SMART_PLACEMENT_NO_CACHE: "1" },
    });
    writeFileSync(path.join(out, `${name}${suffix}.json`), `${result.status}\n${result.stdout}\n${result.stderr}`);
  }
}
rmSync(large, { recursive: true, force: true });
console.log(`${readdirSync(out).length} outputs in ${out}`);
