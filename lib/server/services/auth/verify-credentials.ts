import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { dummyPasswordHash, verifyPassword } from "../../password";
import { enforceRateLimits, LIMITS } from "../../rate-limit";
import { ZSignIn } from "../../../schemas/auth";

export type VerifyCredentialsOptions = { email: string; password: string; ip: string; db?: Db };

/** The sign-in check: rate limit (per email and per IP), then argon2id verify. Null when wrong. */
export async function verifyCredentials({ email, password, ip, db = prisma }: VerifyCredentialsOptions) {
  const parsed = ZSignIn.safeParse({ email, password });
  if (!parsed.success) return null;
  const input = parsed.data;
  await enforceRateLimits(
    [
      { key: `sign-in:email:${input.email}`, limit: LIMITS.signInPerEmail },
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
  return ok ? { id: user.id, email: user.email, name: user.name } : null;
}
