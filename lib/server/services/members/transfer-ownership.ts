import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { lockOwners } from "./owner-guard";

export type TransferOwnershipOptions = { db?: Db; orgId: string; actor: OrgActor; membershipId: string };

/** The target becomes an owner; the acting owner steps down to admin. */
export async function transferOwnership({ db = prisma, orgId, actor, membershipId }: TransferOwnershipOptions): Promise<void> {
  const ownerId = actor.userId;
  if (actor.role !== "OWNER" || !ownerId) throw new AppError("FORBIDDEN", "Only an owner can transfer ownership.");
  await db.$transaction(async (tx) => {
    await lockOwners(tx, orgId);
    const target = await tx.membership.findFirst({ where: { id: membershipId, orgId }, select: { userId: true, user: { select: { email: true } } } });
    if (!target) throw notFound("That member");
    if (target.userId === actor.userId) throw new AppError("VALIDATION", "Choose another member to transfer ownership to.");
    await tx.membership.updateMany({ where: { id: membershipId, orgId }, data: { role: "OWNER" } });
    await tx.membership.updateMany({ where: { orgId, userId: ownerId }, data: { role: "ADMIN" } });
    await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "org.ownership_transferred", target: target.user.email }, tx as Db);
  });
}
