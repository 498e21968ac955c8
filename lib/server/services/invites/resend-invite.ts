import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";
import { createInviteToken } from "../../invite-token";
import type { OrgActor } from "../../tenancy/membership";

export type ResendInviteOptions = { db?: Db; orgId: string; actor: OrgActor; inviteId: string };

/** A new token and a new 7-day expiry for an unused, unrevoked invite; the old link stops working. */
export async function resendInvite({ db = prisma, orgId, actor, inviteId }: ResendInviteOptions) {
  const invite = await db.invite.findFirst({ where: { id: inviteId, orgId, acceptedAt: null, revokedAt: null }, select: { email: true } });
  if (!invite) throw notFound("That invite");
  const { token, tokenHash, expiresAt } = createInviteToken();
  const { count } = await db.invite.updateMany({ where: { id: inviteId, orgId, acceptedAt: null, revokedAt: null }, data: { tokenHash, expiresAt } });
  if (count !== 1) throw notFound("That invite");
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "invite.resent", target: invite.email }, db);
  return { inviteId, email: invite.email, token, expiresAt };
}
