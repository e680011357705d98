import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { describeSubrequest } from "../../server/src/core/docs";
import { MemoryFileSystem } from "../../server/src/core/fs";
import type { AssumeMode, PlatformRules } from "../../server/src/core/platform";
import {
  asClause,
  describeWorker,
  hostList,
  placementInConfigSyntax,
  roundTripsTo,
  type PlacementWords,
} from "../../server/src/core/predict/words";

const TWO_TRIPS =
  'export default { async fetch() { await fetch("https://db.example.com/a"); await fetch("https://db.example.com/b"); return new Response(); } };\n';

/** The words for each Worker of a wrangler.toml with one source file. */
function wordsOf(toml: string, source = TWO_TRIPS, platformRules?: PlatformRules, assume?: AssumeMode): PlacementWords[] {
  const fs = new MemoryFileSystem({ "/w/wrangler.toml": toml, "/w/src/index.ts": source });
  const analysis = analyzeConfig(fs, "/w/wrangler.toml", toml, {
    ...(platformRules ? { platformRules } : {}),
    ...(assume ? { assume } : {}),
  });
  return analysis.workers.map((worker) => describeWorker(analysis, worker));
}
const head = 'name = "w"\nmain = "src/index.ts"\n';

describe("the shared words: what is configured", () => {
  it("Off, Smart, Smart with a hint, Targeted by region, host and hostname", () => {
    assert.equal(wordsOf(head)[0]!.configured, "Off");
    assert.equal(wordsOf(head + '[placement]\nmode = "off"\n')[0]!.configured, "Off");
    assert.equal(wordsOf(head + '[placement]\nmode = "smart"\n')[0]!.configured, "Smart");
    assert.equal(wordsOf(head + '[placement]\nmode = "smart"\nhint = "aws:us-east-1"\n')[0]!.configured, "Smart (hint: aws:us-east-1)");
    assert.equal(wordsOf(head + '[placement]\nregion = "aws:us-east-1"\n')[0]!.configured, "Targeted: aws:us-east-1");
    assert.equal(wordsOf(head + '[placement]\nhost = "db.example.com:5432"\n')[0]!.configured, "Targeted: host db.example.com:5432");
    assert.equal(wordsOf(head + '[placement]\nhostname = "api.example.com"\n')[0]!.configured, "Targeted: hostname api.example.com");
  });

  it("Invalid config when Wrangler would reject the placement, also when an environment inherits it; an error severity", () => {
    const words = wordsOf(head + '[placement]\nmode = "smrt"\n\n[env.staging]\nname = "w-staging"\n');
    assert.deepEqual(
      words.map((w) => [w.headline, w.severity]),
      [
        ["Invalid config · would help: 2 sequential round trips to db.example.com", "error"],
        ["Invalid config · would help: 2 sequential round trips to db.example.com", "error"],
      ],
    );
  });

  it("a warning (not an error) keeps the configured words: an unknown region is still Targeted", () => {
    assert.equal(wordsOf(head + '[placement]\nregion = "aws:eu-central1"\n')[0]!.configured, "Targeted: aws:eu-central1");
  });

  it("conflicting targets place nothing: cannot tell, never runs near the target", () => {
    const [words] = wordsOf(head + '[placement]\nregion = "aws:us-east-1"\nhost = "db.example.com:5432"\n');
    assert.equal(words!.headline, "Invalid config · cannot tell: the placement is invalid (2 sequential round trips to db.example.com)");
  });
});

