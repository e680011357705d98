import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * Calls in modules the server never runs for a request, read from the import graph: only type
 * imports lead to them (erased), or, in a Next.js app, only client components ("use client") do and
 * the call is outside a component's or hook's body. Data hooks' fetchers are browser code.
 */

const NEXT = `{ "name": "notes", "dependencies": { "next": "15.3.0", "@opennextjs/cloudflare": "1.3.0", "swr": "2.3.0" } }`;
const LAYOUT = `import { Shell } from "../components/shell";\nexport default function RootLayout({ children }: { children: React.ReactNode }) {\n  return <html><body><Shell />{children}</body></html>;\n}`;
const RPC = `export async function listNotes() {\n  const response = await fetch("https://api.example-notes.com/notes");\n  return response.json();\n}`;

const BUILD_OUTPUT = `main ".open-next/worker.js" is Next.js build output: the request paths are read from the Next.js app's own routes`;

const LOST = (where: string): string =>
  `no round trip to a back end was seen on the fetch path, yet a call to back ends is in code no handler was seen to reach (${where}): how it is called could not be followed`;

/** A Next.js app (OpenNext) whose root layout renders the client component `shell`. */
const nextApp = (shell: string, more: Record<string, string> = {}) =>
  analyse(
    { "package.json": NEXT, "app/layout.tsx": LAYOUT, "components/shell.tsx": shell, "lib/rpc.ts": RPC, ...more },
    { main: ".open-next/worker.js" },
  );

