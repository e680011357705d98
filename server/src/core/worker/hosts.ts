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

export const GLOBAL_HOSTS: ReadonlyArray<{ suffix: string; name: string; source: "seed" | "seen" }> = [
  { suffix: "googleapis.com", name: "Google APIs", source: "seed" },
  { suffix: "google.com", name: "Google", source: "seed" },
  { suffix: "gstatic.com", name: "Google", source: "seed" },
  { suffix: "fastly.net", name: "Fastly CDN", source: "seed" },
  { suffix: "fastly.com", name: "Fastly CDN", source: "seed" },
  { suffix: "akamaized.net", name: "Akamai CDN", source: "seed" },
  { suffix: "akamaihd.net", name: "Akamai CDN", source: "seed" },
  { suffix: "akamai.net", name: "Akamai CDN", source: "seed" },
  { suffix: "edgekey.net", name: "Akamai CDN", source: "seed" },
  { suffix: "cloudfront.net", name: "Amazon CloudFront", source: "seen" },
  { suffix: "jsdelivr.net", name: "jsDelivr CDN", source: "seen" },
  { suffix: "unpkg.com", name: "unpkg CDN", source: "seen" },
  { suffix: "cdnjs.cloudflare.com", name: "cdnjs", source: "seen" },
  { suffix: "workers.dev", name: "another Cloudflare Worker", source: "seen" },
  { suffix: "pages.dev", name: "a Cloudflare Pages site", source: "seen" },
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
