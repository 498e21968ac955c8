"use client";

import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import { ActionButton } from "@/app/_components/action-button";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { sendVerificationAction } from "../../verify-email/actions";
import { acceptInviteAction } from "./actions";

export function AcceptInviteButton({ token }: { token: string }) {
  return <ActionButton label="Accept invite" run={() => acceptInviteAction({ token })} next={(data) => `/${data.orgSlug}`} success="Invite accepted: you are now a member." />;
}

export function SignOutAndSwitch({ callbackUrl }: { callbackUrl: string }) {
  return (
    <Button variant="secondary" className="w-full" onClick={async () => {
        await signOut({ redirect: false });
        window.location.assign(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      }}>
      Sign out and switch account
    </Button>
  );
}

type Sent = { email: string; emailed: boolean; link: string | null };

/**
 * The invited address is the user's, but not confirmed yet: an invite grants access to an
 * organisation, so it takes proof that the person reads mail there (an account can be created
 * with anyone's address). Sends a verification link, or shows it when email is not configured.
 */
export function VerifyEmailFirst({ email, next }: { email: string; next: string }) {
  const [sent, setSent] = useState<Sent>();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-3" data-testid="verify-email-first">
      <p className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
        Confirm that <strong>{email}</strong> is your address before joining: we send a link to it, and opening that link lets you accept this invite.
      </p>
      {error && <Alert tone="error">{error}</Alert>}
      {sent?.emailed && <Alert tone="success">Verification link sent to {sent.email}. Open it from your inbox (it works for 24 hours).</Alert>}
      {sent && !sent.emailed && (
        <Alert tone="info" title="Email is not configured on this server (SMTP_URL)">
          <p>Open this verification link to confirm your address. It works once and expires in 24 hours.</p>
          <a href={sent.link ?? "#"} data-testid="verification-link" className="mt-1 block break-all font-mono text-xs underline">
            {sent.link}
          </a>
        </Alert>
      )}
      <Button
        className="w-full"
        pending={pending}
        variant={sent ? "secondary" : "primary"}
        onClick={() =>
          startTransition(async () => {
            setError(undefined);
            const res = await sendVerificationAction({ next });
            if (res.ok) setSent(res.data);
            else setError(res.error.message);
          })
        }
      >
        {sent ? "Send another link" : "Send verification link"}
      </Button>
    </div>
  );
}
