"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/server/errors";
import { Alert } from "./alert";
import { Button } from "./button";

/** A danger button that asks first, runs a delete action, then goes to `redirectTo` or shows the refusal. */
export function ConfirmDeleteButton({ label, question, action, redirectTo }: {
  label: string;
  question: string;
  action: () => Promise<ActionResult<unknown>>;
  redirectTo: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <div className="space-y-3">
      <Button
        variant="danger"
        pending={pending}
        onClick={() => {
          if (!confirm(question)) return;
          start(async () => {
            setError(undefined);
            const res = await action();
            if (res.ok) router.push(redirectTo);
            else setError(res.error.message);
          });
        }}
      >
        {label}
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
