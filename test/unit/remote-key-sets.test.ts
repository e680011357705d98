import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf, criticalTargets as targets, fetchHandler as handler } from "./helpers/analyse";

/**
 * jose: `jwtVerify(token, createRemoteJWKSet(url))` fetches the key set at its first use, and the
 * set keeps it (jose's cache, per instance). Made per request, one round trip to the JWKS host;
 * kept at module level, the isolate's first request fetches it and the others do not: not counted.
 * A local key (`importJWK`, a secret) does no I/O. In TypeScript and JavaScript.
 */

const JWKS = `new URL("https://auth.example.com/.well-known/jwks.json")`;

describe("jose remote key sets", () => {
  for (const ext of ["ts", "js"] as const) {
    const run = (body: string, head: string) =>
      analyse(
        { [`src/index.${ext}`]: handler(body, head).replace(/: (Request|any)\b/g, ext === "js" ? "" : ": $1") },
        { main: `src/index.${ext}` },
      );

    it(`a set made in the handler: its jwtVerify is one round trip to the JWKS host (${ext})`, () => {
      const a = run(
        `const jwks = createRemoteJWKSet(${JWKS});\nawait jwtVerify("t", jwks);\nawait fetch("https://api.example.com/data");`,
        `import { createRemoteJWKSet, jwtVerify } from "jose";`,
      );
      assert.equal(a.roundTrips, 2);
      assert.deepEqual(targets(a), ["auth.example.com", "api.example.com"]);
      assert.match(a.subrequests[0]!.note ?? "", /^a key set made per request \(createRemoteJWKSet\) fetches its JWKS at its first use: /);
      assert.equal(statusOf(a), "SUCCESS");
    });

    it(`a set made inline, through the namespace, or by a helper called per request (${ext})`, () => {
      const inline = run(
        `await jose.jwtVerify("t", jose.createRemoteJWKSet(${JWKS}));\nawait fetch("https://api.example.com/data");`,
        `import * as jose from "jose";`,
      );
      assert.equal(inline.roundTrips, 2);
      const helper = run(
        `await jwtVerify("t", keys(env));\nawait fetch("https://api.example.com/data");`,
        `import { createRemoteJWKSet, jwtVerify } from "jose";\nfunction keys(env) { return createRemoteJWKSet(new URL(env.ISSUER + "/.well-known/jwks.json")); }`,
      );
      assert.equal(helper.roundTrips, 2);
      assert.deepEqual(targets(helper), ["env.ISSUER", "api.example.com"]);
    });

    it(`a set kept at module level (a const, or cached ??= on a module variable) counts its isolate's first fetch (${ext})`, () => {
      const moduleConst = run(
        `await jwtVerify("t", JWKS);\nawait fetch("https://api.example.com/data");`,
        `import { createRemoteJWKSet, jwtVerify } from "jose";\nconst JWKS = createRemoteJWKSet(${JWKS});`,
      );
      assert.equal(moduleConst.roundTrips, 2);
      assert.deepEqual(targets(moduleConst), ["auth.example.com", "api.example.com"]);
      assert.equal(statusOf(moduleConst), "SUCCESS");
      const lazy = run(
        `cached ??= createRemoteJWKSet(${JWKS});\nawait jwtVerify("t", cached);\nawait fetch("https://api.example.com/data");`,
        `import { createRemoteJWKSet, jwtVerify } from "jose";\nlet cached;`,
      );
      assert.equal(lazy.roundTrips, 2);
      // `if (!keys) keys = createRemoteJWKSet(url)` in a helper, over a module `let` that starts as null.
      const assignedOnFirstUse = run(
        `await check("t");\nawait fetch("https://api.example.com/data");`,
        `import { createRemoteJWKSet, jwtVerify } from "jose";\nlet keys = null;\nasync function check(token) { if (!keys) { keys = createRemoteJWKSet(${JWKS}); } return jwtVerify(token, keys); }`,
      );
      assert.equal(assignedOnFirstUse.roundTrips, 2);
      assert.deepEqual(targets(assignedOnFirstUse), ["auth.example.com", "api.example.com"]);
      assert.match(assignedOnFirstUse.subrequests[0]!.note ?? "", /kept at module level .* an isolate's first request/);
      // The same helper making the set on each call: the JWKS fetch counts the same way.
      const perCall = run(
        `await check("t");\nawait fetch("https://api.example.com/data");`,
        `import { createRemoteJWKSet, jwtVerify } from "jose";\nasync function check(token) { const keys = createRemoteJWKSet(${JWKS}); return jwtVerify(token, keys); }`,
      );
      assert.equal(perCall.roundTrips, 2);
      assert.deepEqual(targets(perCall), ["auth.example.com", "api.example.com"]);
    });

    it(`a local key (importJWK, a secret) does no I/O (${ext})`, () => {
      const a = run(
        `const key = await importJWK(JSON.parse(env.JWK), "ES256");\nawait jwtVerify("t", key);\nawait jwtVerify("t", new TextEncoder().encode(env.SECRET));\nawait fetch("https://api.example.com/data");`,
        `import { importJWK, jwtVerify } from "jose";`,
      );
      assert.equal(a.roundTrips, 1);
      assert.deepEqual(targets(a), ["api.example.com"]);
      assert.deepEqual(a.unknowns, []);
    });
  }
});
