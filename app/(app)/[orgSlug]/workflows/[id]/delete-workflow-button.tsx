"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { deleteWorkflowAction } from "../actions";

export function DeleteWorkflowButton({ orgSlug, workflowId, name }: { orgSlug: string; workflowId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <div className="space-y-3">
      <Button
        variant="danger"
        pending={pending}
        onClick={() => {
          if (!confirm(`Delete the workflow “${name}” with its history?`)) return;
          start(async () => {
            setError(undefined);
            const res = await deleteWorkflowAction(orgSlug, { workflowId });
            if (res.ok) router.push(`/${orgSlug}/workflows`);
            else setError(res.error.message);
          });
        }}
      >
        Delete workflow
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
