// Middleware a package makes, run by a middleware of the project with its own context and `next`:
// `app.use("/x/*", (c, next) => guard({ key })(c, next))`, or `const mw = guard({ key }); return
// mw(c, next)`. What the package's middleware does before it calls `next` is the package's code,
// which the analyser does not read: a library the tables know is counted by its entry (Clerk's
// `clerkMiddleware()` verifies a JWT in the Worker: none; an OAuth sign-in: its round trips), the
// framework's own and local-work packages (`hono/cors`, `hono/jwt`, `@hono/zod-validator`) make
// none, and any other package is unknown, named, never a silent 0.
import { isLocalWorkPackage, libraryFor, opaqueLibrary } from "./sdks";

export type PackageMiddleware =
  /** Works in the Worker: only the async callbacks of its options (the project's code) run. */
  | { readonly kind: "local" }
  /** A library of the tables (or one known to make round trips): its factory call, walked as awaited, says what it costs. */
  | { readonly kind: "library" }
  /** A package the analyser knows nothing of: unknown, naming it. */
  | { readonly kind: "unknown"; readonly package: string };

/** What middleware made by `name` of the package `moduleName` costs (see above). */
export function packageMiddleware(moduleName: string): PackageMiddleware {
  if (libraryFor(moduleName) || opaqueLibrary(moduleName)) return { kind: "library" };
  if (isLocalWorkPackage(moduleName)) return { kind: "local" };
  return { kind: "unknown", package: moduleName };
}

/** The reason given for middleware of an unknown package run on the path. */
export function unknownMiddlewareReason(construct: string, factory: string, moduleName: string, at: string): string {
  return `${construct} runs middleware made by ${factory}(...) from "${moduleName}", a package the analyser does not read: what it does before the route's handler (an auth or rate-limit check may be a round trip) cannot be seen (${at})`;
}
