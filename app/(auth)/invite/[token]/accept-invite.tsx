"use client";

import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { acceptInviteAction } from "./actions";

export function AcceptInviteButton({ token }: { token: string }) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-3">
      {error && <Alert tone="error">{error}</Alert>}
      <Button
        className="w-full"
        pending={pending}
        onClick={() =>
          startTransition(async () => {
            const res = await acceptInviteAction({ token });
            if (res.ok) window.location.assign(`/${res.data.orgSlug}`);
            else setError(res.error.message);
          })
        }
      >
        Accept invite
      </Button>
    </div>
  );
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
