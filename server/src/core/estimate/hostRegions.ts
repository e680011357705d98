import { findRegion, type CloudProvider } from "../data/regions";
import { edgeByCode, edgePlace, regionPlace, type Place } from "./places";

/**
 * Providers that put the region in a host name, and how to read it. Each entry is documented by
 * its examples, and `test/unit/estimate.test.ts` checks every example, so the table and its
 * documentation (README, "Where the back ends are") cannot drift apart.
 */
export interface HostRegionRule {
  /** Who names hosts this way. */
  readonly provider: string;
  /** The host names it covers, for people: `*.<region>.rds.amazonaws.com`. */
  readonly shape: string;
  /** Example host names with the location each one resolves to (a region id or a location code), or null when it names none. */
  readonly examples: ReadonlyArray<readonly [host: string, location: string | null]>;
  /** The location, or undefined when the host is not this provider's or names no region. */
  readonly locate: (labels: readonly string[]) => Place | undefined;
}

/** A region of a provider, as a place; undefined when the code is not one. */
function region(provider: CloudProvider, code: string | undefined): Place | undefined {
  const found = code ? findRegion(`${provider}:${code}`) : undefined;
  return found ? regionPlace(found) : undefined;
}

/** Whether the labels end with the given ones: `["db", "neon", "tech"]` ends with `["neon", "tech"]`. */
function endsWith(labels: readonly string[], suffix: readonly string[]): boolean {
  if (labels.length <= suffix.length) return false;
  return suffix.every((label, i) => labels[labels.length - suffix.length + i] === label);
}

/** The first label (before the suffix) that is, or ends in `-<code>` of, a region of the provider. */
function regionLabel(provider: CloudProvider, labels: readonly string[], suffixLength: number): Place | undefined {
  for (const label of labels.slice(0, labels.length - suffixLength)) {
    const exact = region(provider, label);
    if (exact) return exact;
  }
  for (const label of labels.slice(0, labels.length - suffixLength)) {
    const parts = label.split("-");
    for (let i = 1; i < parts.length; i++) {
      const found = region(provider, parts.slice(i).join("-"));
      if (found) return found;
    }
  }
  return undefined;
}

/** `us-east-1-2` (a zone number after the region), `eu-central-1`: the region code. */
function withoutZone(provider: CloudProvider, label: string): Place | undefined {
  return region(provider, label) ?? region(provider, label.replace(/-\d+$/, ""));
}

/** Render's regions, placed at the cloud region in the same area. */
const RENDER_REGIONS: Readonly<Record<string, string>> = {
  oregon: "us-west-2",
  ohio: "us-east-2",
  virginia: "us-east-1",
  frankfurt: "eu-central-1",
  singapore: "ap-southeast-1",
};

/** Upstash's short region prefixes of regional Redis endpoints. */
const UPSTASH_PREFIXES: Readonly<Record<string, string>> = {
  us1: "us-east-1",
  usw1: "us-west-1",
  usw2: "us-west-2",
  eu1: "eu-west-1",
  eu2: "eu-central-1",
  apn1: "ap-northeast-1",
};

/** DigitalOcean data-centre slugs, placed at the Cloudflare location of the same city. */
const DIGITALOCEAN_CITIES: Readonly<Record<string, string>> = {
  nyc: "EWR",
  sfo: "SFO",
  ams: "AMS",
  fra: "FRA",
  lon: "LHR",
  sgp: "SIN",
  blr: "BLR",
  tor: "YYZ",
  syd: "SYD",
};

/** Fly.io region codes (Turso's older locations) are IATA codes of the city's airport. */
function flyCode(code: string | undefined): Place | undefined {
  const edge = code && code.length === 3 ? edgeByCode(code) : undefined;
  return edge ? edgePlace(edge) : undefined;
}

