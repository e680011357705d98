import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { codeCacheDirectory } from "../../server/src/cli/launch";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist/cli.js");

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function command(args: readonly string[], env: Record<string, string>, preload: readonly string[] = []): Run {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== "SMART_PLACEMENT_NO_CACHE" && name !== "XDG_CACHE_HOME"),
  );
  const result = spawnSync(process.execPath, [...preload.flatMap((file) => ["--require", file]), CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...inherited, ...env },
    // The JSON report of every fixture passed spawnSync's 1 MiB default: cut short, at whatever point.
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("CLI start-up: code cache and TypeScript on demand (the shipped command, dist/cli.js)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-start-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const targets = [
    ["examples", "text"],
    ["examples", "sarif"],
    ["test/fixtures/workers", "json"],
    ["test/fixtures/workers", "text"],
  ] as const;

  it("prints byte for byte the same with the cache cold, warm and turned off, on the examples and fixtures", () => {
    const cache = path.join(dir, "same");
    for (const [target, format] of targets) {
      const args = ["check", target, "--format", format];
      const without = command(args, { SMART_PLACEMENT_NO_CACHE: "1" });
      const cold = command(args, { XDG_CACHE_HOME: cache });
      const warm = command(args, { XDG_CACHE_HOME: cache });
      assert.ok(without.stdout.length > 1000, `${target} ${format}: ${without.stderr}`);
      for (const run of [cold, warm]) {
        assert.equal(run.stdout, without.stdout, `${target} --format ${format}`);
        assert.equal(run.stderr, without.stderr);
        assert.equal(run.status, without.status);
      }
    }
    // One file per bundle, in a folder of this version (the cache was used by the warm runs).
    const versionDir = path.join(cache, "smart-placement", readdirSync(path.join(cache, "smart-placement"))[0]!);
    assert.deepEqual(
      readdirSync(versionDir)
        .map((name) => name.replace(/-v\d.*$/, ""))
        .sort(),
      ["cli-main", "typescript"],
    );
  });

  it("a corrupt cache means a normal start, and is replaced", () => {
    const cache = path.join(dir, "corrupt");
    const args = ["check", "examples", "--format", "json"];
    const expected = command(args, { SMART_PLACEMENT_NO_CACHE: "1" });
    command(args, { XDG_CACHE_HOME: cache });
    const versionDir = path.join(cache, "smart-placement", readdirSync(path.join(cache, "smart-placement"))[0]!);
    for (const name of readdirSync(versionDir)) writeFileSync(path.join(versionDir, name), "not a code cache");
    const run = command(args, { XDG_CACHE_HOME: cache });
    assert.equal(run.stdout, expected.stdout);
    assert.equal(run.stderr, "");
    assert.equal(run.status, expected.status);
    for (const name of readdirSync(versionDir)) assert.notEqual(readFileSync(path.join(versionDir, name), "utf8"), "not a code cache");
  });

  it("an unwritable cache folder means a normal start", () => {
    const blocked = path.join(dir, "blocked");
    writeFileSync(blocked, "a file where the cache folder would go");
    const args = ["check", "examples"];
    const expected = command(args, { SMART_PLACEMENT_NO_CACHE: "1" });
    const run = command(args, { XDG_CACHE_HOME: blocked });
    assert.equal(run.stdout, expected.stdout);
    assert.equal(run.stderr, "");
    assert.equal(run.status, expected.status);
    assert.equal(readFileSync(blocked, "utf8"), "a file where the cache folder would go");
  });

  it("loads the TypeScript compiler only when a Worker's source is parsed", () => {
    const report = path.join(dir, "loaded.js");
    writeFileSync(
      report,
      'process.on("exit", () => process.stderr.write(Object.keys(require.cache).some((f) => f.endsWith("typescript.js")) ? "[compiler loaded]" : "[compiler not loaded]"));\n',
    );
    const configOnly = path.join(dir, "assets-only");
    mkdirSync(path.join(configOnly, "public"), { recursive: true });
    writeFileSync(
      path.join(configOnly, "wrangler.toml"),
      'name = "site"\ncompatibility_date = "2025-01-01"\n\n[assets]\ndirectory = "./public"\n\n[placement]\nmode = "smrt"\n',
    );
    const config = command(["check", configOnly], { SMART_PLACEMENT_NO_CACHE: "1" }, [report]);
    assert.equal(config.status, 1, config.stdout);
    assert.match(config.stdout, /placement-mode/);
    assert.equal(config.stderr, "[compiler not loaded]");
    const source = command(["check", "examples/orders-api"], { SMART_PLACEMENT_NO_CACHE: "1" }, [report]);
    assert.equal(source.stderr, "[compiler loaded]");
  });

  it("keeps the cache in the user's cache folder, in a folder per version", () => {
    assert.equal(
      codeCacheDirectory({ XDG_CACHE_HOME: "/x/cache" }, "linux", "/home/u"),
      path.join("/x/cache", "smart-placement", "0.0.0-dev"),
    );
    assert.equal(codeCacheDirectory({}, "linux", "/home/u"), path.join("/home/u", ".cache", "smart-placement", "0.0.0-dev"));
    assert.equal(codeCacheDirectory({}, "darwin", "/Users/u"), path.join("/Users/u", "Library", "Caches", "smart-placement", "0.0.0-dev"));
    assert.equal(
      codeCacheDirectory({ LOCALAPPDATA: "C:\\u\\AppData\\Local" }, "win32", "C:\\u"),
      path.join("C:\\u\\AppData\\Local", "smart-placement", "0.0.0-dev"),
    );
    assert.equal(codeCacheDirectory({}, "linux", ""), undefined);
    assert.equal(codeCacheDirectory({ SMART_PLACEMENT_NO_CACHE: "1", XDG_CACHE_HOME: "/x" }, "linux", "/home/u"), undefined);
  });
});
