import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { findInviteByToken } from "@/lib/server/services/invites/find-invite";
import { getSessionUser } from "@/lib/server/session";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ invite?: string }> }) {
  const { invite: token } = await searchParams;
  // Already signed in: an invite is accepted from its own page; otherwise go to the app.
  if (await getSessionUser()) redirect(token ? `/invite/${encodeURIComponent(token)}` : "/");
  const invite = token ? await findInviteByToken({ token }) : null;
  const pending = invite && invite.state === "pending" ? invite : null;
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Create your account</h1>
      <p className="mt-1 text-sm text-slate-500">
        {pending ? (
          <>
            You&apos;ve been invited to <strong className="text-slate-700">{pending.org.name}</strong>.
          </>
        ) : (
          "Start making safe copies of your production data."
        )}
      </p>
      <div className="mt-6">
        <SignUpForm inviteToken={pending ? token : undefined} invitedEmail={pending?.email} />
      </div>
      <p className="mt-6 text-center text-sm text-slate-500">
        Already have an account?{" "}
        <Link href={pending ? `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}` : "/sign-in"} className="font-medium text-brand-600 hover:underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
