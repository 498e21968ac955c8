"use server";

import { ZChangeRole, ZInviteId, ZInviteMember, ZMembershipId } from "@/lib/schemas/org";
import { describeForLog } from "@/lib/server/errors";
import { deliverInviteLink } from "@/lib/server/mailer";
import { orgAction, type OrgActionCtx } from "@/lib/server/tenancy/org-action";
import { appOrigin } from "@/lib/server/request-info";
import { createInvite } from "@/lib/server/services/invites/create-invite";
import { resendInvite } from "@/lib/server/services/invites/resend-invite";
import { revokeInvite } from "@/lib/server/services/invites/revoke-invite";
import { changeRole } from "@/lib/server/services/members/change-role";
import { removeMember } from "@/lib/server/services/members/remove-member";
import { transferOwnership } from "@/lib/server/services/members/transfer-ownership";

/** Emails the link when SMTP is configured; otherwise (or if sending fails) the admin gets it to copy. */
async function deliver(ctx: OrgActionCtx, email: string, token: string) {
  const link = `${await appOrigin()}/invite/${token}`;
  try {
    const { emailed } = await deliverInviteLink({ to: email, orgName: ctx.org.name, inviterName: ctx.user.name, link });
    return { email, emailed, link: emailed ? null : link };
  } catch (err) {
    console.error(`[invite] could not send the invite email (${describeForLog(err)}); showing the link instead`);
    return { email, emailed: false, link };
  }
}

export const inviteMemberAction = orgAction({ name: "invite.create", schema: ZInviteMember, permission: ["invite", "create"] }, async (ctx, input) => {
  const { token } = await createInvite({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, email: input.email, role: input.role });
  return deliver(ctx, input.email, token);
});

export const resendInviteAction = orgAction({ name: "invite.resend", schema: ZInviteId, permission: ["invite", "update"] }, async (ctx, input) => {
  const { email, token } = await resendInvite({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, inviteId: input.inviteId });
  return deliver(ctx, email, token);
});

export const revokeInviteAction = orgAction({ name: "invite.revoke", schema: ZInviteId, permission: ["invite", "delete"] }, async (ctx, input) => {
  await revokeInvite({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, inviteId: input.inviteId });
  return null;
});

export const changeRoleAction = orgAction({ name: "member.changeRole", schema: ZChangeRole, permission: ["member", "update"] }, async (ctx, input) => {
  await changeRole({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, membershipId: input.membershipId, role: input.role });
  return null;
});

export const removeMemberAction = orgAction({ name: "member.remove", schema: ZMembershipId, permission: ["member", "delete"] }, async (ctx, input) => {
  await removeMember({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, membershipId: input.membershipId });
  return null;
});

export const transferOwnershipAction = orgAction(
  { name: "org.transferOwnership", schema: ZMembershipId, permission: ["org", "transfer"] },
  async (ctx, input) => {
    await transferOwnership({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, membershipId: input.membershipId });
    return null;
  },
);
