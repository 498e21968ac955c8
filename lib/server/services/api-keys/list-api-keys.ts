import { prisma, type Db } from "../../db";

export type ApiKeySummary = { id: string; name: string; prefix: string; role: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** The organisation's keys, newest first; never the hash. */
export async function listApiKeys({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    where: { orgId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}
