import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/** tsyringe-style dependency injection: what `container.resolve(Cls)` gives and what `@inject(Token)` parameters hold. */

const repo = `import { inject, injectable } from "tsyringe";
@injectable()
export class Api {
  constructor(@inject("BaseUrl") private readonly base: string) {}
  async one() { await fetch(this.base + "/one"); }
  async two() { await fetch(this.base + "/two"); }
}
@injectable()
export class Service {
  constructor(@inject("Port") private readonly api: { one(): Promise<void>; two(): Promise<void> }) {}
  async run() { await this.api.one(); await this.api.two(); }
}`;

describe("dependency-injection containers", () => {
  it("resolve(Cls) with a string token registered as useClass and a useValue host: each call counts", () => {
    const a = analyse(
      {
        "src/services.ts": repo,
        "src/index.ts": `import { container } from "tsyringe";
import { Api, Service } from "./services";
container.register("BaseUrl", { useValue: "https://api.example.com" });
container.register("Port", { useClass: Api });
export default { async fetch() { await container.resolve(Service).run(); return new Response("ok"); } };`,
      },
      { main: "src/index.ts" },
    );
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath]),
      [
        ["api.example.com", true],
        ["api.example.com", true],
      ],
    );
    assert.equal(a.roundTrips, 2);
  });

  it("without the registration of the port, nothing is found behind it", () => {
    const a = analyse(
      {
        "src/services.ts": repo,
        "src/index.ts": `import { container } from "tsyringe";
import { Service } from "./services";
export default { async fetch() { await container.resolve(Service).run(); return new Response("ok"); } };`,
      },
      { main: "src/index.ts" },
    );
    assert.equal(a.roundTrips, 0);
  });
});
