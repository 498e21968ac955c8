import { prisma, type Db } from "../../db";

/** The organisations a user belongs to, for the switcher and the post-sign-in redirect. */
export async function listUserOrgs({ db = prisma, userId }: { db?: Db; userId: string }) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, org: { select: { id: true, slug: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ ...r.org, role: r.role }));
}
