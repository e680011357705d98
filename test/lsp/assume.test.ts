import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { LspTestClient } from "./client";

const CONFIG = `name = "assume"
main = "src/index.ts"

[placement]
mode = "smart"
`;
const SOURCE = `import { endpointFor } from "@acme/endpoints";

export default {
  async fetch(request: Request) {
    return fetch(endpointFor("token"), { method: "POST", body: await request.text() });
  },
};
`;

/** The `assume` setting, changed while the server runs: the Worker is predicted again under it. */
describe("the assume setting over stdio", () => {
  let client: LspTestClient;
  let root: string;
  let config: string;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sp-assume-"));
    mkdirSync(path.join(root, "src"));
    config = path.join(root, "wrangler.toml");
    writeFileSync(config, CONFIG);
    writeFileSync(path.join(root, "src/index.ts"), SOURCE);
    client = new LspTestClient();
    await client.initialize(root);
    await client.open(config, CONFIG, "toml");
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("likely by default: the unresolved host is one round trip to a back end, so the note that placement will not help is given", async () => {
    const diagnostics = await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-insufficient-subrequests"));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["placement-insufficient-subrequests"],
    );
  });

  it('"assume": "strict": the prediction cannot tell, so no note; back to the default, the note again', async () => {
    try {
      await client.configure({ assume: "strict" });
      const strict = await client.diagnostics(config, (d) => d.length === 0);
      assert.deepEqual(strict, []);
    } finally {
      await client.configure({});
    }
    const likely = await client.diagnostics(config, (d) => d.some((x) => x.code === "placement-insufficient-subrequests"));
    assert.deepEqual(
      likely.map((d) => d.code),
      ["placement-insufficient-subrequests"],
    );
  });
});
