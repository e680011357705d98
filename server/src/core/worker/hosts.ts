import type { SubrequestCategory } from "./types";

/**
 * Hosts Smart Placement does not consider, by category. Matched as a suffix of the host name
 * (`api.honeycomb.io` matches `honeycomb.io`).
 *
 * Sources: the Smart Placement docs name New Relic, Datadog, Tinybird, Grafana, Amplitude and
 * Honeycomb as analytics/logging services, and Google APIs and services behind Fastly or Akamai
 * as globally distributed ("seed"). The rest are the analytics, error-tracking and CDN services
 * that a survey of public Worker repositories found called from Workers ("seen"). Users extend
 * the table with the `smartPlacement.hosts.*` settings.
 */
export const ANALYTICS_HOSTS: ReadonlyArray<{ suffix: string; name: string; source: "seed" | "seen" }> = [
  { suffix: "newrelic.com", name: "New Relic", source: "seed" },
  { suffix: "nr-data.net", name: "New Relic", source: "seed" },
  { suffix: "datadoghq.com", name: "Datadog", source: "seed" },
  { suffix: "datadoghq.eu", name: "Datadog", source: "seed" },
  { suffix: "tinybird.co", name: "Tinybird", source: "seed" },
  { suffix: "grafana.net", name: "Grafana", source: "seed" },
  { suffix: "grafana.com", name: "Grafana", source: "seed" },
  { suffix: "amplitude.com", name: "Amplitude", source: "seed" },
  { suffix: "honeycomb.io", name: "Honeycomb", source: "seed" },
  { suffix: "posthog.com", name: "PostHog", source: "seen" },
  { suffix: "sentry.io", name: "Sentry", source: "seen" },
  { suffix: "axiom.co", name: "Axiom", source: "seen" },
  { suffix: "segment.io", name: "Segment", source: "seen" },
  { suffix: "segment.com", name: "Segment", source: "seen" },
  { suffix: "mixpanel.com", name: "Mixpanel", source: "seen" },
  { suffix: "logflare.app", name: "Logflare", source: "seen" },
  { suffix: "baselime.io", name: "Baselime", source: "seen" },
  { suffix: "logtail.com", name: "Better Stack", source: "seen" },
  { suffix: "betterstack.com", name: "Better Stack", source: "seen" },
  { suffix: "highlight.io", name: "Highlight", source: "seen" },
  { suffix: "google-analytics.com", name: "Google Analytics", source: "seen" },
  { suffix: "plausible.io", name: "Plausible", source: "seen" },
  { suffix: "loggly.com", name: "Loggly", source: "seen" },
  { suffix: "splunkcloud.com", name: "Splunk", source: "seen" },
  { suffix: "lightstep.com", name: "Lightstep", source: "seen" },
];

/**
 * Globally distributed hosts: they answer from a data centre near the caller, so moving the Worker
 * does not shorten the trip. Static hosting and CDNs serve cached files from their edge; another
 * Worker (`*.workers.dev`) runs wherever Cloudflare runs it; public DNS-over-HTTPS resolvers answer
 * from anycast networks (an address entry, `1.1.1.1`, matches that address only). `why` gives the reason, `source` where
 * it comes from: "seed" (the Smart Placement docs), "operator" (the operator's own documentation of
 * its network), "seen" (found called from public Workers, served by a CDN). Caveat for hosting
 * platforms: a `*.vercel.app` or `*.netlify.app` URL may reach a serverless function that runs in
 * one region; name such a host in `smartPlacement.hosts.backend` to count it.
 */
const DOH = "a public DNS-over-HTTPS resolver on an anycast network: the nearest data centre answers";

