import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";
import { newLinkToken } from "../../link-token";
import { enforceRateLimits, LIMITS } from "../../rate-limit";

export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

export type IssuedVerification = { email: string; token: string; expiresAt: Date };

/**
 * A new verification link for the user's current address (`token` is returned once, to build
 * the link; only its hash is stored). Earlier unused links of the user stop working.
 */
export async function issueEmailVerification({ db = prisma, userId }: { db?: Db; userId: string }): Promise<IssuedVerification> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw notFound("That account");
  await enforceRateLimits([{ key: `verify-email:user:${userId}`, limit: LIMITS.verificationPerUser }], db);
  const { token, tokenHash, expiresAt } = newLinkToken(VERIFICATION_TTL_MS);
  await db.$transaction([
    db.emailVerification.deleteMany({ where: { userId, usedAt: null } }),
    db.emailVerification.create({ data: { userId, email: user.email, tokenHash, expiresAt } }),
  ]);
  return { email: user.email, token, expiresAt };
}
