import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import { hashInviteToken, inviteState } from "../../invite-token";
import { hashPassword } from "../../password";
import { enforceRateLimits, LIMITS } from "../../rate-limit";
import type { TSignUp } from "../../../schemas/auth";
import { createOrgInTx } from "../orgs/create-org";

export type SignUpOptions = { db?: Db; input: TSignUp; ip: string };
/** `orgSlug`: the new personal organisation, null when the sign-up came from an invite. */
export type SignUpResult = { userId: string; orgSlug: string | null };

/**
 * Creates the user and, unless they came from a pending invite for this address, their personal
 * organisation (as owner). The address is not verified yet: an invitee joins from the invite page
 * once they confirmed it, and lands in that organisation, never in an empty one of their own.
 * A token that no longer works (revoked, expired, used) or is for another address is an ordinary
 * sign-up.
 */
export async function signUp({ db = prisma, input, ip }: SignUpOptions): Promise<SignUpResult> {
  await enforceRateLimits(
    [
      { key: `sign-up:email:${input.email}`, limit: LIMITS.signUpPerEmail },
      { key: `sign-up:ip:${ip}`, limit: LIMITS.signUpPerIp },
    ],
    db,
  );
  const taken = () => new AppError("CONFLICT", "An account with this email already exists.", { email: ["An account with this email already exists. Sign in instead."] });
  if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw taken();
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      await recordAudit({ orgId: null, actor: { id: user.id, label: user.email }, action: "auth.sign_up" }, tx as Db);
      if (input.inviteToken && (await isPendingInviteFor(tx as Db, input.inviteToken, user.email))) return { userId: user.id, orgSlug: null };
      const personal = await createOrgInTx(tx, { userId: user.id, actorLabel: user.email, name: personalOrgName(input.name) });
      return { userId: user.id, orgSlug: personal.slug };
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw taken();
    throw err;
  }
}

async function isPendingInviteFor(db: Db, token: string, email: string): Promise<boolean> {
  const invite = await db.invite.findUnique({ where: { tokenHash: hashInviteToken(token) }, select: { email: true, expiresAt: true, acceptedAt: true, revokedAt: true } });
  return !!invite && invite.email === email && inviteState(invite) === "pending";
}

export const personalOrgName = (name: string) => name.trim();
