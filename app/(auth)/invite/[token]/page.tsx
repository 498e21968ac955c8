import type { Metadata } from "next";
import { RoleBadge } from "@/app/_components/badge";
import { ButtonLink } from "@/app/_components/button";
import { findInviteByToken } from "@/lib/server/services/invites/find-invite";
import { getSessionUser } from "@/lib/server/session";
import { AcceptInviteButton, SignOutAndSwitch, VerifyEmailFirst } from "./accept-invite";

export const metadata: Metadata = { title: "Invitation" };

const DEAD_ENDS = {
  invalid: { title: "This invite link is not valid", body: "Check that you copied the whole link, or ask the person who invited you to send it again." },
  expired: { title: "This invite has expired", body: "Invites are valid for 7 days. Ask an admin of the organisation to resend it." },
  revoked: { title: "This invite was revoked", body: "An admin withdrew this invitation. Ask them for a new one if you still need access." },
  accepted: { title: "This invite has already been used", body: "Each invite link works once. If it was you, sign in to reach the organisation." },
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findInviteByToken({ token });
  if (invite.state !== "pending") {
    const msg = DEAD_ENDS[invite.state];
    return (
      <div className="text-center" data-testid="invite-dead-end">
        <h1 className="text-xl font-semibold text-slate-900">{msg.title}</h1>
        <p className="mt-2 text-sm text-slate-500">{msg.body}</p>
        <ButtonLink href="/sign-in" variant="secondary" className="mt-6">
          Go to sign in
        </ButtonLink>
      </div>
    );
  }
  const user = await getSessionUser();
  const here = `/invite/${token}`;
  return (
    <div>
      <h1 className="text-xl font-semibold text-slate-900">Join {invite.org.name}</h1>
      <p className="mt-2 text-sm text-slate-600">
        You&apos;ve been invited as <RoleBadge role={invite.role as "OWNER"} /> with the address <strong className="text-slate-800">{invite.email}</strong>.
      </p>
      <div className="mt-6 space-y-3">
        {!user ? (
          <>
            <ButtonLink href={`/sign-up?invite=${encodeURIComponent(token)}`} className="w-full">
              Create an account and join
            </ButtonLink>
            <ButtonLink href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`} variant="secondary" className="w-full">
              I already have an account
            </ButtonLink>
          </>
        ) : user.email === invite.email && user.emailVerified ? (
          <AcceptInviteButton token={token} />
        ) : user.email === invite.email ? (
          <VerifyEmailFirst email={user.email} next={here} />
        ) : (
          <>
            <p className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
              You&apos;re signed in as <strong>{user.email}</strong>, but this invite is for <strong>{invite.email}</strong>. Sign out and sign in (or sign
              up) with the invited address.
            </p>
            <SignOutAndSwitch callbackUrl={here} />
          </>
        )}
      </div>
    </div>
  );
}
