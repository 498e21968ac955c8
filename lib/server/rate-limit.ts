import { AppError } from "./errors";
import { prisma, type Db } from "./db";

// Fixed-window attempt counters in the app database, so that every web process shares them.
// One statement does the read-modify-write (INSERT .. ON CONFLICT DO UPDATE takes the row
// lock), so concurrent attempts from several processes never lose a count.

export type Limit = { max: number; windowSeconds: number };

export const LIMITS = {
  // Failed sign-ins for one email from one IP: an attacker guessing an owner's password from
  // their addresses cannot lock the owner out of other addresses (successes are refunded).
  signInFailuresPerEmailIp: { max: 10, windowSeconds: 15 * 60 },
  signInPerIp: { max: 300, windowSeconds: 15 * 60 },
  signUpPerEmail: { max: 5, windowSeconds: 15 * 60 },
  signUpPerIp: { max: 100, windowSeconds: 60 * 60 },
  /** Failed "Test connection" / "Refresh tables" jobs (counted from the jobs table, see start-connection-job.ts). */
  connectionTestFailuresPerConnection: { max: 5, windowSeconds: 10 * 60 },
  connectionTestFailuresPerOrg: { max: 20, windowSeconds: 10 * 60 },
  // Verification emails per account: enough for typos and spam folders, not a mail bomb.
  verificationPerUser: { max: 5, windowSeconds: 60 * 60 },
} satisfies Record<string, Limit>;

export type Hit = { allowed: boolean; count: number; retryAfterSeconds: number };

export async function hitRateLimit(key: string, limit: Limit, db: Db = prisma): Promise<Hit> {
  const rows = await db.$queryRaw<{ count: number; retry: number }[]>`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN rate_limits.window_start <= now() - make_interval(secs => ${limit.windowSeconds}::int)
                          THEN now() ELSE rate_limits.window_start END,
      count = CASE WHEN rate_limits.window_start <= now() - make_interval(secs => ${limit.windowSeconds}::int)
                   THEN 1 ELSE rate_limits.count + 1 END
    RETURNING count,
      ceil(extract(epoch FROM (window_start + make_interval(secs => ${limit.windowSeconds}::int) - now())))::int AS retry`;
  const { count, retry } = rows[0]!;
  return { allowed: count <= limit.max, count, retryAfterSeconds: Math.max(1, retry) };
}

/** Counts one attempt against every key; throws RATE_LIMITED if any of them is over its limit. */
export async function enforceRateLimits(checks: { key: string; limit: Limit }[], db: Db = prisma): Promise<void> {
  let retry = 0;
  for (const { key, limit } of checks) {
    const hit = await hitRateLimit(key, limit, db);
    if (!hit.allowed) retry = Math.max(retry, hit.retryAfterSeconds);
  }
  // Expired counters are useless; about one call in a hundred sweeps those older than a day.
  if (Math.random() < 0.01) await db.$executeRaw`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`;
  if (retry > 0) throw new AppError("RATE_LIMITED", rateLimitMessage(retry));
}

/** Takes back one counted attempt, e.g. a sign-in that turned out to be the owner's. */
export async function refundRateLimit(key: string, db: Db = prisma): Promise<void> {
  await db.$executeRaw`UPDATE rate_limits SET count = greatest(count - 1, 0) WHERE key = ${key}`;
}

export const rateLimitMessage = (seconds: number) => `Too many attempts. Try again in ${seconds} s.`;
