import ts from "typescript";
import { basename, dirname, joinPath, normalizePath, relativePath, type FileSystem } from "../fs";
import {
  detectFramework,
  FRAMEWORK_NAMES,
  FRAMEWORK_OUTPUT_DIRS,
  isVinextEntry,
  nearestManifest,
  type FrameworkProject,
  type PackageManifest,
} from "./handlers/frameworks";
import { astroOutput } from "./handlers/astro";
import { nextStaticExportConfig } from "./handlers/nextConfig";
import { reactRouterModuleKind } from "./handlers/reactRouterConfig";
import { isTanStackServerEntry } from "./handlers/tanstack";
import { isSourceFile, ModuleResolver, resolveFile } from "./resolve";
import { isWebpackBuild, webpackSource, type WebpackSource } from "./webpackEntry";
import { bundlerSource } from "./bundlerEntry";
import { isBareSpecifier } from "./syntax";
import type { EntryProblemKind, WorkerAnalysisInput } from "./types";

/** Folders frameworks and bundlers write their output to: a `main` inside one is built, not written. */
export const BUILD_OUTPUT_DIRS = [
  ".open-next",
  ".svelte-kit",
  ".output",
  ".vercel",
  ".wrangler",
  ".next",
  "dist",
  "build",
  "out",
  ".nuxt",
  ".astro",
  // SvelteKit's older Workers adapter (adapter-cloudflare-workers) writes `.cloudflare/worker.js`.
  ".cloudflare",
  // Mastra's `mastra build` (with CloudflareDeployer) writes `.mastra/output/index.mjs`.
  ".mastra",
];

/** Where a Worker's code starts, and what the project's shape says about it. */
export interface EntryPlan {
  readonly entries: string[];
  readonly problem: string | null;
  readonly problemKind?: EntryProblemKind;
  /** Pages Functions: every `functions/**` file is an entry. */
  readonly pages: boolean;
  /** A framework whose routes are the request paths (its sources, not its build output). */
  readonly framework?: FrameworkProject;
  /** How the entry was found, or why there is no code (said in the prediction's reasons). */
  readonly notes: string[];
  /** A config problem that did not stop the prediction (a missing `main` a deploy script overrides): the config's `worker-entry` diagnostic. */
  readonly warning?: string;
  /** The entry is a Python module (`main = "src/entry.py"`): read by the Python analysis. */
  readonly python?: boolean;
}

const LANGUAGE_NOTE = "this analyser reads JavaScript, TypeScript and Python only, so no prediction can be made from its code";

/**
 * The entry of a Worker as its config and project say: `main` (a source file, a package, or a
 * framework's build output, read from the framework's own sources), Pages (`functions/`,
 * `_worker.js`), Wrangler v1's `[build.upload]` and package.json `main`, the script a package.json
 * `wrangler deploy src/index.ts` names; an assets-only Worker has none; a Python Worker's `main` is
 * its entry (read by the Python analysis); a Rust or Go Worker is said to be one.
 */
