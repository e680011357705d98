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
 * Worker (`*.workers.dev`) runs wherever Cloudflare runs it. `why` gives the reason, `source` where
 * it comes from: "seed" (the Smart Placement docs), "operator" (the operator's own documentation of
 * its network), "seen" (found called from public Workers, served by a CDN). Caveat for hosting
 * platforms: a `*.vercel.app` or `*.netlify.app` URL may reach a serverless function that runs in
 * one region; name such a host in `smartPlacement.hosts.backend` to count it.
 */
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
  {
    suffix: "challenges.cloudflare.com",
    name: "Cloudflare Turnstile",
    source: "operator",
    why: "Turnstile's siteverify is Cloudflare's own service, answered on its global network",
  },
];

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
  const analytics = ANALYTICS_HOSTS.find((entry) => matches(host, entry.suffix));
  if (analytics) return { category: "analytics", note: `${analytics.name} is an analytics/logging service: Smart Placement ignores it` };
  const global = GLOBAL_HOSTS.find((entry) => matches(host, entry.suffix));
  if (global) return { category: "global", note: `${global.name} is globally distributed: Smart Placement ignores it` };
  return { category: "backend", note: `${host} is a single-homed back end` };
}
