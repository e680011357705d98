import ts from "typescript";
import { joinPath, normalizePath, type FileSystem } from "../../fs";
import { unwrapExpression } from "../module";
import { parseConfigFile } from "../syntax";

const { isCallExpression, isExportAssignment, isIdentifier, isObjectLiteralExpression, isPropertyAssignment, isStringLiteralLike } = ts;

export const NUXT_CONFIG_FILES = ["nuxt.config.ts", "nuxt.config.mts", "nuxt.config.js", "nuxt.config.mjs"];
export const NITRO_CONFIG_FILES = ["nitro.config.ts", "nitro.config.mts", "nitro.config.js", "nitro.config.mjs"];

/** Whether `dir` holds a Nuxt or a Nitro config file. */
export function hasNitroConfig(fs: FileSystem, dir: string): boolean {
  return [...NUXT_CONFIG_FILES, ...NITRO_CONFIG_FILES].some((name) => fs.stat(joinPath(dir, name)) === "file");
}

/**
 * The properties of the object a Nuxt or Nitro config exports (`export default
 * defineNitroConfig({ srcDir: "./src" })`, `defineConfig(...)`, `defineNuxtConfig(...)`, a plain
 * object, or a module constant holding one), by name. Parsed with TypeScript's parser, never run.
 */
function configProperties(fs: FileSystem, root: string, names: readonly string[]): Map<string, ts.Expression> | undefined {
  const source = parseConfigFile(fs, root, names);
  if (!source) return undefined;
  const properties = new Map<string, ts.Expression>();
  for (const statement of source.statements) {
    if (!isExportAssignment(statement) || statement.isExportEquals) continue;
    let config = unwrapExpression(statement.expression);
    if (isCallExpression(config) && config.arguments[0]) config = unwrapExpression(config.arguments[0]);
    if (isIdentifier(config)) config = constantNamed(source, config.text) ?? config;
    if (!isObjectLiteralExpression(config)) continue;
    for (const property of config.properties) {
      if (!isPropertyAssignment(property) || !(isIdentifier(property.name) || isStringLiteralLike(property.name))) continue;
      properties.set(property.name.text, unwrapExpression(property.initializer));
    }
  }
  return properties;
}

/** The string properties of the object a Nuxt or Nitro config exports (see configProperties). */
function configStrings(fs: FileSystem, root: string, names: readonly string[]): Map<string, string> | undefined {
  const properties = configProperties(fs, root, names);
  if (!properties) return undefined;
  const strings = new Map<string, string>();
  for (const [name, value] of properties) if (isStringLiteralLike(value)) strings.set(name, value.text);
  return strings;
}

/** Whether a Nuxt app's config turns server rendering off (`ssr: false`): its pages are then rendered in the browser. */
export function nuxtServerRenderingOff(fs: FileSystem, root: string): boolean {
  return configProperties(fs, root, NUXT_CONFIG_FILES)?.get("ssr")?.kind === ts.SyntaxKind.FalseKeyword;
}

/**
 * The folder a Nuxt app's `app.vue`, `pages/` and `layouts/` are in: the config's `srcDir`, else
 * `app/` (Nuxt 4's default) when it holds them, else the root (Nuxt 3's).
 */
export function nuxtSourceDir(fs: FileSystem, root: string): string {
  const srcDir = configStrings(fs, root, NUXT_CONFIG_FILES)?.get("srcDir");
  if (srcDir !== undefined) return folder(srcDir) === "" ? root : joinPath(root, folder(srcDir));
  const app = joinPath(root, "app");
  const holdsApp = (dir: string): boolean =>
    fs.stat(joinPath(dir, "app.vue")) === "file" || fs.stat(joinPath(dir, "pages")) === "directory";
  return holdsApp(app) || !holdsApp(root) ? (fs.stat(app) === "directory" ? app : root) : root;
}

/** The object literal a top-level `const name = { ... }` (or `= defineConfig({ ... })`) holds. */
function constantNamed(source: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!isIdentifier(declaration.name) || declaration.name.text !== name || !declaration.initializer) continue;
      let value = unwrapExpression(declaration.initializer);
      if (isCallExpression(value) && value.arguments[0]) value = unwrapExpression(value.arguments[0]);
      return value;
    }
  }
  return undefined;
}

/** A config path relative to the app's root, without `./` and a trailing `/`; "" for the root itself. */
function folder(value: string): string {
  return normalizePath(value)
    .replace(/^(\.\/)+/, "")
    .replace(/\/+$/, "")
    .replace(/^\.$/, "");
}

/**
 * The folders that may hold the Nitro server's `routes/`, `api/`, `middleware/`, `plugins/` and
 * `utils/` of a Nuxt or Nitro app rooted at `root`, most likely first. A Nuxt config's `serverDir`,
 * else `<srcDir>/server` (Nuxt 3) and `server/` (Nuxt 4 keeps it at the root whatever `srcDir`
 * says); a Nitro config's `serverDir` (Nitro 3) or `srcDir` (Nitro 2); by default `server/`, then
 * the root (a standalone Nitro app keeps them there).
 */