export const HOST_REGION_RULES: readonly HostRegionRule[] = [
  {
    provider: "Amazon Web Services (RDS, Aurora, S3, API Gateway, Lambda URLs, EC2, DynamoDB, …)",
    shape: "`*.<region>.amazonaws.com`, `*.<region>.on.aws`, `s3-<region>.amazonaws.com`, `*.compute-1.amazonaws.com` (us-east-1)",
    examples: [
      ["mydb.c9akciq32.eu-central-1.rds.amazonaws.com", "aws:eu-central-1"],
      ["my-bucket.s3.us-west-2.amazonaws.com", "aws:us-west-2"],
      ["s3-ap-southeast-2.amazonaws.com", "aws:ap-southeast-2"],
      ["abc123.execute-api.sa-east-1.amazonaws.com", "aws:sa-east-1"],
      ["abc.lambda-url.eu-west-1.on.aws", "aws:eu-west-1"],
      ["ec2-54-1-2-3.compute-1.amazonaws.com", "aws:us-east-1"],
      ["dynamodb.amazonaws.com", null],
    ],
    locate: (labels) => {
      const suffix = endsWith(labels, ["amazonaws", "com"]) ? 2 : endsWith(labels, ["on", "aws"]) ? 2 : 0;
      if (suffix === 0) return undefined;
      if (labels.includes("compute-1")) return region("aws", "us-east-1");
      const s3Dash = labels.find((l) => l.startsWith("s3-"));
      return regionLabel("aws", labels, suffix) ?? region("aws", s3Dash?.slice(3));
    },
  },
  {
    provider: "Neon",
    shape: "`*.<region>.aws.neon.tech`, `*.<region>.azure.neon.tech`",
    examples: [
      ["ep-cool-darkness-123456.us-east-2.aws.neon.tech", "aws:us-east-2"],
      ["ep-cool-darkness-123456-pooler.c-2.eu-central-1.aws.neon.tech", "aws:eu-central-1"],
      ["ep-quiet-sun-987654.germanywestcentral.azure.neon.tech", "azure:germanywestcentral"],
    ],
    locate: (labels) => {
      if (endsWith(labels, ["aws", "neon", "tech"])) return regionLabel("aws", labels, 3);
      if (endsWith(labels, ["azure", "neon", "tech"])) return regionLabel("azure", labels, 3);
      return undefined;
    },
  },
  {
    provider: "Supabase (connection pooler)",
    shape: "`aws-<n>-<region>.pooler.supabase.com`",
    examples: [
      ["aws-0-eu-central-1.pooler.supabase.com", "aws:eu-central-1"],
      ["aws-1-ap-southeast-2.pooler.supabase.com", "aws:ap-southeast-2"],
      ["db.abcdefghijklmnop.supabase.co", null],
    ],
    locate: (labels) => {
      if (!endsWith(labels, ["pooler", "supabase", "com"])) return undefined;
      const match = /^aws-\d+-(.+)$/.exec(labels[0]!);
      return region("aws", match?.[1]);
    },
  },
  {
    provider: "Turso",
    shape: "`*.aws-<region>.turso.io`, `*-<location>.turso.io` (a Fly.io region code, e.g. `fra`)",
    examples: [
      ["mydb-myorg.aws-us-east-1.turso.io", "aws:us-east-1"],
      ["mydb-myorg-fra.turso.io", "FRA"],
      ["mydb-myorg.turso.io", null],
    ],
    locate: (labels) => {
      if (!endsWith(labels, ["turso", "io"])) return undefined;
      const aws = labels.find((l) => l.startsWith("aws-"));
      if (aws) return region("aws", aws.slice(4));
      const first = labels[0]!;
      const dash = first.lastIndexOf("-");
      return dash > 0 ? flyCode(first.slice(dash + 1)) : undefined;
    },
  },
  {
    provider: "Upstash (regional Redis, QStash)",
    shape: "`<us1|usw1|usw2|eu1|eu2|apn1>-*.upstash.io`, `*-<region>.upstash.io`",
    examples: [
      ["eu2-precise-cat-31234.upstash.io", "aws:eu-central-1"],
      ["us1-merry-cat-32748.upstash.io", "aws:us-east-1"],
      ["qstash-us-east-1.upstash.io", "aws:us-east-1"],
      ["fancy-gull-12345.upstash.io", null],
    ],
    locate: (labels) => {
      if (!endsWith(labels, ["upstash", "io"])) return undefined;
      const prefix = labels[0]!.split("-")[0]!;
      return region("aws", UPSTASH_PREFIXES[prefix]) ?? regionLabel("aws", labels, 2);
    },
  },
  {
    provider:
      "Microsoft Azure (SQL Database, PostgreSQL/MySQL, Cosmos DB, App Service, Container Apps, Cache for Redis) where the name has the region",
    shape:
      "`<name>-<region>.database.windows.net`, `<account>-<region>.documents.azure.com`, `*.<region>-01.azurewebsites.net`, `*.<region>.azurecontainerapps.io`, …",
    examples: [
      ["shop-westeurope.database.windows.net", "azure:westeurope"],
      ["orders-pg-eastus2.postgres.database.azure.com", "azure:eastus2"],
      ["myaccount-southeastasia.documents.azure.com", "azure:southeastasia"],
      ["myapp-a1b2c3.westeurope-01.azurewebsites.net", "azure:westeurope"],
      ["api.kindsky-1234.northeurope.azurecontainerapps.io", "azure:northeurope"],
      ["shop.database.windows.net", null],
    ],
    locate: (labels) => {
      const suffixes = [
        ["database", "windows", "net"],
        ["database", "azure", "com"],
        ["documents", "azure", "com"],
        ["azurewebsites", "net"],
        ["azurecontainerapps", "io"],
        ["cache", "windows", "net"],
        ["servicebus", "windows", "net"],
      ];
      const suffix = suffixes.find((s) => endsWith(labels, s));
      if (!suffix) return undefined;
      const zoned = labels.find((l) => /-\d+$/.test(l) && region("azure", l.replace(/-\d+$/, "")));
      return regionLabel("azure", labels, suffix.length) ?? (zoned ? region("azure", zoned.replace(/-\d+$/, "")) : undefined);
    },
  },
  {
    provider: "Google Cloud (Cloud Run, Cloud Functions, Cloud SQL DNS names)",
    shape: "`*.<region>.run.app`, `<region>-<project>.cloudfunctions.net`, `*.<region>.sql.goog`",
    examples: [
      ["orders-123456789012.europe-west1.run.app", "gcp:europe-west1"],
      ["us-central1-my-project.cloudfunctions.net", "gcp:us-central1"],
      ["1a23b4cd5e67.1a2b345c6d27.asia-northeast1.sql.goog", "gcp:asia-northeast1"],
      ["orders-abc123-ew.a.run.app", null],
    ],
    locate: (labels) => {
      if (endsWith(labels, ["run", "app"]) || endsWith(labels, ["sql", "goog"])) {
        return labels.slice(0, -2).reduce<Place | undefined>((found, l) => found ?? region("gcp", l), undefined);
      }
      if (endsWith(labels, ["cloudfunctions", "net"])) {
        const parts = labels[0]!.split("-");
        for (let i = parts.length - 1; i > 0; i--) {
          const found = region("gcp", parts.slice(0, i).join("-"));
          if (found) return found;
        }
      }
      return undefined;
    },
  },
  {
    provider: "Redis Cloud",
    shape: "`redis-<port>.<cluster>.<region>-<zone>.ec2.redns.redis-cloud.com` (and `.gce.`, `.cloud.redislabs.com`)",
    examples: [
      ["redis-12345.c1.us-east-1-2.ec2.redns.redis-cloud.com", "aws:us-east-1"],
      ["redis-12345.c2.europe-west1-1.gce.redns.redis-cloud.com", "gcp:europe-west1"],
      ["redis-12345.c3.eu-west-1-1.ec2.cloud.redislabs.com", "aws:eu-west-1"],
    ],
    locate: (labels) => {
      if (!endsWith(labels, ["redis-cloud", "com"]) && !endsWith(labels, ["redislabs", "com"])) return undefined;
      const kind = labels.includes("gce") ? "gcp" : labels.includes("ec2") ? "aws" : undefined;
      if (!kind) return undefined;
      return labels.reduce<Place | undefined>((found, l) => found ?? withoutZone(kind, l), undefined);
    },
  },
  {
    provider: "CockroachDB Cloud",
    shape: "`*.aws-<region>.cockroachlabs.cloud`, `*.gcp-<region>.cockroachlabs.cloud`",
    examples: [
      ["my-cluster-1234.5xj.aws-eu-central-1.cockroachlabs.cloud", "aws:eu-central-1"],
      ["free-tier.gcp-us-central1.cockroachlabs.cloud", "gcp:us-central1"],
    ],
    locate: (labels) => {
      if (!endsWith(labels, ["cockroachlabs", "cloud"])) return undefined;
      for (const label of labels) {
        if (label.startsWith("aws-")) return region("aws", label.slice(4));
        if (label.startsWith("gcp-")) return region("gcp", label.slice(4));
        if (label.startsWith("azure-")) return region("azure", label.slice(6));
      }
      return undefined;
    },
  },
  {
    provider: "Render (PostgreSQL, Key Value)",
    shape: "`*.<region>-postgres.render.com`, `*.<region>-keyvalue.render.com` (placed at the AWS region of the same area)",
    examples: [["dpg-abc123-a.frankfurt-postgres.render.com", "aws:eu-central-1"]],
    locate: (labels) => {
      if (!endsWith(labels, ["render", "com"])) return undefined;
      const label = labels.find((l) => /-(postgres|keyvalue|redis)$/.test(l));
      return label ? region("aws", RENDER_REGIONS[label.slice(0, label.lastIndexOf("-"))]) : undefined;
    },
  },
  {
    provider: "DigitalOcean (managed databases)",
    shape: "`*-<datacentre>-*.db.ondigitalocean.com` (e.g. `fra1`, placed at the city's Cloudflare location)",
    examples: [["db-postgresql-fra1-12345-do-user-67890-0.b.db.ondigitalocean.com", "FRA"]],
    locate: (labels) => {
      if (!endsWith(labels, ["db", "ondigitalocean", "com"])) return undefined;
      for (const part of labels[0]!.split("-")) {
        const code = DIGITALOCEAN_CITIES[part.replace(/\d+$/, "")];
        if (code && /\d$/.test(part)) return edgePlace(edgeByCode(code)!);
      }
      return undefined;
    },
  },
];

/** The location a host name says it is in, with the provider that names hosts so. */
export function locateHostName(host: string): { place: Place; provider: string } | undefined {
  const labels = host.toLowerCase().replace(/\.$/, "").split(".");
  if (labels.some((l) => l === "")) return undefined;
  for (const rule of HOST_REGION_RULES) {
    const place = rule.locate(labels);
    if (place) return { place, provider: rule.provider };
  }
  return undefined;
}
