"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/app/_components/button";
import { Icon } from "@/app/_components/icons";
import { runWorkflowNow } from "./run-actions";

/** "Run now": queues a clone (or joins the queued one) and opens its progress page. */
export function RunNowButton({ orgSlug, workflowId, label = "Run now" }: { orgSlug: string; workflowId: string; label?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        pending={pending}
        onClick={() =>
          start(async () => {
            setError(undefined);
            const res = await runWorkflowNow(orgSlug, { workflowId });
            if (res.ok) router.push(`/${orgSlug}/jobs/${res.data.jobId}`);
            else setError(res.error.message);
          })
        }
      >
        <Icon name="play" />
        {label}
      </Button>
      {error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
