import type { NitroStorageMount } from "./handlers/nitroConfig";

/**
 * Nitro's storage layer (`useStorage(base)`, unstorage underneath): where a call on a storage
 * goes depends on the driver mounted at its base in the app's config. Nitro mounts nothing by
 * default on Cloudflare's presets (the `data` mount on the filesystem is for Node presets, `cache`
 * on the filesystem is for `nitro dev`), so an unmounted base is the root storage, in memory.
 */
export type StorageDriverClass =
  /** The data stays in the Worker's isolate (memory, an LRU cache, nothing at all). */
  | { readonly kind: "in-process"; readonly driver: string }
  /** A Workers KV or R2 binding: a Cloudflare binding, not a back end. */
  | { readonly kind: "kv" | "r2"; readonly driver: string; readonly binding: string }
  /** A service reached over the network: a round trip to `target` (a host when the config names one). */
  | { readonly kind: "remote"; readonly driver: string; readonly target: string; readonly host?: string }
  /** A driver that is not a literal in the config. */
  | { readonly kind: "unknown"; readonly driver: undefined };

/** Drivers that keep data in the isolate (both of unstorage's spellings: `fs-lite` and `fsLite`). */
const IN_PROCESS_DRIVERS = new Set(["memory", "fs", "fs-lite", "fsLite", "lru-cache", "lruCache", "null"]);
const KV_BINDING_DRIVERS = new Set(["cloudflare-kv-binding", "cloudflareKVBinding"]);
const R2_BINDING_DRIVERS = new Set(["cloudflare-r2-binding", "cloudflareR2Binding"]);
/** KV through Cloudflare's REST API: a request to api.cloudflare.com, not the binding. */
const KV_HTTP_DRIVERS = new Set(["cloudflare-kv-http", "cloudflareKVHTTP"]);

/** What a mount's driver is, by unstorage's driver names. Any other named driver reaches a service over the network. */
export function storageDriverClass(mount: NitroStorageMount): StorageDriverClass {
  const driver = mount.driver;
  if (driver === undefined) return { kind: "unknown", driver: undefined };
  if (IN_PROCESS_DRIVERS.has(driver)) return { kind: "in-process", driver };
  // (unstorage's defaults when no binding is named: `STORAGE` for KV, `BUCKET` for R2.)
  if (KV_BINDING_DRIVERS.has(driver)) return { kind: "kv", driver, binding: mount.options.get("binding") ?? "STORAGE" };
  if (R2_BINDING_DRIVERS.has(driver)) return { kind: "r2", driver, binding: mount.options.get("binding") ?? "BUCKET" };
  if (KV_HTTP_DRIVERS.has(driver)) return { kind: "remote", driver, target: "api.cloudflare.com", host: "api.cloudflare.com" };
  // `http` (`base`), `redis` / `upstash` (`url`): the host when the config gives a literal URL.
  const host = hostOf(mount.options.get("base")) ?? hostOf(mount.options.get("url"));
  return host ? { kind: "remote", driver, target: host, host } : { kind: "remote", driver, target: driver };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const { protocol, hostname } = new URL(url);
  return ["http:", "https:", "redis:", "rediss:"].includes(protocol) && hostname !== "" ? hostname : undefined;
}

/**
 * The mount a key under `base` is stored in: the longest mount base that is the key's base or a
 * parent of it (unstorage's `getMount`). Undefined: the root storage.
 */
export function mountFor(mounts: readonly NitroStorageMount[], base: string): NitroStorageMount | undefined {
  let found: NitroStorageMount | undefined;
  for (const mount of mounts) {
    if (mount.base === "" || !(base === mount.base || base.startsWith(mount.base + ":"))) continue;
    if (!found || mount.base.length > found.base.length) found = mount;
  }
  return found;
}

/** The storage methods that reach the driver; the rest (`mount`, `getMount`, `watch`) work in the Worker. */
export const STORAGE_SENDS = [
  "hasItem",
  "getItem",
  "getItems",
  "getItemRaw",
  "setItem",
  "setItems",
  "setItemRaw",
  "removeItem",
  "getMeta",
  "setMeta",
  "removeMeta",
  "getKeys",
  "clear",
  "has",
  "get",
  "set",
  "del",
  "remove",
  "keys",
] as const;
