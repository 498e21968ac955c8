"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/app/_components/button";
import { addSuggestedRuleAction, startScanAction } from "./actions";

/** "Scan for personal data": queues a PII_SCAN job and opens its progress page. */
export function ScanButton({ orgSlug, connectionId, name }: { orgSlug: string; connectionId: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        size="sm"
        pending={pending}
        aria-label={`Scan ${name}`}
        onClick={() =>
          start(async () => {
            setError(undefined);
            const res = await startScanAction(orgSlug, { connectionId });
            if (res.ok) router.push(`/${orgSlug}/jobs/${res.data.jobId}`);
            else setError(res.error.message);
          })
        }
      >
        Scan
      </Button>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** One click: the scanner's suggested rule becomes the column's rule in the chosen workflow. */
export function AddRuleButton(props: { orgSlug: string; jobId: string; workflowId: string; schema: string; table: string; column: string; rule: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const { orgSlug, jobId, workflowId, schema, table, column } = props;
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        size="sm"
        variant="secondary"
        className="whitespace-nowrap"
        pending={pending}
        aria-label={`Add rule ${props.rule} to ${table}.${column}`}
        onClick={() =>
          start(async () => {
            setError(undefined);
            const res = await addSuggestedRuleAction(orgSlug, { jobId, workflowId, schema, table, column });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          })
        }
      >
        Add rule: {props.rule}
      </Button>
      {error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
