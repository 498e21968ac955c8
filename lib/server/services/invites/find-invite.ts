import { prisma, type Db } from "../../db";
import { hashInviteToken, inviteState, type InviteState } from "../../invite-token";

export type InviteLookup =
  | { state: "invalid" }
  | { state: InviteState; email: string; role: string; org: { name: string; slug: string }; expiresAt: Date };

/** For the invite page: what the link points at, without revealing anything for a bad token. */
export async function findInviteByToken({ db = prisma, token }: { db?: Db; token: string }): Promise<InviteLookup> {
  if (!token || token.length > 200) return { state: "invalid" };
  const invite = await db.invite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: { email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, org: { select: { name: true, slug: true } } },
  });
  if (!invite) return { state: "invalid" };
  return { state: inviteState(invite), email: invite.email, role: invite.role, org: invite.org, expiresAt: invite.expiresAt };
}
