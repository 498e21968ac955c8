import { Badge } from "@/app/_components/badge";
import { STATUS_LABELS } from "./format";

const TONES = { QUEUED: "gray", RUNNING: "blue", SUCCEEDED: "green", FAILED: "red", CANCELED: "amber" } as const;

export function JobStatusBadge({ status, cancelRequested }: { status: string; cancelRequested?: boolean }) {
  const tone = TONES[status as keyof typeof TONES] ?? "gray";
  return (
    <span data-testid="job-status" data-status={status}>
      <Badge tone={tone}>
        {status === "RUNNING" && <span className="mr-1.5 size-1.5 animate-pulse rounded-full bg-current" aria-hidden />}
        {cancelRequested && status === "RUNNING" ? "Canceling…" : (STATUS_LABELS[status] ?? status)}
      </Badge>
    </span>
  );
}

/** A clone into a delta-enabled target: "Delta" (changes applied) or "Full" (everything copied); nothing for other runs. */
export function DeltaRunBadge({ run }: { run: "delta" | "full" | null }) {
  if (!run) return null;
  return (
    <span data-testid="delta-run" data-run={run} title={run === "delta" ? "Delta run: only the changed rows were applied" : "Full run: every row was copied"}>
      <Badge tone={run === "delta" ? "violet" : "gray"}>{run === "delta" ? "Delta" : "Full"}</Badge>
    </span>
  );
}
