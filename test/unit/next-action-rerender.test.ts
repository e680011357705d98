import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

/**
 * A Next.js server action that revalidates (revalidatePath, revalidateTag) or sets a cookie is
 * answered with the page it was posted from rendered again, in the same response: the action's
 * round trips, then that page's.
 */

const NEXT = `{ "name": "shop", "dependencies": { "next": "15.3.0", "@opennextjs/cloudflare": "1.3.0" } }`;
const FORM = `"use client";\nimport { addItem } from "../actions/items";\nexport function AddItem() {\n  return <form action={addItem}><button>Add</button></form>;\n}`;
const PAGE = `import { AddItem } from "../../components/AddItem";\nexport const dynamic = "force-dynamic";\nexport default async function ItemsPage() {\n  const items = await fetch("https://api.example-shop.com/items");\n  return <main>{await items.text()}<AddItem /></main>;\n}`;
const action = (after: string, head = "") =>
  `"use server";\n${head}\nexport async function addItem(formData: FormData) {\n  await fetch("https://api.example-shop.com/items", { method: "POST", body: formData });\n  ${after}\n}`;

const nextApp = (actions: string, more: Record<string, string> = {}): WorkerAnalysis =>
  analyse(
    { "package.json": NEXT, "actions/items.ts": actions, "components/AddItem.tsx": FORM, "app/items/page.tsx": PAGE, ...more },
    { main: ".open-next/worker.js" },
  );

const routes = (a: WorkerAnalysis): Record<string, number | undefined> =>
  Object.fromEntries(a.handlers.filter((h) => h.route).map((h) => [h.route!, h.roundTrips]));

describe("Next.js server actions that make Next render the page again", () => {
  it("revalidateTag: the action's round trip, then the render of the page whose tree imports it", () => {
    const a = nextApp(action(`revalidateTag("items");`, `import { revalidateTag } from "next/cache";`));
    assert.equal(a.roundTrips, 2);
    assert.equal(statusOf(a), "SUCCESS");
    assert.equal(routes(a)["POST server action addItem (actions/items.ts), then GET /items"], 2);
    assert.equal(routes(a)["POST server action addItem (actions/items.ts)"], undefined);
  });

  it("revalidatePath called through an alias of the import: the same", () => {
    const a = nextApp(action(`refreshPath("/items");`, `import { revalidatePath as refreshPath } from "next/cache";`));
    assert.equal(a.roundTrips, 2);
  });

  it("(await cookies()).set(...): the page is rendered again too", () => {
    const a = nextApp(action(`(await cookies()).set("seen", "1");`, `import { cookies } from "next/headers";`));
    assert.equal(a.roundTrips, 2);
  });

  it("an action that neither revalidates nor sets a cookie stays alone: one round trip", () => {
    const a = nextApp(action(`return;`));
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
    assert.equal(routes(a)["POST server action addItem (actions/items.ts)"], 1);
  });

  it("a revalidatePath of a name not imported from next/cache is not read as one", () => {
    const a = nextApp(action(`revalidatePath("/items");`, `const revalidatePath = (path: string) => path;`));
    assert.equal(a.roundTrips, 1);
  });

  it("the worst of the pages that import the action counts", () => {
    const other = `import { AddItem } from "../../components/AddItem";\nexport const dynamic = "force-dynamic";\nexport default async function Cart() {\n  const cart = await fetch("https://api.example-shop.com/cart");\n  const prices = await fetch("https://api.example-shop.com/prices");\n  return <main>{await cart.text()}{await prices.text()}<AddItem /></main>;\n}`;
    const a = nextApp(action(`revalidateTag("items");`, `import { revalidateTag } from "next/cache";`), { "app/cart/page.tsx": other });
    assert.equal(a.roundTrips, 3);
    assert.equal(routes(a)["POST server action addItem (actions/items.ts), then GET /cart"], 3);
    assert.equal(routes(a)["POST server action addItem (actions/items.ts), then GET /items"], 2);
  });

  it("no page's tree imports it: the page a literal revalidatePath names is taken for the caller", () => {
    const a = analyse(
      {
        "package.json": NEXT,
        "actions/items.ts": action(`revalidatePath("/items/");`, `import { revalidatePath } from "next/cache";`),
        "app/api/add/route.ts": `import { addItem } from "../../../actions/items";\nexport async function POST(request: Request) {\n  await addItem(await request.formData());\n  return new Response("ok");\n}`,
        "app/items/page.tsx": PAGE.replace(`import { AddItem } from "../../components/AddItem";\n`, "").replace("<AddItem />", ""),
      },
      { main: ".open-next/worker.js" },
    );
    assert.equal(routes(a)["POST server action addItem (actions/items.ts), then GET /items"], 2);
  });
});
