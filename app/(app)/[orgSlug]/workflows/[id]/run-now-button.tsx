"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/button";
import { Icon } from "@/app/_components/icons";
import { useAction } from "@/app/_components/use-action";
import { runWorkflowNow } from "./run-actions";

/**
 * "Run now": queues a clone (or joins the queued one) and opens its progress page. A refusal
 * links to where it is fixed: a draft's unreviewed columns to the editor, a missing
 * customization value to the demo page.
 */
export function RunNowButton({ orgSlug, workflowId, label = "Run now" }: { orgSlug: string; workflowId: string; label?: string }) {
  const router = useRouter();
  const [error, setError] = useState<{ message: string; fix?: { href: string; label: string } }>();
  const { run, pending } = useAction();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        pending={pending}
        onClick={() => {
          setError(undefined);
          run(() => runWorkflowNow(orgSlug, { workflowId }), {
            success: "Run queued.",
            then: (data) => router.push(`/${orgSlug}/jobs/${data.jobId}`),
            onError: (err) => {
              const keys = Object.keys(err.fieldErrors ?? {});
              const fix = keys.includes("unreviewed")
                ? { href: `/${orgSlug}/workflows/${workflowId}#editor`, label: "Review the columns" }
                : keys.length && err.code === "VALIDATION" ? { href: `/${orgSlug}/demo/${workflowId}`, label: "Fill in the values" } : undefined;
              setError({ message: err.message, fix });
            },
          });
        }}
      >
        <Icon name="play" />
        {label}
      </Button>
      {error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {error.message}
          {error.fix && (
            <>
              {" "}
              <Link href={error.fix.href} className="font-medium underline underline-offset-2">
                {error.fix.label}
              </Link>
            </>
          )}
        </p>
      )}
    </div>
  );
}
