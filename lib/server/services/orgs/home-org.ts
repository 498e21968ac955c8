import { prisma, type Db } from "../../db";

/**
 * Where "/" (and so sign-in) takes a user: the organisation they last opened while they are
 * still a member of it, else their oldest membership; null when they belong to none.
 */
export async function homeOrgSlug({ db = prisma, userId }: { db?: Db; userId: string }): Promise<string | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { lastOrgId: true } });
  if (user?.lastOrgId) {
    const last = await db.membership.findFirst({ where: { userId, orgId: user.lastOrgId }, select: { org: { select: { slug: true } } } });
    if (last) return last.org.slug;
  }
  const first = await db.membership.findFirst({ where: { userId }, orderBy: { createdAt: "asc" }, select: { org: { select: { slug: true } } } });
  return first?.org.slug ?? null;
}

/** Remembers the organisation the user opened (called by the organisation layout). One UPDATE only when it changed. */
export async function rememberLastOrg({ db = prisma, userId, orgId }: { db?: Db; userId: string; orgId: string }) {
  await db.user.updateMany({ where: { id: userId, OR: [{ lastOrgId: null }, { lastOrgId: { not: orgId } }] }, data: { lastOrgId: orgId } });
}
