import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import { hashLinkToken } from "../../link-token";

const INVALID = "This verification link is not valid any more: it was used, replaced by a newer one, or it expired (links work for 24 hours). Send a new one from the invite page.";

/** What the verification page shows before the user confirms (looking does not use the link). */
export async function findEmailVerification({ db = prisma, token }: { db?: Db; token: string }): Promise<{ email: string } | null> {
  if (!token || token.length > 200) return null;
  const row = await db.emailVerification.findFirst({ where: { tokenHash: hashLinkToken(token), usedAt: null, expiresAt: { gt: new Date() } }, select: { email: true } });
  return row;
}

/**
 * Marks the link's account verified: single use (the conditional update is the guard, so of two
 * concurrent confirmations one wins), unexpired, and only while the account still has the address
 * the link was sent to.
 */
export async function verifyEmail({ db = prisma, token }: { db?: Db; token: string }): Promise<{ email: string }> {
  if (!token || token.length > 200) throw new AppError("GONE", INVALID);
  return db.$transaction(async (tx) => {
    const row = await tx.emailVerification.findUnique({ where: { tokenHash: hashLinkToken(token) }, select: { id: true, userId: true, email: true } });
    if (!row) throw new AppError("GONE", INVALID);
    const used = await tx.emailVerification.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    if (used.count !== 1) throw new AppError("GONE", INVALID);
    const verified = await tx.user.updateMany({ where: { id: row.userId, email: row.email }, data: { emailVerifiedAt: new Date() } });
    if (verified.count !== 1) throw new AppError("GONE", INVALID);
    await recordAudit({ orgId: null, actor: { id: row.userId, label: row.email }, action: "auth.email_verified" }, tx as Db);
    return { email: row.email };
  });
}
