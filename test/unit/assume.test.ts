import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { run } from "../../server/src/cli/main";
import { analyzeConfig } from "../../server/src/core/analysis";
import { describeSubrequest } from "../../server/src/core/docs";
import { describeHandler } from "../../server/src/core/predict/explain";
import { MemoryFileSystem } from "../../server/src/core/fs";
import type { AssumeMode } from "../../server/src/core/platform";
import { predict } from "../../server/src/core/predict/predict";
import { parseSettingsFile } from "../../server/src/core/settingsFile";
import { isLocalWorkPackage } from "../../server/src/core/worker/sdks";
import { normalizeSettings } from "../../server/src/lsp/settings";
import { analyse, fetchHandler } from "./helpers/analyse";

const HOST_ASSUMED = "counted as a back end (computed hosts are usually configured or the origin)";

/** The prediction of a one-file Worker under `assume`. */
function predicted(source: string, assume: AssumeMode, files: Record<string, string> = {}) {
  const a = analyse({ "src/index.ts": source, ...files }, { assume });
  return { analysis: a, prediction: predict(a, { targeted: false, d1Bindings: [], assume }) };
}

describe("what the prediction assumes of calls whose target is unknown (assume: likely | strict)", () => {
  const hostOnce = fetchHandler(
    `const tokenUrl = endpointFor("token");\nawait fetch(tokenUrl, { method: "POST" });`,
    `import { endpointFor } from "@acme/endpoints";`,
  );

  it("likely (the default): a host that cannot be resolved is a back end, said once, and the call stays unknown", () => {
    const { analysis, prediction } = predicted(hostOnce, "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips, prediction.assume], ["INSUFFICIENT_SUBREQUESTS", 1, "likely"]);
    assert.deepEqual(prediction.backends, []);
    assert.deepEqual(prediction.reasons, [
      "one sequential round trip to an assumed back end in the fetch handler",
      `the host of tokenUrl could not be resolved (it is what endpointFor(...) from "@acme/endpoints" returns): ${HOST_ASSUMED}`,
    ]);
    const [call] = analysis.subrequests;
    assert.deepEqual([call?.kind, call?.target, call?.category, call?.criticalPath], ["fetch", null, "unknown", true]);
    assert.equal(call?.assumed, prediction.reasons[1]);
    assert.deepEqual(analysis.unknowns, []);
    assert.equal(
      describeSubrequest(call!),
      // Markdown: the sentence's punctuation is escaped.
      String.raw`**Smart Placement:** round trip 1 of the longest path, by assumption: the host of tokenUrl could not be resolved \(it is what endpointFor\(\.\.\.\) from \"\@acme\/endpoints\" returns\)\: counted as a back end \(computed hosts are usually configured or the origin\).`,
    );
    // The default is likely: no setting gives the same answer.
    const a = analyse({ "src/index.ts": hostOnce });
    assert.equal(a.roundTrips, 1);
    assert.equal(predict(a, { targeted: false, d1Bindings: [] }).assume, "likely");
  });

  it("strict: the same call makes the prediction UNKNOWN, naming the URL", () => {
    const { analysis, prediction } = predicted(hostOnce, "strict");
    assert.deepEqual([prediction.status, prediction.roundTrips, prediction.assume], ["UNKNOWN", 0, "strict"]);
    assert.deepEqual(prediction.reasons, [
      "no round trips to known back ends, but the analyser cannot tell the rest",
      'the URL tokenUrl cannot be resolved to a host: it is what endpointFor(...) from "@acme/endpoints" returns',
    ]);
    assert.equal(analysis.subrequests[0]?.assumed, undefined);
  });

  it("two unresolved hosts in sequence are two round trips: SUCCESS, each URL named once", () => {
    const source = fetchHandler(
      "const { ip, port } = lookupShard(request.headers.get('x-user'));\nconst s = await fetch(`http://${ip}:${port}/session`);\nawait fetch(`http://${ip}:${port}/orders`);\nawait fetch(`http://${ip}:${port}/orders`);",
      `import { lookupShard } from "shard-directory";`,
    );
    const likely = predicted(source, "likely").prediction;
    assert.deepEqual([likely.status, likely.roundTrips], ["SUCCESS", 3]);
    assert.deepEqual(likely.reasons.slice(0, 3), [
      "three sequential round trips to assumed back ends in the fetch handler",
      `the host of \`http://\${ip}:\${port}/session\` could not be resolved: ${HOST_ASSUMED}`,
      `the host of \`http://\${ip}:\${port}/orders\` could not be resolved: ${HOST_ASSUMED}`,
    ]);
    assert.equal(likely.reasons.length, 4);
    assert.deepEqual([predicted(source, "strict").prediction.status, predicted(source, "strict").prediction.roundTrips], ["UNKNOWN", 0]);
  });

  it("an assumed host after a known one: the known host is named, then the assumed one", () => {
    const source = fetchHandler(`await fetch("https://db.example.com/a");\nawait fetch(pick());`, `import { pick } from "origin-picker";`);
    const { prediction } = predicted(source, "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["SUCCESS", 2]);
    assert.deepEqual(prediction.backends, [{ host: "db.example.com", roundTrips: 1 }]);
    assert.equal(prediction.reasons[0], "two sequential round trips to db.example.com and an assumed back end in the fetch handler");
  });

  it("an HTTP client's call whose URL cannot be resolved is assumed like a fetch, naming the library", () => {
    const source = fetchHandler(`await ky.get(urlFor("a"));`, `import ky from "ky";\nimport { urlFor } from "url-table";`);
    const { prediction } = predicted(source, "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["INSUFFICIENT_SUBREQUESTS", 1]);
    assert.equal(
      prediction.reasons[1],
      `the host of urlFor("a") (ky get(...)) could not be resolved (it is what urlFor(...) from "url-table" returns): ${HOST_ASSUMED}`,
    );
    assert.equal(predicted(source, "strict").prediction.status, "UNKNOWN");
  });

  const client = fetchHandler(
    `const pins = new PinataSDK({ pinataJwt: env.JWT });\npins.setGateway("x");\nconst file = await pins.upload(await request.blob());\nconst url = await pins.signedUrl(file.id);`,
    `import { PinataSDK } from "pinata-cloud";`,
  );

  it("likely: each awaited call on a client of an unknown library is one round trip to its service; un-awaited calls none", () => {
    const { analysis, prediction } = predicted(client, "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["SUCCESS", 2]);
    assert.deepEqual(prediction.reasons.slice(0, 2), [
      "two sequential round trips to assumed back ends in the fetch handler",
      'awaited calls on PinataSDK from "pinata-cloud", a library the analyser does not know, counted as round trips to its service',
    ]);
    assert.deepEqual(
      analysis.subrequests.map((s) => [s.kind, s.target, s.category, s.criticalPath, s.assumed !== undefined]),
      [
        ["other", null, "unknown", true, true],
        ["other", null, "unknown", true, true],
      ],
    );
  });

  it("calls on such a client awaited together (Promise.all) are one round trip, like any back end's", () => {
    const { prediction } = predicted(
      fetchHandler(
        `const s = new StatsClient(env.KEY);\nconst [a, b] = await Promise.all([s.latest(1), s.latest(2)]);\nawait s.flush();`,
        `import { StatsClient } from "acme-stats";`,
      ),
      "likely",
    );
    assert.deepEqual([prediction.status, prediction.roundTrips], ["SUCCESS", 2]);
    assert.deepEqual(prediction.reasons.slice(0, 2), [
      "two sequential round trips to assumed back ends in the fetch handler",
      'awaited calls on StatsClient from "acme-stats", a library the analyser does not know, counted as round trips to its service',
    ]);
  });

  it("the handler's hover: the assumed calls are round trips of the path, and what was assumed is said", () => {
    const { analysis } = predicted(client, "likely");
    const handler = analysis.handlers.find((h) => h.kind === "fetch")!;
    assert.equal(
      describeHandler(analysis, handler, () => undefined),
      [
        "Round trips of the Worker's longest path, in order:",
        "1. other → an assumed back end (line 1)",
        "2. other → an assumed back end (line 1)",
        "",
        "Assumed:",
        // Markdown: punctuation escaped.
        String.raw`- awaited calls on PinataSDK from \"pinata\-cloud\"\, a library the analyser does not know\, counted as round trips to its service`,
      ].join("\n"),
    );
  });

  it("strict: the client's awaited calls make the prediction UNKNOWN, each named where it is", () => {
    const { prediction } = predicted(client, "strict");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["UNKNOWN", 0]);
    assert.deepEqual(prediction.reasons, [
      "no round trips to known back ends, but the analyser cannot tell the rest",
      'PinataSDK from "pinata-cloud" is a client of a library the analyser does not know: its awaited calls may be round trips (index.ts:5)',
      'PinataSDK from "pinata-cloud" is a client of a library the analyser does not know: its awaited calls may be round trips (index.ts:6)',
    ]);
  });

  it("packages known to work in the Worker are never clients of a service: MCP SDK server and transport, zod, jose", () => {
    const source = fetchHandler(
      [
        `const server = new McpServer({ name: "n", version: "1" });`,
        `server.tool("echo", async () => ({ content: [] }));`,
        `const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });`,
        `await server.connect(transport);`,
        `const input = await z.object({ a: z.string() }).parseAsync(await request.json());`,
        `const token = await new SignJWT({ a: input.a }).setProtectedHeader({ alg: "HS256" }).sign(env.KEY);`,
        `return transport.handleRequest(request);`,
      ].join("\n"),
      [
        `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";`,
        `import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";`,
        `import { z } from "zod";`,
        `import { SignJWT } from "jose";`,
      ].join("\n"),
    );
    const { analysis, prediction } = predicted(source, "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["NO_VALID_HOSTS", 0]);
    assert.deepEqual(analysis.subrequests, []);
  });

  it("zip archives are read and written in the Worker: JSZip's awaited calls are no round trips", () => {
    const source = fetchHandler(
      [
        `const zip = await JSZip.loadAsync(await request.arrayBuffer());`,
        `const manifest = await zip.file("manifest.json")?.async("string");`,
        `const out = new JSZip();`,
        `out.file("manifest.json", manifest ?? "{}");`,
        `return new Response(await out.generateAsync({ type: "uint8array" }));`,
      ].join("\n"),
      `import JSZip from "jszip";`,
    );
    const { analysis, prediction } = predicted(source, "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["NO_VALID_HOSTS", 0]);
    assert.deepEqual(analysis.subrequests, []);
  });

  it("React Router's request context is in-memory, not a client of a service", () => {
    const source = fetchHandler(
      [
        `const context = new RouterContextProvider();`,
        `context.set(cloudflare, { env });`,
        `const value = await context.get(cloudflare);`,
        `return new Response(String(value));`,
      ].join("\n"),
      [`import { RouterContextProvider, createContext } from "react-router";`, `const cloudflare = createContext();`].join("\n"),
    );
    const { analysis, prediction } = predicted(source, "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["NO_VALID_HOSTS", 0]);
    assert.deepEqual(analysis.subrequests, []);
  });

  it("the list of packages known to work in the Worker: by name and by folder, never a look-alike", () => {
    const local = [
      "@modelcontextprotocol/sdk/server/mcp.js",
      "@modelcontextprotocol/sdk/server/streamableHttp.js",
      "zod",
      "zod/v4",
      "jose",
      "hono",
      "hono/jwt",
      "@hono/zod-validator",
      "@noble/hashes/sha256",
      "date-fns",
      "react-router",
      "@react-router/cloudflare",
      "jszip",
      "@zip.js/zip.js",
    ];
    assert.deepEqual(
      local.filter((name) => !isLocalWorkPackage(name)),
      [],
    );
    const remote = ["@modelcontextprotocol/sdk/client/index.js", "pinata", "honox", "zodiac-api", "surrealdb", "acme-metrics-sdk"];
    assert.deepEqual(
      remote.filter((name) => isLocalWorkPackage(name)),
      [],
    );
  });

  it("a client given an in-process address (SurrealDB mem://) makes no round trip; given a remote one, each awaited call is one", () => {
    const surreal = (address: string) =>
      `import { Surreal } from "surrealdb";\nlet db: Surreal | null = null;\nasync function init() { if (db) return db; db = new Surreal(); await db.connect("${address}"); return db; }\n` +
      `export default { async fetch() { const d = await init(); await d.create("person", {}); await d.query("SELECT * FROM person"); return new Response(); } };`;
    const local = predicted(surreal("mem://"), "likely");
    assert.deepEqual([local.prediction.status, local.prediction.roundTrips], ["NO_VALID_HOSTS", 0]);
    assert.deepEqual(local.analysis.subrequests, []);
    const remote = predicted(surreal("wss://db.example.com/rpc"), "likely");
    assert.deepEqual([remote.prediction.status, remote.prediction.roundTrips], ["SUCCESS", 3]);
    // `new Engine(":memory:")`: the address given to the constructor.
    const sqlite = predicted(
      fetchHandler(`const e = new Engine(":memory:");\nawait e.run("select 1");`, `import { Engine } from "tiny-sql-engine";`),
      "likely",
    );
    assert.equal(sqlite.prediction.status, "NO_VALID_HOSTS");
  });

  it("a class of the project (a relative import) is walked, never assumed", () => {
    const { prediction } = predicted(
      fetchHandler(`const c = new Cache();\nawait c.load("a");`, `import { Cache } from "./cache";`),
      "likely",
      {
        "src/cache.ts": `export class Cache { async load(key: string) { return key.toUpperCase(); } }`,
      },
    );
    assert.deepEqual([prediction.status, prediction.roundTrips], ["NO_VALID_HOSTS", 0]);
  });

  it("a plain awaited function of an unknown package is not a client: still UNKNOWN under likely", () => {
    const { prediction } = predicted(fetchHandler(`await wiki.fetch("Page");`, `import wiki from "wiki-pages";`), "likely");
    assert.deepEqual([prediction.status, prediction.roundTrips], ["UNKNOWN", 0]);
    assert.deepEqual(prediction.reasons, [
      "no round trips to known back ends, but the analyser cannot tell the rest",
      'wiki.fetch(...) from "wiki-pages" is a function of a library the analyser does not know: it may make round trips (index.ts:3)',
    ]);
  });

  it("what is assumed does not hide what cannot be told: UNKNOWN with both said", () => {
    const source = fetchHandler(
      `await fetch(pick());\nawait handlers[request.method](request);`,
      `import { pick } from "origin-picker";\nimport { handlers } from "route-pack";`,
    );
    const { prediction } = predicted(source, "likely");
    assert.equal(prediction.status, "UNKNOWN");
    assert.equal(prediction.roundTrips, 1);
    assert.equal(prediction.reasons[0], "one round trip to back ends (some assumed, as said below), but the analyser cannot tell the rest");
    assert.equal(
      prediction.reasons.at(-1),
      `the host of pick() could not be resolved (it is what pick(...) from "origin-picker" returns): ${HOST_ASSUMED}`,
    );
    assert.equal(prediction.reasons.length, 3);
  });

  it("an assumed call in waitUntil is off the response path: not counted, not said", () => {
    const { analysis, prediction } = predicted(
      fetchHandler(`ctx.waitUntil(fetch(pick()));`, `import { pick } from "origin-picker";`),
      "likely",
    );
    assert.deepEqual([prediction.status, prediction.roundTrips], ["NO_VALID_HOSTS", 0]);
    assert.ok(!prediction.reasons.some((r) => r.includes("could not be resolved")), prediction.reasons.join(" | "));
    assert.deepEqual(
      analysis.subrequests.map((s) => [s.category, s.waitUntil, s.criticalPath]),
      [["unknown", true, false]],
    );
  });
});

describe("the notes that say placement will not help, under an assumption", () => {
  const config = (placement: boolean) => `name = "w"\nmain = "src/index.ts"\n${placement ? '\n[placement]\nmode = "smart"\n' : ""}`;
  const codes = (source: string, placement: boolean, assume?: AssumeMode) => {
    const fs = new MemoryFileSystem({ "/w/wrangler.toml": config(placement), "/w/src/index.ts": source });
    const result = analyzeConfig(fs, "/w/wrangler.toml", config(placement), assume ? { assume } : {});
    return { codes: result.findings.map((f) => f.code).sort(), findings: result.findings, prediction: result.workers[0]!.prediction };
  };
  const once = fetchHandler(`await fetch(pick());`, `import { pick } from "origin-picker";`);

  it("at most one round trip counting the assumed calls is at most one whatever they reach: the note is given", () => {
    const likely = codes(once, true);
    assert.equal(likely.prediction.status, "INSUFFICIENT_SUBREQUESTS");
    assert.deepEqual(likely.codes, ["placement-insufficient-subrequests"]);
    assert.equal(
      likely.findings[0]!.message,
      "Smart Placement will likely keep this Worker near the user: one round trip to a back end per request, and it needs more than one.",
    );
  });

  it("strict: the path was not fully followed, so no note", () => {
    const strict = codes(once, true, "strict");
    assert.equal(strict.prediction.status, "UNKNOWN");
    assert.deepEqual(strict.codes, []);
  });

  it("SUCCESS that rests on assumed calls suggests smart placement, saying the back ends are assumed", () => {
    const twice = fetchHandler(`await fetch(pick());\nawait fetch(pick());`, `import { pick } from "origin-picker";`);
    const likely = codes(twice, false);
    assert.deepEqual(likely.codes, ["placement-suggest-smart"]);
    assert.equal(
      likely.findings[0]!.message,
      "Smart Placement would likely speed this Worker up: 2 round trips in sequence to back ends it assumes (see the prediction) per request.",
    );
    assert.deepEqual(codes(twice, false, "strict").codes, []);
  });
});

describe("the assume setting's plumbing", () => {
  it("the shared settings file's assume applies; options given by the caller win; a bad value is reported and ignored", () => {
    const source = fetchHandler(`await fetch(pick());`, `import { pick } from "origin-picker";`);
    const toml = `name = "w"\nmain = "src/index.ts"\n`;
    const fs = new MemoryFileSystem({
      "/w/wrangler.toml": toml,
      "/w/src/index.ts": source,
      "/w/.smart-placement.json": '{ "assume": "strict" }',
    });
    assert.deepEqual(
      [
        analyzeConfig(fs, "/w/wrangler.toml", toml).workers[0]!.prediction.status,
        analyzeConfig(fs, "/w/wrangler.toml", toml).workers[0]!.prediction.assume,
      ],
      ["UNKNOWN", "strict"],
    );
    assert.equal(
      analyzeConfig(fs, "/w/wrangler.toml", toml, { assume: "likely" }).workers[0]!.prediction.status,
      "INSUFFICIENT_SUBREQUESTS",
    );
    const bad = parseSettingsFile("/w/.smart-placement.json", '{ "assume": "maybe" }');
    assert.equal(bad.settings.assume, undefined);
    assert.deepEqual(
      bad.findings.map((f) => f.message),
      ['"assume" must be "likely" or "strict", not "maybe"; it is ignored.'],
    );
  });

  it("the editor's setting: likely by default, strict when set, anything else the default", () => {
    assert.equal(normalizeSettings({}).assume, "likely");
    assert.equal(normalizeSettings({ assume: "strict" }).assume, "strict");
    assert.equal(normalizeSettings({ assume: "sometimes" }).assume, "likely");
  });

  describe("the command line: --assume likely|strict", () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), "sp-assume-"));
      mkdirSync(path.join(dir, "src"));
      writeFileSync(path.join(dir, "wrangler.toml"), 'name = "a"\nmain = "src/index.ts"\n');
      writeFileSync(
        path.join(dir, "src/index.ts"),
        `import { pick } from "origin-picker";\nexport default { async fetch() { await fetch(pick()); await fetch(pick()); return new Response(); } };\n`,
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const check = (args: string[]) => {
      let out = "";
      let err = "";
      const code = run(
        ["check", dir, "--format", "json", ...args],
        dir,
        (s) => (out += s),
        (s) => (err += s),
      );
      return { code, out, err };
    };

    it("likely by default, strict on request; the JSON names the mode and marks the assumed calls", () => {
      const likely = JSON.parse(check([]).out).workers[0];
      assert.deepEqual([likely.prediction.status, likely.prediction.roundTrips, likely.prediction.assume], ["SUCCESS", 2, "likely"]);
      assert.deepEqual(
        likely.subrequests.map((s: { category: string; target: string | null; assumed?: boolean }) => [s.category, s.target, s.assumed]),
        [
          ["unknown", null, true],
          ["unknown", null, true],
        ],
      );
      const strict = JSON.parse(check(["--assume", "strict"]).out).workers[0];
      assert.deepEqual([strict.prediction.status, strict.prediction.roundTrips, strict.prediction.assume], ["UNKNOWN", 0, "strict"]);
      assert.deepEqual(
        strict.subrequests.map((s: { assumed?: boolean }) => s.assumed),
        [undefined, undefined],
      );
      assert.equal(JSON.parse(check(["--assume=likely"]).out).workers[0].prediction.status, "SUCCESS");
    });

    it("an unknown value is a usage error", () => {
      const { code, out, err } = check(["--assume", "maybe"]);
      assert.equal(code, 2);
      assert.equal(out, "");
      assert.equal(err, 'smart-placement: --assume must be likely or strict, not "maybe"\n');
    });
  });
});
