"use client";

import { useRouter } from "next/navigation";
import { Alert } from "./alert";
import { Button } from "./button";
import { useAction } from "./use-action";

/** A danger button that asks first, runs a delete action, then goes to `redirectTo` with the toast `done`, or shows the refusal. */
export function ConfirmDeleteButton({ label, question, action, redirectTo, done }: {
  label: string;
  question: string;
  action: () => Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>;
  redirectTo: string;
  done: string;
}) {
  const router = useRouter();
  const { run, pending, error } = useAction();
  return (
    <div className="space-y-3">
      <Button
        variant="danger"
        pending={pending}
        onClick={() => {
          if (!confirm(question)) return;
          run(action, { success: done, then: () => router.push(redirectTo) });
        }}
      >
        {label}
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
