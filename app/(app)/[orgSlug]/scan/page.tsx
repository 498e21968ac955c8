import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/app/_components/button";
import { Card, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { prisma } from "@/lib/server/db";
import { requireOrgPermission } from "@/lib/server/org-context";
import { listScans } from "@/lib/server/services/scans/scan-result";
import { utc } from "../jobs/_components/format";
import { JobStatusBadge } from "../jobs/_components/job-status-badge";
import { ScanButton } from "./scan-buttons";

export const metadata: Metadata = { title: "PII scanner" };

// Scan a source connection for personal data: sampled values and column names are classified
// (HIPAA identifier categories); results show masked examples only.
export default async function ScanPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "connection", "read");
  const [connections, scans] = await Promise.all([
    prisma.connection.findMany({ where: { orgId: ctx.org.id, kind: "POSTGRES" }, orderBy: { name: "asc" }, select: { id: true, name: true, config: true } }),
    listScans({ orgId: ctx.org.id }),
  ]);
  return (
    <>
      <PageHeader title="PII scanner" description="Find the columns that hold personal data before you copy them: names, addresses, dates of birth, emails, phone numbers, SSNs, account numbers and more." />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Scan a database" description="Reads a sample of up to 200 values per text-like column (read-only) and classifies each column." />
          {connections.length === 0 ? (
            <EmptyState
              icon={<Icon name="plug" className="size-8" />}
              title="No PostgreSQL connections yet"
              description="Add your source database first; then scan it here."
              action={<ButtonLink href={`/${ctx.org.slug}/connections`}>Add a connection</ButtonLink>}
            />
          ) : (
            <ul className="divide-y divide-slate-100">
              {connections.map((c) => {
                const cfg = c.config as { host?: string; database?: string };
                return (
                  <li key={c.id} className="flex items-center justify-between gap-4 px-5 py-3" data-testid="scan-connection" data-name={c.name}>
                    <div>
                      <p className="font-medium text-slate-900">{c.name}</p>
                      <p className="text-xs text-slate-500">
                        {cfg.database ?? ""}
                        {cfg.host ? ` on ${cfg.host}` : ""}
                      </p>
                    </div>
                    <ScanButton orgSlug={ctx.org.slug} connectionId={c.id} name={c.name} />
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card>
          <CardHeader title="Recent scans" />
          {scans.length === 0 ? (
            <EmptyState title="No scans yet" description="Scan a connection above; its results show here." />
          ) : (
            <Table caption="Recent scans">
              <THead>
                <Th>Connection</Th>
                <Th>Status</Th>
                <Th>Started</Th>
                <Th className="text-right">Columns flagged</Th>
              </THead>
              <TBody>
                {scans.map((s) => (
                  <tr key={s.jobId} data-testid="scan-row">
                    <Td>
                      <Link href={s.status === "SUCCEEDED" ? `/${ctx.org.slug}/scan/${s.jobId}` : `/${ctx.org.slug}/jobs/${s.jobId}`} className="font-medium text-slate-900 hover:text-brand-700">
                        {s.connection?.name ?? "—"}
                      </Link>
                    </Td>
                    <Td>
                      <JobStatusBadge status={s.status} />
                    </Td>
                    <Td className="whitespace-nowrap text-slate-500">{utc(s.createdAt)}</Td>
                    <Td className="text-right tabular-nums">{s.flagged ?? "—"}</Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