export function planEntries(
  input: WorkerAnalysisInput,
  helpers: { resolvePackage: (specifier: string) => string | undefined; listSources: (dir: string) => string[] },
): EntryPlan {
  const { fs, projectRoot: root, main } = input;
  const none = { entries: [], pages: false, notes: [] };
  const manifest = (): PackageManifest | undefined => nearestManifest(fs, root);
  // A framework's own entry (or a custom entry wrapping it) runs the app's routes: they are the request paths.
  const frameworkRoutes = (kind: FrameworkProject["kind"], note: string): EntryPlan => {
    const found = manifest();
    return { ...none, problem: null, framework: { kind, root: found ? dirname(found.file) : root }, notes: [note] };
  };

  const compiled = compiledLanguageWorker(fs, root, main, input.buildCommand ?? null, input.legacy?.type ?? null);
  if (compiled) return { ...none, problem: `${compiled}: ${LANGUAGE_NOTE}.`, problemKind: "language" };
  // A Python Worker is read by the Python analysis (python/analyze.ts).
  if (main && /\.py$/i.test(main)) {
    const path = joinPath(root, main);
    return fs.stat(path) === "file"
      ? { ...none, entries: [path], problem: null, python: true }
      : { ...none, problem: `main "${main}" is a Python Worker, and ${relativePath(root, path)} was not found.` };
  }

  if (main) {
    const elsewhere = frameworkOutputElsewhere(fs, root, main);
    if (elsewhere) return elsewhere;
    const path = joinPath(root, main);
    const firstSegment = normalizePath(main)
      .split("/")
      .find((s) => s !== "." && s !== "");
    const buildOutput = firstSegment !== undefined && BUILD_OUTPUT_DIRS.includes(firstSegment);
    if (buildOutput) {
      const found = fromFramework(root, main, manifest());
      if (found && "plan" in found) return found.plan;
      const built = resolveFile(fs, path);
      if (built) return { ...none, entries: [built], problem: null };
      const pages = pagesFunctionsOutput(fs, root, main, manifest(), helpers.listSources);
      if (pages) return pages;
      const source = compiledSource(fs, root, main);
      if (source)
        return {
          ...none,
          entries: [source],
          problem: null,
          notes: [
            `main "${main}" is compiled output that does not exist yet: the prediction is made from its source, ${relativePath(root, source)}`,
          ],
        };
      // `[build] command = "npm run build"` running webpack or another bundler (`main = "dist/main.js"`,
      // webpack's default output): the bundle's source is its config's entry, or the bundler's default.
      const bundled = unbuiltBundleSource(fs, root, null, manifest(), input.buildCommand ?? null);
      if (bundled)
        return {
          ...none,
          entries: [bundled.path],
          problem: null,
          notes: [
            `main "${main}" is ${bundled.output} that does not exist yet: the prediction is made from its source, ${relativePath(root, bundled.path)} (${bundled.via})`,
          ],
        };
      return {
        ...none,
        problem: found
          ? `main "${main}" is build output of ${found.unfollowed}, which the analyser does not follow, and it does not exist yet.`
          : `main "${main}" is build output that does not exist yet: build the project first, then the prediction can be made from its code.`,
        // A web framework's output serves requests: what the config alone decides still applies. So
        // does a bundler's: a target or (2024 rules) a D1 binding decides without the code.
        problemKind: found || FRAMEWORK_OUTPUT_DIRS.includes(firstSegment) ? ("framework-output" as const) : ("build-output" as const),
      };
    }
    // `main = "@tanstack/react-start/server-entry"`: the framework's own entry runs the app's routes.
    if (isTanStackServerEntry(normalizePath(main)))
      return frameworkRoutes(
        "tanstack-start",
        `main "${main}" is TanStack Start's own server entry: the request paths are read from the app's routes`,
      );
    // `main = "@astrojs/cloudflare/entrypoints/server"` (the Astro adapter since v13): the adapter's
    // own entry runs the Astro app, whose pages and endpoints are the request paths.
    if (/^@astrojs\/cloudflare\/entrypoints\/server(\.[cm]?js)?$/.test(normalizePath(main))) {
      const found = fromFramework(root, null, manifest());
      if (found && "plan" in found && found.plan.framework?.kind === "astro")
        return {
          ...found.plan,
          notes: [
            `main "${main}" is the Astro Cloudflare adapter's own server entry: the request paths are read from the Astro app's own routes`,
          ],
        };
    }
    // `main = "vinext/server/fetch-handler"`: vinext's own handler runs the Next app's routes (its
    // compiled code in node_modules is the framework's, not the app's).
    if (isVinextEntry(normalizePath(main)))
      return frameworkRoutes(
        "next",
        `main "${main}" is vinext's own request handler: the request paths are read from the Next app's own routes`,
      );
    const resolved = resolveFile(fs, path) ?? (isBareSpecifier(main) ? helpers.resolvePackage(main) : undefined);
    // A custom entry (`src/server.ts`) that loads TanStack Start's own server entry with
    // `import("@tanstack/react-start/server-entry")`: read as that entry. (A static import needs no
    // help: the wiring follows `handler.fetch(request)` and keeps the entry's own calls before it;
    // here those are not counted.)
    const wrapped = resolved ? tanstackEntryImportedBy(fs, resolved) : undefined;
    if (resolved && wrapped)
      return frameworkRoutes(
        "tanstack-start",
        `main "${main}" wraps TanStack Start's server entry ("${wrapped}"): the request paths are read from the app's routes`,
      );
    // `main = "app/root.tsx"` in a Remix / React Router app (deployed with Pages or the framework's
    // own Worker entry): the app's root route module, a React component with no Worker handler. The
    // framework's build makes the Worker that runs it, so the app's routes are the request paths.
    const routeModule = resolved ? frameworkRouteModule(fs, resolved, manifest()) : undefined;
    if (routeModule) return routeModule(main);
    if (resolved) return { ...none, entries: [resolved], problem: null };
    const missing = `main "${main}" was not found (looked for ${relativePath(root, path)} with .ts/.js/.mjs/.cjs extensions and index files).`;
    // The package.json script that deploys the Worker (`wrangler deploy src/app.ts`) names an entry
    // that exists: the command line overrides `main`, so that entry is what runs. A deploy with the
    // config alone would still fail: the missing `main` stays a diagnostic.
    const script = scriptEntry(fs, manifest(), input.configName);
    if (script)
      return {
        ...script,
        notes: script.notes.map((note) => note.replace('the config has no "main"', `the config's main "${main}" does not exist`)),
        warning: `${missing} The package.json deploy script names another entry, which the prediction is made from; a deploy with the config alone fails.`,
      };
    return { ...none, problem: missing };
  }

  if (input.legacy) return legacyEntry(fs, root, input.legacy, manifest(), input.buildCommand ?? null);

  if (input.pagesBuildOutputDir !== null) {
    // next-on-pages builds `.vercel/output/static/_worker.js`, and a Pages deployment with a
    // `_worker.js` ignores `functions/` entirely (advanced mode): the Next app's routes are the
    // request paths, whatever `functions/` holds.
    const nextOnPages = nextOnPagesPlan(root, input.pagesBuildOutputDir, manifest());
    if (nextOnPages) return nextOnPages;
    const functionsDir = joinPath(root, "functions");
    const hasFunctions = fs.stat(functionsDir) === "directory";
    // Without functions/ the framework's routes are read below all the same.
    const adapterWorker = hasFunctions ? frameworkPagesWorker(fs, root, input.pagesBuildOutputDir, manifest()) : undefined;
    if (adapterWorker) return adapterWorker;
    const found = fromFramework(root, null, manifest());
    // A Next.js static export is files only: no Next route is a request path, so the project is
    // its Pages Functions, or a static site.
    const staticExport = found && "plan" in found ? nextStaticExportNote(fs, found.plan) : undefined;
    const exportWorker = staticExport && found && "plan" in found ? staticExportWorker(fs, found.plan, staticExport) : undefined;
    if (exportWorker) return exportWorker;
    const files = hasFunctions ? helpers.listSources(functionsDir) : [];
    // Pages builds routes only from modules that export an onRequest* handler: a functions/ folder
    // of other scripts (a Node seeding script) has no route, so it is not what serves requests.
    if (files.length > 0 && functionsHoldHandlers(fs, files)) return { entries: files, problem: null, pages: true, notes: [] };
    if (found && "plan" in found && !staticExport)
      return files.length > 0
        ? { ...found.plan, notes: [...found.plan.notes, "functions/ exports no onRequest handler, so it adds no Pages route"] }
        : found.plan;
    const advanced = resolveFile(fs, joinPath(root, input.pagesBuildOutputDir, "_worker.js"));
    if (advanced) return { ...none, entries: [advanced], problem: null };
    // No functions/ and no _worker.js yet, built by a server framework the analyser does not read
    // (its build writes the _worker.js): not a static site, and its code cannot be seen. Gatsby
    // builds a static site.
    if (found && "unfollowed" in found && found.unfollowed !== "Gatsby")
      return {
        ...none,
        problem: `pages_build_output_dir "${input.pagesBuildOutputDir}" is built by ${found.unfollowed}, which the analyser does not follow: its _worker.js does not exist yet and functions/ has none of its routes.`,
        problemKind: "framework-output",
      };
    return { entries: files, problem: null, pages: true, notes: staticExport ? [staticExport] : [] };
  }

  const script = scriptEntry(fs, manifest(), input.configName) ?? scriptElsewhere(fs, root, input.configName);
  if (script) return script;
  const advancedWorker = pagesWorkerSource(fs, manifest(), input.buildCommand ?? null);
  if (advancedWorker) return advancedWorker;

  const framework = noMainFramework(root, manifest());
  if (input.assets || input.bindings.assets.length > 0)
    return {
      entries: [],
      problem: null,
      pages: false,
      notes: [
        'an assets-only Worker: the config has [assets] and no "main", so every request is served from static assets and no Worker code runs',
      ],
    };
  // A Next.js static export has no server to supply an entry: the Worker, if any, is the Pages
  // Functions beside it (a dashboard-managed Pages project with a config for `wrangler pages dev`).
  const staticExport = framework ? nextStaticExportNote(fs, framework) : undefined;
  if (framework && !staticExport) return framework;
  const exportWorker = staticExport ? staticExportWorker(fs, framework!, staticExport) : undefined;
  if (exportWorker) return exportWorker;
  // A config with only a name next to a `functions/` folder of Pages handlers: `wrangler pages
  // deploy` bundles those handlers into the Worker that runs.
  const pagesFunctions = pagesFunctionFiles(fs, root, helpers.listSources);
  if (pagesFunctions.length > 0)
    return {
      entries: pagesFunctions,
      problem: null,
      pages: true,
      notes: [
        'the config has no "main" and no pages_build_output_dir, and functions/ holds Pages handlers (onRequest*): read as a Pages project (wrangler pages deploy) whose Worker is the Pages Functions bundle',
        ...(staticExport ? [staticExport] : []),
      ],
    };
  if (staticExport)
    return { entries: [], problem: null, pages: false, notes: [`${staticExport}, and there is no functions/ folder of Pages handlers`] };
  return {
    ...none,
    problem: 'The config has no "main" (and no pages_build_output_dir): the Worker\'s entry is unknown.',
  };
}

