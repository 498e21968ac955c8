"use client";

import { useState, useTransition } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { toastAfterReload } from "./toast";

// One button that calls a server action and, on success, goes where the result says; an error is
// shown above it in the action's own words (accept an invite, confirm an email address...).
// `success`: the toast the next page shows (the navigation is a full page load).

type Result<T> = { ok: true; data: T } | { ok: false; error: { message: string } };

export function ActionButton<T>({ label, run, next, success }: { label: string; run: () => Promise<Result<T>>; next: (data: T) => string; success?: string }) {
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
            const res = await run();
            if (res.ok) {
              if (success) toastAfterReload(success);
              window.location.assign(next(res.data));
            }
            else setError(res.error.message);
          })
        }
      >
        {label}
      </Button>
    </div>
  );
}
