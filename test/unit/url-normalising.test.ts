import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/** A base URL from [vars] tidied before use: `String(base || fallback).trim().replace(/\/+$/, "")`. */

const worker = (normalise: string): Record<string, string> => ({
  "src/index.js": [
    `function base(url) {`,
    `  return ${normalise};`,
    `}`,
    `export default {`,
    `  async fetch(request, env) {`,
    `    const first = await fetch(\`\${base(env.API_BASE)}/v1/tables\`);`,
    `    const second = await fetch(\`\${base(env.API_BASE)}/v1/scores\`);`,
    `    return new Response(String(first.ok && second.ok));`,
    `  },`,
    `};`,
  ].join("\n"),
});

describe("a base URL from [vars] trimmed and cut of its trailing slashes keeps its host", () => {
  it("a back end's host: two round trips to it", () => {
    const a = analyse(worker(`String(url || "https://fallback.example.com").trim().replace(/\\/+$/, "")`), {
      main: "src/index.js",
      vars: { API_BASE: " https://api.example-scores.com/ " },
    });
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.category]),
      [
        ["api.example-scores.com", "backend"],
        ["api.example-scores.com", "backend"],
      ],
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a Pages site's host is served from everywhere: no back end", () => {
    const a = analyse(worker(`String(url).trimEnd().replace(/\\/$/, "")`), {
      main: "src/index.js",
      vars: { API_BASE: "https://scores.pages.dev/" },
    });
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.category]),
      [
        ["scores.pages.dev", "global"],
        ["scores.pages.dev", "global"],
      ],
    );
    assert.equal(a.roundTrips, 0);
  });

  it("any other regular expression is not run: the host stays unknown", () => {
    const a = analyse(worker(`String(url).replace(/^(a+)+$/, "")`), {
      main: "src/index.js",
      vars: { API_BASE: "https://api.example-scores.com" },
    });
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.category]),
      [
        [null, "unknown"],
        [null, "unknown"],
      ],
    );
  });
});
