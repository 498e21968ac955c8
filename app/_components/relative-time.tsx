"use client";

import { useEffect, useState } from "react";

// The one date format of the app: relative ("3 minutes ago", "in 2 hours") with the exact UTC
// time on hover (title) and in dateTime. The server renders it relative to its clock; the
// browser refreshes it every half minute (suppressHydrationWarning: the two clocks differ by
// the page's age).

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

export function RelativeTime({ date, className }: { date: Date | string; className?: string }) {
  const d = new Date(date);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={d.toISOString()} title={exactUtc(d)} className={className} data-testid="relative-time" suppressHydrationWarning>
      {relativeTo(d, now)}
    </time>
  );
}
