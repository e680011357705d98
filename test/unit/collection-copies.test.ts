import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/** Two providers of the project's own, a base class's fetch helper, each a factory that may give null. */
const PROVIDERS = `export abstract class Provider {
  constructor(readonly slug: string) {}
  abstract token(code: string): Promise<{ access_token: string }>;
  protected async post(url: string, body: string): Promise<any> {
    const res = await fetch(url, { method: "POST", body });
    return res.json();
  }
}
export class Alpha extends Provider {
  static make(on?: string): Alpha | null { return on ? new Alpha("alpha") : null; }
  token(code: string) { return this.post("https://alpha.example.com/token", code); }
}
export class Beta extends Provider {
  static make(on?: string): Beta | null { return on ? new Beta("beta") : null; }
  async token(code: string) {
    const first = await this.post("https://beta.example.com/token", code);
    return this.post("https://beta.example.com/refresh", first.refresh_token);
  }
}`;

const worker = (body: string): Record<string, string> => ({
  "src/providers.ts": PROVIDERS,
  "src/index.ts": `import { Alpha, Beta, Provider } from "./providers";
export default {
  async fetch(request: Request, env: any) {
    const url = new URL(request.url);
    ${body}
    return new Response("no");
  },
};`,
});

const backendTrips = (files: Record<string, string>): number | null => analyse(files).roundTrips;

describe("a collection copied into a constant holds the elements of the one it copies", () => {
  it("`const active = list.filter(...)` walked with for...of: each element's method is a path, the worst counts", () => {
    const a = analyse(
      worker(`const list = [Alpha.make(env.A), Beta.make(env.B)];
    const active = list.filter((p): p is Provider => p !== null);
    for (const p of active) {
      if (url.pathname === "/cb/" + p.slug) return Response.json(await p.token("c"));
    }`),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("`.find(...)` on a copy made by `[...].filter(Boolean)`", () => {
    assert.equal(
      backendTrips(
        worker(`const active = [Alpha.make(env.A), Beta.make(env.B)].filter(Boolean) as Provider[];
    const p = active.find((x) => x.slug === url.pathname.slice(1));
    if (p) return Response.json(await p.token("c"));`),
      ),
      2,
    );
  });

  it("what is pushed into the copy is one of its elements too", () => {
    assert.equal(
      backendTrips(
        worker(`const base: Provider[] = [new Alpha("alpha")];
    const all = base.slice();
    all.push(new Beta("beta"));
    for (const p of all) await p.token("c");`),
      ),
      // A loop over elements of unknown count: the worst element twice.
      4,
    );
  });

  it("the original list, not copied, is followed as before", () => {
    const a = analyse(
      worker(`const list = [Alpha.make(env.A)];
    for (const p of list) { if (!p) continue; return Response.json(await p.token("c")); }`),
    );
    assert.equal(a.roundTrips, 1);
  });
});
