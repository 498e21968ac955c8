"use client";

import { useState, useTransition } from "react";
import { Alert } from "./alert";
import { Button } from "./button";

// One button that calls a server action and, on success, goes where the result says; an error is
// shown above it in the action's own words (accept an invite, confirm an email address...).

type Result<T> = { ok: true; data: T } | { ok: false; error: { message: string } };

export function ActionButton<T>({ label, run, next }: { label: string; run: () => Promise<Result<T>>; next: (data: T) => string }) {
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
            if (res.ok) window.location.assign(next(res.data));
            else setError(res.error.message);
          })
        }
      >
        {label}
      </Button>
    </div>
  );
}
