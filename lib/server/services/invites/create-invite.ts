import { INVITE_ROLES, OWNER_INVITE_MESSAGE, type TInviteRole } from "../../../schemas/org";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import { createInviteToken } from "../../invite-token";
import { canAssignRole } from "../../permissions";
import type { OrgActor } from "../../tenancy/membership";

export type CreateInviteOptions = { db?: Db; orgId: string; actor: OrgActor; email: string; role: TInviteRole };
/** `token` is returned once, to build the link; only its hash is stored. */
export type CreatedInvite = { inviteId: string; token: string; expiresAt: Date };

export async function createInvite({ db = prisma, orgId, actor, email, role }: CreateInviteOptions): Promise<CreatedInvite> {
  // The schema already refuses OWNER; this guards callers that skip it (ownership is transferred, not invited).
  if (!INVITE_ROLES.includes(role)) throw new AppError("VALIDATION", OWNER_INVITE_MESSAGE, { role: [OWNER_INVITE_MESSAGE] });
  if (!canAssignRole(actor.role, role)) throw new AppError("FORBIDDEN", "Your role cannot give that role.", { role: ["Your role cannot give that role."] });
  const member = await db.membership.findFirst({ where: { orgId, user: { email } }, select: { id: true } });
  if (member) throw new AppError("CONFLICT", "That person is already a member.", { email: ["That person is already a member of this organisation."] });
  const pending = await db.invite.findFirst({ where: { orgId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }, select: { id: true } });
  if (pending) throw new AppError("CONFLICT", "That email already has a pending invite.", { email: ["This email already has a pending invite. Resend it from the list below."] });
  const { token, tokenHash, expiresAt } = createInviteToken();
  const invite = await db.invite.create({ data: { orgId, email, role, tokenHash, expiresAt, invitedById: actor.userId }, select: { id: true } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "invite.sent", target: email, details: { role } }, db);
  return { inviteId: invite.id, token, expiresAt };
}
