import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import type { OrgActor } from "../../tenancy/membership";

/** Renames the organisation; the slug (and so every URL) stays the same. */
export async function renameOrg({ db = prisma, orgId, actor, name }: { db?: Db; orgId: string; actor: OrgActor; name: string }) {
  await db.organization.update({ where: { id: orgId }, data: { name } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "org.renamed", target: name }, db);
}
