import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * A method of a class of the project's own that no code names is never called: its calls to back
 * ends are not lost wiring. Only where nothing else may call it by name: no base class or decorator,
 * an instance never handed to a call or put in an object, a name the runtime does not call itself.
 */

const LOST = (where: string): string =>
  `no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (${where}): how it is called could not be followed`;

/** A Worker whose fetch path calls `report.count()` (KV) on a class with one more method, `body`. */
const worker = (method: string, options: { classHead?: string; use?: string; extra?: string } = {}) =>
  analyse(
    {
      "src/report.ts": `${options.classHead ?? "export class Report"} {\n  constructor(private readonly env: { KV: KVNamespace }) {}\n  async count(): Promise<string | null> {\n    return this.env.KV.get("count");\n  }\n${method}\n}\n${options.extra ?? ""}`,
      "src/index.ts": `import { Report } from "./report";\nexport default {\n  async fetch(request: Request, env: { KV: KVNamespace }) {\n    ${options.use ?? "const report = new Report(env);"}\n    return new Response(await report.count());\n  },\n};\n`,
    },
    { bindings: { kv: ["KV"] } },
  );

const REFRESH = `  async refresh(): Promise<void> {\n    await fetch("https://reports.example.com/refresh");\n  }`;

describe("methods no code names", () => {
  it("a method nothing names is never called: not counted, said why", () => {
    const a = worker(REFRESH);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(a.notes, [
      "not counted: a call to back ends where no request of the Worker runs it (report.ts:7: a method nothing calls)",
    ]);
  });

  it("named anywhere (`report.refresh` in another function) keeps it live", () => {
    const a = worker(REFRESH, { extra: `export function later(report: Report) {\n  return report.refresh;\n}` });
    assert.deepEqual(a.unknowns, [LOST("report.ts:7")]);
  });

  it("a string of its name (`report[action]()` over a table of names) keeps it live", () => {
    const a = worker(REFRESH, { extra: `export const ACTIONS = ["refresh"];` });
    assert.deepEqual(a.unknowns, [LOST("report.ts:7")]);
  });

  it("a function of the same name elsewhere is another thing", () => {
    const a = worker(REFRESH, { extra: `function refresh(): number {\n  return 1;\n}\nexport const once = refresh();` });
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("a class with a base class: the base may call the method by name", () => {
    const a = worker(REFRESH, { classHead: `import { Job } from "job-kit";\nexport class Report extends Job` });
    assert.deepEqual(a.unknowns, [LOST("report.ts:8")]);
  });

  it("an instance handed to a call: the callee may call the method by name", () => {
    const a = worker(REFRESH, { use: `const report = new Report(env);\n    schedule(new Report(env));` });
    assert.deepEqual(a.unknowns, [LOST("report.ts:7")]);
  });

  it("a name the runtime calls itself (an HTMLRewriter handler's `element`) stays live", () => {
    const a = worker(`  async element(): Promise<void> {\n    await fetch("https://reports.example.com/refresh");\n  }`);
    assert.deepEqual(a.unknowns, [LOST("report.ts:7")]);
  });
});
