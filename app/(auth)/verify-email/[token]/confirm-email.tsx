"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { verifyEmailAction } from "../actions";

/** `next` is already a same-site path (checked by the page). */
export function ConfirmEmailButton({ token, next }: { token: string; next: string }) {
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
            const res = await verifyEmailAction({ token });
            if (res.ok) window.location.assign(next);
            else setError(res.error.message);
          })
        }
      >
        Confirm my email address
      </Button>
    </div>
  );
}
