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
