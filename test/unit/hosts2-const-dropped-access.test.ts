import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** Constant conditions on const literals, dropped async calls, Cloudflare Access keys: where each stops. */

const worker = (body: string, top = ""): Record<string, string> => ({
  "src/index.js": `${top}\nexport default {\n  async fetch(request, env) {\n${body}\n  },\n};`,
});

describe("conditions on a const holding a literal", () => {
  it("a non-empty string is always true: the code after its return is not counted", () => {
    const a = analyse(
      worker(
        `    await fetch("https://a.example-api.com/1");\n    if (ZONE) return Response.redirect("https://" + ZONE);\n    return fetch("https://a.example-api.com/2");`,
        `const ZONE = "cdn.example.net";`,
      ),
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 1);
  });

  it("an empty string, false, 0 or a let stay undecided: both paths count", () => {
    for (const top of [`const ZONE = "";`, `const ZONE = false;`, `const ZONE = 0;`, `let ZONE = "cdn.example.net";`]) {
      const a = analyse(
        worker(
          `    await fetch("https://a.example-api.com/1");\n    if (ZONE) return new Response("x");\n    return fetch("https://a.example-api.com/2");`,
          top,
        ),
        { main: "src/index.js" },
      );
      assert.equal(a.roundTrips, 2, top);
    }
  });

  it("the length of a const string compared with a number decides; a negated true is never taken", () => {
    const a = analyse(
      worker(
        `    const on = true;\n    if (!on) await fetch("https://a.example-api.com/0");\n    if (ZONE.length === 0) await fetch("https://a.example-api.com/1");\n    await fetch("https://a.example-api.com/2");\n    return new Response("ok");`,
        `const ZONE = "cdn.example.net";`,
      ),
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 1);
  });
});

describe("a call of an async function of the project, its promise dropped", () => {
  const helpers = `async function send(path) {\n  const r = await fetch("https://chat.example-api.com" + path);\n  return r.json();\n}`;

  it("as a statement or after void: off the response path", () => {
    for (const call of ["send('/read');", "void send('/read');"]) {
      const a = analyse(worker(`    await send("/reply");\n    ${call}\n    return new Response("ok");`, helpers), {
        main: "src/index.js",
      });
      assert.equal(a.roundTrips, 1, call);
      assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    }
  });

  it("awaited, it still counts", () => {
    const a = analyse(worker(`    await send("/reply");\n    await send("/read");\n    return new Response("ok");`, helpers), {
      main: "src/index.js",
    });
    assert.equal(a.roundTrips, 2);
  });
});

describe("Cloudflare Access keys", () => {
  it("a path after the team domain that is not written out whole is not taken for the keys", () => {
    const a = analyse(
      worker(
        `    await fetch(env.TEAM + "/cdn-cgi/access/" + request.headers.get("x"));\n    return fetch("https://a.example-api.com/2");`,
      ),
      { main: "src/index.js" },
    );
    assert.equal(a.subrequests.length, 2);
    assert.deepEqual(
      a.subrequests.filter((s) => s.category === "global"),
      [],
    );
    assert.equal(a.roundTrips, 2);
  });

  it("a known <team>.cloudflareaccess.com host is global", () => {
    const a = analyse(
      worker(`    await fetch("https://acme.cloudflareaccess.com/cdn-cgi/access/certs");\n    return new Response("ok");`),
      {
        main: "src/index.js",
      },
    );
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.equal(a.subrequests[0]?.category, "global");
  });
});
