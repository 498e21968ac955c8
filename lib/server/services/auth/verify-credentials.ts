import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { dummyPasswordHash, verifyPassword } from "../../password";
import { enforceRateLimits, LIMITS, refundRateLimit } from "../../rate-limit";
import { ZSignIn } from "../../../schemas/auth";

export type VerifyCredentialsOptions = { email: string; password: string; ip: string; db?: Db };

export type VerifiedUser = { id: string; email: string; name: string; sessionVersion: number };

/**
 * The sign-in check: rate limits, then argon2id verify. Null when wrong. The per-email limit is
 * keyed by email *and* IP and counts failures only: every attempt is counted before the password
 * is checked (so parallel guesses cannot slip past the limit) and a success is refunded. Failures
 * from one address therefore never lock the owner out of another; the per-IP limit (all
 * attempts) bounds how fast one address can guess across accounts.
 */
export async function verifyCredentials({ email, password, ip, db = prisma }: VerifyCredentialsOptions): Promise<VerifiedUser | null> {
  const parsed = ZSignIn.safeParse({ email, password });
  if (!parsed.success) return null;
  const input = parsed.data;
  const failureKey = `sign-in:email-ip:${input.email}:${ip}`;
  await enforceRateLimits(
    [
      { key: failureKey, limit: LIMITS.signInFailuresPerEmailIp },
      { key: `sign-in:ip:${ip}`, limit: LIMITS.signInPerIp },
    ],
    db,
  );
  const user = await db.user.findUnique({ where: { email: input.email } });
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  await recordAudit({ orgId: null, actor: { id: user.id, label: user.email }, action: ok ? "auth.sign_in" : "auth.sign_in_failed" }, db);
  if (!ok) return null;
  await refundRateLimit(failureKey, db);
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
