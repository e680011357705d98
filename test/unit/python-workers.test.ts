import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { predict } from "../../server/src/core/predict/predict";
import type { WorkerAnalysis } from "../../server/src/core/worker/types";
import { analyse, statusOf } from "./helpers/analyse";

/** A Python Worker whose entry is src/entry.py, with other modules of its own beside it. */
const py = (entry: string, options: Parameters<typeof analyse>[1] = {}, others: Record<string, string> = {}): WorkerAnalysis =>
  analyse(
    { "src/entry.py": entry, ...Object.fromEntries(Object.entries(others).map(([p, t]) => [`src/${p}`, t])) },
    { main: "src/entry.py", ...options },
  );

const onPath = (a: WorkerAnalysis): string[] =>
  a.subrequests.filter((s) => s.criticalPath).map((s) => `${s.kind} ${s.target ?? "?"} ${s.category}`);

const entrypoint = (body: string, head = ""): string =>
  `from workers import WorkerEntrypoint, Response, fetch\n${head}\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n${body
    .split("\n")
    .map((l) => `        ${l}`)
    .join("\n")}\n        return Response("ok")\n`;

describe("Python Workers: handlers", () => {
  it("class Default(WorkerEntrypoint) with fetch is the fetch handler; sequential fetches are round trips", () => {
    const a = py(entrypoint(`await fetch("https://api.example.com/a")\nawait fetch("https://api.example.com/b")`));
    assert.equal(a.entryProblem, null);
    assert.deepEqual(
      a.handlers.map((h) => [h.kind, h.form, h.roundTrips]),
      [["fetch", "Python WorkerEntrypoint class Default, fetch method", 2]],
    );
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 2 }]);
    assert.equal(statusOf(a), "SUCCESS");
    assert.deepEqual(a.subrequests[0]!.span, {
      start: a.subrequests[0]!.span.start,
      end: a.subrequests[0]!.span.start + 'fetch("https://api.example.com/a")'.length,
    });
  });

  it("a Default class whose method is named on_fetch: that method is the fetch handler", () => {
    const a = py(
      `from workers import WorkerEntrypoint, Response\nclass Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        await self.env.DB.prepare("INSERT INTO t VALUES (?)").bind(1).run()\n        return Response("ok")\n`,
      { bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.kind, h.form, h.roundTrips]),
      [["fetch", "Python WorkerEntrypoint class Default, on_fetch method", 1]],
    );
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("the older on_fetch(request, env) is the fetch handler", () => {
    const a = py(`from js import fetch\nasync def on_fetch(request, env):\n    return await fetch("https://api.example.com")\n`);
    assert.deepEqual(
      a.handlers.map((h) => [h.kind, h.form]),
      [["fetch", "Python on_fetch function"]],
    );
    assert.equal(a.roundTrips, 1);
    assert.equal(statusOf(a), "INSUFFICIENT_SUBREQUESTS");
  });

  it("no fetch handler: the same status the TypeScript analysis gives (NO_FETCH_HANDLER)", () => {
    const a = py(`async def on_scheduled(event, env, ctx):\n    pass\n`);
    assert.deepEqual(
      a.handlers.map((h) => h.kind),
      ["scheduled"],
    );
    assert.equal(a.roundTrips, null);
    assert.equal(statusOf(a), "NO_FETCH_HANDLER");
  });

  it("a Default class with a base of its own (which may define fetch) is UNKNOWN, not 'no fetch handler'", () => {
    const a = py(`from workers import WorkerEntrypoint\nfrom base import Base\nclass Default(Base, WorkerEntrypoint):\n    pass\n`);
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns[0]!, /extends Base, WorkerEntrypoint/);
  });

  it("a main .py that does not exist is a missing entry", () => {
    const a = analyse({ "src/other.py": "" }, { main: "src/entry.py" });
    assert.equal(a.entryProblem?.message, 'main "src/entry.py" is a Python Worker, and src/entry.py was not found.');
  });
});

