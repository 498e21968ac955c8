import type { Role } from "../../../../generated/prisma/enums";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import { createInviteToken } from "../../invite-token";
import { canAssignRole } from "../../permissions";
import type { OrgActor } from "../actor";

export type CreateInviteOptions = { db?: Db; orgId: string; actor: OrgActor; email: string; role: Role };
/** `token` is returned once, to build the link; only its hash is stored. */
export type CreatedInvite = { inviteId: string; token: string; expiresAt: Date };

export async function createInvite({ db = prisma, orgId, actor, email, role }: CreateInviteOptions): Promise<CreatedInvite> {
  if (!canAssignRole(actor.role, role)) throw new AppError("FORBIDDEN", "Only an owner can invite another owner.", { role: ["Only an owner can invite another owner."] });
  const member = await db.membership.findFirst({ where: { orgId, user: { email } }, select: { id: true } });
  if (member) throw new AppError("CONFLICT", "That person is already a member.", { email: ["That person is already a member of this organisation."] });
  const pending = await db.invite.findFirst({ where: { orgId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, select: { id: true } });
  if (pending) throw new AppError("CONFLICT", "That email already has a pending invite.", { email: ["This email already has a pending invite. Resend it from the list below."] });
  const { token, tokenHash, expiresAt } = createInviteToken();
  const invite = await db.invite.create({ data: { orgId, email, role, tokenHash, expiresAt, invitedById: actor.userId }, select: { id: true } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "invite.sent", target: email, details: { role } }, db);
  return { inviteId: invite.id, token, expiresAt };
}
