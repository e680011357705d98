// Runs the language server under headless Neovim and reports the Lua checks' results.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export function runNeovim() {
  const work = mkdtempSync(path.join(tmpdir(), "sp-nvim-"));
  cpSync(path.join(ROOT, "test/editors/workspace"), path.join(work, "ws"), { recursive: true });
  const result = path.join(work, "result.txt");
  const run = spawnSync(
    "nvim",
    [
      "--headless",
      "-u",
      "NONE",
      "-i",
      "NONE",
      "-c",
      `luafile ${path.join(ROOT, "test/editors/neovim/check.lua")}`,
      path.join(work, "ws/api/wrangler.toml"),
    ],
    {
      env: { ...process.env, SP_SERVER: path.join(ROOT, "dist/language-server.js"), SP_RESULT: result },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  let lines = [];
  try {
    lines = readFileSync(result, "utf8").trim().split("\n");
  } catch {
    lines = [`FAIL neovim produced no result (exit ${run.status}): ${run.stderr}`];
  }
  rmSync(work, { recursive: true, force: true });
  return lines.filter((l) => l.startsWith("PASS ") || l.startsWith("FAIL "));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lines = runNeovim();
  for (const line of lines) console.log(line);
  process.exit(lines.some((l) => l.startsWith("FAIL")) ? 1 : 0);
}
