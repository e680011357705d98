import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeConfig } from "../../server/src/core/analysis";
import { MemoryFileSystem } from "../../server/src/core/fs";

const CONFIG = 'name = "w"\nmain = "src/index.ts"\n';

/** The prediction for a Worker of these files (src/index.ts is the entry). */
function predictionOf(files: Record<string, string>): { status: string; roundTrips: number | null; hosts: string[] } {
  const fs = new MemoryFileSystem({
    "/w/wrangler.toml": CONFIG,
    ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`/w/src/${name}`, text])),
  });
  const [worker] = analyzeConfig(fs, "/w/wrangler.toml", CONFIG).workers;
  const prediction = worker!.prediction;
  return { status: prediction.status, roundTrips: prediction.roundTrips ?? null, hosts: prediction.backends.map((b) => b.host) };
}

/** A handler that asks the broker twice when `condition` holds, then the prices once. */
function guarded(condition: string, preamble: string): string {
  return `${preamble}
export default { async fetch(): Promise<Response> {
  if (${condition}) {
    await fetch("https://broker.example.com/token");
    await fetch("https://broker.example.com/quote");
  }
  return fetch("https://prices.example.com/daily");
} };
`;
}

describe("conditions on a function that always returns one literal", () => {
  it("getMode() === 'live' on a getMode that only returns 'mock' is never true: the branch is not counted", () => {
    const source = guarded(`getMode() === "live"`, `function getMode(): string { return "mock"; }`);
    assert.deepEqual(predictionOf({ "index.ts": source }), {
      status: "INSUFFICIENT_SUBREQUESTS",
      roundTrips: 1,
      hosts: ["prices.example.com"],
    });
  });

  it("an imported isLive() that returns getMode() !== 'mock' is false; a const arrow function and a module const answer too", () => {
    const broker = `const MODE = "mock";
const getMode = () => MODE;
export function isLive(): boolean { if (Date.now() < 0) return getMode() !== "mock"; return getMode() !== "mock"; }
`;
    const source = guarded(`isLive()`, `import { isLive } from "./broker";`);
    assert.deepEqual(predictionOf({ "index.ts": source, "broker.ts": broker }).roundTrips, 1);
  });

  it("a function that is true (`isMock()`) ends the path when its branch returns; a switch on the mode runs only its clause", () => {
    const source = `function isMock() { return true; }
function mode(): string { return "mock"; }
export default { async fetch(): Promise<Response> {
  switch (mode()) {
    case "live":
      await fetch("https://broker.example.com/a");
    case "sandbox":
      await fetch("https://broker.example.com/b");
      break;
    case "mock":
      await fetch("https://prices.example.com/a");
  }
  if (isMock()) return new Response("mock");
  await fetch("https://broker.example.com/c");
  return fetch("https://broker.example.com/d");
} };
`;
    assert.deepEqual(predictionOf({ "index.ts": source }), {
      status: "INSUFFICIENT_SUBREQUESTS",
      roundTrips: 1,
      hosts: ["prices.example.com"],
    });
  });

  it("a switch case that falls into the next runs both", () => {
    const source = `function mode(): string { return "live"; }
export default { async fetch(): Promise<Response> {
  switch (mode()) {
    case "live":
      await fetch("https://broker.example.com/a");
    case "sandbox":
      await fetch("https://broker.example.com/b");
      break;
    default:
      await fetch("https://prices.example.com/a");
  }
  return new Response("ok");
} };
`;
    assert.deepEqual(predictionOf({ "index.ts": source }), { status: "SUCCESS", roundTrips: 2, hosts: ["broker.example.com"] });
  });

  for (const [why, preamble, condition] of [
    ["an async function", `async function getMode() { return "mock"; }`, `(getMode() as unknown) === "live"`],
    ["compared with a loose ==", `function getMode(): string { return "mock"; }`, `getMode() == "live"`],
    ["reads its parameter", `function getMode(m?: string): string { if (m) return "mock"; return "mock"; }`, `getMode() === "live"`],
    [
      "assigned another function",
      `function getMode(): string { return "mock"; }\n// @ts-ignore\ngetMode = () => "live";`,
      `getMode() === "live"`,
    ],
    [
      "a function that may end without a return",
      `function getMode(): string | undefined { if (Date.now() > 0) return "mock"; }`,
      `getMode() !== "mock"`,
    ],
    [
      "returns different literals",
      `function getMode(): string { if (Date.now() > 0) return "mock"; return "live"; }`,
      `getMode() === "live"`,
    ],
    ["a function that calls itself", `function getMode(): string { return getMode(); }`, `getMode() === "live"`],
    ["a method of an object", `const broker = { mode(): string { return "mock"; } };`, `broker.mode() === "live"`],
    ["a function that returns a falsy literal, tested alone", `function token(): string { return ""; }`, `!token()`],
  ] as const)
    it(`stays undecided for ${why}: the branch counts`, () => {
      assert.equal(predictionOf({ "index.ts": guarded(condition, preamble) }).roundTrips, 3);
    });
});

