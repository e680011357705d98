import type { SubrequestKind } from "./types";

/**
 * Libraries whose clients talk to a back end over the network. A client is a value made by one of
 * the `factories` (called or constructed); every awaited call on it (`sql\`...\``, `client.query()`,
 * `supabase.from("x").select()`) is one round trip to `host` (or to the host of the URL the client
 * was made with, when that can be resolved).
 */
export interface SdkInfo {
  readonly name: string;
  readonly kind: SubrequestKind;
  /** Exported factories that create a client; "*" for the default export / namespace. */
  readonly factories: readonly string[];
  /** The service's host when it is fixed (an API), else null (a database at the user's URL). */
  readonly host: string | null;
  /** Globally distributed services are not back ends for Smart Placement. */
  readonly global?: boolean;
}

export const SDKS: Readonly<Record<string, SdkInfo>> = {
  "@neondatabase/serverless": { name: "Neon", kind: "sdk", factories: ["neon", "Pool", "Client"], host: null },
  "@supabase/supabase-js": { name: "Supabase", kind: "sdk", factories: ["createClient"], host: null },
  "@planetscale/database": { name: "PlanetScale", kind: "sdk", factories: ["connect", "Client"], host: null },
  "@upstash/redis": { name: "Upstash Redis", kind: "sdk", factories: ["Redis"], host: null },
  "@upstash/redis/cloudflare": { name: "Upstash Redis", kind: "sdk", factories: ["Redis"], host: null },
  "@libsql/client": { name: "libSQL/Turso", kind: "sdk", factories: ["createClient"], host: null },
  "@libsql/client/web": { name: "libSQL/Turso", kind: "sdk", factories: ["createClient"], host: null },
  "@prisma/client": { name: "Prisma", kind: "sdk", factories: ["PrismaClient"], host: null },
  "@prisma/client/edge": { name: "Prisma Accelerate", kind: "sdk", factories: ["PrismaClient"], host: "accelerate.prisma-data.net" },
  pg: { name: "PostgreSQL (pg)", kind: "sdk", factories: ["Client", "Pool", "*"], host: null },
  postgres: { name: "PostgreSQL (postgres.js)", kind: "sdk", factories: ["*"], host: null },
  mysql2: { name: "MySQL", kind: "sdk", factories: ["createConnection", "createPool"], host: null },
  "mysql2/promise": { name: "MySQL", kind: "sdk", factories: ["createConnection", "createPool"], host: null },
  "@vercel/postgres": { name: "Vercel Postgres", kind: "sdk", factories: ["createClient", "createPool", "sql"], host: null },
  mongodb: { name: "MongoDB", kind: "sdk", factories: ["MongoClient"], host: null },
  "@aws-sdk/client-dynamodb": { name: "DynamoDB", kind: "sdk", factories: ["DynamoDBClient", "DynamoDB"], host: "dynamodb.amazonaws.com" },
  "@aws-sdk/client-s3": { name: "Amazon S3", kind: "sdk", factories: ["S3Client", "S3"], host: "s3.amazonaws.com" },
  openai: { name: "OpenAI", kind: "sdk", factories: ["*", "OpenAI"], host: "api.openai.com" },
  "@anthropic-ai/sdk": { name: "Anthropic", kind: "sdk", factories: ["*", "Anthropic"], host: "api.anthropic.com" },
  stripe: { name: "Stripe", kind: "sdk", factories: ["*", "Stripe"], host: "api.stripe.com" },
  octokit: { name: "GitHub", kind: "sdk", factories: ["Octokit", "App"], host: "api.github.com" },
  "@octokit/rest": { name: "GitHub", kind: "sdk", factories: ["Octokit"], host: "api.github.com" },
  resend: { name: "Resend", kind: "sdk", factories: ["Resend"], host: "api.resend.com" },
  googleapis: { name: "Google APIs", kind: "sdk", factories: ["google", "*"], host: "googleapis.com", global: true },
};

/** Drizzle wraps a driver: `drizzle(env.DB)` is D1, `drizzle(sql)` is whatever `sql` is. */
export const DRIZZLE_MODULE_PREFIX = "drizzle-orm";

/**
 * Libraries known to make network round trips that cannot be counted from the outside (auth
 * flows, ORMs with lazy relations): an awaited call on them makes the count unknown.
 */
export const OPAQUE_LIBRARIES: ReadonlyArray<{ prefix: string; name: string }> = [
  { prefix: "better-auth", name: "better-auth" },
  { prefix: "@auth/", name: "Auth.js" },
  { prefix: "next-auth", name: "NextAuth" },
  { prefix: "lucia", name: "Lucia" },
  { prefix: "@clerk/", name: "Clerk" },
  { prefix: "@workos-inc/", name: "WorkOS" },
  { prefix: "firebase-admin", name: "Firebase Admin" },
  { prefix: "firebase", name: "Firebase" },
  { prefix: "@cloudflare/workers-oauth-provider", name: "OAuth provider" },
];

export function sdkFor(moduleName: string): SdkInfo | undefined {
  return SDKS[moduleName];
}

export function opaqueLibrary(moduleName: string): string | undefined {
  return OPAQUE_LIBRARIES.find((lib) => moduleName === lib.prefix || moduleName.startsWith(lib.prefix))?.name;
}
