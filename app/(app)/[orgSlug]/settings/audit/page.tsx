import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { AUDIT_ACTIONS } from "@/lib/server/audit";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listAuditLog } from "@/lib/server/services/audit/list-audit-log";
import { RelativeTime } from "@/app/_components/relative-time";

export const metadata: Metadata = { title: "Audit log" };


function describe(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action.replace(/[._]/g, " ");
}

function detailText(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  const d = details as Record<string, unknown>;
  if (typeof d.from === "string" && typeof d.to === "string") return `${d.from.toLowerCase()} → ${d.to.toLowerCase()}`;
  if (typeof d.role === "string") return `as ${d.role.toLowerCase()}`;
  return "";
}

export default async function AuditPage({ params, searchParams }: { params: Promise<{ orgSlug: string }>; searchParams: Promise<{ before?: string }> }) {
  const { orgSlug } = await params;
  const { before } = await searchParams;
  const ctx = await requireOrgPermission(orgSlug, "audit_log", "read");
  const beforeDate = before && !Number.isNaN(Date.parse(before)) ? new Date(before) : undefined;
  const { entries, hasMore } = await listAuditLog({ orgId: ctx.org.id, before: beforeDate });
  const last = entries.at(-1);
  return (
    <>
      <PageHeader title="Audit log" description="Who did what in this organisation, and when. Times are UTC." />
      <Card>
        {entries.length === 0 ? (
          <EmptyState title="Nothing recorded yet" description="Sign-ins, invites, role changes and removals appear here." />
        ) : (
          <Table caption="Audit log">
            <THead>
              <Th>When (UTC)</Th>
              <Th>Who</Th>
              <Th>What</Th>
            </THead>
            <TBody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <Td className="whitespace-nowrap text-slate-500"><RelativeTime date={e.createdAt} /></Td>
                  <Td className="text-slate-900">{e.actorLabel}</Td>
                  <Td>
                    {describe(e.action)} {e.target && <span className="font-medium text-slate-900">{e.target}</span>}{" "}
                    <span className="text-slate-500">{detailText(e.details)}</span>
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
        {(hasMore || beforeDate) && (
          <div className="flex justify-between border-t border-slate-200 px-5 py-3 text-sm">
            {beforeDate ? (
              <Link href={`/${ctx.org.slug}/settings/audit`} className="text-brand-600 hover:underline">
                Newest
              </Link>
            ) : (
              <span />
            )}
            {hasMore && last && (
              <Link href={`/${ctx.org.slug}/settings/audit?before=${encodeURIComponent(last.createdAt.toISOString())}`} className="text-brand-600 hover:underline">
                Older entries
              </Link>
            )}
          </div>
        )}
      </Card>
    </>
  );
}