describe("Python Workers: bindings and hosts", () => {
  it("D1 prepare().bind().first() / all() are round trips to the database; prepare and bind alone are none", () => {
    const a = py(
      entrypoint(
        `stmt = self.env.DB.prepare("SELECT * FROM t WHERE id = ?")\nrow = await stmt.bind(1).first()\nrows = await self.env.DB.prepare("SELECT 1").all()`,
      ),
      { bindings: { d1: ["DB"] } },
    );
    assert.deepEqual(onPath(a), ["d1 DB backend", "d1 DB backend"]);
    assert.equal(a.roundTrips, 2);
    const pinned = py(entrypoint(`await self.env.DB.prepare("SELECT 1").run()`), { bindings: { d1: ["DB"] }, platformRules: "2024" });
    assert.deepEqual(onPath(pinned), ["d1 DB binding"]);
  });

  it("KV, R2, Queues, Workers AI and service bindings are Cloudflare's, not back ends", () => {
    const a = py(
      entrypoint(
        `await self.env.KV.get("k")\nawait self.env.BUCKET.put("k", "v")\nawait self.env.Q.send({})\nawait self.env.AI.run("@cf/model", {})\nawait self.env.SVC.fetch(request)`,
      ),
      { bindings: { kv: ["KV"], r2: ["BUCKET"], queues: ["Q"], ai: ["AI"], services: ["SVC"] } },
    );
    assert.deepEqual(onPath(a), ["kv KV binding", "r2 BUCKET binding", "queue Q binding", "ai AI binding", "service SVC binding"]);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });

  it("hosts from literals, f-strings with a literal host, module constants, [vars] and concatenation", () => {
    const a = py(
      entrypoint(
        `await fetch(f"https://{HOST}/x")\nawait fetch(f"{self.env.API}/users/{request.url}")\nawait fetch(BASE + "/y")\nawait fetch("https://www.google-analytics.com/collect")`,
        `HOST = "one.example.com"\nBASE = "https://two.example.com"`,
      ),
      { vars: { API: "https://three.example.com/v1" } },
    );
    assert.deepEqual(
      onPath(a),
      [
        "fetch one.example.com backend",
        "fetch three.example.com backend",
        "fetch two.example.com backend",
        "fetch google-analytics.com analytics",
      ].map((s) => s.replace("google-analytics.com", "www.google-analytics.com")),
    );
    assert.equal(a.roundTrips, 3);
  });

  it("a host that cannot be resolved is an assumed back end (likely) and UNKNOWN under strict", () => {
    const source = `from js import fetch\nasync def on_fetch(request, env):\n    return await fetch(env.SECRET_URL)\n`;
    const likely = py(source);
    assert.equal(likely.roundTrips, 1);
    assert.match(likely.subrequests[0]!.assumed ?? "", /env\.SECRET_URL could not be resolved/);
    const strict = py(source, { assume: "strict" });
    assert.equal(strict.roundTrips, 0);
    assert.equal(predict(strict, { targeted: false, d1Bindings: [], assume: "strict" }).status, "UNKNOWN");
  });

  it("httpx.AsyncClient with a base_url, aiohttp's session.get in async with", () => {
    const a = py(
      `import httpx, aiohttp\nasync def on_fetch(request, env):\n    async with httpx.AsyncClient(base_url="https://api.example.com") as client:\n        await client.get("/a")\n    async with aiohttp.ClientSession() as session:\n        async with session.get("https://db.example.net/b") as resp:\n            return await resp.json()\n`,
    );
    assert.deepEqual(onPath(a), ["fetch api.example.com backend", "fetch db.example.net backend"]);
    assert.equal(a.roundTrips, 2);
  });

  it("blocking clients (requests, httpx.Client) are round trips where they are written", () => {
    const a = py(
      `import requests, httpx\ndef load():\n    return requests.get("https://a.example.com").json()\nasync def on_fetch(request, env):\n    x = load()\n    with httpx.Client() as c:\n        y = c.get("https://b.example.com")\n    return x\n`,
    );
    assert.deepEqual(onPath(a), ["fetch a.example.com backend", "fetch b.example.com backend"]);
    assert.equal(a.roundTrips, 2);
  });
});

