import { Suspense } from "react";
import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/app/_components/button";
import { Card, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { prisma } from "@/lib/server/db";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { latestScansByConnection, listScans, workflowsBySource, type ConnectionScans } from "@/lib/server/services/scans/scan-result";
import { JobStatusBadge } from "../jobs/_components/job-status-badge";
import { ScanFindings, type FindingsAccess } from "./_components/scan-findings";
import { ScanProgress } from "./_components/scan-progress";
import { ScanButton } from "./scan-buttons";
import { RelativeTime } from "@/app/_components/relative-time";
import { ListSkeleton } from "../skeletons";

export const metadata: Metadata = { title: "PII scanner" };

/** Findings shown per connection here; the scan's own page lists them all. */
const FINDINGS_SHOWN = 40;

// The permission check comes before the placeholder: once it shows, the response is a 200.
export default async function ScanPage(props: Parameters<typeof Scanner>[0]) {
  await requireOrgPermission((await props.params).orgSlug, "connection", "read");
  return (
    <Suspense fallback={<ListSkeleton label="Loading the scanner" rows={4} cols={3} />}>
      <Scanner {...props} />
    </Suspense>
  );
}

// Scan a source connection for personal data: sampled values and column names are classified
// (HIPAA identifier categories). Each connection shows its latest scan's findings in words, with
// masked examples and what each of its workflows does with them; admins add the suggested rules.
async function Scanner({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "connection", "read");
  const [connections, scans, latest, workflows] = await Promise.all([
    prisma.connection.findMany({ where: { orgId: ctx.org.id, kind: "POSTGRES" }, orderBy: { name: "asc" }, select: { id: true, name: true, config: true } }),
    listScans({ orgId: ctx.org.id }),
    latestScansByConnection({ orgId: ctx.org.id }),
    workflowsBySource({ orgId: ctx.org.id }),
  ]);
  const access: FindingsAccess = { canAdd: ctx.can("workflow", "update"), canReadWorkflows: ctx.can("workflow", "read"), canCreateWorkflows: ctx.can("workflow", "create") };
  const canReadJobs = ctx.can("job", "read");
  return (
    <>
      <PageHeader title="PII scanner" description="Find the columns that hold personal data before you copy them: names, addresses, dates of birth, emails, phone numbers, SSNs, account numbers and more. A scan reads a sample of up to 200 values per column (read-only)." />
      <div className="space-y-6">
        {connections.length === 0 && (
          <Card>
            <EmptyState
              icon={<Icon name="plug" className="size-8" />}
              title="No PostgreSQL connections yet"
              description="Add your source database first; then scan it here."
              action={ctx.can("connection", "create") ? <ButtonLink href={`/${ctx.org.slug}/connections`}>Add a connection</ButtonLink> : undefined}
            />
          </Card>
        )}
        {connections.map((c) => {
          const cfg = c.config as { host?: string; database?: string };
          const scan = latest.get(c.id) ?? { latest: null, newer: null };
          return (
            <Card key={c.id}>
              <div data-testid="scan-connection" data-name={c.name}>
                <CardHeader
                  title={c.name}
                  description={`${cfg.database ?? ""}${cfg.host ? ` on ${cfg.host}` : ""}`}
                  actions={<ScanButton orgSlug={ctx.org.slug} connectionId={c.id} name={c.name} />}
                />
                <ScanState orgSlug={ctx.org.slug} scan={scan} canReadJobs={canReadJobs} />
                {scan.latest && <ScanFindings orgSlug={ctx.org.slug} jobId={scan.latest.jobId} result={scan.latest} workflows={workflows.get(c.id) ?? []} access={access} limit={FINDINGS_SHOWN} />}
              </div>
            </Card>
          );
        })}
        {scans.length > 0 && (
          <Card>
            <CardHeader title="Recent scans" />
            <Table caption="Recent scans">
              <THead>
                <Th>Connection</Th>
                <Th>Status</Th>
                <Th className="hidden sm:table-cell">Started</Th>
                <Th className="text-right">Flagged</Th>
              </THead>
              <TBody>
                {scans.map((s) => {
                  const href = s.status === "SUCCEEDED" ? `/${ctx.org.slug}/scan/${s.jobId}` : canReadJobs ? `/${ctx.org.slug}/jobs/${s.jobId}` : null;
                  const name = s.connection?.name ?? "—";
                  return (
                    <tr key={s.jobId} data-testid="scan-row">
                      <Td>{href ? <Link href={href} className="font-medium text-slate-900 hover:text-brand-700">{name}</Link> : <span className="font-medium text-slate-900">{name}</span>}</Td>
                      <Td>
                        <JobStatusBadge status={s.status} />
                      </Td>
                      <Td className="hidden whitespace-nowrap text-slate-500 sm:table-cell"><RelativeTime date={s.createdAt} /></Td>
                      <Td className="text-right tabular-nums">{s.flagged ?? "—"}</Td>
                    </tr>
                  );
                })}
              </TBody>
            </Table>
          </Card>
        )}
      </div>
    </>
  );
}

/** When the connection was last scanned and what it found, and a newer scan still under way (or failed). */
function ScanState({ orgSlug, scan, canReadJobs }: { orgSlug: string; scan: ConnectionScans; canReadJobs: boolean }) {
  const { latest, newer } = scan;
  const running = newer?.status === "QUEUED" || newer?.status === "RUNNING";
  return (
    <div className="space-y-1 border-b border-slate-100 px-5 py-3 text-sm text-slate-600" data-testid="scan-state">
      {latest ? (
        <p>
          Scanned <RelativeTime date={latest.scannedAt} />: {latest.totals.columnsFlagged} of {latest.totals.columnsScanned} columns in {latest.totals.tables} tables look like personal data.{" "}
          <Link href={`/${orgSlug}/scan/${latest.jobId}`} className="font-medium text-brand-700 hover:underline">
            All results
          </Link>
        </p>
      ) : (
        !newer && <p>Not scanned yet: press Scan to sample its columns.</p>
      )}
      {newer && (
        <p>
          {running ? <ScanProgress key={newer.jobId} jobId={newer.jobId} /> : "The latest scan did not finish"}
          {canReadJobs ? (
            <>
              {" "}
              (
              <Link href={`/${orgSlug}/jobs/${newer.jobId}`} className="font-medium text-brand-700 hover:underline">
                {running ? "log" : "see why"}
              </Link>
              )
            </>
          ) : null}
          .
        </p>
      )}
    </div>
  );
}