/**
 * A config with no `main` in a web framework's project (a Nitro app whose build writes the Worker,
 * an Astro app deployed by its adapter or a deploy script): the framework supplies the entry, and
 * its routes are the request paths. A framework known but not followed is said to be one.
 */
function noMainFramework(root: string, manifest: PackageManifest | undefined): EntryPlan | undefined {
  const found = fromFramework(root, null, manifest);
  if (!found) return undefined;
  if ("unfollowed" in found)
    return {
      entries: [],
      pages: false,
      notes: [],
      problem: `The config has no "main": the Worker is built by ${found.unfollowed}, which the analyser does not follow.`,
      problemKind: "framework-output",
    };
  const name = FRAMEWORK_NAMES[found.plan.framework!.kind];
  return {
    ...found.plan,
    notes: [
      `the config has no "main": the ${name} build supplies the entry, so the request paths are read from the ${name} app's own routes`,
    ],
  };
}

/**
 * For a plan that reads a Next.js app's routes: the reason to say when the app is a static export
 * (`output: "export"`), whose build is static files with no server code, so none of its routes is
 * a request path.
 */
function nextStaticExportNote(fs: FileSystem, plan: EntryPlan): string | undefined {
  if (plan.framework?.kind !== "next") return undefined;
  const config = nextStaticExportConfig(fs, plan.framework.root);
  return config
    ? `the Next.js app is a static export (output: "export" in ${basename(config)}): its build is static files, with no server code`
    : undefined;
}

/**
 * A static export's own Pages advanced-mode Worker: `public/_worker.js`, which `next build` copies
 * into the output as is. Pages runs it and ignores `functions/`.
 */
function staticExportWorker(fs: FileSystem, plan: EntryPlan, staticExport: string): EntryPlan | undefined {
  const root = plan.framework?.root;
  const worker = root ? resolveFile(fs, joinPath(root, "public", "_worker.js")) : undefined;
  return worker
    ? {
        entries: [worker],
        problem: null,
        pages: false,
        notes: [`${staticExport}; public/_worker.js is copied into its output and is the Worker (Pages then ignores functions/)`],
      }
    : undefined;
}

/**
 * A `main` that names a route module of the project's React Router / Remix app (its root route or
 * a module under its routes folder) rather than a Worker entry: read as that app, whose routes are
 * the request paths, as when `main` names the framework's build output.
 */
function frameworkRouteModule(
  fs: FileSystem,
  file: string,
  manifest: PackageManifest | undefined,
): ((main: string) => EntryPlan) | undefined {
  const detected = manifest ? detectFramework(manifest, null) : undefined;
  if (!manifest || !detected || !("kind" in detected) || detected.kind !== "react-router") return undefined;
  const root = dirname(manifest.file);
  const what = reactRouterModuleKind(fs, root, file);
  if (!what) return undefined;
  const name = FRAMEWORK_NAMES[detected.kind];
  return (main) => ({
    entries: [],
    problem: null,
    pages: false,
    framework: { kind: detected.kind, root },
    notes: [
      `main "${main}" names the ${name} app's ${what} module, not a Worker entry (it exports no Worker handler; the framework's build makes the Worker): the request paths are read from the app's own routes`,
    ],
  });
}

/** The framework's sources for a `main` that is its build output (or a Pages project without functions/). */
function fromFramework(
  root: string,
  main: string | null,
  manifest: PackageManifest | undefined,
): { plan: EntryPlan } | { unfollowed: string } | undefined {
  const detected = detectFramework(manifest, main);
  if (!detected) return undefined;
  if ("unfollowed" in detected) return detected;
  const project: FrameworkProject = { kind: detected.kind, root: manifest ? dirname(manifest.file) : root };
  return {
    plan: {
      entries: [],
      problem: null,
      pages: false,
      framework: project,
      notes: [
        `${main ? `main "${main}" is ${FRAMEWORK_NAMES[detected.kind]} build output: ` : ""}the request paths are read from the ${FRAMEWORK_NAMES[detected.kind]} app's own routes`,
      ],
    },
  };
}

/**
 * A `main` that is a framework's build output in another folder than the config's
 * (`infra/worker/wrangler.jsonc` with `main = "../../apps/dashboard/.open-next/worker.js"`): the app
 * is the folder that holds the output folder, known by its own package.json, and its routes are the
 * request paths, as for output next to the config. Reads go through the confined file system, so an
 * app outside the workspace is not found.
 */
function frameworkOutputElsewhere(fs: FileSystem, root: string, main: string): EntryPlan | undefined {
  const segments = normalizePath(main)
    .split("/")
    .filter((s) => s !== "." && s !== "");
  const output = segments.findIndex((s) => FRAMEWORK_OUTPUT_DIRS.includes(s));
  if (output <= 0 || segments.slice(0, output).some((s) => BUILD_OUTPUT_DIRS.includes(s))) return undefined;
  const appDir = joinPath(root, segments.slice(0, output).join("/"));
  const manifestFile = joinPath(appDir, "package.json");
  const text = fs.readFile(manifestFile);
  if (text === undefined) return undefined;
  const manifest = nearestManifest(fs, appDir);
  if (!manifest || manifest.file !== manifestFile) return undefined;
  const builtMain = segments.slice(output).join("/");
  const found = fromFramework(appDir, builtMain, manifest);
  if (!found || !("plan" in found)) return undefined;
  const name = FRAMEWORK_NAMES[found.plan.framework!.kind];
  return {
    ...found.plan,
    notes: [
      `main "${main}" is ${name} build output of the app in ${relativePath(root, appDir)}: the request paths are read from the ${name} app's own routes`,
    ],
  };
}

