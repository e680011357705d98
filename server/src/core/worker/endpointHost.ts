import { HOLE } from "./syntax";

/**
 * The host an endpoint URL names when its first labels are unknown (`https://${env.ACCOUNT_ID}.r2.cloudflarestorage.com`):
 * the written-out suffix after the last unknown part, when every string the URL may be (`texts`, HOLE
 * where a part is unknown) gives the same one, and it has at least two labels after the dot that
 * follows the unknown part. A scheme or host that is unknown anywhere else gives nothing.
 */
export function endpointHostSuffix(texts: readonly string[] | undefined): string | undefined {
  if (!texts || texts.length === 0) return undefined;
  let found: string | undefined;
  for (const text of texts) {
    const scheme = text.indexOf("://");
    if (scheme <= 0 || text.slice(0, scheme).includes(HOLE)) return undefined;
    const rest = text.slice(scheme + 3);
    const end = [rest.indexOf("/"), rest.indexOf("?"), rest.indexOf("#"), rest.indexOf(":")].filter((i) => i >= 0);
    const host = (end.length > 0 ? rest.slice(0, Math.min(...end)) : rest).toLowerCase();
    const lastHole = host.lastIndexOf(HOLE);
    const suffix = lastHole >= 0 ? host.slice(lastHole + 1) : host;
    if (lastHole >= 0 && !suffix.startsWith(".")) return undefined;
    const name = suffix.replace(/^\./, "");
    if (name.split(".").length < 3 && lastHole >= 0) return undefined;
    if (!/^[a-z0-9.-]+$/.test(name) || name.startsWith(".") || name.endsWith(".")) return undefined;
    if (found !== undefined && found !== name) return undefined;
    found = name;
  }
  return found;
}
