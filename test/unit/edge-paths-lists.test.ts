import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** /cdn-cgi/ on the request's own origin; URLs from lists in array callbacks (helpers only a Durable Object uses: fixture 941). */

const worker = (body: string, top = ""): Record<string, string> => ({
  "src/index.js": `${top}\nexport default {\n  async fetch(request, env) {\n${body}\n  },\n};`,
});

describe("a /cdn-cgi/ path on the incoming request's own origin", () => {
  it("is Cloudflare's edge, global, with the reason", () => {
    const a = analyse(
      worker(
        `    const me = await fetch(new URL(request.url).origin + "/cdn-cgi/access/get-identity");\n    return fetch("https://a.example-api.com/1");`,
      ),
      { main: "src/index.js" },
    );
    assert.equal(a.roundTrips, 1);
    const edge = a.subrequests.find((s) => s.target === "origin");
    assert.equal(edge?.category, "global");
    assert.match(edge?.note ?? "", /Cloudflare's edge answers it/);
  });

  it("an unknown path after the origin, or the request passed on, stays the origin's back end", () => {
    for (const call of [
      `fetch(new URL(request.url).origin + request.headers.get("x-path"))`,
      `fetch(new URL(request.url).origin + "/api/cdn-cgi/x")`,
      `fetch(request)`,
    ]) {
      const a = analyse(worker(`    await ${call};\n    return fetch("https://a.example-api.com/1");`), { main: "src/index.js" });
      assert.equal(a.roundTrips, 2, call);
      assert.equal(a.subrequests.find((s) => s.target === "origin")?.category, "backend", call);
    }
  });
});

describe("a URL taken from a list in an array method's callback", () => {
  const body = `    const urls = LIST.map((t) => t.replace("{ID}", "7"));\n    await Promise.all(urls.map((u) => fetch(u)));\n    return new Response("ok");`;

  it("a constant list of public DoH resolvers: each element, all global", () => {
    const a = analyse(worker(body, `const LIST = ["https://dns.google/{ID}", "https://cloudflare-dns.com/dns-query"];`), {
      main: "src/index.js",
    });
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(
      a.subrequests[0]?.candidates?.map((c) => c.host),
      ["dns.google", "cloudflare-dns.com"],
    );
  });

  it("one element that is not known leaves the host unresolved (counted as an assumed back end)", () => {
    const a = analyse(worker(body, `const LIST = ["https://dns.google/{ID}", globalThis.OTHER];`), { main: "src/index.js" });
    assert.equal(a.subrequests[0]?.target, null);
    assert.equal(a.roundTrips, 1);
  });

  it("a list in a var as JSON, and a regional host in it counts", () => {
    const a = analyse(worker(body, `const LIST = JSON.parse(env_LIST());\nfunction env_LIST() { return globalThis.X; }`), {
      main: "src/index.js",
    });
    assert.equal(a.subrequests[0]?.target, null);
    const b = analyse(
      worker(
        `    const list = JSON.parse(env.UPSTREAMS);\n    await Promise.all(list.map((u) => fetch(u)));\n    return new Response("ok");`,
      ),
      { main: "src/index.js", vars: { UPSTREAMS: '["https://dns.quad9.net/dns-query","https://api.example-db.com/q"]' } },
    );
    assert.equal(b.subrequests[0]?.target, "api.example-db.com");
    assert.equal(b.subrequests[0]?.category, "backend");
    assert.equal(b.roundTrips, 1);
  });
});