describe("modules only client components lead to (Next.js)", () => {
  it("a module-level helper a client component's useQuery queryFn calls: not counted, said why", () => {
    const a = nextApp(
      `"use client";\nimport { useQuery } from "@tanstack/react-query";\nimport { listNotes } from "../lib/rpc";\nexport function Shell() {\n  const notes = useQuery({ queryKey: ["notes"], queryFn: listNotes });\n  return <ul>{notes.data?.length}</ul>;\n}`,
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
    assert.deepEqual(a.notes, [
      BUILD_OUTPUT,
      'not counted: a call to back ends where no request of the Worker runs it (rpc.ts:2: only client components ("use client") lead to its module)',
    ]);
  });

  it("a fetch in a client component's own body runs while it renders on the server: still UNKNOWN", () => {
    const a = nextApp(
      `"use client";\nimport { use } from "react";\nexport function Shell() {\n  const text = use(fetch("https://api.example-notes.com/title").then((r) => r.text()));\n  return <h1>{text}</h1>;\n}`,
    );
    assert.deepEqual(a.unknowns, [LOST("shell.tsx:4")]);
    assert.equal(statusOf(a), "UNKNOWN");
  });

  it("a hook (`useX`) of a module only client components import runs while rendering: still UNKNOWN", () => {
    const a = nextApp(
      `"use client";\nimport { useTitle } from "../lib/title";\nexport function Shell() {\n  return <h1>{useTitle()}</h1>;\n}`,
      {
        "lib/title.ts": `import { use } from "react";\nexport function useTitle() {\n  return use(fetch("https://api.example-notes.com/title").then((r) => r.text()));\n}`,
      },
    );
    assert.deepEqual(a.unknowns, [LOST("title.ts:3")]);
  });

  it("useSWR's fetcher inside the component is browser code; with `suspense` it renders on the server", () => {
    const swr = (options: string) =>
      nextApp(
        `"use client";\nimport useSWR from "swr";\nexport function Shell() {\n  const { data } = useSWR("/notes", (key: string) => fetch("https://api.example-notes.com" + key).then((r) => r.json())${options});\n  return <p>{String(data)}</p>;\n}`,
      );
    const plain = swr("");
    assert.deepEqual(plain.unknowns, []);
    assert.equal(statusOf(plain), "NO_VALID_HOSTS");
    assert.deepEqual(plain.notes, [
      BUILD_OUTPUT,
      "not counted: a call to back ends where no request of the Worker runs it (shell.tsx:4: browser code)",
    ]);
    assert.deepEqual(swr(", { suspense: true }").unknowns, [LOST("shell.tsx:4")]);
  });

  it("a module a server component imports as well is server code: still UNKNOWN", () => {
    const a = nextApp(
      `"use client";\nimport { useQuery } from "@tanstack/react-query";\nimport { listNotes } from "../lib/rpc";\nexport function Shell() {\n  const notes = useQuery({ queryKey: ["notes"], queryFn: listNotes });\n  return <ul>{notes.data?.length}</ul>;\n}`,
      {
        "app/helpers.ts": `import { listNotes } from "../lib/rpc";\nexport const loaders = [listNotes];`,
        "app/page.tsx": `import { loaders } from "./helpers";\nexport default function Page() {\n  return <p>{loaders.length}</p>;\n}`,
      },
    );
    assert.deepEqual(a.unknowns, [LOST("rpc.ts:2")]);
  });

  it('outside Next.js "use client" is only a string: a Hono JSX Worker renders everything on the server, still UNKNOWN', () => {
    const a = analyse(
      {
        "src/index.tsx": `import { renderToString } from "hono/jsx/dom/server";\nimport { Shell } from "./shell";\nexport default { async fetch() { return new Response(renderToString(<Shell />)); } };`,
        "src/shell.tsx": `"use client";\nimport { listNotes } from "./rpc";\nexport function Shell() {\n  return <ul data-load={String(listNotes)} />;\n}`,
        "src/rpc.ts": RPC,
      },
      { main: "src/index.tsx" },
    );
    assert.deepEqual(a.unknowns, [LOST("rpc.ts:2")]);
  });
});

describe("modules only type imports lead to", () => {
  const API = `export interface Note { id: string }\nexport class NotesStore {\n  async list() {\n    return (await fetch("https://db.example-notes.com/notes")).json();\n  }\n}`;

  it("`import type` and `import { type X }` are erased: the module's calls are not counted, said why", () => {
    for (const line of [`import type { Note } from "./api";`, `import { type Note } from "./api";`]) {
      const a = analyse({
        "src/index.ts": `${line}\nexport default { async fetch() { const note: Note = { id: "1" }; return Response.json(note); } };`,
        "src/api.ts": API,
      });
      assert.deepEqual(a.unknowns, [], line);
      assert.equal(statusOf(a), "NO_VALID_HOSTS", line);
      assert.deepEqual(
        a.notes,
        ["not counted: a call to back ends where no request of the Worker runs it (api.ts:4: only type imports lead to its module)"],
        line,
      );
    }
  });

  it("a value import of the same module next to the type import loads its code: still UNKNOWN", () => {
    const a = analyse({
      "src/index.ts": `import type { Note } from "./api";\nimport { NotesStore } from "./api";\nexport const stores = [NotesStore];\nexport default { async fetch() { const note: Note = { id: "1" }; return Response.json(note); } };`,
      "src/api.ts": API,
    });
    assert.deepEqual(a.unknowns, [LOST("api.ts:4")]);
  });

  it("a module of the Worker's own code that could not be read may import it for its code: still UNKNOWN", () => {
    const a = analyse({
      "src/index.ts": `import type { Note } from "./api";\nimport { boot } from "./missing";\nexport default { async fetch() { boot(); const note: Note = { id: "1" }; return Response.json(note); } };`,
      "src/api.ts": API,
    });
    assert.ok(a.unknowns.includes(LOST("api.ts:4")), a.unknowns.join("; "));
  });

  it("an entry another module imports only a type from is still the entry: its calls count", () => {
    const a = analyse({
      "src/index.ts": `import { handle } from "./routes";\nexport interface Env { API: string }\nexport default { async fetch(request: Request) { return handle(request); } };`,
      "src/routes.ts": `import type { Env } from "./index";\nexport async function handle(request: Request) { return fetch("https://api.example-notes.com/x"); }`,
    });
    assert.equal(a.roundTrips, 1);
    assert.deepEqual(a.unknowns, []);
  });
});
