import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { Card, CardHeader } from "@/app/_components/card";
import { PageHeader } from "@/app/_components/page-header";
import { prisma } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { getScanResult, workflowsForSource } from "@/lib/server/services/scans/scan-result";
import { ScanFindings } from "../_components/scan-findings";
import { RelativeTime } from "@/app/_components/relative-time";

export const metadata: Metadata = { title: "Scan results" };

// One scan's results: every finding in words, with what each workflow of the scanned source does
// with it, and the tables or columns the scanner could not read.
export default async function ScanResultPage({ params }: { params: Promise<{ orgSlug: string; jobId: string }> }) {
  const { orgSlug, jobId } = await params;
  const ctx = await requireOrgPermission(orgSlug, "connection", "read");
  const scan = await getScanResult({ orgId: ctx.org.id, jobId }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const connection = scan.connectionId ? await prisma.connection.findFirst({ where: { id: scan.connectionId, orgId: ctx.org.id }, select: { name: true } }) : null;
  const workflows = scan.connectionId ? await workflowsForSource({ orgId: ctx.org.id, connectionId: scan.connectionId }) : [];
  const result = scan.result;
  const title = `Scan of ${connection?.name ?? "a deleted connection"}`;
  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
      <Link href={`/${ctx.org.slug}/scan`} className="hover:text-slate-800">
        PII scanner
      </Link>
    </nav>
  );
  if (!result) {
    return (
      <>
        {breadcrumb}
        <PageHeader title={title} />
        <Alert tone="info" title="No results yet">
          This scan has not finished successfully.
          {ctx.can("job", "read") && (
            <>
              {" "}
              <Link href={`/${ctx.org.slug}/jobs/${scan.jobId}`} className="underline">
                See its progress
              </Link>
              .
            </>
          )}
        </Alert>
      </>
    );
  }
  return (
    <>
      {breadcrumb}
      <PageHeader
        title={title}
        description={
          <>
            <RelativeTime date={result.scannedAt} /> · {result.totals.columnsFlagged} of {result.totals.columnsScanned} columns in {result.totals.tables} tables look like personal data · up to {result.sampleSize} values sampled per column
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Findings" description="Examples are masked. Each workflow that copies from this connection shows the rule it applies, or that it copies the column unchanged." />
          <ScanFindings
            orgSlug={ctx.org.slug}
            jobId={scan.jobId}
            result={result}
            workflows={workflows}
            access={{ canAdd: ctx.can("workflow", "update"), canReadWorkflows: ctx.can("workflow", "read"), canCreateWorkflows: ctx.can("workflow", "create") }}
          />
        </Card>
        {result.skipped.length > 0 && (
          <Card>
            <CardHeader title="Not scanned" />
            <ul className="space-y-1 px-5 py-4 text-sm break-words text-slate-600">
              {result.skipped.map((s, i) => (
                <li key={i}>
                  {s.schema}.{s.table}
                  {s.column ? `.${s.column}` : ""}: {s.reason}
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
    </>
  );
}
