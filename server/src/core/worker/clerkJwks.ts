// Clerk's session checks verify the session JWT in the Worker, with a key from one of two places
// (@clerk/backend, tokens/keys.ts): given `jwtKey` (the instance's PEM public key), a local key and no
// network at all; without it, the JWKS read from the Backend API (`GET https://api.clerk.com/v1/jwks`
// with the secret key), kept in a module-level cache of the isolate that expires after five minutes.
// So `authenticateRequest(request, opts)` on a client, `verifyToken(token, opts)` and Hono's
// `clerkMiddleware(opts?)` (@hono/clerk-auth, which calls authenticateRequest with its options) are
// one round trip to api.clerk.com without `jwtKey` (counted, as OpenAuth's `verify` counts the key
// set its client caches), and none with it. The options of the client's factory
// (`createClerkClient({ jwtKey })`) are the defaults of its `authenticateRequest`.
import ts from "typescript";
import { unwrapExpression } from "./module";
import { declarationOf } from "./syntax";

const {
  isIdentifier,
  isObjectLiteralExpression,
  isVariableDeclaration,
  isCallExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
} = ts;

/** The Backend API host the JWKS is read from. */
export const CLERK_JWKS_HOST = "api.clerk.com";

/** Clerk's calls that verify a session token (as a client's method, or an exported function). */
const VERIFIERS = new Set(["authenticateRequest", "verifyToken"]);

/** Where the options are: `authenticateRequest(request, opts)`, `verifyToken(token, opts)`, `clerkMiddleware(opts)`. */
function optionsIndex(name: string): number | undefined {
  if (VERIFIERS.has(name)) return 1;
  if (name === "clerkMiddleware") return 0;
  return undefined;
}

/** Whether options (an object literal, or a variable holding one) set `jwtKey`. */
function setsJwtKey(expression: ts.Expression | undefined, depth = 0): boolean {
  if (!expression || depth > 4) return false;
  const value = unwrapExpression(expression);
  if (isIdentifier(value)) {
    const declaration = declarationOf(value);
    return !!declaration && isVariableDeclaration(declaration) && setsJwtKey(declaration.initializer, depth + 1);
  }
  if (!isObjectLiteralExpression(value)) return false;
  return value.properties.some(
    (p) =>
      ((isPropertyAssignment(p) || isShorthandPropertyAssignment(p)) && isIdentifier(p.name) && p.name.text === "jwtKey") ||
      (ts.isSpreadAssignment(p) && setsJwtKey(p.expression, depth + 1)),
  );
}

/** The options a client was made with: `createClerkClient({ ... })`, directly or held in a variable. */
function factoryOptions(client: ts.Expression | undefined, depth = 0): ts.Expression | undefined {
  if (!client || depth > 4) return undefined;
  const value = unwrapExpression(client);
  if (isCallExpression(value)) return value.arguments[0];
  if (!isIdentifier(value)) return undefined;
  const declaration = declarationOf(value);
  return declaration && isVariableDeclaration(declaration) ? factoryOptions(declaration.initializer, depth + 1) : undefined;
}

/**
 * The note of a Clerk call that reads the JWKS from the Backend API (no `jwtKey` in its options nor in
 * its client's), or undefined: not such a call, or one that verifies with a local key. `name` is the
 * method or function called; `client` the client it is called on (a method), if any.
 */
export function clerkJwksFetch(
  packageName: string,
  name: string,
  args: readonly ts.Expression[],
  client?: ts.Expression,
): string | undefined {
  const index = optionsIndex(name);
  if (index === undefined) return undefined;
  // (`clerkMiddleware` of the Next.js, Astro, ... integrations: the framework's own, counted by its entry.)
  if (name === "clerkMiddleware" && packageName !== "@hono/clerk-auth") return undefined;
  if (setsJwtKey(args[index]) || setsJwtKey(factoryOptions(client))) return undefined;
  return `Clerk ${name}() without jwtKey reads the JWKS from ${CLERK_JWKS_HOST} (cached in the isolate for five minutes): one round trip`;
}
