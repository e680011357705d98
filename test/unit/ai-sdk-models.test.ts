import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** Where a Vercel AI SDK call goes: the provider of the model it is given, however the model reaches it. */

type Analysis = ReturnType<typeof analyse>;
const targets = (a: Analysis): Array<[string | null, string]> => a.subrequests.map((s) => [s.target, s.category]);
const HELPER = `import { generateObject, type LanguageModel } from "ai";
import { z } from "zod";
export async function replies(text: string, model: LanguageModel) {
  const { object } = await generateObject({ model, schema: z.object({ r: z.array(z.string()) }), prompt: text });
  return object.r;
}`;

describe("AI SDK: a model handed to a helper as a parameter", () => {
  it("is the provider of what the callers pass (Google's global API), in TypeScript", () => {
    const a = analyse({
      "src/helper.ts": HELPER,
      "src/index.ts": `import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { replies } from "./helper";
export default { async fetch(request: Request, env: { KEY: string }) {
  const google = createGoogleGenerativeAI({ apiKey: env.KEY });
  const model = google("gemini-2.0-flash");
  return Response.json(await replies(await request.text(), model));
} };`,
    });
    assert.deepEqual(targets(a), [["generativelanguage.googleapis.com", "global"]]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a, [], false), "NO_VALID_HOSTS");
  });

  it("callers passing different providers (JavaScript): the worst, the single-homed one", () => {
    const a = analyse(
      {
        "src/helper.js": `import { generateText } from "ai";
export const ask = async (prompt, model) => (await generateText({ model, prompt })).text;`,
        "src/index.js": `import { google } from "@ai-sdk/google";
import { mistral } from "@ai-sdk/mistral";
import { ask } from "./helper.js";
export default { async fetch(request) {
  const q = await request.text();
  return new Response(q.length > 100 ? await ask(q, mistral("mistral-large-latest")) : await ask(q, google("gemini-2.0-flash")));
} };`,
      },
      { main: "src/index.js" },
    );
    assert.deepEqual(targets(a), [["api.mistral.ai", "backend"]]);
    assert.equal(a.roundTrips, 1);
  });

  it("a caller whose argument cannot be traced keeps the AI SDK's fallback back end", () => {
    const a = analyse({
      "src/helper.ts": HELPER,
      "src/index.ts": `import { google } from "@ai-sdk/google";
import { replies } from "./helper";
import { pickModel } from "some-model-picker";
export default { async fetch(request: Request) {
  const text = await request.text();
  const first = await replies(text, google("gemini-2.0-flash"));
  const second = await replies(text, pickModel());
  return Response.json([first, second]);
} };`,
    });
    assert.deepEqual(targets(a), [["ai-sdk", "backend"]]);
  });

  it("a helper no one calls keeps the fallback", () => {
    const a = analyse({
      "src/index.ts": `${HELPER}
export default { async fetch(request: Request) { return Response.json(await replies("x", undefined as any)); } };`,
    });
    assert.deepEqual(targets(a), [["ai-sdk", "backend"]]);
  });
});

describe("AI SDK: a provider registry", () => {
  const MODELS = `import { createProviderRegistry } from "ai";
import { anthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
export const registry = createProviderRegistry({ anthropic, local: createOpenAI({ baseURL: "https://llm.example.com/v1" }) });`;

  it("the provider under the id's prefix, through an import and a Hono context variable", () => {
    const a = analyse({
      "src/models.ts": MODELS,
      "src/index.ts": `import { Hono } from "hono";
import { generateText, embed } from "ai";
import { registry } from "./models";
const app = new Hono<{ Variables: { registry: typeof registry } }>();
app.use("*", async (c, next) => { c.set("registry", registry); await next(); });
app.post("/a", async (c) => {
  const r = c.var.registry;
  await embed({ model: r.textEmbeddingModel("local/embedder"), value: "x" });
  const { text } = await generateText({ model: r.languageModel("anthropic/claude-3-5-haiku-latest"), prompt: "x" });
  return c.text(text);
});
export default app;`,
    });
    assert.deepEqual(targets(a), [
      ["llm.example.com", "backend"],
      ["api.anthropic.com", "backend"],
    ]);
    assert.equal(a.roundTrips, 2);
  });

  it("the registry's own separator; a key the registry does not have keeps the fallback", () => {
    const a = analyse({
      "src/index.ts": `import { createProviderRegistry, generateText } from "ai";
import { groq } from "@ai-sdk/groq";
const registry = createProviderRegistry({ fast: groq }, { separator: " > " });
export default { async fetch() {
  await generateText({ model: registry.languageModel("fast > llama-3.1-8b-instant"), prompt: "x" });
  await generateText({ model: registry.languageModel("openai > gpt-4o"), prompt: "x" });
  return new Response();
} };`,
    });
    assert.deepEqual(targets(a), [
      ["api.groq.com", "backend"],
      ["ai-sdk", "backend"],
    ]);
  });

  it("a registry that cannot be read: a well-known prefix names the provider, another keeps the fallback", () => {
    const a = analyse({
      "src/index.ts": `import { generateText } from "ai";
import { loadRegistry } from "model-registry-loader";
export default { async fetch() {
  const registry = await loadRegistry();
  await generateText({ model: registry.languageModel("google/gemini-2.5-pro"), prompt: "x" });
  await generateText({ model: registry.languageModel("in-house/model-7"), prompt: "x" });
  return new Response();
} };`,
    });
    const ai = a.subrequests.filter((s) => s.kind === "sdk" && s.target !== null && s.target !== "model-registry-loader");
    assert.deepEqual(
      ai.map((s) => [s.target, s.category]),
      [
        ["generativelanguage.googleapis.com", "global"],
        ["ai-sdk", "backend"],
      ],
    );
  });
});

describe("AI SDK: string model ids and the default provider", () => {
  it("go through the Vercel AI Gateway, as does the `gateway` provider of the ai package", () => {
    const a = analyse({
      "src/index.ts": `import { gateway, generateText } from "ai";
const MODEL = "openai/gpt-4o";
export default { async fetch() {
  await generateText({ model: MODEL, prompt: "x" });
  await generateText({ model: gateway("anthropic/claude-sonnet-4"), prompt: "x" });
  return new Response();
} };`,
    });
    assert.deepEqual(targets(a), [
      ["ai-gateway.vercel.sh", "backend"],
      ["ai-gateway.vercel.sh", "backend"],
    ]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("go to the provider the Worker sets as globalThis.AI_SDK_DEFAULT_PROVIDER, in any module", () => {
    const a = analyse({
      "src/setup.ts": `import { google } from "@ai-sdk/google";
globalThis.AI_SDK_DEFAULT_PROVIDER = google;`,
      "src/index.ts": `import "./setup";
import { generateText } from "ai";
export default { async fetch() {
  await generateText({ model: "gemini-2.0-flash", prompt: "x" });
  return new Response();
} };`,
    });
    assert.deepEqual(targets(a), [["generativelanguage.googleapis.com", "global"]]);
  });
});