describe("a loop that stops at the first candidate with data", () => {
  const loop = (body: string): string => `export default { async fetch(): Promise<Response> {
  let found: unknown[] = [];
  const all: unknown[] = [];
  for (let back = 1; back <= 5; back++) {
${body}
  }
  return Response.json({ found, all });
} };
`;

  it("a counter loop over dates that breaks when the response has items counts once", () => {
    const source = loop(`    const day = String(20260101 - back);
    const res = await fetch("https://prices.example.com/daily?date=" + day);
    const items = ((await res.json()) as { items: unknown[] }).items;
    if (items.length > 0) { found = items; break; }`);
    assert.deepEqual(predictionOf({ "index.ts": source }), {
      status: "INSUFFICIENT_SUBREQUESTS",
      roundTrips: 1,
      hosts: ["prices.example.com"],
    });
  });

  it("a loop over mirrors that returns the first list that is not empty counts once", () => {
    const source = `const MIRRORS = ["https://a.example.com", "https://b.example.com"];
export default { async fetch(): Promise<Response> {
  for (const mirror of MIRRORS) {
    const res = await fetch(mirror + "/list");
    const list = (await res.json()) as unknown[];
    if (list.length) return Response.json(list);
  }
  return new Response("none");
} };
`;
    assert.equal(predictionOf({ "index.ts": source }).roundTrips, 1);
  });

  for (const [why, body] of [
    [
      "pages a list until an empty page (the branch that leaves keeps nothing)",
      `    const res = await fetch("https://prices.example.com/list?page=" + back);
    const items = ((await res.json()) as { items: unknown[] }).items;
    if (items.length === 0) break;
    all.push(...items);`,
    ],
    [
      "searches for an entry by a field (the data is not what is tested)",
      `    const res = await fetch("https://prices.example.com/item/" + back);
    const item = (await res.json()) as { match: boolean };
    if (item.match) { found = [item]; break; }`,
    ],
    [
      "searches each page with find (what it tests is computed from the response)",
      `    const res = await fetch("https://prices.example.com/list?page=" + back);
    const page = (await res.json()) as { items: Array<{ id: number }> };
    const hit = page.items.find((item) => item.id === 7);
    if (hit) { found = [hit]; break; }`,
    ],
    [
      "polls the same URL",
      `    const res = await fetch("https://prices.example.com/report");
    const items = ((await res.json()) as { items: unknown[] }).items;
    if (items.length > 0) { found = items; break; }
    await new Promise((r) => setTimeout(r, 100 * back));`,
    ],
  ] as const)
    it(`stays a loop (two round trips) when it ${why}`, () => {
      assert.equal(predictionOf({ "index.ts": loop(body) }).roundTrips, 2);
    });
});
