/** Optimal-string-alignment distance: edits, with a swap of two neighbours counting as one. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * Candidates ordered by closeness to `value` (case-insensitive), keeping only plausible typos:
 * at most `maxDistance` edits, and fewer edits than the candidate has characters.
 */
export function closestMatches(value: string, candidates: readonly string[], maxDistance = 2): string[] {
  const lower = value.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= maxDistance && distance < candidate.length)
    .sort((x, y) => x.distance - y.distance)
    .map(({ candidate }) => candidate);
}

/** `["a", "b", "c"]` -> `"a", "b" or "c"` */
export function quotedList(values: readonly string[], conjunction = "or"): string {
  const quoted = values.map((value) => `"${value}"`);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** `record[key]` only when the record itself holds `key` (never `constructor`, `__proto__`, ...). */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Text from the workspace (an environment name, a host, a route) as literal Markdown: every
 * ASCII punctuation character backslash-escaped (CommonMark allows it on any of them), control
 * characters and line breaks shown as spaces, so it can neither format, link nor break the hover.
 */
export function markdownText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

/** Text as one Markdown code span, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `record[key] = value` as an own property, even for `__proto__` (which would set the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
