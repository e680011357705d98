import ts from "typescript";
import { basename, dirname, joinPath } from "../fs";
import type { AnalysisContext } from "./context";
import { listFiles, nearestManifest } from "./handlers/frameworks";
import { hasNitroConfig, nitroServerDirs, nitroStorageMounts, type NitroStorageMount } from "./handlers/nitroConfig";
import { moduleVariable, type ExportBinding, type ModuleFacts } from "./module";
import { isSourceFile } from "./resolve";
import type { FunctionRef } from "./syntax";

/**
 * What Nitro (Nuxt's server) imports by itself into `server/api`, `server/routes` and
 * `server/middleware`: h3's request utilities and Nitro's runtime helpers. None of them is a round
 * trip to a back end (`$fetch` and `proxyRequest` are classified as calls before this is asked).
 */
const NITRO_GLOBALS = new Set([
  "defineEventHandler",
  "eventHandler",
  "defineLazyEventHandler",
  "lazyEventHandler",
  "defineCachedEventHandler",
  "cachedEventHandler",
  "defineCachedFunction",
  "cachedFunction",
  "defineNitroPlugin",
  "defineRouteMeta",
  "defineTask",
  "runTask",
  "useRuntimeConfig",
  "useAppConfig",
  "useStorage",
  "useNitroApp",
  "useEvent",
  "createError",
  "readBody",
  "readRawBody",
  "readFormData",
  "readMultipartFormData",
  "readValidatedBody",
  "getQuery",
  "getValidatedQuery",
  "getRouterParam",
  "getRouterParams",
  "getValidatedRouterParams",
  "getCookie",
  "setCookie",
  "deleteCookie",
  "parseCookies",
  "getHeader",
  "getHeaders",
  "getRequestHeader",
  "getRequestHeaders",
  "setHeader",
  "setHeaders",
  "setResponseHeader",
  "setResponseHeaders",
  "setResponseStatus",
  "appendHeader",
  "appendResponseHeader",
  "getRequestURL",
  "getRequestHost",
  "getRequestIP",
  "getRequestProtocol",
  "getMethod",
  "isMethod",
  "assertMethod",
  "sendRedirect",
  "sendStream",
  "sendError",
  "sendNoContent",
  "send",
  "handleCors",
  "useSession",
  "getSession",
  "updateSession",
  "clearSession",
  "sealSession",
  "unsealSession",
  "requireUserSession",
  "getUserSession",
  "setUserSession",
  "replaceUserSession",
  "clearUserSession",
  "hashPassword",
  "verifyPassword",
  "getResponseStatus",
  "setResponseStatus",
  // NuxtHub's (classified where they are used: `hubDatabase()` is the D1 database).
  "hubDatabase",
  "hubKV",
  "hubBlob",
  "hubAI",
  "hubCache",
]);

/**
 * Nitro's auto-imports: functions exported from `server/utils/**` are global in the server's
 * routes, used without an import (`await useWAE(event, sql)`). A free name called in a module of a
 * Nitro server is looked up there.
 */
export class NitroAutoImports {
  private readonly serverDirs = new Map<string, string | null>();
  private readonly utilsByServer = new Map<string, ModuleFacts[]>();
  private readonly nuxtHub = new Map<string, boolean>();
  private readonly storageByServer = new Map<string, { mounts: NitroStorageMount[]; complete: boolean } | null>();

  constructor(private readonly ctx: AnalysisContext) {}