describe("Python Workers: paths", () => {
  it("branches take the worst; a loop of unknown length counts twice; a literal list once per element", () => {
    const a = py(
      entrypoint(
        `if request.method == "POST":\n    await fetch("https://a.example.com")\n    await fetch("https://a.example.com")\nelse:\n    await fetch("https://a.example.com")\nfor x in request.items:\n    await fetch("https://b.example.com")\nfor u in ["1", "2", "3"]:\n    await fetch("https://c.example.com")`,
      ),
    );
    assert.equal(a.roundTrips, 2 + 2 + 3);
    assert.deepEqual(a.backends, [
      { host: "c.example.com", roundTrips: 3 },
      { host: "a.example.com", roundTrips: 2 },
      { host: "b.example.com", roundTrips: 2 },
    ]);
  });

  it("asyncio.gather is parallel: one round trip for its calls", () => {
    const a = py(
      `import asyncio\nfrom workers import fetch\nasync def on_fetch(request, env):\n    await asyncio.gather(fetch("https://a.example.com"), fetch("https://b.example.com"), *[fetch(u) for u in URLS])\n    await fetch("https://c.example.com")\n`,
    );
    assert.equal(a.roundTrips, 2);
  });

  it("methods of the same class and functions of the Worker's own modules are followed with their arguments", () => {
    const b = py(
      `from workers import WorkerEntrypoint, fetch\nfrom .store import save\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        await self.load("https://a.example.com/x")\n        await save(self.env)\n    async def load(self, url):\n        return await fetch(url)\n`,
      { vars: { SINK: "https://sink.example.org" } },
      { "store.py": `from js import fetch\nasync def save(env):\n    await fetch(env.SINK + "/s")\n` },
    );
    assert.deepEqual(onPath(b), ["fetch a.example.com backend", "fetch sink.example.org backend"]);
    assert.equal(b.files.length, 2);
    assert.deepEqual(b.unknowns, []);
  });

  it("ctx.waitUntil is off the response path", () => {
    const a = py(
      `from workers import fetch\nasync def on_fetch(request, env, ctx):\n    ctx.waitUntil(fetch("https://log.example.com"))\n`,
    );
    assert.equal(a.roundTrips, 0);
    assert.deepEqual(
      a.subrequests.map((s) => [s.target, s.waitUntil, s.criticalPath]),
      [["log.example.com", true, false]],
    );
  });
});

