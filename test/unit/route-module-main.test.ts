import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/** A `main` that names a module of a framework's app instead of a Worker entry. */

const remixPackage = `{ "dependencies": { "@remix-run/cloudflare": "^2", "@remix-run/cloudflare-pages": "^2", "@remix-run/react": "^2" } }`;
const remixApp = {
  "package.json": remixPackage,
  "app/root.tsx": `import { Outlet } from "@remix-run/react";\nexport const links = () => [];\nexport default function App() { return <Outlet />; }`,
  "app/routes/orders.$id.tsx": `export async function loader({ context }: any) {
  const order = await context.env.DB.prepare("SELECT sku FROM orders").first();
  await fetch("https://inventory.example.com/items/" + order.sku);
  return null;
}
export default function Order() { return null; }`,
};
const fetchRoutes = (a: ReturnType<typeof analyse>): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);

describe("main naming a React Router / Remix route module", () => {
  it('main = "app/root.tsx" is read as the Remix app (TypeScript)', () => {
    const a = analyse(remixApp, { main: "app/root.tsx", bindings: { d1: ["DB"] } });
    assert.equal(a.entryProblem, null);
    assert.deepEqual(fetchRoutes(a), [["GET /orders/:id", 2]]);
    assert.deepEqual(a.backends, [
      { host: "DB", roundTrips: 1 },
      { host: "inventory.example.com", roundTrips: 1 },
    ]);
    assert.deepEqual(a.notes, [
      `main "app/root.tsx" names the React Router / Remix app's root route module, not a Worker entry (it exports no Worker handler; the framework's build makes the Worker): the request paths are read from the app's own routes`,
    ]);
    assert.equal(statusOf(a, ["DB"]), "SUCCESS");
  });

  it("a module under the routes folder, in JavaScript", () => {
    const a = analyse(
      {
        "package.json": remixPackage,
        "app/root.jsx": `export default function App() { return null; }`,
        "app/routes/_index.jsx": `export async function loader() { const s = await fetch("https://auth.example.com/s"); await fetch("https://feed.example.com/" + (await s.json()).id); return null; }
export default function Index() { return null; }`,
      },
      { main: "./app/routes/_index.jsx" },
    );
    assert.deepEqual(fetchRoutes(a), [["GET /", 2]]);
    assert.match(
      a.notes?.[0] ?? "",
      /^main "\.\/app\/routes\/_index\.jsx" names the React Router \/ Remix app's route module, not a Worker entry/,
    );
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("the app folder remix.config.js names (appDirectory), and React Router 7's packages", () => {
    const a = analyse(
      {
        "package.json": `{ "dependencies": { "react-router": "^7" }, "devDependencies": { "@react-router/dev": "^7" } }`,
        "remix.config.js": `export default { appDirectory: "web" };`,
        "web/root.ts": `export default function App() { return null; }`,
        "web/routes/items.ts": `export async function loader() { await fetch("https://a.example.com/1"); await fetch("https://a.example.com/2"); await fetch("https://a.example.com/3"); return null; }`,
      },
      { main: "web/root.ts" },
    );
    assert.deepEqual(fetchRoutes(a), [["GET /items", 3]]);
    assert.match(a.notes?.[0] ?? "", /root route module, not a Worker entry/);
  });

  it("a root.tsx in a project without React Router or Remix is not read as one", () => {
    const a = analyse(
      { "package.json": `{ "dependencies": { "react": "^18" } }`, "app/root.tsx": `export default function App() { return null; }` },
      { main: "app/root.tsx" },
    );
    assert.equal(a.entryProblem, null);
    assert.deepEqual(a.handlers, []);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
  });
});

describe("main exporting no Worker handler in a framework's project", () => {
  const nextApp = {
    "package.json": `{ "dependencies": { "next": "^15", "@opennextjs/cloudflare": "^1" } }`,
    "lib/db.ts": `export async function rows() { return (await fetch("https://db.example.com/rows")).json(); }`,
    "app/api/rows/route.ts": `import { rows } from "../../../lib/db";\nexport async function GET() { return Response.json(await rows()); }`,
  };

  it("is UNKNOWN naming the framework and a route module, not NO_FETCH_HANDLER", () => {
    const a = analyse(nextApp, { main: "lib/db.ts" });
    assert.deepEqual(a.entryProblem, {
      message: `main "lib/db.ts" exports no Worker handler (no fetch, scheduled or queue handler, no Durable Object), yet the project is a Next.js app with route modules (app/api/rows/route.ts): requests are likely served by the Next.js build, which this main does not name, so which code runs cannot be told.`,
      kind: "framework-output",
    });
    assert.equal(statusOf(a), "UNKNOWN");
    // The config alone still decides a targeted Worker.
    assert.equal(statusOf(a, [], true), "TARGETED");
  });

  it("a Remix server entry module (not a route) names React Router / Remix", () => {
    const a = analyse(
      {
        ...remixApp,
        "app/entry.server.tsx": `export default function handleRequest(request: Request, status: number, headers: Headers, context: unknown) { return new Response(null, { status, headers }); }`,
      },
      { main: "app/entry.server.tsx" },
    );
    assert.match(
      a.entryProblem?.message ?? "",
      /^main "app\/entry\.server\.tsx" exports no Worker handler .* a React Router \/ Remix app with route modules \(app\/root\.tsx, \.\.\.\)/,
    );
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a main with a scheduled handler only is taken at its word", () => {
    const a = analyse(
      { ...nextApp, "cron/index.ts": `export default { async scheduled() { await fetch("https://db.example.com/refresh"); } };` },
      { main: "cron/index.ts" },
    );
    assert.equal(a.entryProblem, null);
    assert.deepEqual(
      a.handlers.map((h) => h.kind),
      ["scheduled"],
    );
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
  });

  it("a framework with no route modules leaves NO_FETCH_HANDLER", () => {
    const a = analyse(
      { "package.json": `{ "devDependencies": { "@sveltejs/kit": "^2" } }`, "src/lib/util.ts": `export const x = 1;` },
      { main: "src/lib/util.ts" },
    );
    assert.equal(a.entryProblem, null);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
  });
});
