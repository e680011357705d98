import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { astroSource } from "../../server/src/core/worker/module";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

/** Framework and project shapes: next-on-pages beside functions/, Next server components, Astro pages and actions, workspace packages by version. */

const routes = (a: WorkerAnalysis): Array<[string | undefined, number | undefined]> =>
  a.handlers.filter((h) => h.kind === "fetch").map((h) => [h.route, h.roundTrips]);
const call = (host: string): string => `await fetch("https://${host}/x");`;
const NEXT = JSON.stringify({ name: "app", dependencies: { next: "^15.0.0" } });
const ASTRO = JSON.stringify({ name: "site", dependencies: { astro: "^5.0.0" } });

describe("next-on-pages with a functions/ folder", () => {
  const files = {
    "package.json": JSON.stringify({
      name: "app",
      dependencies: { next: "^14.0.0" },
      devDependencies: { "@cloudflare/next-on-pages": "^1" },
    }),
    "functions/_middleware.ts": `export const onRequest = async (ctx: { next: () => Promise<Response> }) => ctx.next();`,
    "app/api/items/route.ts": `export async function GET() { ${call("api.example.com")} ${call("api.example.com")} return new Response("ok"); }`,
  };

  it("the Next app's routes are the request paths, not the trivial middleware (Pages ignores functions/ beside a _worker.js)", () => {
    const a = analyse(files, { main: null, pages: ".vercel/output/static" });
    assert.deepEqual(routes(a), [["GET /api/items", 2]]);
    assert.equal(statusOf(a), "SUCCESS");
    assert.match(a.notes?.join("\n") ?? "", /next-on-pages output: its _worker\.js replaces functions\//);
  });

  it("any output folder, when the package depends on @cloudflare/next-on-pages", () => {
    const a = analyse(files, { main: null, pages: "out" });
    assert.deepEqual(routes(a), [["GET /api/items", 2]]);
  });

  it("a Pages project that is not Next keeps its functions/", () => {
    const a = analyse(
      { "functions/api/x.ts": `export async function onRequestGet() { ${call("api.example.com")} return new Response(""); }` },
      { main: null, pages: ".vercel/output/static" },
    );
    assert.deepEqual(routes(a), [["GET /api/x", 1]]);
  });

  it("a Next app of static pages still answers every request (the app's, not the middleware's); an unreadable route is UNKNOWN", () => {
    const pages = analyse(
      { ...files, "app/api/items/route.ts": "", "app/page.tsx": `export default function Home() { return null; }` },
      { main: null, pages: ".vercel/output/static" },
    );
    assert.deepEqual(
      pages.handlers.map((h) => [h.form, h.route]),
      [["Next.js pages", "GET /*"]],
    );
    assert.equal(statusOf(pages), "NO_VALID_HOSTS");
    const hidden = analyse(
      {
        ...files,
        "app/api/items/route.ts": `import { GET as handler } from "@/server/items";
export const GET = handler;`,
      },
      { main: null, pages: ".vercel/output/static" },
    );
    assert.equal(statusOf(hidden), "UNKNOWN");
    assert.ok(!hidden.handlers.some((h) => h.form === "Pages middleware"));
  });
});

describe("Next.js app-router server components", () => {
  const base = { "package.json": NEXT };

  it("a dynamic page, its generateMetadata and its layouts render concurrently: the longest of them, awaits inside one in order", () => {
    const a = analyse(
      {
        ...base,
        "app/layout.tsx": `export default async function Root({ children }: { children: unknown }) { ${call("a.example.com")} return children; }`,
        "app/shop/layout.tsx": `export default async function Shop({ children }: { children: unknown }) { ${call("b.example.com")} ${call("b.example.com")} return children; }`,
        "app/shop/[id]/page.tsx": `export async function generateMetadata() { ${call("c.example.com")} return {}; }
export default async function Page() { ${call("d.example.com")} ${call("d.example.com")} ${call("d.example.com")} return null; }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /shop/:id", 3]]);
    assert.equal(a.roundTrips, 3);
  });

  it("the longest may be a layout's", () => {
    const a = analyse(
      {
        ...base,
        "app/layout.tsx": `export default async function Root() { ${call("a.example.com")} ${call("a.example.com")} return null; }`,
        "app/page.tsx": `export const dynamic = "force-dynamic";\nexport default async function Page() { ${call("d.example.com")} return null; }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 2]]);
  });

  it("static pages (no request data, force-static, revalidate N) and client pages are not request paths", () => {
    const page = `export default async function Page() { ${call("d.example.com")} ${call("d.example.com")} return null; }`;
    const a = analyse(
      {
        ...base,
        "app/about/page.tsx": page,
        "app/blog/[slug]/page.tsx": `export const dynamic = "force-static";\n${page}`,
        "app/news/page.tsx": `import { cookies } from "next/headers";\nexport const revalidate = 60;\n${page}`,
        "app/cart/page.tsx": `"use client";\n${page}`,
        "app/api/ping/route.ts": `export async function GET() { ${call("api.example.com")} return new Response(""); }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /api/ping", 1]]);
  });

  it("a static page's calls are listed off the path, not taken for code no handler reaches", () => {
    const a = analyse(
      {
        ...base,
        "lib/cms.ts": `export async function getPage() { ${call("cms.example.com")} }`,
        "app/about/page.tsx": `import { getPage } from "../../lib/cms";\nexport default async function About() { await getPage(); return null; }`,
        "app/api/ping/route.ts": `export async function GET() { return new Response("pong"); }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /api/ping", 0]]);
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.criticalPath]),
      [["cms.example.com", false]],
    );
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("dynamic by cookies(), searchParams, revalidate = 0, or a dynamic segment without generateStaticParams", () => {
    const body = `${call("d.example.com")} ${call("d.example.com")} return null;`;
    const a = analyse(
      {
        ...base,
        "app/me/page.tsx": `import { cookies } from "next/headers";\nexport default async function Page() { (await cookies()).get("s"); ${body} }`,
        "app/search/page.tsx": `export default async function Page({ searchParams }: { searchParams: Promise<{ q: string }> }) { ${body} }`,
        "app/live/page.tsx": `export const revalidate = 0;\nexport default async function Page() { ${body} }`,
        "app/posts/[id]/page.tsx": `export default async function Page() { ${body} }`,
        "app/tags/[tag]/page.tsx": `export async function generateStaticParams() { return []; }\nexport default async function Page() { ${body} }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(
      routes(a).sort(),
      [
        ["GET /live", 2],
        ["GET /me", 2],
        ["GET /posts/:id", 2],
        ["GET /search", 2],
      ].sort(),
    );
  });

  it("JavaScript: a page in src/app, the layout's data call counted beside it", () => {
    const a = analyse(
      {
        ...base,
        "src/app/layout.jsx": `export default async function Root({ children }) { ${call("a.example.com")} return children; }`,
        "src/app/orders/page.jsx": `import { headers } from "next/headers";\nexport default async function Orders() { await headers(); return null; }`,
      },
      { main: ".open-next/worker.js" },
    );
    assert.deepEqual(routes(a), [["GET /orders", 1]]);
  });
});

describe("Astro pages", () => {
  it("astroSource keeps the frontmatter at its offsets and blanks the fences and the template, line breaks kept", () => {
    const text = "---\nconst a = 1;\n---\n<p>{a}</p>\n<script>fetch('/x')</script>\n";
    const source = astroSource(text);
    assert.equal(source.length, text.length);
    assert.equal(source.indexOf("const a = 1;"), text.indexOf("const a = 1;"));
    assert.equal(source.replace(/[^\n]/g, "").length, text.replace(/[^\n]/g, "").length);
    assert.ok(!source.includes("---") && !source.includes("fetch"));
    assert.equal(astroSource("<p>no frontmatter</p>").trim(), "");
    assert.equal(astroSource("\n---\nawait x();\n"), "\n   \nawait x();\n");
  });

  const config = (output?: string): string =>
    `import { defineConfig } from "astro/config";\nexport default defineConfig({ ${output ? `output: "${output}"` : ""} });`;

  it('output "server": every page\'s frontmatter runs per request, after the middleware; a prerendered page does not', () => {
    const a = analyse(
      {
        "package.json": ASTRO,
        "astro.config.mjs": config("server"),
        "src/middleware.ts": `export const onRequest = async (_c: unknown, next: () => Promise<Response>) => { ${call("auth.example.com")} return next(); };`,
        "src/pages/index.astro": `---\nconst r = await fetch("https://api.example.com/a");\nconst s = await fetch("https://api.example.com/b");\n---\n<p>{r.status}</p>`,
        "src/pages/about.astro": `---\nexport const prerender = true;\nawait fetch("https://api.example.com/1"); await fetch("https://api.example.com/2"); await fetch("https://api.example.com/3");\n---\n`,
      },
      { main: "dist/_worker.js/index.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 3]]);
    const first = a.subrequests.find((s) => s.file.endsWith("index.astro"))!;
    assert.equal(first.span.start, `---\nconst r = await `.length);
  });

  it("a prerendered page's frontmatter is walked off the path: NO_VALID_HOSTS, not UNKNOWN", () => {
    const a = analyse(
      {
        "package.json": ASTRO,
        "astro.config.mjs": config("server"),
        "src/pages/index.astro": `---\nconst t = Date.now();\n---\n<p>{t}</p>`,
        "src/pages/docs.astro": `---\nexport const prerender = true;\nawait fetch("https://cms.example.com/docs");\n---\n`,
      },
      { main: "dist/_worker.js/index.js" },
    );
    assert.deepEqual(routes(a), [["GET /", 0]]);
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("static output: only pages that say prerender = false; a top-level return (Astro.redirect) is read", () => {
    const a = analyse(
      {
        "package.json": ASTRO,
        "astro.config.ts": config(),
        "src/pages/a.astro": `---\nawait fetch("https://api.example.com/1"); await fetch("https://api.example.com/2");\n---\n`,
        "src/pages/b/[id].astro": `---\nexport const prerender = false;\nif (!Astro.params.id) return Astro.redirect("/");\n${call("api.example.com")}\n---\n`,
      },
      { main: "dist/_worker.js/index.js" },
    );
    assert.deepEqual(routes(a), [["GET /b/:id", 1]]);
  });

  it("Astro.callAction(actions.x) and actions.ns.y(), from src/actions, run the action's handler; each action is POST /_actions/name", () => {
    const a = analyse(
      {
        "package.json": ASTRO,
        "astro.config.mjs": config("server"),
        "src/actions/index.ts": `import { defineAction } from "astro:actions";
import { list } from "./list";
export const server = {
  list,
  admin: { purge: defineAction({ handler: async () => { ${call("db.example.com")} ${call("db.example.com")} } }) },
};`,
        "src/actions/list.ts": `import { defineAction } from "astro:actions";\nexport const list = defineAction({ async handler() { ${call("db.example.com")} return []; } });`,
        "src/pages/index.astro": `---\nimport { actions } from "astro:actions";\nconst items = await Astro.callAction(actions.list, {});\nawait actions.admin.purge({});\n---\n`,
      },
      { main: "dist/_worker.js/index.js" },
    );
    assert.deepEqual(routes(a), [
      ["GET /", 3],
      ["POST /_actions/list", 1],
      ["POST /_actions/admin.purge", 2],
    ]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a form posting an action to its page runs the action's handler, then the page: Astro 5 action= and Astro 4 getActionProps, in the page and in components", () => {
    const a = analyse(
      {
        "package.json": ASTRO,
        "astro.config.mjs": config("server"),
        "src/actions/index.ts": `import { defineAction } from "astro:actions";
export const server = {
  clear: defineAction({ handler: async () => { ${call("db.example.com")} } }),
  todo: { add: defineAction({ handler: async () => { ${call("db.example.com")} ${call("db.example.com")} } }) },
};`,
        "src/components/Add.tsx": `import { actions, getActionProps } from "astro:actions";
export default function Add() { return <form method="POST"><input {...getActionProps(actions.todo.add)} /></form>; }`,
        "src/components/Clear.astro": `---\nimport { actions } from "astro:actions";\n---\n<form method="POST" action={actions.clear}><button>Clear</button></form>\n`,
        "src/pages/index.astro": `---\nimport Add from "../components/Add";\nimport Clear from "../components/Clear.astro";\n${call("api.example.com")}\n---\n<style>form { margin: 0 }</style>\n<Add /><Clear />\n`,
        "src/pages/about.astro": `---\nimport { actions } from "astro:actions";\n---\n<form method="POST" action={actions.clear}></form>\n<a action={actions.todo.add}></a>\n`,
      },
      { main: "dist/_worker.js/index.js" },
    );
    assert.deepEqual(routes(a), [
      ["GET /about", 0],
      ["POST /about?_action=clear", 1],
      ["GET /", 1],
      ["POST /?_action=todo.add", 3],
      ["POST /?_action=clear", 2],
      ["POST /_actions/clear", 1],
      ["POST /_actions/todo.add", 2],
    ]);
    assert.deepEqual(a.unknowns, []);
  });

  it("a form whose action is not in src/actions makes its POST unknown", () => {
    const a = analyse(
      {
        "package.json": ASTRO,
        "astro.config.mjs": config("server"),
        "src/actions/index.ts": `export const server = {};`,
        "src/pages/index.astro": `---\nimport { actions } from "astro:actions";\n---\n<form method="POST" action={actions.gone}></form>\n`,
      },
      { main: "dist/_worker.js/index.js" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join("\n"), /the action gone was not found/);
  });

  it("an action that cannot be found is unknown, never nothing", () => {
    const a = analyse(
      {
        "package.json": ASTRO,
        "astro.config.mjs": config("server"),
        "src/actions/index.js": `export const server = {};`,
        "src/pages/index.astro": `---\nimport { actions } from "astro:actions";\nawait Astro.callAction(actions.missing, {});\n---\n`,
      },
      { main: "dist/_worker.js/index.js" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join("\n"), /the action missing was not found/);
  });
});

describe("workspace packages taken by version", () => {
  const root = (deps: Record<string, string>): string =>
    JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"], dependencies: deps });

  it('"*" and "^1.0.0" resolve to the package\'s src/ when main and exports point at unbuilt dist/ (subpaths too)', () => {
    const a = analyse({
      "package.json": root({ "@acme/api": "^1.0.0" }),
      "packages/api/package.json": JSON.stringify({
        name: "@acme/api",
        version: "1.0.0",
        main: "./dist/index.js",
        exports: { ".": { types: "./dist/index.d.ts", import: "./dist/index.js" }, "./users": "./dist/users/index.js" },
      }),
      "packages/api/src/index.ts": `export async function ping() { ${call("api.example.com")} }`,
      "packages/api/src/users/index.ts": `export async function user() { ${call("api.example.com")} }`,
      "src/index.ts": `import { ping } from "@acme/api";\nimport { user } from "@acme/api/users";\nexport default { async fetch() { await ping(); await user(); return new Response(""); } };`,
    });
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("JavaScript: a workspace package whose source is absent is UNKNOWN naming it, never 0", () => {
    const a = analyse(
      {
        "package.json": root({ "@acme/mail": "*" }),
        "packages/mail/package.json": JSON.stringify({ name: "@acme/mail", main: "./dist/index.js" }),
        "src/index.js": `import { send } from "@acme/mail";\nexport default { async fetch() { await send(); return new Response(""); } };`,
      },
      { main: "src/index.js" },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join("\n"), /"@acme\/mail", a package of this repository/);
  });

  it("a published package of the same version range, not in the workspace, stays a library", () => {
    const a = analyse({
      "package.json": root({ "left-pad": "*" }),
      "src/index.ts": `import pad from "left-pad";\nexport default { async fetch() { await pad("x"); return new Response(""); } };`,
    });
    assert.ok(!a.unknowns.some((u) => u.includes("a package of this repository")));
  });
});