  /** The Nitro server folder a module belongs to (`<root>/server`, or a standalone Nitro app's root). */
  serverDirOf(module: ModuleFacts): string | undefined {
    const start = dirname(module.path);
    const known = this.serverDirs.get(start);
    if (known !== undefined) return known ?? undefined;
    const { fs } = this.ctx;
    let found: string | null = null;
    for (let dir = start, i = 0; i < 12; i++) {
      if (basename(dir) === "server" && ["api", "routes", "middleware", "utils"].some((d) => fs.stat(joinPath(dir, d)) === "directory")) {
        found = dir;
        break;
      }
      // The app's root: the server folder its config names (`srcDir`, `serverDir`), else `server/`, else the root.
      if (hasNitroConfig(fs, dir)) {
        found = nitroServerDirs(fs, dir).find((d) => fs.stat(d) === "directory") ?? dir;
        if (start !== found && !start.startsWith(found + "/")) found = null;
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    this.serverDirs.set(start, found);
    return found ?? undefined;
  }

  /**
   * Whether a module is server code of a NuxtHub app (`@nuxthub/core` in its package.json), whose
   * `db` (Drizzle) and `hubDatabase()` (D1) are auto-imported, over the app's D1 database.
   */
  isNuxtHub(module: ModuleFacts): boolean {
    const server = this.serverDirOf(module);
    if (!server) return false;
    let known = this.nuxtHub.get(server);
    if (known === undefined) {
      known = nearestManifest(this.ctx.fs, dirname(server))?.dependencies.has("@nuxthub/core") ?? false;
      this.nuxtHub.set(server, known);
    }
    // Said by package.json, not by the walked code's imports: a walk it decides is not kept.
    if (known) this.ctx.walker.cutWalk();
    return known;
  }

  /**
   * The storage mounts the config of the Nitro app a module belongs to declares for a deploy (see
   * nitroStorageMounts); undefined outside a Nitro server or without a config file.
   */
  storageMountsOf(module: ModuleFacts): { mounts: NitroStorageMount[]; complete: boolean } | undefined {
    const server = this.serverDirOf(module);
    if (!server) return undefined;
    // Said by the app's config, not by the walked code's imports: a walk it decides is not kept.
    this.ctx.walker.cutWalk();
    let known = this.storageByServer.get(server);
    if (known === undefined) {
      known = null;
      // The config sits in the server folder's app root: the folder itself (a standalone Nitro app) or above it.
      for (let dir = server, i = 0; i < 3; i++, dir = dirname(dir)) {
        if (!hasNitroConfig(this.ctx.fs, dir)) continue;
        known = nitroStorageMounts(this.ctx.fs, dir) ?? null;
        break;
      }
      this.storageByServer.set(server, known);
    }
    return known ?? undefined;
  }

  /** Whether a free name is one Nitro or h3 provides. */
  isFrameworkGlobal(name: string): boolean {
    return NITRO_GLOBALS.has(name);
  }

  /** The function a free name stands for in a Nitro server module: an export of `utils/`. */
  functionNamed(name: string, module: ModuleFacts): FunctionRef | undefined {
    for (const { exported, utils } of this.utilsExports(name, module)) {
      if (exported.declaration && ts.isFunctionDeclaration(exported.declaration)) return { fn: exported.declaration, module: utils };
      if (exported.expression) return this.ctx.values.functionFrom(exported.expression, utils);
      const local = exported.local;
      if (!local) continue;
      const fn = utils.functions.get(local);
      if (fn) return { fn, module: utils };
      const initializer = moduleVariable(utils, local)?.initializer;
      if (initializer) return this.ctx.values.functionFrom(initializer, utils);
    }
    return undefined;
  }

  /** The value a free name stands for in a Nitro server module: a constant exported from `utils/` (`export const api = $fetch.create(...)`). */
  valueNamed(name: string, module: ModuleFacts): { expression: ts.Expression; module: ModuleFacts } | undefined {
    // The runtime's own globals (`console`, `crypto`, `Response`) are never the utils' exports.
    if (name in globalThis || NITRO_GLOBALS.has(name)) return undefined;
    for (const { exported, utils } of this.utilsExports(name, module)) {
      if (exported.expression) return { expression: exported.expression, module: utils };
      const initializer = exported.local ? moduleVariable(utils, exported.local)?.initializer : undefined;
      if (initializer) return { expression: initializer, module: utils };
    }
    return undefined;
  }

  /** The exports named `name` of the `utils/` modules of the Nitro server a module belongs to. */
  private *utilsExports(name: string, module: ModuleFacts): Generator<{ exported: ExportBinding; utils: ModuleFacts }> {
    const server = this.serverDirOf(module);
    if (!server) return;
    // The utilities are found on disk, not through imports: the walk that reads them is not kept.
    this.ctx.walker.cutWalk();
    for (const utils of this.utilsOf(server)) {
      const exported = utils.exports.get(name);
      if (exported) yield { exported, utils };
    }
  }

  private utilsOf(server: string): ModuleFacts[] {
    let modules = this.utilsByServer.get(server);
    if (modules) return modules;
    modules = [];
    const files = listFiles(this.ctx.fs, joinPath(server, "utils"), (p) => isSourceFile(p) && !p.endsWith(".d.ts")).slice(0, 64);
    for (const file of files) {
      this.ctx.loader.load(file);
      const module = this.ctx.loader.modules.get(file);
      if (module) modules.push(module);
    }
    this.utilsByServer.set(server, modules);
    return modules;
  }
}
