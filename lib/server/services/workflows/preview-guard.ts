// The rule preview's last line of defence for roles that may not see source values: an "after"
// that gives the original away is withheld. A rule can be too weak to redact a value (a mask
// that keeps 16 of 12 characters, a JSON path that is not in the document, noise of 0.0001, a
// one-day date shift); the preview would then show the original under the "after" heading.
// Numbers and dates are compared as such (a normal date shift keeps most of a timestamp's
// text); other text by shared runs and edit distance. Values never go to logs.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DATE = /^(\d{4}-\d{2}-\d{2})/;
const DAY_MS = 86_400_000;
/** Beyond this many character pairs only the cheap checks run (a preview value is at most a few kB). */
const MAX_PAIRS = 4_000_000;

export function givesAwayOriginal(before: string, after: string | null): boolean {
  if (after === null) return false;
  const b = before.trim().toLowerCase();
  const a = after.trim().toLowerCase();
  if (!b) return false;
  if (a.includes(b)) return true;
  if (NUMBER.test(b) && NUMBER.test(a)) {
    const [x, y] = [Number(b), Number(a)];
    return Math.abs(x - y) <= Math.abs(x) * 0.01; // within 1 %
  }
  const [db, da] = [DATE.exec(b)?.[1], DATE.exec(a)?.[1]];
  if (db && da) {
    const [x, y] = [Date.parse(db), Date.parse(da)];
    if (Number.isFinite(x) && Number.isFinite(y)) return Math.abs(x - y) <= 2 * DAY_MS;
  }
  const { prefix, suffix } = sharedEnds(a, b);
  const longest = Math.max(a.length, b.length);
  if (prefix + suffix >= 0.6 * b.length && prefix + suffix >= 4) return true;
  if (a.length * b.length > MAX_PAIRS) return false;
  // A long run of the original kept verbatim (a mask keeping most characters).
  const run = longestSharedRun(a, b);
  if (run >= 8 && run >= 0.6 * b.length) return true;
  // Nearly the same text (a few characters changed).
  return 1 - editDistance(a, b) / longest >= 0.8;
}

function sharedEnds(a: string, b: string) {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

function longestSharedRun(a: string, b: string): number {
  let best = 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : 0;
      if (cur[j]! > best) best = cur[j]!;
    }
    [prev, cur] = [cur, prev];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Uint32Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
