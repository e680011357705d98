import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { declaredBindings } from "../../server/src/core/config/bindingSections";
import { loadWranglerConfig } from "../../server/src/core/config/model";
import { MemoryFileSystem } from "../../server/src/core/fs";

/** The status and reasons of a one-file Worker under a wrangler.toml with the given bindings. */
function predictWith(
  bindings: string,
  source: string,
): { status: string; reasons: readonly string[]; backends: ReadonlyArray<{ host: string; roundTrips: number }> } {
  const toml = `name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n${bindings}`;
  const fs = new MemoryFileSystem({ "/w/wrangler.toml": toml, "/w/src/index.ts": source });
  const worker = analyzeConfig(fs, "/w/wrangler.toml", toml).workers[0]!;
  return { status: worker.prediction.status, reasons: worker.prediction.reasons, backends: worker.prediction.backends };
}

const BY_NAME = (method: string) =>
  `export default { async fetch(request, env) { const name = new URL(request.url).searchParams.get("b"); await env[name].${method}("x"); return new Response(); } };\n`;

describe("env[name] bindings chosen at run time", () => {
  it("lists the bindings of every section with the section they are declared in", () => {
    const toml = [
      'name = "w"',
      '[ai]\nbinding = "AI"',
      '[browser]\nbinding = "BROWSER"',
      '[[mtls_certificates]]\nbinding = "CERT"\ncertificate_id = "c"',
      '[[kv_namespaces]]\nbinding = "KV"\nid = "k"',
      '[[durable_objects.bindings]]\nname = "ROOMS"\nclass_name = "Room"',
      '[[env.staging.d1_databases]]\nbinding = "DB"\ndatabase_id = "d"',
    ].join("\n");
    const config = loadWranglerConfig("/w/wrangler.toml", toml, "toml");
    const [top, staging] = config.environments;
    assert.deepEqual(declaredBindings(top!.table), [
      { name: "KV", section: "kv_namespaces" },
      { name: "ROOMS", section: "durable_objects.bindings" },
      { name: "CERT", section: "mtls_certificates" },
      { name: "AI", section: "ai" },
      { name: "BROWSER", section: "browser" },
    ]);
    assert.deepEqual(declaredBindings(staging!.table), [{ name: "DB", section: "d1_databases" }]);
  });

  it("a fetch() that may be an mTLS certificate's stays unknown, naming it", () => {
    const { status, reasons } = predictWith(
      '[[kv_namespaces]]\nbinding = "KV"\nid = "k"\n[browser]\nbinding = "BROWSER"\n[[mtls_certificates]]\nbinding = "CERT"\ncertificate_id = "c"\n',
      BY_NAME("fetch"),
    );
    assert.equal(status, "UNKNOWN");
    assert.ok(
      reasons.includes("env[name].fetch(...) calls a binding chosen at run time, which may be CERT (mTLS certificate) (index.ts:1)"),
      reasons.join("\n"),
    );
  });

  it("a fetch() that can only be Browser Rendering's or the assets' is no back end", () => {
    const { status } = predictWith(
      '[[kv_namespaces]]\nbinding = "KV"\nid = "k"\n[browser]\nbinding = "BROWSER"\n[assets]\ndirectory = "public"\nbinding = "ASSETS"\n',
      BY_NAME("fetch"),
    );
    assert.equal(status, "NO_VALID_HOSTS");
  });

  it("a method no declared binding has stays unknown", () => {
    const { status, reasons } = predictWith('[[kv_namespaces]]\nbinding = "KV"\nid = "k"\n', BY_NAME("query"));
    assert.equal(status, "UNKNOWN");
    assert.ok(
      reasons.some((r) => r.includes("no binding the config declares has query()")),
      reasons.join("\n"),
    );
  });

  it("a key that is a conditional between two constants is both bindings, the worst counted", () => {
    const { status, reasons } = predictWith(
      '[[kv_namespaces]]\nbinding = "KV"\nid = "k"\n[[d1_databases]]\nbinding = "DB"\ndatabase_id = "d"\n',
      `const A = "KV";\nexport default { async fetch(request, env) { await env[request.method === "GET" ? A : "DB"].batch([]); await fetch("https://api.example-data.com/x"); return new Response(); } };\n`,
    );
    assert.equal(status, "SUCCESS", reasons.join("\n"));
  });

  it("a D1 query on env[KEY] with KEY a constant is labelled with the binding, one back end with env.DB", () => {
    const { status, backends } = predictWith(
      '[[d1_databases]]\nbinding = "DB"\ndatabase_id = "d"\n',
      `const KEY = "DB";\nexport default { async fetch(request, env) { await env[KEY].prepare("select 1").first(); await env.DB.prepare("select 2").all(); return new Response(); } };\n`,
    );
    assert.equal(status, "SUCCESS");
    assert.deepEqual(backends, [{ host: "DB", roundTrips: 2 }]);
  });
});