describe("Python Workers: what is not read is UNKNOWN, never 0", () => {
  const unknownOf = (a: WorkerAnalysis): string => {
    assert.equal(statusOf(a), "UNKNOWN");
    return a.unknowns.join(" | ");
  };

  it("an awaited call into a package the analysis does not read (an ASGI app)", () => {
    const a = py(`import asgi\nfrom app import app\nasync def on_fetch(request, env):\n    return await asgi.fetch(app, request, env)\n`);
    assert.match(
      unknownOf(a),
      /src\/entry\.py:4: `await asgi\.fetch\(app, request, env\)`: asgi\.fetch is in a package the analysis does not read/,
    );
  });

  it("dynamic dispatch: getattr", () => {
    const a = py(entrypoint(`h = getattr(routes, "x")\nawait h(request)`, `import routes`));
    assert.match(unknownOf(a), /h is `getattr\(routes, "x"\)`, a function chosen at run time \(dynamic dispatch\)/);
  });

  it("a blocking call on a network package's client (openai)", () => {
    const a = py(
      `import openai\nclient = openai.OpenAI()\nasync def on_fetch(request, env):\n    return client.chat.completions.create(model="x")\n`,
    );
    assert.match(unknownOf(a), /openai/);
  });

  it("a parse error", () => {
    const a = py(`from workers import fetch\nasync def on_fetch(request, env):\n    x = (\n`);
    assert.match(unknownOf(a), /src\/entry\.py:\d+ does not parse as Python/);
  });

  it("recursion", () => {
    const a = py(`async def on_fetch(request, env):\n    return await walk(request)\nasync def walk(x):\n    return await walk(x)\n`);
    assert.match(unknownOf(a), /a recursive call to walk/);
  });

  it("a subrequest started and never awaited", () => {
    const a = py(`from workers import fetch\nasync def on_fetch(request, env):\n    fetch("https://a.example.com")\n`);
    assert.match(unknownOf(a), /is started without being awaited/);
  });

  it("back-end calls in functions no handler reaches, when the path has none", () => {
    const a = py(
      `from workers import fetch, Response\nasync def on_fetch(request, env):\n    return Response("x")\nasync def unused():\n    await fetch("https://a.example.com")\n`,
    );
    assert.match(unknownOf(a), /Python code no handler was seen to reach \(src\/entry\.py:5\)/);
  });

  it("a Durable Object's own calls are not lost wiring", () => {
    const a = py(
      `from workers import WorkerEntrypoint, DurableObject, fetch\nclass Room(DurableObject):\n    async def fetch(self, request):\n        await fetch("https://db.example.com")\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        stub = self.env.ROOMS.get(self.env.ROOMS.idFromName("a"))\n        return await stub.fetch(request)\n`,
      { bindings: { durableObjects: ["ROOMS"] } },
    );
    assert.deepEqual(onPath(a), ["durable-object ROOMS binding"]);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
});

describe("Python Workers: retries and tasks", () => {
  it("a retry loop (return inside try, the except goes round) counts one attempt", () => {
    const a = py(
      `import asyncio\nfrom workers import fetch\nasync def on_fetch(request, env):\n    for attempt in range(3):\n        try:\n            return await fetch("https://api.example.com")\n        except Exception:\n            await asyncio.sleep(1)\n`,
    );
    assert.equal(a.roundTrips, 1);
  });

  it("asyncio.create_task of a coroutine that is never awaited is UNKNOWN", () => {
    const a = py(
      `import asyncio\nfrom workers import fetch\nasync def on_fetch(request, env):\n    asyncio.create_task(work())\nasync def work():\n    await fetch("https://api.example.com")\n`,
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(a.unknowns.join(" | "), /starts a task that is not awaited/);
  });
});

describe("Python Workers: packages given the Worker's own things", () => {
  it("a binding handed to a package in __init__ (an ORM engine over D1) is UNKNOWN naming the call", () => {
    const a = py(
      `from workers import WorkerEntrypoint, Response\nfrom sqlalchemy_d1 import create_engine_from_binding\nclass Default(WorkerEntrypoint):\n    def __init__(self, ctx, env):\n        super().__init__(ctx, env)\n        self.engine = create_engine_from_binding(self.env.DB)\n    async def fetch(self, request):\n        return Response("ok")\n`,
      { bindings: { d1: ["DB"] } },
    );
    assert.equal(statusOf(a), "UNKNOWN");
    assert.match(
      a.unknowns.join(" | "),
      /src\/entry\.py:6: `create_engine_from_binding\(self\.env\.DB\)` hands the DB binding to sqlalchemy_d1\.create_engine_from_binding/,
    );
  });

  it("plain data handed to a package is no unknown", () => {
    const a = py(
      `from workers import Response\nfrom markdown import markdown\nasync def on_fetch(request, env):\n    return Response(markdown(env.GREETING))\n`,
      { vars: { GREETING: "hi" } },
    );
    assert.deepEqual(a.unknowns, []);
    assert.equal(statusOf(a), "NO_VALID_HOSTS");
  });
});

describe("Python Workers: async generators", () => {
  it("async for over an async generator of the Worker's runs its awaits", () => {
    const a = py(
      `from workers import fetch\nasync def pages():\n    for n in range(2):\n        yield await fetch(f"https://api.example.com/page/{n}")\nasync def on_fetch(request, env):\n    async for page in pages():\n        pass\n`,
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 2 }]);
  });
});

describe("Python Workers: FastAPI apps", () => {
  const app = (routes: string, tail = ""): string =>
    `from fastapi import FastAPI, Request\nfrom workers import WorkerEntrypoint, fetch\nimport asgi\napp = FastAPI()\n${routes}\n${tail || "Default = asgi.entrypoint(app)"}\n`;

  it("Default = asgi.entrypoint(app): the worst route counts, named in the handler", () => {
    const a = py(
      app(
        `@app.get("/a")\nasync def a():\n    await fetch("https://api.example.com/1")\n@app.post("/b")\nasync def b(request: Request):\n    await fetch("https://api.example.com/1")\n    await fetch("https://api.example.com/2")`,
      ),
    );
    assert.deepEqual(
      a.handlers.map((h) => [h.form, h.route, h.roundTrips]),
      [["Python FastAPI app through asgi.entrypoint", "POST /b", 2]],
    );
    assert.equal(statusOf(a), "SUCCESS");
  });

  it("an http middleware runs before every route; its call_next is the route", () => {
    const a = py(
      app(
        `@app.middleware("http")\nasync def log(request, call_next):\n    await fetch("https://audit.example.com")\n    return await call_next(request)\n@app.get("/a")\nasync def a():\n    await fetch("https://api.example.com/1")`,
      ),
    );
    assert.equal(a.roundTrips, 2);
    assert.deepEqual(a.unknowns, []);
  });

  it("a registration the analysis does not read (a mount) is UNKNOWN naming it; an app with no route too", () => {
    const mounted = py(app(`@app.get("/a")\nasync def a():\n    return {}\napp.mount("/static", StaticFiles(directory="static"))`));
    assert.match(
      mounted.unknowns.join(" | "),
      /`app\.mount\("\/static", StaticFiles\(directory="static"\)\)` registers on the FastAPI app/,
    );
    assert.equal(statusOf(mounted), "UNKNOWN");
    const empty = py(app(""));
    assert.match(empty.unknowns.join(" | "), /no route of the FastAPI app `FastAPI\(\)` was found/);
  });

  it("another ASGI entrypoint is UNKNOWN naming it", () => {
    const a = py(`import asgi\nfrom starlette.applications import Starlette\napp = Starlette()\nDefault = asgi.entrypoint(app)\n`);
    assert.match(a.unknowns.join(" | "), /Default entrypoint \(src\/entry\.py\) is `asgi\.entrypoint\(app\)`/);
  });
});

describe("Python Workers: instance attributes", () => {
  const scanner = (init: string, extra = ""): string =>
    `from workers import WorkerEntrypoint, Response, fetch

class Scanner:
    def __init__(self, env, base):
${init
  .split("\n")
  .map((l) => `        ${l}`)
  .join("\n")}

    async def run(self, key):
        cached = await self.kv.get(key)
        first = await fetch(f"{self.base}/items/{key}")
        second = await fetch(self.base + "/owners")
        return cached
${extra}
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        worker = Scanner(self.env, "https://api.example.com")
        await worker.run("k")
        return Response("ok")
`;

  it("attributes assigned in __init__ of a class the handler constructs are read: a binding and a base URL", () => {
    const a = py(scanner(`self.kv = env.CACHE\nself.base = base`), { bindings: { kv: ["CACHE"] } });
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(onPath(a), ["kv CACHE binding", "fetch api.example.com backend", "fetch api.example.com backend"]);
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 2 }]);
    assert.equal(a.roundTrips, 2);
  });

  it("an attribute assigned in two places with different values stays UNKNOWN naming it", () => {
    const a = py(
      scanner(`self.kv = env.CACHE\nself.base = base`, `\n    def rebase(self):\n        self.base = "https://other.example.com"\n`),
      {
        bindings: { kv: ["CACHE"] },
      },
    );
    // An unresolved URL is an assumed back end, named under strict.
    assert.deepEqual(a.backends, []);
    assert.equal(
      a.subrequests.filter((s) => s.kind === "fetch").every((s) => s.assumed !== undefined),
      true,
    );
    const strict = py(
      scanner(`self.kv = env.CACHE\nself.base = base`, `\n    def rebase(self):\n        self.base = "https://other.example.com"\n`),
      { bindings: { kv: ["CACHE"] }, assume: "strict" },
    );
    assert.match(strict.unknowns.join(" | "), /the URL f"{self\.base}\/items\/{key}" cannot be resolved/);
    const receiver = py(
      scanner(`self.kv = env.CACHE\nself.base = base`, `\n    def archive(self, env):\n        self.kv = env.ARCHIVE\n`),
      {
        bindings: { kv: ["CACHE", "ARCHIVE"] },
      },
    );
    assert.deepEqual(receiver.unknowns, [
      "src/entry.py:9: `await self.kv.get(key)`: what `self.kv` holds is not followed (a parameter, an attribute, or a value made at run time), so what its get(...) reaches is not known",
    ]);
    assert.equal(receiver.roundTrips, 2);
  });

  it("an attribute set from outside the class, or in a branch of __init__, stays UNKNOWN", () => {
    const outside = py(
      `from workers import WorkerEntrypoint, Response, fetch\nclass Api:\n    def __init__(self):\n        self.url = "https://a.example.com"\n    async def call(self):\n        return await fetch(self.url)\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        api = Api()\n        api.url = "https://b.example.com"\n        await api.call()\n        return Response("ok")\n`,
      { assume: "strict" },
    );
    assert.match(outside.unknowns.join(" | "), /self\.url/);
    const branched = py(
      `from workers import WorkerEntrypoint, Response, fetch\nclass Api:\n    def __init__(self, env):\n        if env.DEBUG:\n            self.url = "https://a.example.com"\n    async def call(self):\n        return await fetch(self.url)\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        api = Api(self.env)\n        await api.call()\n        return Response("ok")\n`,
      { assume: "strict" },
    );
    assert.match(branched.unknowns.join(" | "), /self\.url/);
    // Bound by a for loop, or with setattr anywhere: not certain either.
    for (const extra of [
      `\n    def each(self, urls):\n        for self.kv in urls:\n            pass\n`,
      `\n    def set(self, v):\n        setattr(self, "other", v)\n`,
    ]) {
      const a = py(scanner(`self.kv = env.CACHE\nself.base = base`, extra), { bindings: { kv: ["CACHE"] } });
      assert.match(a.unknowns.join(" | "), /what `self\.kv` holds is not followed/);
    }
    // A class with a base class is not constructed: its instance stays not known.
    const based = py(scanner(`self.kv = env.CACHE\nself.base = base`).replace("class Scanner:", "class Scanner(Base):"), {
      bindings: { kv: ["CACHE"] },
    });
    assert.match(based.unknowns.join(" | "), /what `worker` holds is not followed/);
  });

  it("the Default class's own __init__ attributes, and an attribute assigned earlier in the method walked", () => {
    const a = py(
      `from workers import WorkerEntrypoint, Response, fetch\nclass Default(WorkerEntrypoint):\n    def __init__(self, ctx, env):\n        super().__init__(ctx, env)\n        self.kv_cache = env.CACHE\n    async def fetch(self, request):\n        self.api = "https://api.example.com"\n        value = await self.kv_cache.get("k")\n        await fetch(self.api + "/a")\n        return Response(value)\n`,
      { bindings: { kv: ["CACHE"] }, assume: "strict" },
    );
    assert.deepEqual(a.unknowns, []);
    assert.deepEqual(onPath(a), ["kv CACHE binding", "fetch api.example.com backend"]);
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 1 }]);
    // Read before it is assigned in the method: not known.
    const early = py(
      `from workers import WorkerEntrypoint, Response, fetch\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        await fetch(self.api + "/a")\n        self.api = "https://api.example.com"\n        return Response("x")\n`,
      { assume: "strict" },
    );
    assert.deepEqual(early.backends, []);
    assert.match(early.unknowns.join(" | "), /the URL self\.api \+ "\/a" cannot be resolved/);
  });

  it("a constructed class's __init__ runs where it is constructed, and its own self.env is only what it assigned", () => {
    const a = py(
      `from workers import WorkerEntrypoint, Response\nimport requests\nclass Loader:\n    def __init__(self, url):\n        self.data = requests.get(url)\n    async def go(self):\n        return await self.env.CACHE.get("k")\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        loader = Loader("https://api.example.com/x")\n        await loader.go()\n        return Response("ok")\n`,
      { bindings: { kv: ["CACHE"] } },
    );
    assert.deepEqual(a.backends, [{ host: "api.example.com", roundTrips: 1 }]);
    assert.match(a.unknowns.join(" | "), /`self\.env\.CACHE`/);
  });
});
