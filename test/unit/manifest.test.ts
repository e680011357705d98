import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(__dirname, "../..");

interface Manifest {
  activationEvents: string[];
  capabilities: {
    untrustedWorkspaces: { supported: boolean | string; description?: string };
    virtualWorkspaces: { supported: boolean | string; description?: string };
  };
  contributes: {
    languages: Array<{ id: string; extensions?: string[] }>;
    commands: Array<{ command: string; enablement?: string }>;
    menus: { commandPalette: Array<{ command: string; when?: string }> };
  };
  files: string[];
  bin: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

describe("the extension manifest", () => {
  it("activates for Worker workspaces and wrangler configs, never for TOML in general", () => {
    assert.deepEqual(manifest.activationEvents, [
      "workspaceContains:**/wrangler.{toml,json,jsonc}",
      "workspaceContains:**/wrangler.*.{toml,json,jsonc}",
    ]);
    // VS Code adds `onLanguage:<id>` for every contributed language: only ours may be there.
    assert.deepEqual(
      manifest.contributes.languages.map((l) => l.id),
      ["wrangler-toml"],
    );
    assert.ok(manifest.contributes.languages.every((l) => l.extensions === undefined));
  });

  it("runs in Restricted Mode, not in virtual workspaces (it reads files from disk)", () => {
    // Limited: everything but "Trace Locally", which runs the Worker's code.
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, "limited");
    assert.match(manifest.capabilities.untrustedWorkspaces.description ?? "", /Trace Locally/);
    // The one command that runs workspace code is disabled, and left out of the palette, until the folder is trusted.
    const restricted = manifest.contributes.commands.filter((c) => c.enablement !== undefined);
    assert.deepEqual(restricted, [
      { command: "smartPlacement.traceLocally", title: "Trace Locally", category: "Smart Placement", enablement: "isWorkspaceTrusted" },
    ]);
    assert.deepEqual(
      manifest.contributes.menus.commandPalette.find((m) => m.command === "smartPlacement.traceLocally"),
      { command: "smartPlacement.traceLocally", when: "isWorkspaceTrusted" },
    );
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
    assert.match(manifest.capabilities.virtualWorkspaces.description ?? "", /from disk/);
  });
});

describe("what ships", () => {
  const shipped = [
    "CHANGELOG.md",
    "LICENSE",
    "README.md",
    "dist/cli-main.js",
    "dist/cli.js",
    "dist/extension.js",
    "dist/language-server.js",
    "dist/server.js",
    "dist/trace-child.js",
    "dist/typescript.js",
    "images/icon.png",
    "package.json",
    "schemas/package-json.schema.json",
    "schemas/smart-placement.schema.json",
    "syntaxes/wrangler-toml.language-configuration.json",
    "syntaxes/wrangler-toml.tmLanguage.json",
  ];

  it("npm pack: the bundles, the grammar and the docs; no source maps, sources or tests", () => {
    const output = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
    const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
    assert.deepEqual(pack!.files.map((f) => f.path).sort(), shipped);
  });

  it("the .vsix: the same without the language server's stand-alone command (Trace Locally runs the CLI)", async () => {
    const script = pathToFileURL(path.join(ROOT, "scripts/package.mjs")).href;
    const { vsixFiles } = (await import(script)) as { vsixFiles: () => string[] };
    const bins = Object.values(manifest.bin);
    assert.deepEqual(bins.sort(), ["dist/cli.js", "dist/language-server.js"]);
    assert.deepEqual(
      vsixFiles().sort(),
      shipped.filter((file) => file !== "dist/language-server.js"),
    );
  });
});
