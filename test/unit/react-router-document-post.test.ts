import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** A React Router / Remix POST as a document request: the action, then the matched loaders unless it redirects. */

const ENTRY = {
  "package.json": `{ "dependencies": { "react-router": "^7" }, "devDependencies": { "@react-router/dev": "^7" } }`,
  "workers/app.ts": `import { createRequestHandler } from "react-router";\nconst handler = createRequestHandler(() => import("virtual:react-router/server-build"));\nexport default { fetch(request: Request, env: any, ctx: any) { return handler(request, { cloudflare: { env, ctx } }); } };`,
};
const run = (files: Record<string, string>) => analyse({ ...ENTRY, ...files }, { main: "workers/app.ts" });
// The entry hands every request to the router: its path is the longest route's, which it names.
const worst = (a: ReturnType<typeof analyse>): [string | undefined, number | null] => [
  a.handlers.find((h) => h.kind === "fetch")?.route,
  a.roundTrips,
];
const fetches = (n: number, path: string): string =>
  Array.from({ length: n }, (_, i) => `await fetch("https://api.example.com/${path}/${i}");`).join(" ");

describe("React Router / Remix: a document POST renders the page after the action", () => {
  it("an action returning data is followed by the route's loader", () => {
    const a = run({
      "app/routes/_index.tsx": `export async function loader() { ${fetches(2, "l")} return {}; }\nexport async function action() { ${fetches(1, "a")} return { ok: true }; }`,
    });
    assert.deepEqual(worst(a), ["POST /", 3]);
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("the route's loader and the root's run beside each other: the longer counts", () => {
    const a = run({
      "app/root.tsx": `export async function loader() { ${fetches(3, "root")} return {}; }`,
      "app/routes/notes.tsx": `export async function loader() { ${fetches(1, "l")} return {}; }\nexport async function action() { ${fetches(1, "a")} return null; }`,
    });
    assert.deepEqual(worst(a), ["POST /notes", 4]);
  });

  it("an action whose every way out is a returned or thrown redirect runs no loaders", () => {
    const a = run({
      "app/routes/_index.tsx": `import { redirect } from "react-router";\nexport async function loader() { ${fetches(2, "l")} return {}; }\nexport async function action({ request }: any) { ${fetches(3, "a")} if (request.headers.get("x")) throw redirect("/x"); return redirect("/"); }`,
    });
    // 3, not 3 + 2.
    assert.deepEqual(worst(a), ["POST /", 3]);
  });

  it("a redirect on one path only, a redirect of a local function, or an end reached without a return: loaders follow", () => {
    const bodies = [
      `import { redirect } from "react-router";\nexport async function action({ request }: any) { ${fetches(1, "a")} if (request.method === "PUT") return redirect("/"); return null; }`,
      `const redirect = (to: string) => new Response(null, { status: 302, headers: { Location: to } });\nexport async function action() { ${fetches(1, "a")} return redirect("/"); }`,
      `import { redirect } from "react-router";\nexport async function action({ request }: any) { ${fetches(1, "a")} if (request.method === "PUT") { return redirect("/"); } }`,
    ];
    for (const body of bodies) {
      const a = run({ "app/routes/_index.tsx": `export async function loader() { ${fetches(1, "l")} return {}; }\n${body}` });
      assert.deepEqual(worst(a), ["POST /", 2], body);
    }
  });

  it("a loader that cannot be resolved leaves the POST unknown rather than shorter", () => {
    const a = run({
      "app/routes/_index.tsx": `import { makeLoader } from "./missing";\nexport const loader = makeLoader();\nexport async function action() { ${fetches(2, "a")} return null; }`,
    });
    assert.ok(
      a.unknowns.includes(
        "React Router / Remix: the loader in app/routes/_index.tsx (run after the action when a form posts without JavaScript) could not be resolved",
      ),
      a.unknowns.join("; "),
    );
  });
});

describe("React Router / Remix: route handlers re-exported through a folder's index", () => {
  it("import { loader, action } from './handlers' (export * from each file), exported again", () => {
    const a = run({
      "app/routes/users/route.tsx": `import { loader, action } from "./handlers";\nexport default function Users() { return null; }\nexport { loader, action };`,
      "app/routes/users/handlers/index.ts": `export * from "./loader";\nexport * from "./action";`,
      "app/routes/users/handlers/loader.ts": `export const loader = async () => { ${fetches(2, "l")} return {}; };`,
      "app/routes/users/handlers/action.ts": `export const action = async () => { ${fetches(1, "a")} return null; };`,
    });
    assert.deepEqual(worst(a), ["POST /users", 3]);
    assert.deepEqual(a.unknowns, []);
  });
});
