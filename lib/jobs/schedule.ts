import { Cron } from "croner";

// Cron schedules of workflows, always in UTC. Five fields (minute precision) or six (with
// seconds). Plain functions: the workflow form validates with them and shows the next runs.

export type CronCheck = { ok: true; cron: string } | { ok: false; message: string };

function parse(cron: string): Cron {
  return new Cron(cron, { timezone: "UTC", paused: true, mode: "5-or-6-parts" });
}

export function validateCron(input: string): CronCheck {
  const cron = input.trim().replace(/\s+/g, " ");
  if (!cron) return { ok: false, message: "Enter a cron expression, for example `0 3 * * *` (every day at 03:00 UTC)." };
  try {
    const c = parse(cron);
    if (!c.nextRun(new Date())) return { ok: false, message: "This schedule never runs again. Check the date fields." };
    return { ok: true, cron };
  } catch {
    return {
      ok: false,
      message: "That is not a valid cron expression. Use five fields: minute hour day-of-month month day-of-week, e.g. `0 3 * * *` (daily at 03:00 UTC) or `*/15 * * * *` (every 15 minutes).",
    };
  }
}

/** The next n run times after `from` (UTC). */
export function nextRuns(cron: string, n: number, from: Date = new Date()): Date[] {
  return parse(cron).nextRuns(n, from);
}

/** The latest tick at or before `now`, or null. */
export function latestTick(cron: string, now: Date): Date | null {
  // croner works in whole seconds and looks strictly before the reference.
  const tick = parse(cron).previousRuns(1, new Date(now.getTime() + 1000))[0];
  return tick && tick.getTime() <= now.getTime() ? tick : null;
}
