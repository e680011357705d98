// `npm run package`: smart-placement.vsix. The npm package (package.json `files`) also ships the
// language server's stand-alone entry; the extension needs its own bundles and the command line (its
// "Trace Locally" command runs it), so the .vsix is made from a staging folder holding the `files`
// entries minus the language server's `bin` target. (vsce refuses a .vscodeignore next to
// `files`, so the list lives in one place: package.json.)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STAGE = path.join(ROOT, "out/vsix");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** The files a `files` entry names: a path, or a folder and a `*` pattern for the file name. */
function expand(entry) {
  if (!entry.includes("*")) return [entry];
  const dir = path.posix.dirname(entry);
  const name = new RegExp(`^${path.posix.basename(entry).split("*").map(escape).join("[^/]*")}$`);
  return readdirSync(path.join(ROOT, dir))
    .filter((file) => name.test(file))
    .map((file) => path.posix.join(dir, file));
}
const escape = (text) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

/** What the .vsix holds besides vsce's own manifest files. */
export function vsixFiles() {
  const bins = new Set([path.posix.normalize(pkg.bin["smart-placement-language-server"])]);
  const listed = pkg.files.flatMap(expand).filter((file) => !bins.has(path.posix.normalize(file)));
  return [...new Set(["package.json", "README.md", ...listed])];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const run = (command, args, cwd = ROOT) => {
    const result = spawnSync(command, args, { cwd, stdio: "inherit" });
    if (result.status !== 0) process.exit(result.status ?? 1);
  };
  run(process.execPath, ["scripts/build.mjs", "--production"]);
  rmSync(STAGE, { recursive: true, force: true });
  for (const file of vsixFiles()) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing`);
    mkdirSync(path.dirname(path.join(STAGE, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(STAGE, file));
  }
  // README images and links resolve against the repository (package.json `repository`).
  run(path.join(ROOT, "node_modules/.bin/vsce"), ["package", "--no-dependencies", "--out", path.join(ROOT, "smart-placement.vsix")], STAGE);
}
