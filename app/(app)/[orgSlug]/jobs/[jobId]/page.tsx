import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { RelativeTime } from "@/app/_components/relative-time";
import { ButtonLink } from "@/app/_components/button";
import { Card, CardBody } from "@/app/_components/card";
import { PageHeader } from "@/app/_components/page-header";
import type { CloneReport } from "@/lib/pipeline/types";
import { AppError } from "@/lib/server/errors";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { getJobDetail } from "@/lib/server/services/jobs/get-job-detail";
import { duration, KIND_LABELS } from "../_components/format";
import { CloneReportView } from "./clone-report";
import { JobLive } from "./job-live";
import { RunOutcome } from "./run-outcome";
import { UnreviewedColumns, unreviewedOf } from "./unreviewed-columns";

export const metadata: Metadata = { title: "Run" };

function isCloneReport(r: unknown): r is CloneReport {
  return !!r && typeof r === "object" && Array.isArray((r as CloneReport).tables) && !!(r as CloneReport).privacyCheck && !!(r as CloneReport).totals;
}

function scanTotals(r: unknown): { tables: number; columnsScanned: number; columnsFlagged: number } | null {
  const t = (r as { totals?: { tables?: unknown; columnsScanned?: unknown; columnsFlagged?: unknown } } | null)?.totals;
  return t && typeof t.tables === "number" && typeof t.columnsScanned === "number" && typeof t.columnsFlagged === "number" ? (t as { tables: number; columnsScanned: number; columnsFlagged: number }) : null;
}

export default async function JobPage({ params }: { params: Promise<{ orgSlug: string; jobId: string }> }) {
  const { orgSlug, jobId } = await params;
  const ctx = await requireOrgPermission(orgSlug, "job", "read");
  const job = await getJobDetail({ orgId: ctx.org.id, role: ctx.role, jobId }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const done = ["SUCCEEDED", "FAILED", "CANCELED"].includes(job.status);
  const title = job.workflow ? job.workflow.name : job.connection ? `Scan of ${job.connection.name}` : (KIND_LABELS[job.kind] ?? job.kind);
  const canRunAgain = job.kind === "CLONE" ? ctx.can("workflow", "run") : job.kind === "PII_SCAN" ? ctx.can("connection", "read") : false;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href={`/${ctx.org.slug}/jobs`} className="hover:text-slate-800">
          Runs
        </Link>
        {job.workflow && (
          <>
            {" / "}
            <Link href={`/${ctx.org.slug}/workflows/${job.workflow.id}/runs`} className="hover:text-slate-800">
              {job.workflow.name}
            </Link>
          </>
        )}
      </nav>
      <PageHeader
        title={title}
        description={
          <>
            {KIND_LABELS[job.kind] ?? job.kind}
            {job.workflowVersion ? ` of version ${job.workflowVersion}` : ""} · started by {job.triggeredBy} · <RelativeTime date={job.startedAt ?? job.createdAt} />
            {job.durationMs !== null ? ` · took ${duration(job.durationMs)}` : ""}
          </>
        }
        actions={
          job.kind === "PII_SCAN" && job.status === "SUCCEEDED" && ctx.can("connection", "read") ? (
            <ButtonLink href={`/${ctx.org.slug}/scan/${job.id}`}>See scan results</ButtonLink>
          ) : undefined
        }
      />
      <div className="space-y-6">
        <RunOutcome job={job} report={isCloneReport(job.report) ? job.report : null}>
          {job.status === "FAILED" && job.error?.code === "UNREVIEWED_COLUMNS" && job.workflow && unreviewedOf(job.report) && (
            <UnreviewedColumns orgId={ctx.org.id} orgSlug={ctx.org.slug} workflowId={job.workflow.id} unreviewed={unreviewedOf(job.report)!} scanDetails={ctx.can("connection", "read")} />
          )}
        </RunOutcome>
        <JobLive
          key={job.id}
          orgSlug={ctx.org.slug}
          jobId={job.id}
          kind={job.kind}
          showTables={job.kind === "CLONE" || !done}
          canCancel={ctx.can("job", "run")}
          canRunAgain={canRunAgain}
          detailsHidden={job.detailsHidden}
          facts={[
            { label: "Run id", value: job.id },
            ...(job.worker ? [{ label: "Worker", value: job.worker }] : []),
            ...(job.error?.code ? [{ label: "Error code", value: job.error.code }] : []),
          ]}
          initial={{
            status: job.status,
            done,
            attempts: job.attempts,
            maxAttempts: job.maxAttempts,
            cancelRequested: job.cancelRequested,
            startedAt: job.startedAt?.toISOString() ?? null,
            finishedAt: job.finishedAt?.toISOString() ?? null,
            progress: job.progress,
            logs: job.logs,
          }}
        />
        {job.status === "SUCCEEDED" && job.kind === "PII_SCAN" && ctx.can("connection", "read") && scanTotals(job.report) && (
          <Card>
            <CardBody className="flex flex-wrap items-center justify-between gap-4 text-sm text-slate-700">
              <p>
                <span className="font-semibold text-slate-900">{scanTotals(job.report)!.columnsFlagged}</span> of {scanTotals(job.report)!.columnsScanned} columns in{" "}
                {scanTotals(job.report)!.tables} tables look like personal data.
              </p>
              <ButtonLink href={`/${ctx.org.slug}/scan/${job.id}`} variant="secondary" size="sm">
                Review columns and add rules
              </ButtonLink>
            </CardBody>
          </Card>
        )}
        {job.status === "SUCCEEDED" && job.kind === "CLONE" && isCloneReport(job.report) && job.report.unreviewedNulled?.length && job.workflow ? (
          <Alert tone="warning" title="Columns nobody has reviewed were copied as NULL">
            <p data-testid="unreviewed-nulled">
              {job.report.unreviewedNulled.map((t) => t.columns.map((c) => `${t.table}.${c}`).join(", ")).join(", ")}: new in the source since the workflow was saved. The
              organisation&apos;s setting copies such columns as NULL until they are reviewed.
            </p>
            <p className="mt-2">
              <Link href={`/${ctx.org.slug}/workflows/${job.workflow.id}#editor`} className="font-medium underline underline-offset-2">
                Review them in the workflow editor
              </Link>
            </p>
          </Alert>
        ) : null}
        {job.status === "SUCCEEDED" && job.kind === "CLONE" && isCloneReport(job.report) && <CloneReportView report={job.report} />}
        {job.status === "SUCCEEDED" && job.kind === "CLONE" && !isCloneReport(job.report) && (
          <Card>
            <CardBody className="text-sm text-slate-500">This run finished without a report.</CardBody>
          </Card>
        )}
      </div>
    </>
  );
}
