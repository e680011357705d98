import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** itty-router: a sub-router's `handle` given after middleware (`router.all("/x/*", auth, sub.handle)`). */

const call = (host: string): string => `await fetch("https://${host}/x");`;

describe("itty-router sub-router after middleware", () => {
  it("mounts the sub-router's routes, each after the middleware before its handle", () => {
    const a = analyse({
      "src/sub.ts": `import { Router } from "itty-router";
const sub = Router({ base: "/pay" });
sub.get("/one", async () => { ${call("api.pay.example.com")} return new Response(""); });
sub.post("/two", async () => { ${call("api.pay.example.com")} ${call("api.pay.example.com")} return new Response(""); });
export default sub;`,
      "src/index.ts": `import { Router } from "itty-router";
import sub from "./sub";
const router = Router();
const check = async (request: Request) => { ${call("auth.example.com")} };
const local = (request: Request) => undefined;
router.all("/pay/*", local, check, sub.handle);
addEventListener("fetch", (event: any) => event.respondWith(router.handle(event.request)));`,
    });
    // The worst route: the middleware's round trip, then the route's two.
    assert.deepEqual(
      a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]),
      [["POST /pay/two", 3]],
    );
    assert.equal(statusOf(a), "SUCCESS");
    assert.equal(a.roundTrips, 3);
    assert.deepEqual(a.unknowns, []);
  });

  it("a middleware that cannot be resolved before the handle is said, the sub-router's routes still read", () => {
    const a = analyse({
      "src/sub.ts": `import { Router } from "itty-router";
const sub = Router({ base: "/pay" });
sub.get("/one", async () => { ${call("api.pay.example.com")} return new Response(""); });
export default sub;`,
      "src/index.ts": `import { Router } from "itty-router";
import sub from "./sub";
declare const guards: Record<string, any>;
const router = Router();
router.all("/pay/*", guards[Math.random() > 0.5 ? "a" : "b"], sub.handle);
export default { fetch: router.handle };`,
    });
    assert.deepEqual(
      a.handlers.filter((h) => h.kind === "fetch").map((h) => h.route),
      ["GET /pay/one"],
    );
    assert.equal(a.unknowns.length, 1);
    assert.match(a.unknowns[0]!, /before the app mounted at \/ could not be resolved/);
  });
});
