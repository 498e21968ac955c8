"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/app/_components/button";
import { toastAfterReload, useToast } from "@/app/_components/toast";
import { useAction } from "@/app/_components/use-action";
import { addAllSuggestionsAction, addSuggestedRuleAction, startScanAction } from "./actions";

/** "Scan for personal data": queues a PII_SCAN job; the scan page shows its progress, then its findings. */
export function ScanButton({ orgSlug, connectionId, name }: { orgSlug: string; connectionId: string; name: string }) {
  const { run, pending, error } = useAction();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        size="sm"
        pending={pending}
        aria-label={`Scan ${name}`}
        onClick={() => run(() => startScanAction(orgSlug, { connectionId }), { success: `Scan of ${name} started.` })}
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

type WorkflowChoice = { id: string; name: string };

/**
 * "Add to <workflow>": the finding's suggested rule becomes the column's rule in a new version of
 * the workflow. With several workflows that copy the column unchanged, the person picks one.
 */
export function AddToWorkflowButton(props: { orgSlug: string; jobId: string; schema: string; table: string; column: string; rule: string; workflows: WorkflowChoice[] }) {
  const { run, pending, error } = useAction();
  const { orgSlug, jobId, schema, table, column, workflows } = props;
  const [workflowId, setWorkflowId] = useState(workflows[0]?.id ?? "");
  const chosen = workflows.find((w) => w.id === workflowId) ?? workflows[0];
  if (!chosen) return null;
  return (
    <div className="flex min-w-0 flex-col items-start gap-1">
      <div className="flex w-full max-w-full items-center gap-2">
        {workflows.length > 1 && (
          <select aria-label={`Workflow for ${table}.${column}`} value={chosen.id} onChange={(e) => setWorkflowId(e.target.value)} className="h-8 min-w-0 flex-1 rounded-md border-0 bg-white py-0 pr-8 pl-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 focus:outline-none">
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        )}
        <Button
          size="sm"
          variant="secondary"
          className="max-w-full shrink-0"
          pending={pending}
          aria-label={`Add ${props.rule} to ${table}.${column} in ${chosen.name}`}
          onClick={() => run(() => addSuggestedRuleAction(orgSlug, { jobId, workflowId: chosen.id, schema, table, column }), { success: `Rule ${props.rule} added to ${table}.${column} in ${chosen.name}.` })}
        >
          <span className="truncate">{workflows.length > 1 ? "Add rule" : `Add to ${chosen.name}`}</span>
        </Button>
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** "Add all N suggestions to <workflow>": every finding the workflow copies unchanged, as one new version. */
export function AddAllSuggestionsButton(props: {
  orgSlug: string;
  jobId: string;
  workflow: WorkflowChoice;
  count: number;
  /** Reload the page afterwards (the workflow page: its editor then starts from the new version). */
  reload?: boolean;
}) {
  const { orgSlug, jobId, workflow, count } = props;
  const router = useRouter();
  const toast = useToast();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, start] = useTransition();
  if (count === 0 && !message) return null;
  return (
    <div className="flex min-w-0 flex-col items-start gap-1">
      {count > 0 && <Button
        size="sm"
        variant="primary"
        className="h-auto min-h-8 max-w-full py-1 text-left"
        pending={pending}
        onClick={() =>
          start(async () => {
            setMessage(undefined);
            const res = await addAllSuggestionsAction(orgSlug, { jobId, workflowId: workflow.id });
            if (!res.ok) return setMessage({ ok: false, text: res.error.message });
            const { added, skipped, version } = res.data;
            const left = skipped.length ? ` No rule fits ${skipped.map((s) => `${s.table}.${s.column}`).join(", ")}: choose one in the editor.` : "";
            setMessage({ ok: true, text: `Added ${added.length} rule${added.length === 1 ? "" : "s"} to ${workflow.name} (version ${version}).${left}` });
            const done = `${added.length} rule${added.length === 1 ? "" : "s"} added to ${workflow.name}.`;
            if (props.reload) {
              toastAfterReload(done);
              window.location.reload();
            } else {
              toast(done);
              router.refresh();
            }
          })
        }
      >
        Add all {count} suggestion{count === 1 ? "" : "s"} to {workflow.name}
      </Button>}
      {message && (
        <p role={message.ok ? "status" : "alert"} className={`text-xs ${message.ok ? "text-emerald-700" : "text-red-700"}`}>
          {message.text}
        </p>
      )}
    </div>
  );
}
