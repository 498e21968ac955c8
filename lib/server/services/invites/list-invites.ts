import { prisma, type Db } from "../../db";

/** Pending (not accepted, not revoked) invites of an organisation, expired ones included so they can be resent. */
export async function listPendingInvites({ db = prisma, orgId }: { db?: Db; orgId: string }) {
  return db.invite.findMany({
    where: { orgId, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
}
