import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/**
 * A request made again only after the first one failed counts with it (the usual request
 * succeeds): also when the request goes through a project helper (`fetchWithTimeout(url)`), when
 * the second call asks another address (a fallback URL), and when the response is read off the
 * result object a helper returns (`const { response } = result`). Each case after one fetch to a
 * fixed host first.
 */

const HELPERS = `async function fetchWithTimeout(url, init, ms) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try { return await fetch(url, { ...init, signal: controller.signal }); } finally { clearTimeout(timer); }
}
async function attempt(c, input) {
  const response = await fetchWithTimeout(input.target, { method: "POST", body: input.body }, 5000);
  return { kind: "success", response };
}`;

const handler = (body: string): string =>
  `${HELPERS}\nexport default { async fetch(request, env, ctx) {\nawait fetch("https://first.example.com/check");\n${body}\nreturn new Response("ok"); } };`;

const count = (ext: "ts" | "js", body: string): number | null =>
  analyse({ [`src/index.${ext}`]: handler(body) }, { main: `src/index.${ext}` }).roundTrips;

describe("a helper called again after its response failed counts once", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`a fallback address through a helper when the first answered 400 or 404 (${ext})`, () => {
      const n = count(
        ext,
        `let res = await fetchWithTimeout(env.PRIMARY_URL, { method: "GET" }, 1000);
if ((res.status === 400 || res.status === 404) && env.FALLBACK_URL) {
  res = await fetchWithTimeout(env.FALLBACK_URL, { method: "GET" }, 1000);
}
return res;`,
      );
      assert.equal(n, 2);
    });

    it(`the same helper again when the response read off its result object failed (${ext})`, () => {
      const n = count(
        ext,
        `const result = await attempt(request, { target: env.UPSTREAM, body: "a" });
let { response } = result;
if (!response.ok) {
  const again = await attempt(request, { target: env.UPSTREAM, body: "b" });
  response = again.response;
}
return response;`,
      );
      assert.equal(n, 2);
    });

    it(`a second helper call that does not depend on a failure still counts (${ext})`, () => {
      const n = count(
        ext,
        `const first = await fetchWithTimeout(env.PRIMARY_URL, { method: "GET" }, 1000);
const second = await fetchWithTimeout(env.OTHER_URL, { method: "GET" }, 1000);
return new Response(String(first.status + second.status));`,
      );
      assert.equal(n, 3);
    });

    it(`another address after \`if (res.ok) return\` still counts: other paths may start there too (${ext})`, () => {
      const n = count(
        ext,
        `if (env.REPO) {
  const byRepo = await fetchWithTimeout(env.API + "/repo", { method: "GET" }, 1000);
  if (byRepo.ok) return byRepo;
}
const any = await fetchWithTimeout(env.API + "/any", { method: "GET" }, 1000);
return any;`,
      );
      assert.equal(n, 3);
    });

    it(`a call of another method after a 404 still counts (${ext})`, () => {
      const n = count(
        ext,
        `const found = await fetchWithTimeout(env.API + "/users/1", { method: "GET" }, 1000);
if (found.status === 404) await fetchWithTimeout(env.API + "/users", { method: "POST" }, 1000);
return new Response("done");`,
      );
      assert.equal(n, 3);
    });
  }
});