/**
 * A Pages project whose output folder is where a framework's Cloudflare adapter writes its
 * `_worker.js`: SvelteKit's adapter-cloudflare (and adapter-auto on Pages) writes
 * `.svelte-kit/cloudflare/_worker.js`; the Astro adapter writes `dist/_worker.js` for an app with
 * `output: "server"`. Pages runs that `_worker.js` and ignores `functions/`: "When using a
 * _worker.js file, the entire /functions directory is ignored, including its routing and
 * middleware characteristics" (https://developers.cloudflare.com/pages/functions/advanced-mode/).
 * So the app's routes are the request paths, read from its sources as for a Worker whose `main` is
 * the framework's build output. Nuxt's Pages output (`dist`) is also what `nuxt generate` writes
 * for a static site, and Remix / React Router on Pages serve through `functions/`: neither is
 * taken from the output folder alone.
 */
function frameworkPagesWorker(
  fs: FileSystem,
  root: string,
  outputDir: string,
  manifest: PackageManifest | undefined,
): EntryPlan | undefined {
  const segments = normalizePath(outputDir)
    .split("/")
    .filter((s) => s !== "." && s !== "");
  if (segments.length === 0) return undefined;
  const detected = detectFramework(manifest, segments.join("/"));
  if (!detected || !("kind" in detected)) return undefined;
  const appRoot = manifest ? dirname(manifest.file) : root;
  const writesWorker =
    (detected.kind === "sveltekit" && segments[0] === ".svelte-kit") ||
    (detected.kind === "astro" &&
      segments.length === 1 &&
      segments[0] === "dist" &&
      manifest?.dependencies.has("@astrojs/cloudflare") === true &&
      astroOutput(fs, appRoot) === "server");
  if (!writesWorker) return undefined;
  const found = fromFramework(root, null, manifest);
  if (!found || !("plan" in found) || found.plan.framework?.kind !== detected.kind) return undefined;
  const name = FRAMEWORK_NAMES[detected.kind];
  return {
    ...found.plan,
    notes: [
      `pages_build_output_dir "${outputDir}" is where the ${name} adapter writes its _worker.js, which replaces functions/ (Pages ignores functions/ when the output has a _worker.js): the request paths are read from the ${name} app's own routes`,
    ],
  };
}

/**
 * A Next.js app deployed with next-on-pages: the output folder is Vercel's Build Output
 * (`.vercel/output/static`) or the package depends on `@cloudflare/next-on-pages`. Its built
 * `_worker.js` replaces `functions/` (Pages ignores `functions/` when the output has a
 * `_worker.js`), so the plan is the app's routes, with a note when `functions/` is there.
 */