export function nitroServerDirs(fs: FileSystem, root: string): string[] {
  const at = (relative: string): string => (relative === "" ? root : joinPath(root, relative));
  const dirs: string[] = [];
  const nuxt = configStrings(fs, root, NUXT_CONFIG_FILES);
  if (nuxt) {
    const serverDir = nuxt.get("serverDir");
    const srcDir = nuxt.get("srcDir");
    if (serverDir !== undefined) dirs.push(at(folder(serverDir)));
    else if (srcDir !== undefined && folder(srcDir) !== "") dirs.push(at(joinPath(folder(srcDir), "server")));
  } else {
    const nitro = configStrings(fs, root, NITRO_CONFIG_FILES);
    const dir = nitro?.get("serverDir") ?? nitro?.get("srcDir");
    if (dir !== undefined) dirs.push(at(folder(dir)));
  }
  dirs.push(joinPath(root, "server"), root);
  return [...new Set(dirs)];
}

/** One entry of a Nitro config's `storage`: the unstorage driver it names and the options read as strings. */
export interface NitroStorageMount {
  /** The mount's base, as unstorage normalises it (`/redis/` and `redis` are both `redis`). */
  readonly base: string;
  /** The `driver` string; undefined when it is not a literal (computed, spread in). */
  readonly driver: string | undefined;
  /** The mount's other literal string options (`binding`, `base`, `url`). */
  readonly options: ReadonlyMap<string, string>;
}

/**
 * The storage mounts a Nuxt or Nitro app's config declares for the deployed server: nuxt.config's
 * `nitro.storage`, else nitro.config's `storage` (`devStorage` is used only by `nitro dev` and the
 * prerenderer, never by a deploy). Read with TypeScript's parser, never run. Undefined when the app
 * has no such config; `complete` is false when an entry could not be read (a spread, a computed
 * key), so a base not listed may still be mounted.
 */
export function nitroStorageMounts(fs: FileSystem, root: string): { mounts: NitroStorageMount[]; complete: boolean } | undefined {
  const nuxt = configObject(fs, root, NUXT_CONFIG_FILES);
  const nitroOptions = nuxt ? objectProperty(nuxt, "nitro") : configObject(fs, root, NITRO_CONFIG_FILES);
  if (!nuxt && !nitroOptions) return undefined;
  const mounts: NitroStorageMount[] = [];
  if (nitroOptions === null) return { mounts, complete: false };
  const storage = nitroOptions ? objectProperty(nitroOptions, "storage") : undefined;
  if (storage === undefined) return { mounts, complete: true };
  if (storage === null) return { mounts, complete: false };
  let complete = true;
  for (const property of storage.properties) {
    const key = propertyKey(property);
    const value = key !== undefined && isPropertyAssignment(property) ? unwrapExpression(property.initializer) : undefined;
    if (key === undefined || !value || !isObjectLiteralExpression(value)) {
      complete = false;
      continue;
    }
    let driver: string | undefined;
    const options = new Map<string, string>();
    for (const option of value.properties) {
      const name = propertyKey(option);
      const initializer = name !== undefined && isPropertyAssignment(option) ? unwrapExpression(option.initializer) : undefined;
      if (name === undefined || !initializer || !isStringLiteralLike(initializer)) continue;
      if (name === "driver") driver = initializer.text;
      else options.set(name, initializer.text);
    }
    mounts.push({ base: normalizeStorageBase(key), driver, options });
  }
  return { mounts, complete };
}

/** unstorage's base key: `/` and `\` read as `:`, no empty segments (`/cache/db/` is `cache:db`). */
export function normalizeStorageBase(base: string): string {
  return base
    .split(/[:/\\]/)
    .filter((segment) => segment !== "")
    .join(":");
}

/** The object literal a Nuxt or Nitro config exports (see configStrings). */
function configObject(fs: FileSystem, root: string, names: readonly string[]): ts.ObjectLiteralExpression | undefined {
  const source = parseConfigFile(fs, root, names);
  if (!source) return undefined;
  for (const statement of source.statements) {
    if (!isExportAssignment(statement) || statement.isExportEquals) continue;
    let config = unwrapExpression(statement.expression);
    if (isCallExpression(config) && config.arguments[0]) config = unwrapExpression(config.arguments[0]);
    if (isIdentifier(config)) config = constantNamed(source, config.text) ?? config;
    if (isObjectLiteralExpression(config)) return config;
  }
  return undefined;
}

/**
 * The object literal a property of `object` holds: undefined when there is no such property, null
 * when it holds something else or the object may get it otherwise (a spread).
 */
function objectProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralExpression | null | undefined {
  let found: ts.ObjectLiteralExpression | null | undefined;
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) found = found ?? null;
    if (propertyKey(property) !== name) continue;
    const value = isPropertyAssignment(property) ? unwrapExpression(property.initializer) : undefined;
    found = value && isObjectLiteralExpression(value) ? value : null;
  }
  return found;
}

function propertyKey(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  return name && (isIdentifier(name) || isStringLiteralLike(name)) ? name.text : undefined;
}
