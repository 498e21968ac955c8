// Date words shared by server and client components: RelativeTime shows relativeTo(), with exactUtc() on hover.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "2026-12-01 22:56:46 UTC" */
export const exactUtc = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

export function relativeTo(d: Date, now: number): string {
  const s = Math.round((d.getTime() - now) / 1000);
  if (Math.abs(s) < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(s) >= size) return rtf.format(Math.round(s / size), unit);
  }
  return rtf.format(Math.round(s / 60), "minute");
}
