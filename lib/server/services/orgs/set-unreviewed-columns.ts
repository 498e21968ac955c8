import type { UnreviewedColumnsPolicy } from "../../../../generated/prisma/enums";
import { UNREVIEWED_COLUMNS_LABELS } from "../../../schemas/org";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import type { OrgActor } from "../../tenancy/membership";

// The organisation's privacy default for columns nobody has reviewed (new in the source since a
// version was saved): every run stops before writing (FAIL, the default) or copies them as NULL
// (NULL). The worker reads it when a run starts (lib/jobs/resolve-definition.ts). Audit-logged.

export async function setUnreviewedColumns({ db = prisma, orgId, actor, policy }: { db?: Db; orgId: string; actor: OrgActor; policy: UnreviewedColumnsPolicy }) {
  await db.organization.update({ where: { id: orgId }, data: { unreviewedColumns: policy } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "org.unreviewed_columns_changed", target: UNREVIEWED_COLUMNS_LABELS[policy].toLowerCase() }, db);
}

export async function getUnreviewedColumns({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<UnreviewedColumnsPolicy> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { unreviewedColumns: true } });
  return org?.unreviewedColumns ?? "FAIL";
}