export const GLOBAL_HOSTS: ReadonlyArray<{ suffix: string; name: string; source: "seed" | "seen" | "operator"; why: string }> = [
  { suffix: "googleapis.com", name: "Google APIs", source: "seed", why: "reached through Google's global front end" },
  { suffix: "google.com", name: "Google", source: "seed", why: "reached through Google's global front end" },
  { suffix: "gstatic.com", name: "Google", source: "seed", why: "Google's static content CDN" },
  {
    suffix: "cdn.discordapp.com",
    name: "Discord CDN",
    source: "seen",
    why: "Discord's media CDN: attachments and avatars served from the edge",
  },
  { suffix: "fastly.net", name: "Fastly CDN", source: "seed", why: "Fastly's edge network" },
  { suffix: "fastly.com", name: "Fastly CDN", source: "seed", why: "Fastly's edge network" },
  { suffix: "akamaized.net", name: "Akamai CDN", source: "seed", why: "Akamai's edge network" },
  { suffix: "akamaihd.net", name: "Akamai CDN", source: "seed", why: "Akamai's edge network" },
  { suffix: "akamai.net", name: "Akamai CDN", source: "seed", why: "Akamai's edge network" },
  { suffix: "edgekey.net", name: "Akamai CDN", source: "seed", why: "Akamai's edge network" },
  {
    suffix: "github.io",
    name: "GitHub Pages",
    source: "operator",
    why: "GitHub Pages sites are served through a CDN (GitHub docs, Pages)",
  },
  {
    suffix: "githubusercontent.com",
    name: "GitHub raw content",
    source: "seen",
    why: "raw.githubusercontent.com and the other githubusercontent.com hosts answer from Fastly's caches",
  },
  { suffix: "pages.dev", name: "a Cloudflare Pages site", source: "operator", why: "Pages deploys to Cloudflare's global network" },
  {
    suffix: "cloudflareaccess.com",
    name: "Cloudflare Access",
    source: "operator",
    why: "Cloudflare Access team domains (and their /cdn-cgi/access/certs keys) are answered by Cloudflare's nearest data centre",
  },
  {
    suffix: "r2.cloudflarestorage.com",
    name: "Cloudflare R2 (S3-compatible API)",
    source: "operator",
    why: "R2's S3-compatible endpoint is Cloudflare's own storage, like an R2 binding: not a back end Smart Placement moves near",
  },
  { suffix: "workers.dev", name: "another Cloudflare Worker", source: "operator", why: "a Worker runs on Cloudflare's global network" },
  { suffix: "netlify.app", name: "a Netlify site", source: "operator", why: "Netlify serves sites from its global edge CDN" },
  { suffix: "vercel.app", name: "a Vercel deployment", source: "operator", why: "Vercel serves deployments from its global edge network" },
  { suffix: "web.app", name: "Firebase Hosting", source: "operator", why: "Firebase Hosting serves from a global CDN" },
  { suffix: "firebaseapp.com", name: "Firebase Hosting", source: "operator", why: "Firebase Hosting serves from a global CDN" },
  { suffix: "cloudfront.net", name: "Amazon CloudFront", source: "operator", why: "CloudFront is AWS's CDN" },
  { suffix: "azureedge.net", name: "Azure CDN", source: "operator", why: "Azure's CDN" },
  { suffix: "azurefd.net", name: "Azure Front Door", source: "operator", why: "Azure's global edge entry point" },
  { suffix: "b-cdn.net", name: "Bunny CDN", source: "operator", why: "Bunny's CDN" },
  { suffix: "jsdelivr.net", name: "jsDelivr CDN", source: "operator", why: "jsDelivr is a multi-CDN (Cloudflare, Fastly)" },
  { suffix: "unpkg.com", name: "unpkg CDN", source: "seen", why: "unpkg is served through Cloudflare's CDN" },
  { suffix: "esm.sh", name: "esm.sh CDN", source: "seen", why: "esm.sh is served through Cloudflare's CDN" },
  { suffix: "cdnjs.cloudflare.com", name: "cdnjs", source: "operator", why: "cdnjs is served by Cloudflare's CDN" },
  { suffix: "cloudflare-dns.com", name: "Cloudflare DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "one.one.one.one", name: "Cloudflare DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "1.1.1.1", name: "Cloudflare DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "1.0.0.1", name: "Cloudflare DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "dns.google", name: "Google Public DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "8.8.8.8", name: "Google Public DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "8.8.4.4", name: "Google Public DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "dns.quad9.net", name: "Quad9 DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "9.9.9.9", name: "Quad9 DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "149.112.112.112", name: "Quad9 DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "doh.opendns.com", name: "OpenDNS DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "dns.adguard-dns.com", name: "AdGuard DNS over HTTPS", source: "operator", why: DOH },
  { suffix: "dns.nextdns.io", name: "NextDNS DNS over HTTPS", source: "operator", why: DOH },
  {
    suffix: "challenges.cloudflare.com",
    name: "Cloudflare Turnstile",
    source: "operator",
    why: "Turnstile's siteverify is Cloudflare's own service, answered on its global network",
  },
];

/**
 * Addresses that name no host a deployed Worker can reach: loopback (`127.0.0.0/8`, `::1`,
 * `localhost`, `*.localhost`), link-local (`169.254.0.0/16`, with the cloud metadata endpoints
 * `169.254.169.254` and `169.254.170.2`; `fe80::/10`), private networks (`10.0.0.0/8`,
 * `172.16.0.0/12`, `192.168.0.0/16`, `fc00::/7`), the unspecified address (`0.0.0.0`, `::`) and
 * internal names (`*.internal`, `*.local`). They mean the machine or network the code runs on:
 * in `wrangler dev` a local server, on another platform its metadata service, but a deployed
 * Worker runs on Cloudflare's network, where they name nothing of the user's. There is no back
 * end to move near, so they never count as one: such a call is classified like a host Smart
 * Placement ignores (category `global`, with this reason in its note), and a Worker whose only
 * subrequests go there is NO_VALID_HOSTS, not INSUFFICIENT_SUBREQUESTS or SUCCESS. A user who
 * reaches such a name some other way says so in `smartPlacement.hosts.backend`.
 */
export function unreachableHost(host: string): string | undefined {
  const name = bareHost(host);
  if (name === "localhost" || name.endsWith(".localhost")) return "a loopback name (the machine the code runs on)";
  if (name.endsWith(".internal") || name.endsWith(".local")) return "an internal network name";
  const v4 = ipv4(name);
  if (v4) {
    const [a, b] = v4;
    if (a === 127) return "a loopback address (the machine the code runs on)";
    if (a === 169 && b === 254)
      return name === "169.254.169.254" || name === "169.254.170.2"
        ? "a cloud instance metadata address (link-local)"
        : "a link-local address";
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "a private network address";
    if (a === 0) return "the unspecified address";
    return undefined;
  }
  if (name.includes(":")) {
    if (name === "::1") return "a loopback address (the machine the code runs on)";
    if (name === "::") return "the unspecified address";
    if (/^fe[89ab][0-9a-f]?:/.test(name)) return "a link-local address";
    if (/^f[cd][0-9a-f]{0,2}:/.test(name)) return "a private network address";
  }
  return undefined;
}

/** The host name without brackets, port or trailing dot, lower case. */
function bareHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(1, end) : h.slice(1);
  }
  // One colon is a port (`localhost:8787`); more is an IPv6 address.
  const colon = h.indexOf(":");
  if (colon >= 0 && h.indexOf(":", colon + 1) < 0) h = h.slice(0, colon);
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