describe("the shared words: what the analysis predicts", () => {
  it("would help, with the count and the hosts; never the status name", () => {
    const [words] = wordsOf(head);
    assert.equal(words!.headline, "Off · would help: 2 sequential round trips to db.example.com");
    assert.equal(words!.status, "SUCCESS");
    assert.doesNotMatch(words!.headline, /SUCCESS/);
    // The count is in the headline: the reasons that follow do not repeat it.
    assert.ok(
      words!.moreReasons.every((r) => !r.includes("two sequential round trips")),
      JSON.stringify(words!.moreReasons),
    );
  });

  it("would not help: one round trip, no back ends, only ignored hosts, no fetch handler", () => {
    const one = 'export default { async fetch() { return fetch("https://api.example.com/"); } };\n';
    assert.equal(wordsOf(head, one)[0]!.prediction, "would not help: only 1 round trip to api.example.com");
    const none = "export default { async fetch() { return new Response(); } };\n";
    assert.equal(wordsOf(head, none)[0]!.prediction, "would not help: no subrequests to back ends");
    const analytics =
      'export default { async fetch() { await fetch("https://www.google-analytics.com/collect"); return new Response(); } };\n';
    assert.equal(wordsOf(head, analytics)[0]!.prediction, "would not help: only hosts Smart Placement ignores (www.google-analytics.com)");
    const cron = "export default { async scheduled() {} };\n";
    const [noFetch] = wordsOf(head + '[placement]\nmode = "smart"\n', cron);
    assert.deepEqual([noFetch!.headline, noFetch!.severity], ["Smart · would not help: no fetch handler", "warning"]);
  });

  it("cannot tell: the first cause in the headline as a clause, the rest listed", () => {
    const dynamic =
      'import { endpoint } from "directory";\nexport default { async fetch(request: Request, env: any) { await fetch(endpoint.url); await fetch(String(endpoint["x-target"])); return new Response(); } };\n';
    // Unresolved hosts are back ends by default: assumed, and said so.
    const [assumed] = wordsOf(head, dynamic);
    assert.equal(assumed!.headline, "Off · would help: 2 sequential round trips to assumed back ends");
    const [words] = wordsOf(head, dynamic, undefined, "strict");
    assert.equal(words!.headline, "Off · cannot tell: the URL endpoint.url cannot be resolved to a host");
    assert.equal(words!.unknowns.length, 1);
    assert.match(words!.unknowns[0]!, /x-target/);
    const [noMain] = wordsOf('name = "w"\n');
    assert.match(noMain!.prediction, /^cannot tell: the config has no "main"/);
  });

  it("the 2024 rules: would run near its D1 database", () => {
    const d1 = head + '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "m"\ndatabase_id = "x"\n';
    const source = 'export default { async fetch(r: Request, env: any) { await env.DB.prepare("a").first(); return new Response(); } };\n';
    assert.equal(wordsOf(d1, source, "2024")[0]!.prediction, "would run near its D1 database: DB, other subrequests ignored (2024 rules)");
  });
});

describe("the shared words: pieces", () => {
  it("round trips and host lists", () => {
    assert.equal(roundTripsTo(0, ["a"]), "no round trips to back ends");
    assert.equal(roundTripsTo(1, ["a.com"]), "1 round trip to a.com");
    assert.equal(roundTripsTo(3, []), "3 sequential round trips to back ends");
    assert.equal(hostList(["a", "b"]), "a and b");
    assert.equal(hostList(["a", "b", "c", "d"]), "a, b and 2 more");
  });

  it("a sentence as a clause: first letter lowered unless an acronym, final period dropped", () => {
    assert.equal(asClause("The config has no main."), "the config has no main");
    assert.equal(asClause("URL unknown."), "URL unknown");
    assert.equal(asClause("wait..."), "wait...");
  });

  it("the placement in the config's own syntax: an inline TOML table, or JSON", () => {
    assert.equal(
      placementInConfigSyntax("toml", { mode: "smart", hint: "aws:us-east-1" }),
      'placement = { mode = "smart", hint = "aws:us-east-1" }',
    );
    assert.equal(placementInConfigSyntax("toml", { "odd key": 1, list: [true] }), 'placement = { "odd key" = 1, list = [true] }');
    assert.equal(placementInConfigSyntax("toml", "smart"), 'placement = "smart"');
    assert.equal(placementInConfigSyntax("jsonc", { region: "aws:us-east-1" }), '"placement": { "region": "aws:us-east-1" }');
    assert.equal(placementInConfigSyntax("json", {}), '"placement": {}');
  });

  it("a call's hover is one line that says how it counts", () => {
    const base = { kind: "fetch", file: "/w/src/index.ts", span: { start: 0, end: 1 }, target: "db.example.com" } as const;
    const line = (extra: object): string =>
      describeSubrequest({ ...base, category: "backend", waitUntil: false, criticalPath: true, ...extra } as never);
    assert.equal(line({ roundTripIndex: 2 }), "**Smart Placement:** round trip 2 of the longest path to db\\.example\\.com.");
    assert.equal(line({ waitUntil: true }), "**Smart Placement:** not counted: inside `waitUntil`, off the response path.");
    assert.equal(
      line({ category: "analytics", target: "www.google-analytics.com" }),
      "**Smart Placement:** not counted: www\\.google\\-analytics\\.com is an analytics or logging service, which Smart Placement ignores.",
    );
    assert.ok(!line({ roundTripIndex: 1 }).includes("\n"));
  });
});
