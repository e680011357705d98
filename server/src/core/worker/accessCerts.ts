import { HOLE } from "./syntax";

/** The path where Cloudflare Access publishes a team's signing keys (and any Access-protected zone serves them). */
const CERTS_PATH = "/cdn-cgi/access/certs";
/** The suffix of Cloudflare Access team domains (`<team>.cloudflareaccess.com`). */
const ACCESS_SUFFIX = ".cloudflareaccess.com";

/**
 * Whether every string a URL may be (`texts`, HOLE where a part is unknown) is Cloudflare Access's
 * key set: a host `<team>.cloudflareaccess.com` (the team name may be unknown), or a path
 * `/cdn-cgi/access/certs` after a team domain held in a variable (`${env.TEAM_DOMAIN}/cdn-cgi/access/certs`).
 * Cloudflare answers both from the data centre nearest the caller: not a back end. The path must be
 * written out after the last unknown part, so an unknown part cannot change it.
 */
export function isAccessCertsUrl(texts: readonly string[] | undefined): boolean {
  return !!texts && texts.length > 0 && texts.every(isAccessCertsText);
}

function isAccessCertsText(text: string): boolean {
  const end = firstOf(text, "?", "#");
  const url = text.slice(0, end);
  const scheme = url.indexOf("://");
  const afterScheme = scheme >= 0 && !url.slice(0, scheme).includes(HOLE) ? scheme + 3 : 0;
  const slash = url.indexOf("/", afterScheme);
  const host = (slash >= 0 ? url.slice(afterScheme, slash) : url.slice(afterScheme)).toLowerCase();
  // `https://${team}.cloudflareaccess.com/...`: the suffix is written out after the team's name.
  if (afterScheme > 0 && host.endsWith(ACCESS_SUFFIX)) return true;
  const lastHole = url.lastIndexOf(HOLE);
  // `${teamDomain}/cdn-cgi/access/certs`: the path, written out after the last unknown part.
  return url.endsWith(CERTS_PATH) && lastHole < url.length - CERTS_PATH.length;
}

/** Where Cloudflare's edge answers on any zone it serves (`/cdn-cgi/trace`, `/cdn-cgi/access/get-identity`). */
const EDGE_PATH = "/cdn-cgi/";

/**
 * Whether every string a URL may be is a `/cdn-cgi/` path written out right after the last unknown
 * part (`${new URL(request.url).origin}/cdn-cgi/access/get-identity`). Used for URLs on the incoming
 * request's own origin: that zone is on Cloudflare (the Worker runs on it), and Cloudflare's edge
 * answers `/cdn-cgi/` paths itself (Access identity, trace) without going to the zone's back end.
 */
export function isOwnZoneEdgePath(texts: readonly string[] | undefined): boolean {
  return (
    !!texts &&
    texts.length > 0 &&
    texts.every((text) => {
      const lastHole = text.lastIndexOf(HOLE);
      return lastHole >= 0 && text.slice(lastHole + HOLE.length).startsWith(EDGE_PATH);
    })
  );
}

function firstOf(text: string, ...characters: string[]): number {
  const found = characters.map((c) => text.indexOf(c)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : text.length;
}
