import Link from "next/link";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import type { JobSummary } from "@/lib/server/services/jobs/job-summary";
import { count, duration, KIND_LABELS } from "./format";
import { DeltaRunBadge, JobStatusBadge } from "./job-status-badge";
import { RelativeTime } from "@/app/_components/relative-time";

// The job history table: used by /jobs, a workflow's Runs tab and the dashboard.
export function JobTable({ orgSlug, jobs, showWorkflow = true, caption = "Runs" }: { orgSlug: string; jobs: JobSummary[]; showWorkflow?: boolean; caption?: string }) {
  return (
    <Table caption={caption} stack>
      <THead>
        <Th>Status</Th>
        {showWorkflow && <Th>Run of</Th>}
        <Th>Started by</Th>
        <Th>Started</Th>
        <Th>Duration</Th>
        <Th className="text-right">Rows copied</Th>
      </THead>
      <TBody>
        {jobs.map((j) => (
          <tr key={j.id} data-testid="job-row" data-job-id={j.id} className="hover:bg-slate-50">
            <Td label="Status">
              <span className="inline-flex flex-wrap items-center gap-1.5">
                <Link href={`/${orgSlug}/jobs/${j.id}`} className="rounded focus-visible:outline-2 focus-visible:outline-brand-600" aria-label={`Open run ${j.id.slice(0, 8)}`}>
                  <JobStatusBadge status={j.status} cancelRequested={j.cancelRequested} />
                </Link>
                <DeltaRunBadge run={j.deltaRun} />
              </span>
            </Td>
            {showWorkflow && (
              <Td className="max-sm:order-first">
                <Link href={`/${orgSlug}/jobs/${j.id}`} className="font-medium text-slate-900 hover:text-brand-700">
                  {j.workflow?.name ?? j.connection?.name ?? "—"}
                </Link>
                <div className="text-xs text-slate-500">{KIND_LABELS[j.kind] ?? j.kind}</div>
              </Td>
            )}
            <Td label="Started by">
              <div className="text-slate-700">{j.triggeredBy}</div>
              <div className="text-xs text-slate-500">{j.trigger === "MANUAL" ? "Manual" : j.trigger === "API" ? "API" : "Schedule"}</div>
            </Td>
            <Td label="Started" className="whitespace-nowrap text-slate-500"><RelativeTime date={j.startedAt ?? j.createdAt} /></Td>
            <Td label="Duration" className="whitespace-nowrap text-slate-500">{j.durationMs !== null ? duration(j.durationMs) : j.status === "RUNNING" ? "running…" : "—"}</Td>
            <Td label="Rows copied" className="text-right whitespace-nowrap tabular-nums">{j.rowsCopied !== null ? count(j.rowsCopied) : "—"}</Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