function nextOnPagesPlan(root: string, outputDir: string, manifest: PackageManifest | undefined): EntryPlan | undefined {
  const vercelOutput = normalizePath(outputDir).replace(/^\.\//, "").startsWith(".vercel/output");
  if (!vercelOutput && !manifest?.dependencies.has("@cloudflare/next-on-pages")) return undefined;
  const detected = detectFramework(manifest, null);
  if (!detected || !("kind" in detected) || detected.kind !== "next") return undefined;
  const found = fromFramework(root, null, manifest);
  if (!found || !("plan" in found)) return undefined;
  return {
    ...found.plan,
    notes: [
      `pages_build_output_dir "${outputDir}" is next-on-pages output: its _worker.js replaces functions/ (Pages ignores functions/ when the output has a _worker.js), so ${found.plan.notes[0] ?? "the request paths are the Next.js app's routes"}`,
    ],
  };
}

/**
 * A Worker compiled to WebAssembly from another language: workers-rs (`[build] command` runs
 * worker-build, or `main` is its shim; a Wrangler v1 `type = "rust"`), or Go (syumai/workers: the
 * build runs TinyGo or `workers-assets-gen`, or `main` is `build/worker.mjs` beside a go.mod).
 */
function compiledLanguageWorker(
  fs: FileSystem,
  root: string,
  main: string | null,
  build: string | null,
  legacyType: string | null,
): string | undefined {
  if (legacyType === "rust") return 'a Rust Worker (Wrangler v1 type = "rust")';
  const words = build ? commandWords(build) : [];
  if (words.some((w) => basename(w) === "worker-build")) return "a Rust Worker (workers-rs: [build] command runs worker-build)";
  const mainPath = main ? normalizePath(main).replace(/^\.\//, "") : null;
  if (mainPath === "build/worker/shim.mjs" && fs.stat(joinPath(root, "Cargo.toml")) === "file")
    return `a Rust Worker (workers-rs: main "${main}" is worker-build's shim)`;
  if (fs.stat(joinPath(root, "go.mod")) === "file") {
    if (words.some((w) => basename(w) === "tinygo" || w.includes("workers-assets-gen")))
      return "a Go Worker (compiled to WebAssembly: [build] command runs TinyGo)";
    if (mainPath === "build/worker.mjs") return `a Go Worker (syumai/workers: main "${main}" is the shim of its WebAssembly build)`;
  }
  return undefined;
}

/** A Wrangler v1 config: `[build.upload] main` in `dir` (default "dist"), else package.json `main`, as Wrangler v1 built it. */
function legacyEntry(
  fs: FileSystem,
  root: string,
  legacy: NonNullable<WorkerAnalysisInput["legacy"]>,
  nearest: PackageManifest | undefined,
  buildCommand: string | null,
): EntryPlan {
  let manifest = nearest;
  const what = `a Wrangler v1 config (type = "${legacy.type}"${legacy.format ? `, format = "${legacy.format}"` : ""})`;
  if (legacy.uploadMain) {
    const dir = legacy.uploadDir ?? "dist";
    const path = joinPath(joinPath(root, dir), legacy.uploadMain);
    const built = resolveFile(fs, path);
    // Built and committed, with its source beside it and a build command that makes it from that
    // source (`webpack` bundling `src/index.js`, copying `src/shim.mjs`): the source is read, as the
    // bundle's minified modules cannot be followed.
    const builtFrom = built && buildCommand ? compiledSource(fs, root, joinPath(dir, legacy.uploadMain)) : undefined;
    if (built && builtFrom && builtFrom !== built)
      return {
        entries: [builtFrom],
        problem: null,
        pages: false,
        notes: [
          `read as ${what}: its entry, [build.upload] main "${legacy.uploadMain}" in "${dir}", is what the build command makes; the prediction is made from its source, ${relativePath(root, builtFrom)}`,
        ],
      };
    if (built)
      return { entries: [built], problem: null, pages: false, notes: [`read as ${what}: the entry is [build.upload] main in "${dir}"`] };
    // Not built yet: its source, as for a current config's compiled `main` (`dist/index.mjs` from `src/index.ts`).
    const source = compiledSource(fs, root, joinPath(dir, legacy.uploadMain)) ?? builtFromCommand(fs, root, buildCommand, manifest);
    const bundled = source ? undefined : unbuiltBundleSource(fs, root, legacy.type, manifest, buildCommand);
    if (bundled)
      return {
        entries: [bundled.path],
        problem: null,
        pages: false,
        notes: [
          `read as ${what}: its entry, [build.upload] main "${legacy.uploadMain}" in "${dir}", is ${bundled.output} that does not exist yet: the prediction is made from its source, ${relativePath(root, bundled.path)} (${bundled.via})`,
        ],
      };
    if (source)
      return {
        entries: [source],
        problem: null,
        pages: false,
        notes: [
          `read as ${what}: its entry, [build.upload] main "${legacy.uploadMain}" in "${dir}", is compiled output that does not exist yet: the prediction is made from its source, ${relativePath(root, source)}`,
        ],
      };
    return {
      entries: [],
      problem: `The file is ${what}: its entry, [build.upload] main "${legacy.uploadMain}" in "${dir}", is build output that does not exist yet: build the project first, or move to a current wrangler config with "main".`,
      pages: false,
      notes: [],
    };
  }
  // `type = "javascript"`: Wrangler v1 uploaded the file named by the package.json `main` of the
  // project's folder (the config's, or `[site] entry-point`), with no default; a manifest of a folder
  // above (a monorepo's root) is not the Worker's.
  if (legacy.type === "javascript") {
    const packageDir = legacy.siteEntryPoint ? joinPath(root, legacy.siteEntryPoint) : root;
    const where = legacy.siteEntryPoint ? `[site] entry-point "${legacy.siteEntryPoint}"` : "the config's folder";
    const own = nearestManifest(fs, packageDir);
    const lost = (why: string): EntryPlan => {
      // A `_worker.js` in that folder (the name Pages gives its advanced-mode Worker): most likely the
      // Worker's code, which a project moving off v1 keeps there; assumed, and said so.
      const worker = joinPath(packageDir, "_worker.js");
      if (fs.stat(worker) === "file")
        return {
          entries: [worker],
          problem: null,
          pages: false,
          notes: [
            `read as ${what}: Wrangler v1 uploaded the file named by the "main" of the package.json in ${where}, and ${why}; the prediction is made from ${relativePath(root, worker)} there, assumed to be the Worker`,
          ],
        };
      return {
        entries: [],
        problem: `The file is ${what}, whose entry cannot be found: Wrangler v1 uploaded the file named by the "main" of the package.json in ${where}, and ${why}.`,
        pages: false,
        notes: [],
      };
    };
    if (!own || own.file !== joinPath(packageDir, "package.json")) return lost("there is no package.json there");
    if (own.main === null) return lost('that package.json has no "main"');
    manifest = own;
  }
  const packageMain = manifest?.main ?? "index.js";
  const base = manifest ? dirname(manifest.file) : root;
  const entry = resolveFile(fs, joinPath(base, packageMain));
  if (entry)
    return {
      entries: [entry],
      problem: null,
      pages: false,
      notes: [`read as ${what}: the entry is package.json's main, as Wrangler v1 built it`],
    };
  // Not built yet, and built by a web framework (Remix's `build/index.js`): its routes are the request paths.
  const framework = fromFramework(root, packageMain, manifest);
  // Not built yet by a compiler (`dist/index.mjs` from `src/index.ts`): its source.
  const compiled = framework && "plan" in framework ? undefined : compiledSource(fs, base, packageMain);
  if (compiled)
    return {
      entries: [compiled],
      problem: null,
      pages: false,
      notes: [
        `read as ${what}: its entry, package.json's main "${packageMain}", is compiled output that does not exist yet: the prediction is made from its source, ${relativePath(root, compiled)}`,
      ],
    };
  if (framework && "plan" in framework) {
    const name = FRAMEWORK_NAMES[framework.plan.framework!.kind];
    return {
      ...framework.plan,
      notes: [
        `read as ${what}: its entry, package.json's main "${packageMain}", is ${name} build output that does not exist yet, so the request paths are read from the ${name} app's own routes`,
      ],
    };
  }
  // Not built yet by webpack (`main: "dist/worker.js"`, `"build": "webpack"`): the entry of its config.
  const bundled = legacyWebpackSource(fs, root, legacy.type, manifest, buildCommand);
  if (bundled)
    return {
      entries: [bundled.path],
      problem: null,
      pages: false,
      notes: [
        `read as ${what}: its entry, package.json's main "${packageMain}", is webpack build output that does not exist yet: the prediction is made from its source, ${relativePath(root, bundled.path)} (${bundled.via})`,
      ],
    };
  return {
    entries: [],
    problem:
      legacy.type === "javascript"
        ? `The file is ${what}, whose entry cannot be found: its entry, package.json's main "${packageMain}", was not found, nor a source it is built from.`
        : `The file is ${what}: its entry, package.json's main "${packageMain}", was not found.`,
    pages: false,
    notes: [],
  };
}

/**
 * The source of a Wrangler v1 bundle not built yet: webpack's entry (webpackEntry.ts), else the entry a
 * rollup or esbuild config or build script names (`rollup -c`, `node build.mjs`; bundlerEntry.ts).
 */
function unbuiltBundleSource(
  fs: FileSystem,
  root: string,
  legacyType: string | null,
  manifest: PackageManifest | undefined,
  buildCommand: string | null,
): { path: string; via: string; output: string } | undefined {
  const webpack = legacyWebpackSource(fs, root, legacyType, manifest, buildCommand);
  if (webpack) return { path: webpack.path, via: webpack.via, output: "webpack build output" };
  const bundler = bundlerSource(fs, [...new Set([manifest ? dirname(manifest.file) : root, root])], manifest, buildCommand);
  return bundler && { path: bundler.path, via: bundler.via, output: "build output" };
}

/** The source a Wrangler v1 project's webpack build bundles (see webpackEntry.ts), when webpack builds it. */
function legacyWebpackSource(
  fs: FileSystem,
  root: string,
  legacyType: string | null,
  manifest: PackageManifest | undefined,
  buildCommand: string | null,
): WebpackSource | undefined {
  const dirs = [...new Set([manifest ? dirname(manifest.file) : root, root])];
  return isWebpackBuild(fs, dirs, manifest, buildCommand, legacyType) ? webpackSource(fs, dirs) : undefined;
}

/**
 * The one source file a build command compiles, when it names one (`esbuild src/worker.ts --bundle
 * --outfile=dist/index.mjs`, or the same in the package.json script `npm run build` runs): a word that
 * is a path to a JavaScript or TypeScript file of the project. Undefined when none or several are named.
 */
function builtFromCommand(fs: FileSystem, root: string, command: string | null, manifest: PackageManifest | undefined): string | undefined {
  if (!command) return undefined;
  const words = commandWords(command);
  // `npm run build`, `pnpm build`, `yarn run build`: the script's own words too (one level).
  for (let i = 0; i < words.length; i++) {
    if (!["npm", "pnpm", "yarn"].includes(words[i]!)) continue;
    const name = words[i + 1] === "run" ? words[i + 2] : words[i + 1];
    const script = name !== undefined ? manifest?.scripts.get(name) : undefined;
    if (script) words.push(...commandWords(script));
  }
  const base = manifest ? dirname(manifest.file) : root;
  const found = new Set<string>();
  for (const [i, word] of words.entries()) {
    const value = word.includes("=") ? word.slice(word.indexOf("=") + 1) : word;
    if (!isSourceFile(value) || value.startsWith("-")) continue;
    // `node build.js`, `rollup -c rollup.config.js`, `--config=webpack.config.js`: scripts the build runs, not its input.
    if (RUNNERS.has(words[i - 1] ?? "") || CONFIG_FLAGS.has(words[i - 1] ?? "") || CONFIG_FLAGS.has(word.split("=")[0]!)) continue;
    if (/\.config\.[cm]?[jt]s$/.test(value)) continue;
    for (const dir of new Set([root, base])) {
      const path = joinPath(dir, value);
      if (fs.stat(path) === "file") {
        found.add(path);
        break;
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

const RUNNERS = new Set(["node", "tsx", "ts-node", "bun", "deno", "run"]);
const CONFIG_FLAGS = new Set(["-c", "--config", "--configPlugin", "-p", "--project"]);

/** Words of a shell command line, split on white space. */
function commandWords(command: string): string[] {
  return command.split(/\s+/).filter((w) => w !== "");
}

const SEPARATORS = new Set(["&&", "||", ";", "|", "&"]);
const WRANGLER_COMMANDS = new Set(["deploy", "dev", "publish"]);
const VALUE_FLAGS = new Set([
  "-c",
  "--config",
  "-e",
  "--env",
  "--name",
  "--port",
  "--ip",
  "--outdir",
  "--tsconfig",
  "--compatibility-date",
  "--assets",
  "--site",
  "--var",
  "--define",
]);

/**
 * `wrangler deploy src/index.ts` (or `dev`, `publish`) in a package.json script: the script's
 * positional argument is the entry when the config has no `main`. The script is split into words
 * and commands; a script that names another config (`-c other.toml`) is not this Worker's.
 */
function scriptEntry(
  fs: FileSystem,
  manifest: PackageManifest | undefined,
  configName: string | undefined,
  configFile?: string,
): EntryPlan | undefined {
  if (!manifest) return undefined;
  const base = dirname(manifest.file);
  // Which `--config` a script must give to be this Worker's: in the config's own package, none or
  // one of its name; from another package (configFile given), exactly this file. A config that
  // is an example (`example.wrangler.toml`) stands for the real one the script names when that one
  // is not in the repository (it is made from the example and kept out of version control).
  const isThisConfig = (config: string | undefined): boolean => {
    if (configFile) return config !== undefined && joinPath(base, config) === configFile;
    if (config === undefined || !configName || basename(config) === configName) return true;
    return (
      /^(example|sample|template)[.-]|[.-](example|sample|template)\./i.test(configName) && fs.stat(joinPath(base, config)) === undefined
    );
  };
  const order = ["deploy", "dev", "start", "publish"];
  const names = [...manifest.scripts.keys()].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  for (const name of names) {
    const words = commandWords(manifest.scripts.get(name)!);
    let command: string[] = [];
    for (const word of [...words, ";"]) {
      if (!SEPARATORS.has(word)) {
        command.push(word);
        continue;
      }
      const found = entryOfCommand(command);
      command = [];
      if (!found || !isThisConfig(found.config)) continue;
      const entry = found.entry;
      const resolved = resolveFile(fs, joinPath(base, entry));
      if (resolved)
        return {
          entries: [resolved],
          problem: null,
          pages: false,
          notes: [
            `the config has no "main": the entry is the one the package.json script "${name}" gives wrangler (${configFile ? relativePath(dirname(configFile), joinPath(base, entry)) : entry})`,
          ],
        };
    }
  }
  return undefined;
}

function rank(order: readonly string[], name: string): number {
  const index = order.indexOf(name);
  return index === -1 ? order.length : index;
}

/** A command-line word as flag and inline value: `--outdir=dist` is ["--outdir", "dist"], any other word itself. */
function splitFlag(word: string): [string, string | undefined] {
  const equals = word.indexOf("=");
  return word.startsWith("-") && equals !== -1 ? [word.slice(0, equals), word.slice(equals + 1)] : [word, undefined];
}

/** The entry a wrangler command line names, with the config it names (`--config`), if any. */
function entryOfCommand(words: readonly string[]): { entry: string; config: string | undefined } | undefined {
  const at = words.findIndex((w) => basename(w) === "wrangler");
  if (at === -1 || !WRANGLER_COMMANDS.has(words[at + 1] ?? "")) return undefined;
  let entry: string | undefined;
  let config: string | undefined;
  for (let i = at + 2; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] = splitFlag(word);
    if (flag === "-c" || flag === "--config") {
      config = inline ?? words[++i];
      continue;
    }
    if (flag.startsWith("-")) {
      if (inline === undefined && VALUE_FLAGS.has(flag)) i++;
      continue;
    }
    if (entry === undefined && isSourceFile(word)) entry = word;
  }
  return entry === undefined ? undefined : { entry, config };
}

/**
 * A config with no `main` that another package's script deploys (`wrangler deploy src/app.ts
 * --config ../../infra/api/wrangler.toml` in a monorepo): the packages of the workspace the config
 * is in, each asked whether a script names this config file.
 */
function scriptElsewhere(fs: FileSystem, root: string, configName: string | undefined): EntryPlan | undefined {
  if (!configName) return undefined;
  const configFile = joinPath(root, configName);
  const own = nearestManifest(fs, root);
  const packages = [...new ModuleResolver(fs).workspacePackages(root).values()].sort();
  for (const dir of packages) {
    const manifest = nearestManifest(fs, dir);
    if (!manifest || manifest.file === own?.file || dirname(manifest.file) !== dir) continue;
    const found = scriptEntry(fs, manifest, configName, configFile);
    if (found) return found;
  }
  return undefined;
}

/**
 * A Pages advanced-mode Worker (`_worker.js`) built from a source file by a bundler, for a config
 * with no `main` and no `pages_build_output_dir` (deployed with `wrangler pages deploy <dir>`):
 * `esbuild src/_worker.ts --outfile=dist/_worker.js` in a package.json script or the `[build]`
 * command, or a package.json `main` of `.../_worker.js` with the source Parcel builds it from
 * (`source`, or `targets.main.source`) or the compiler's source of that path (`src/_worker.ts`).
 * Only a file named `_worker.js`, the name Pages runs.
 */
function pagesWorkerSource(fs: FileSystem, manifest: PackageManifest | undefined, buildCommand: string | null): EntryPlan | undefined {
  const isWorkerOutput = (path: string): boolean => basename(normalizePath(path)) === "_worker.js";
  const plan = (entry: string, how: string): EntryPlan => ({
    entries: [entry],
    problem: null,
    pages: false,
    notes: [`the config has no "main": the entry is ${relativePath(dirname(manifest?.file ?? entry), entry)}, ${how}`],
  });
  const base = manifest ? dirname(manifest.file) : undefined;
  const commands: Array<[string, string]> = [
    ...(buildCommand ? [["the [build] command", buildCommand] as [string, string]] : []),
    ...[...(manifest?.scripts ?? [])].map(([name, line]): [string, string] => [`the package.json script "${name}"`, line]),
  ];
  for (const [what, line] of commands) {
    let command: string[] = [];
    for (const word of [...commandWords(line), ";"]) {
      if (!SEPARATORS.has(word)) {
        command.push(word);
        continue;
      }
      const at = command.findIndex((w) => basename(w) === "esbuild");
      const words = at === -1 ? [] : command.slice(at + 1);
      command = [];
      const outfile = words.find((w) => w.startsWith("--outfile="))?.slice("--outfile=".length);
      const sources = words.filter((w) => !w.startsWith("-") && isSourceFile(w));
      if (!outfile || !isWorkerOutput(outfile) || sources.length !== 1 || !base) continue;
      const entry = resolveFile(fs, joinPath(base, sources[0]!));
      if (entry) return plan(entry, `which ${what} bundles with esbuild into the Pages advanced-mode Worker ${outfile}`);
    }
  }
  if (!manifest?.main || !base || !isWorkerOutput(manifest.main)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFile(manifest.file) ?? "");
  } catch {
    json = undefined;
  }
  const record = json && typeof json === "object" ? (json as Record<string, unknown>) : {};
  const targets = record["targets"];
  const mainTarget =
    targets && typeof targets === "object"
      ? ((targets as Record<string, unknown>)["main"] as Record<string, unknown> | undefined)
      : undefined;
  const fields: Array<[string, unknown]> = [
    ['"source"', record["source"]],
    ['"targets.main.source"', mainTarget && typeof mainTarget === "object" ? mainTarget["source"] : undefined],
  ];
  for (const [field, value] of fields) {
    const declared =
      typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
    for (const source of declared.filter(isSourceFile)) {
      const entry = resolveFile(fs, joinPath(base, source));
      if (entry)
        return plan(
          entry,
          `which Parcel builds (package.json ${field}) into package.json's main "${manifest.main}", a Pages advanced-mode Worker`,
        );
    }
  }
  const compiled = compiledSource(fs, base, manifest.main);
  if (compiled) return plan(compiled, `the source of package.json's main "${manifest.main}", a Pages advanced-mode Worker not built yet`);
  return undefined;
}

/** Flags of `wrangler pages functions build` that take a value (the rest are switches). */
const PAGES_BUILD_VALUE_FLAGS = new Set([
  "--outfile",
  "--outdir",
  "--output-config-path",
  "--output-routes-path",
  "--build-output-directory",
  "--compatibility-date",
  "--compatibility-flag",
  "--compatibility-flags",
  "--fallback-service",
  "--build-metadata-path",
  "--project-directory",
  "--external",
  "--config",
  "-c",
]);

/**
 * A `main` that is the Worker `wrangler pages functions build [dir] --outdir <folder>` compiles from
 * a Pages `functions/` folder (a package.json script runs it before `wrangler deploy`): the Pages
 * Functions are the request paths, read as a Pages project's are. Without such a script, an
 * unbuilt `main` under `.wrangler/` next to a `functions/` folder is taken as the same build
 * (wrangler writes its own builds there). Only the project's own `functions/` folder, where Pages
 * routes are read from.
 */
function pagesFunctionsOutput(
  fs: FileSystem,
  root: string,
  main: string,
  manifest: PackageManifest | undefined,
  listSources: (dir: string) => string[],
): EntryPlan | undefined {
  const target = joinPath(root, main);
  const functionsDir = joinPath(root, "functions");
  let script: string | undefined;
  if (manifest) {
    const base = dirname(manifest.file);
    for (const [name, line] of manifest.scripts) {
      let command: string[] = [];
      for (const word of [...commandWords(line), ";"]) {
        if (!SEPARATORS.has(word)) {
          command.push(word);
          continue;
        }
        const build = pagesFunctionsBuild(command);
        command = [];
        if (!build || joinPath(base, build.dir) !== functionsDir) continue;
        const output = build.outfile
          ? joinPath(base, build.outfile)
          : build.outdir
            ? joinPath(joinPath(base, build.outdir), "index.js")
            : undefined;
        if (output && (output === target || (build.outdir && dirname(output) === dirname(target)))) script = name;
      }
      if (script) break;
    }
  }
  const underWrangler = normalizePath(main).replace(/^\.\//, "").startsWith(".wrangler/");
  if (!script && !underWrangler) return undefined;
  const files = fs.stat(functionsDir) === "directory" ? listSources(functionsDir) : [];
  if (files.length === 0) return undefined;
  return {
    entries: files,
    problem: null,
    pages: true,
    notes: [
      script
        ? `main "${main}" is the Worker the package.json script "${script}" builds from the Pages functions/ folder (wrangler pages functions build), not built yet: the request paths are read from functions/`
        : `main "${main}" is wrangler build output that does not exist yet, next to a Pages functions/ folder: read as the Worker built from functions/ (wrangler pages functions build), whose files are the request paths`,
    ],
  };
}

/** `wrangler pages functions build [dir] --outdir <folder> | --outfile <file>` in a command's words: its folders. */
function pagesFunctionsBuild(words: readonly string[]): { dir: string; outdir?: string; outfile?: string } | undefined {
  const at = words.findIndex((w) => basename(w) === "wrangler");
  if (at === -1 || words[at + 1] !== "pages" || words[at + 2] !== "functions" || words[at + 3] !== "build") return undefined;
  let dir: string | undefined;
  let outdir: string | undefined;
  let outfile: string | undefined;
  for (let i = at + 4; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] = splitFlag(word);
    if (!flag.startsWith("-")) {
      dir ??= flag;
      continue;
    }
    const value = inline ?? (PAGES_BUILD_VALUE_FLAGS.has(flag) ? words[++i] : undefined);
    if (flag === "--outdir") outdir = value;
    if (flag === "--outfile") outfile = value;
  }
  return { dir: dir ?? "functions", ...(outdir ? { outdir } : {}), ...(outfile ? { outfile } : {}) };
}

/**
 * The source a compiler's output comes from, `dist/index.js` from `src/index.ts`: through the
 * nearest tsconfig's `outDir` and `rootDir` (default `src`), or the same path under `src/` for the
 * usual output folders (`dist`, `build`, `out`). Frameworks are not compilers: their output is
 * read through their routes instead (see fromFramework).
 */
function compiledSource(fs: FileSystem, root: string, main: string): string | undefined {
  const relative = normalizePath(main).replace(/^\.\//, "");
  const text = fs.readFile(joinPath(root, "tsconfig.json"));
  const options = text
    ? ((ts.parseConfigFileTextToJson("tsconfig.json", text).config?.compilerOptions ?? {}) as Record<string, unknown>)
    : {};
  const folder = (value: unknown): string | undefined =>
    typeof value === "string" ? normalizePath(value).replace(/^\.\//, "").replace(/\/$/, "") : undefined;
  const outDir = folder(options["outDir"]);
  const rootDir = folder(options["rootDir"]) ?? "src";
  const [first, ...rest] = relative.split("/");
  const candidates = [
    ...(outDir && relative.startsWith(outDir + "/") ? [joinPath(rootDir, relative.slice(outDir.length + 1))] : []),
    ...(first && ["dist", "build", "out"].includes(first) && rest.length > 0 ? [joinPath("src", rest.join("/"))] : []),
  ];
  for (const candidate of candidates) {
    const found = resolveFile(fs, joinPath(root, candidate));
    if (found) return found;
  }
  return undefined;
}

/** The source files of `functions/` when one of them exports a Pages handler (`export const onRequestGet = ...`), else none. */
function pagesFunctionFiles(fs: FileSystem, root: string, listSources: (dir: string) => string[]): string[] {
  const dir = joinPath(root, "functions");
  if (fs.stat(dir) !== "directory") return [];
  const files = listSources(dir);
  return files.slice(0, 200).some((file) => exportsPagesHandler(fs, file)) ? files : [];
}

/**
 * Whether `functions/` may hold a Pages route: a module exporting an onRequest* handler (or one
 * whose `export *` cannot be told apart from one). A folder too large to read counts as holding one.
 */
function functionsHoldHandlers(fs: FileSystem, files: readonly string[]): boolean {
  return files.length > 200 || files.some((file) => exportsPagesHandler(fs, file) || reexportsAll(fs, file));
}

function parsedSource(fs: FileSystem, file: string): ts.SourceFile | undefined {
  const text = fs.readFile(file);
  if (text === undefined) return undefined;
  try {
    return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  } catch {
    return undefined;
  }
}

/** Whether a module exports a Pages handler by name (`export const onRequestGet = ...`, `export { x as onRequest }`). */
function exportsPagesHandler(fs: FileSystem, file: string): boolean {
  const source = parsedSource(fs, file);
  if (!source) return false;
  const exported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  return source.statements.some((statement) => {
    if (ts.isFunctionDeclaration(statement) && exported(statement)) return statement.name?.text.startsWith("onRequest") === true;
    if (ts.isVariableStatement(statement) && exported(statement))
      return statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text.startsWith("onRequest"));
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause))
      return statement.exportClause.elements.some((e) => e.name.text.startsWith("onRequest"));
    return false;
  });
}

/** Whether a module has `export * from "..."`, whose names (an onRequest among them) are not read here. */
function reexportsAll(fs: FileSystem, file: string): boolean {
  const source = parsedSource(fs, file);
  return (
    source?.statements.some((s) => ts.isExportDeclaration(s) && s.exportClause === undefined && s.moduleSpecifier !== undefined) === true
  );
}

/**
 * The TanStack Start server entry (`@tanstack/react-start/server-entry`) a project's entry file
 * loads with a dynamic `import(...)`, or undefined.
 */
function tanstackEntryImportedBy(fs: FileSystem, file: string): string | undefined {
  const text = fs.readFile(file);
  // Only a file that names the entry is parsed (a cheap gate; the parse below finds the import).
  if (text === undefined || text.length > 200_000 || !text.includes("start/server-entry")) return undefined;
  try {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    // An explicit stack: deeply nested code must not exhaust the call stack.
    const stack: ts.Node[] = [source];
    for (let node = stack.pop(), seen = 0; node && seen < 200_000; node = stack.pop(), seen++) {
      const specifier = ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword ? node.arguments[0] : undefined;
      if (specifier && ts.isStringLiteralLike(specifier) && isTanStackServerEntry(specifier.text)) return specifier.text;
      ts.forEachChild(node, (child) => {
        stack.push(child);
      });
    }
  } catch {
    // Code the parser cannot take (nesting beyond its stack): not read as TanStack Start's entry.
  }
  return undefined;
}
