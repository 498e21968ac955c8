import type { CloneReport } from "@/lib/pipeline/types";
import type { JobDetail } from "@/lib/server/services/jobs/get-job-detail";
import { count, duration } from "../_components/format";
import { failedStep } from "../_components/run-words";

// The header of a finished run, in words: what happened and what to do next. A failed run is
// red and names the step it stopped at; the engine's code stays in the page's Details.

type Props = { job: JobDetail; report: CloneReport | null; children?: React.ReactNode };

const TONES = {
  SUCCEEDED: "bg-emerald-50 ring-emerald-200 text-emerald-900",
  FAILED: "bg-red-50 ring-red-200 text-red-800",
  CANCELED: "bg-amber-50 ring-amber-200 text-amber-900",
} as const;

export function RunOutcome({ job, report, children }: Props) {
  if (job.status !== "SUCCEEDED" && job.status !== "FAILED" && job.status !== "CANCELED") return null;
  const took = job.durationMs !== null ? ` in ${duration(job.durationMs)}` : "";
  let title: string;
  let lines: React.ReactNode[] = [];
  if (job.status === "SUCCEEDED") {
    if (report) {
      title = `Copied ${count(report.totals.rowsWritten)} rows of ${report.tables.length} ${report.tables.length === 1 ? "table" : "tables"}${took}`;
      const t = report.outputs.target;
      const s3 = report.outputs.s3;
      lines = [
        t && <>The twin <span className="font-medium break-all">{t.database}</span> ({t.schemas.join(", ")}) now holds this copy; your apps see it at once.</>,
        report.valuesUsed?.length ? `With ${report.valuesUsed.map((v) => `${v.label} “${v.value ?? ""}”`).join(", ")}.` : null,
        s3 && `Files are in s3://${s3.bucket}/${s3.prefix}.`,
        report.privacyCheck.passed && report.privacyCheck.valuesChecked > 0 ? "No source value of a redacted column was found in the output." : null,
      ].filter(Boolean);
    } else {
      title = job.kind === "PII_SCAN" ? `Scan finished${took}` : `Finished${took}`;
    }
  } else if (job.status === "FAILED") {
    const failedTable = job.progress?.tables.find((t) => t.phase === "failed");
    const step = failedStep(job.error?.code, job.progress?.phase, failedTable && `${failedTable.schema}.${failedTable.table}`);
    title = step ? `Failed while ${step}` : "This run failed";
    lines = [
      <span key="m" data-testid="job-error">{job.error?.message ?? "The run stopped without saying why."}</span>,
      job.error?.hint ? <span key="h" data-testid="job-hint"><span className="font-medium">What to do: </span>{job.error.hint}</span> : null,
    ].filter(Boolean);
  } else {
    title = "This run was canceled";
    lines = ["Nothing was swapped into place: the previous copy is unchanged. Run it again when you are ready."];
  }
  return (
    <section role={job.status === "FAILED" ? "alert" : "status"} className={`rounded-lg px-5 py-4 ring-1 ring-inset ${TONES[job.status]}`} data-testid="run-outcome" data-status={job.status}>
      <p className="text-base font-semibold" data-testid="run-outcome-title">{title}</p>
      {lines.map((l, i) => (
        <p key={i} className="mt-1 text-sm break-words">
          {l}
        </p>
      ))}
      {children}
    </section>
  );
}
