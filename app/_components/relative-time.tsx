"use client";

import { useEffect, useState } from "react";
import { exactUtc, relativeTo } from "./dates";

// The one date format of the app (dates.ts): relative ("3 minutes ago", "in 2 hours") with the
// exact UTC time on hover (title) and in dateTime. The server renders it relative to its clock; the
// browser refreshes it every half minute (suppressHydrationWarning: the two clocks differ by
// the page's age).

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
