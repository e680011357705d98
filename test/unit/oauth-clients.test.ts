import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { one } from "./helpers/analyse";
import { libraryFor } from "../../server/src/core/worker/sdks";

const handler = (body: string): string =>
  `export default { async fetch(request: Request, env: any) {\n${body}\nreturn new Response("ok");\n} };`;

const targets = (a: ReturnType<typeof one>): Array<string | null> => a.subrequests.map((s) => s.target);

describe("oauth4webapi", () => {
  it("is in the table: request functions cost one, the response and PKCE helpers are local", () => {
    const library = libraryFor("oauth4webapi")!;
    assert.equal(library.functions?.["discoveryRequest"], 1);
    assert.equal(library.functions?.["authorizationCodeGrantRequest"], 1);
    assert.equal(library.functions?.["validateJwtAccessToken"], 1);
    assert.ok(library.local?.includes("processAuthorizationCodeResponse"));
    assert.ok(library.local?.includes("calculatePKCECodeChallenge"));
    assert.equal(library.fallbackTarget, "the authorization server");
  });

  it("follows the issuer through processDiscoveryResponse in a .then callback", () => {
    const a = one(
      `import * as oauth from "oauth4webapi";\n${handler(`const as = await oauth.discoveryRequest(new URL(env.ISSUER)).then((r) => oauth.processDiscoveryResponse(new URL(env.ISSUER), r));
await oauth.userInfoRequest(as, { client_id: "x" }, "token");`)}`,
      { vars: { ISSUER: "https://id.example.org" } },
    );
    assert.deepEqual(targets(a), ["id.example.org", "id.example.org"]);
    assert.equal(a.roundTrips, 2);
    assert.equal(a.unknowns.length, 0);
  });

  it("reads an object literal's issuer as the server", () => {
    const a = one(
      `import { revocationRequest, None } from "oauth4webapi";\n${handler(`await revocationRequest({ issuer: "https://auth.example.io" }, { client_id: "x" }, None(), "t");`)}`,
    );
    assert.deepEqual(targets(a), ["auth.example.io"]);
  });

  it("names the authorization server when the metadata comes from the app's own helper or a secret", () => {
    const a = one(
      `import * as oauth from "oauth4webapi";\ndeclare function config(): Promise<any>;\n${handler(`const { as } = await config();
await oauth.clientCredentialsGrantRequest(as, { client_id: "x" }, oauth.None(), new URLSearchParams());
await oauth.discoveryRequest(new URL(env.SECRET_ISSUER));`)}`,
    );
    assert.deepEqual(targets(a), ["the authorization server", "the authorization server"]);
    assert.deepEqual(
      a.subrequests.map((s) => s.category),
      ["backend", "backend"],
    );
    assert.equal(a.roundTrips, 2);
  });

  it("only the local helpers: no round trip", () => {
    const a = one(
      `import * as oauth from "oauth4webapi";\n${handler(`const v = oauth.generateRandomCodeVerifier();
await oauth.calculatePKCECodeChallenge(v);
oauth.generateRandomState();
oauth.generateRandomNonce();`)}`,
    );
    assert.equal(a.subrequests.length, 0);
    assert.equal(a.roundTrips, 0);
    assert.equal(a.unknowns.length, 0);
  });
});

describe("openid-client", () => {
  it("6: the server discovery() was given reaches every call on its configuration", () => {
    const a = one(
      `import { discovery, refreshTokenGrant, tokenRevocation } from "openid-client";\n${handler(`const config = await discovery(new URL("https://op.example.com"), "app");
const tokens = await refreshTokenGrant(config, "rt");
await tokenRevocation(config, tokens.access_token);`)}`,
    );
    assert.deepEqual(targets(a), ["op.example.com", "op.example.com", "op.example.com"]);
    assert.equal(a.roundTrips, 3);
  });

  it("6: fetchProtectedResource() goes to the resource URL it is given, not the authorization server", () => {
    const a = one(
      `import * as client from "openid-client";\n${handler(`const config = await client.discovery(new URL("https://op.example.com"), "app");
await client.fetchProtectedResource(config, "token", new URL("https://api.example.net/me"), "GET");`)}`,
    );
    assert.deepEqual(targets(a), ["op.example.com", "api.example.net"]);
  });

  it("5: Issuer.discover() one, client.callback() two (token, then the JWKS), client.userinfo() one; callbackParams local", () => {
    const a = one(
      `import { Issuer } from "openid-client";\n${handler(`const issuer = await Issuer.discover("https://op.example.com");
const c = new issuer.Client({ client_id: "app" });
const params = c.callbackParams(request.url);
const tokens = await c.callback("https://app.example/cb", params);
await c.userinfo(tokens);`)}`,
    );
    assert.deepEqual(targets(a), ["op.example.com", "op.example.com", "op.example.com"]);
    assert.equal(a.roundTrips, 4);
    assert.equal(libraryFor("openid-client")!.counts?.["callback"], 2);
  });
});
