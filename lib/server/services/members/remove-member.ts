import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { canAssignRole } from "../../permissions";
import type { OrgActor } from "../../tenancy/membership";
import { LAST_OWNER_MESSAGE, lockOwners } from "./owner-guard";

export type RemoveMemberOptions = { db?: Db; orgId: string; actor: OrgActor; membershipId: string };

export async function removeMember({ db = prisma, orgId, actor, membershipId }: RemoveMemberOptions): Promise<void> {
  await db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, orgId);
    const target = await tx.membership.findFirst({ where: { id: membershipId, orgId }, select: { role: true, userId: true, user: { select: { email: true } } } });
    if (!target) throw notFound("That member");
    if (target.role === "OWNER" && !canAssignRole(actor.role, "OWNER")) throw new AppError("FORBIDDEN", "Only an owner can remove an owner.");
    if (target.role === "OWNER" && owners.length <= 1) throw new AppError("CONFLICT", LAST_OWNER_MESSAGE);
    await tx.membership.deleteMany({ where: { id: membershipId, orgId } });
    const self = target.userId === actor.userId;
    await recordAudit(
      { orgId, actor: { id: actor.userId, label: actor.label }, action: self ? "member.left" : "member.removed", target: target.user.email, details: { role: target.role } },
      tx as Db,
    );
  });
}
