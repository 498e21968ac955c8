import { prisma, type Db } from "../../db";

export async function listMembers({ db = prisma, orgId }: { db?: Db; orgId: string }) {
  return db.membership.findMany({
    where: { orgId },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: [{ createdAt: "asc" }],
  });
}
