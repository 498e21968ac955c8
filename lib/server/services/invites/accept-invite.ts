import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import { hashInviteToken, inviteState } from "../../invite-token";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type AcceptInviteOptions = { db?: Db; token: string; userId: string };

const MESSAGES = {
  expired: "This invite has expired. Ask an admin of the organisation to send a new one.",
  revoked: "This invite was revoked. Ask an admin of the organisation for a new one.",
  accepted: "This invite has already been used.",
} as const;

export const UNVERIFIED_MESSAGE = "Confirm your email address before accepting this invite: open the invite link again and press \"Send verification link\".";

/** Joins the invite's organisation. Single-use, bound to the invited email, and only for a verified address. */
export async function acceptInviteInTx(tx: Tx, { token, user }: { token: string; user: { id: string; email: string; emailVerifiedAt: Date | null } }) {
  const invite = await tx.invite.findUnique({ where: { tokenHash: hashInviteToken(token) }, include: { org: { select: { id: true, slug: true, name: true } } } });
  if (!invite) throw new AppError("NOT_FOUND", "This invite link is not valid. Check that you copied the whole link.");
  const state = inviteState(invite);
  if (state !== "pending") throw new AppError("GONE", MESSAGES[state]);
  if (invite.email !== user.email.toLowerCase()) {
    throw new AppError("FORBIDDEN", `This invite is for a different email address. Sign in as the invited person to accept it.`);
  }
  if (!user.emailVerifiedAt) throw new AppError("FORBIDDEN", UNVERIFIED_MESSAGE);
  // The conditional update is the single-use guard: of two concurrent accepts, one updates 0 rows.
  const claimed = await tx.invite.updateMany({
    where: { id: invite.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { acceptedAt: new Date() },
  });
  if (claimed.count !== 1) throw new AppError("GONE", MESSAGES.accepted);
  const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: invite.orgId, userId: user.id } } });
  if (!existing) await tx.membership.create({ data: { orgId: invite.orgId, userId: user.id, role: invite.role } });
  // The joined organisation is where "/" and the next sign-in land.
  await tx.user.update({ where: { id: user.id }, data: { lastOrgId: invite.orgId } });
  await recordAudit(
    { orgId: invite.orgId, actor: { id: user.id, label: user.email }, action: "invite.accepted", target: null, details: { role: invite.role } },
    tx as Db,
  );
  return invite.org;
}

export async function acceptInvite({ db = prisma, token, userId }: AcceptInviteOptions) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, emailVerifiedAt: true } });
  if (!user) throw new AppError("UNAUTHENTICATED", "Please sign in again.");
  return db.$transaction((tx) => acceptInviteInTx(tx, { token, user }));
}