function ipv4(name: string): readonly number[] | undefined {
  const parts = name.split(".");
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^[0-9]{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

export interface HostCategoryOverrides {
  readonly analytics?: readonly string[];
  readonly global?: readonly string[];
  readonly backend?: readonly string[];
}

export interface HostClassification {
  readonly category: Extract<SubrequestCategory, "backend" | "analytics" | "global">;
  /** Why, for hovers: "Honeycomb is an analytics/logging service". */
  readonly note: string;
}

function matches(host: string, suffix: string): boolean {
  const h = host.toLowerCase();
  const s = suffix.toLowerCase().replace(/^\./, "");
  return h === s || h.endsWith("." + s);
}

const BUILT_IN = new Map<string, HostClassification>();

/** What kind of service a host is: the user's settings first, then the built-in table. */
export function classifyHost(host: string, overrides: HostCategoryOverrides = {}): HostClassification {
  const hasOverrides = (overrides.analytics?.length ?? 0) + (overrides.global?.length ?? 0) + (overrides.backend?.length ?? 0) > 0;
  if (hasOverrides) return classify(host, overrides);
  let cached = BUILT_IN.get(host);
  if (!cached) {
    cached = classify(host, {});
    if (BUILT_IN.size > 10_000) BUILT_IN.clear();
    BUILT_IN.set(host, cached);
  }
  return cached;
}

function classify(host: string, overrides: HostCategoryOverrides): HostClassification {
  if (overrides.backend?.some((s) => matches(host, s))) return { category: "backend", note: `${host} is a back end (settings)` };
  if (overrides.analytics?.some((s) => matches(host, s)))
    return { category: "analytics", note: `${host} is an analytics/logging service (settings)` };
  if (overrides.global?.some((s) => matches(host, s))) return { category: "global", note: `${host} is globally distributed (settings)` };
  const unreachable = unreachableHost(host);
  if (unreachable)
    return {
      category: "global",
      note: `${host} is ${unreachable}: a deployed Worker cannot reach it, so it is no back end to place near; Smart Placement ignores it`,
    };
  const analytics = ANALYTICS_HOSTS.find((entry) => matches(host, entry.suffix));
  if (analytics) return { category: "analytics", note: `${analytics.name} is an analytics/logging service: Smart Placement ignores it` };
  const global = GLOBAL_HOSTS.find((entry) => matches(host, entry.suffix));
  if (global) return { category: "global", note: `${global.name} is globally distributed: Smart Placement ignores it` };
  return { category: "backend", note: `${host} is a single-homed back end` };
}
