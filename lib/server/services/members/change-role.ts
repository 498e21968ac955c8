import type { Role } from "../../../../generated/prisma/enums";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { canAssignRole } from "../../permissions";
import type { OrgActor } from "../../tenancy/membership";
import { LAST_OWNER_MESSAGE, lockOwners } from "./owner-guard";

export type ChangeRoleOptions = { db?: Db; orgId: string; actor: OrgActor; membershipId: string; role: Role };

export async function changeRole({ db = prisma, orgId, actor, membershipId, role }: ChangeRoleOptions): Promise<void> {
  await db.$transaction(async (tx) => {
    const owners = await lockOwners(tx, orgId);
    const target = await tx.membership.findFirst({ where: { id: membershipId, orgId }, select: { role: true, user: { select: { email: true } } } });
    if (!target) throw notFound("That member");
    if (target.role === role) return;
    if (!canAssignRole(actor.role, role) || !canAssignRole(actor.role, target.role)) {
      throw new AppError("FORBIDDEN", "Only an owner can change who is an owner.");
    }
    if (target.role === "OWNER" && owners.length <= 1) throw new AppError("CONFLICT", LAST_OWNER_MESSAGE);
    await tx.membership.updateMany({ where: { id: membershipId, orgId }, data: { role } });
    await recordAudit(
      { orgId, actor: { id: actor.userId, label: actor.label }, action: "member.role_changed", target: target.user.email, details: { from: target.role, to: role } },
      tx as Db,
    );
  });
}
