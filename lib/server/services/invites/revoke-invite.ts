import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";

export type RevokeInviteOptions = { db?: Db; orgId: string; actor: OrgActor; inviteId: string };

/** Revokes a pending invite of this organisation; anything else is "not found". */
export async function revokeInvite({ db = prisma, orgId, actor, inviteId }: RevokeInviteOptions): Promise<void> {
  const invite = await db.invite.findFirst({ where: { id: inviteId, orgId, acceptedAt: null, revokedAt: null }, select: { email: true } });
  if (!invite) throw notFound("That invite");
  const { count } = await db.invite.updateMany({ where: { id: inviteId, orgId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count !== 1) throw notFound("That invite");
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "invite.revoked", target: invite.email }, db);
}
