import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

/**
 * Loops over a list split into batches of a size limit (SQL bindings, items per API call): the
 * list a request usually carries fits in one batch, so the loop counts one pass. A loop over the
 * items themselves, or over chunks of a text from a splitter, still counts twice. Each case
 * after one D1 query first.
 */

const handler = (body: string, head = ""): string =>
  `${head}\nexport default { async fetch(request, env, ctx) {\nconst ids = (await env.DB.prepare("SELECT id FROM t").all()).results.map((r) => r.id);\n${body}\nreturn new Response("ok"); } };`;

const count = (ext: "ts" | "js", body: string, head = ""): number | null =>
  analyse({ [`src/index.${ext}`]: handler(body, head) }, { main: `src/index.${ext}` }).roundTrips;

const CHUNK_HELPER = `const MAX_BINDINGS = 90;
function chunkStrings(list, size) { const out = []; for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size)); return out; }`;

describe("batch loops count one pass", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`for...of over chunkStrings(ids, MAX): one query (${ext})`, () => {
      const n = count(
        ext,
        `for (const chunk of chunkStrings(ids, MAX_BINDINGS)) {
  await env.DB.prepare("SELECT * FROM u WHERE id IN (" + chunk.map(() => "?").join(",") + ")").bind(...chunk).all();
}`,
        CHUNK_HELPER,
      );
      assert.equal(n, 2);
    });

    it(`counted loop stepping by a batch size and slicing at the counter: one pass (${ext})`, () => {
      const n = count(
        ext,
        `for (let i = 0; i < ids.length; i += MAX_BINDINGS) {
  const part = ids.slice(i, i + MAX_BINDINGS);
  await fetch("https://api.example.net/bulk", { method: "POST", body: JSON.stringify(part.map((id) => ({ id }))) });
}`,
        CHUNK_HELPER,
      );
      assert.equal(n, 2);
    });

    it(`pieces of a text cut to a message size still count twice (${ext})`, () => {
      const n = count(
        ext,
        `const report = ids.join("\\n");
for (const part of chunkText(report, 3900)) {
  await fetch("https://api.example.net/send", { method: "POST", body: part });
}
for (let i = 0; i < report.length; i += 3900) {
  await fetch("https://api.example.net/send", { method: "POST", body: report.slice(i, i + 3900) });
}`,
        "function chunkText(s, max) { const out = []; for (let i = 0; i < s.length; i += max) out.push(s.slice(i, i + max)); return out; }",
      );
      assert.equal(n, 5);
    });

    it(`small batches against rate limits (BATCH_SIZE = 5) still count twice (${ext})`, () => {
      const n = count(
        ext,
        `const BATCH_SIZE = 5;
for (let i = 0; i < ids.length; i += BATCH_SIZE) {
  const batch = ids.slice(i, i + BATCH_SIZE);
  await Promise.all(batch.map((id) => fetch("https://api.example.net/item/" + id)));
}
for (const part of chunkStrings(ids, 5)) {
  await env.DB.prepare("SELECT * FROM u WHERE id IN (" + part.map(() => "?").join(",") + ")").bind(...part).all();
}`,
        CHUNK_HELPER,
      );
      assert.equal(n, 5);
    });

    it(`a loop over the items themselves still counts twice (${ext})`, () => {
      const n = count(ext, `for (const id of ids) { await env.DB.prepare("SELECT * FROM u WHERE id = ?").bind(id).first(); }`);
      assert.equal(n, 3);
    });

    it(`stepping by a batch without slicing at the counter still counts twice (${ext})`, () => {
      const n = count(ext, `for (let i = 0; i < ids.length; i += 10) { await fetch("https://api.example.net/page?from=" + i); }`);
      assert.equal(n, 3);
    });
  }
});

describe("batch sizes written as defaults", () => {
  for (const ext of ["ts", "js"] as const) {
    it(`a destructured option defaulting to 5: small batches, the loop counts twice (${ext})`, () => {
      const n = count(
        ext,
        `await lookupAll(ids, {});`,
        `async function lookupAll(names, options) {
  const { concurrency = 5 } = options;
  for (let i = 0; i < names.length; i += concurrency) {
    const batch = names.slice(i, i + concurrency);
    await Promise.all(batch.map((n) => fetch("https://api.example.net/item/" + n)));
  }
}`,
      );
      assert.equal(n, 3);
    });

    it(`a parameter defaulting to 5 counts twice, one defaulting to 100 one pass (${ext})`, () => {
      const small = count(
        ext,
        `await sendAll(ids);`,
        `async function sendAll(items, size = 5) {
  for (let i = 0; i < items.length; i += size) {
    const part = items.slice(i, i + size);
    await fetch("https://api.example.net/bulk", { method: "POST", body: JSON.stringify(part.map((id) => ({ id }))) });
  }
}`,
      );
      assert.equal(small, 3);
      const large = count(
        ext,
        `await sendAll(ids);`,
        `async function sendAll(items, size = 100) {
  for (let i = 0; i < items.length; i += size) {
    const part = items.slice(i, i + size);
    await fetch("https://api.example.net/bulk", { method: "POST", body: JSON.stringify(part.map((id) => ({ id }))) });
  }
}`,
      );
      assert.equal(large, 2);
    });

    it(`a destructured default in a let is not read: one pass, as an unknown size (${ext})`, () => {
      const n = count(
        ext,
        `let { step = 5 } = {};
for (let i = 0; i < ids.length; i += step) {
  const part = ids.slice(i, i + step);
  await fetch("https://api.example.net/bulk", { method: "POST", body: JSON.stringify(part.map((id) => ({ id }))) });
}`,
      );
      assert.equal(n, 2);
    });
  }
});
