import { prisma, type Db } from "../../db";

export const AUDIT_PAGE_SIZE = 50;

/**
 * The organisation's audit log, newest first: its own entries plus sign-ins of its current
 * members (those are recorded without an organisation, once per user).
 */
export async function listAuditLog({ db = prisma, orgId, before }: { db?: Db; orgId: string; before?: Date }) {
  const memberIds = (await db.membership.findMany({ where: { orgId }, select: { userId: true } })).map((m) => m.userId);
  const rows = await db.auditLog.findMany({
    where: {
      AND: [
        { OR: [{ orgId }, { orgId: null, actorId: { in: memberIds }, action: { in: ["auth.sign_in", "auth.sign_in_failed", "auth.sign_up"] } }] },
        before ? { createdAt: { lt: before } } : {},
      ],
    },
    select: { id: true, actorLabel: true, action: true, target: true, details: true, createdAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
  });
  return { entries: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}
