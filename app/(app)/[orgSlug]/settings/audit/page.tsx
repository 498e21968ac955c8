import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { buttonClass } from "@/app/_components/button";
import { Card } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { controlClass } from "@/app/_components/field";
import { PageHeader } from "@/app/_components/page-header";
import { RelativeTime } from "@/app/_components/relative-time";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { auditFilterQuery, parseAuditFilter, type TAuditFilter } from "@/lib/schemas/audit-filter";
import { AUDIT_ACTIONS } from "@/lib/server/audit";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { auditDetailText, describeAuditAction } from "@/lib/server/services/audit/audit-text";
import { decodeAuditCursor, listAuditActors, listAuditLog } from "@/lib/server/services/audit/list-audit-log";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

// Filters live in the URL (a plain GET form), so a filtered view can be linked and the
// export link carries the same filter; `before` pages back from the last entry shown.
export default async function AuditPage({ params, searchParams }: { params: Promise<{ orgSlug: string }>; searchParams: Promise<SearchParams> }) {
  const { orgSlug } = await params;
  const query = await searchParams;
  const ctx = await requireOrgPermission(orgSlug, "audit_log", "read");
  const filter = parseAuditFilter(query);
  const rawBefore = [query.before].flat()[0];
  const before = decodeAuditCursor(rawBefore);
  const base = `/${ctx.org.slug}/settings/audit`;
  const withQuery = (path: string, extra?: Record<string, string>) => {
    const q = auditFilterQuery(filter, extra);
    return q ? `${path}?${q}` : path;
  };
  // The GET form sends every field, empty ones too: answer with the link's clean form
  // (`?action=org.renamed`, not `?actor=&action=org.renamed&from=&to=`), also for values that did not parse.
  if ((["actor", "action", "from", "to"] as const).some((k) => k in query && !filter[k]) || (rawBefore !== undefined && !before)) {
    redirect(withQuery(base, before && rawBefore ? { before: rawBefore } : undefined));
  }
  const [{ entries, next }, actors] = await Promise.all([listAuditLog({ orgId: ctx.org.id, filter, before }), listAuditActors({ orgId: ctx.org.id })]);
  const filtered = Object.values(filter).some(Boolean);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what in this organisation, and when. Times are UTC."
        actions={
          // A plain link: the browser downloads the route's attachment (no client-side fetch).
          <a href={withQuery(`${base}/export`)} className={buttonClass("secondary")} data-testid="audit-export" download>
            Export CSV
          </a>
        }
      />
      <Card>
        <AuditFilters action={base} filter={filter} actors={actors} filtered={filtered} />
        {entries.length === 0 ? (
          filtered ? (
            <EmptyState title="No entries match these filters" description="Widen the dates or choose another person or action." action={<Link href={base} className={buttonClass("secondary", "sm")}>Clear filters</Link>} />
          ) : (
            <EmptyState title="Nothing recorded yet" description="Sign-ins, invites, role changes and removals appear here." />
          )
        ) : (
          <Table caption="Audit log" stack>
            <THead>
              <Th>When (UTC)</Th>
              <Th>Who</Th>
              <Th>What</Th>
            </THead>
            <TBody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <Td label="When" className="whitespace-nowrap text-slate-500">
                    <RelativeTime date={e.createdAt} />
                  </Td>
                  <Td label="Who" className="text-slate-900 [overflow-wrap:anywhere]">
                    {e.actorLabel}
                  </Td>
                  <Td className="[overflow-wrap:anywhere] max-sm:order-first">
                    {describeAuditAction(e.action)} {e.target && <span className="font-medium text-slate-900">{e.target}</span>}{" "}
                    <span className="text-slate-500">{auditDetailText(e.details)}</span>
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
        {(next || before) && (
          <nav aria-label="Pages" className="flex justify-between border-t border-slate-200 px-5 py-3 text-sm">
            {before ? (
              <Link href={withQuery(base)} className="text-brand-600 hover:underline">
                Newest
              </Link>
            ) : (
              <span />
            )}
            {next && (
              <Link href={withQuery(base, { before: next })} className="text-brand-600 hover:underline">
                Older entries
              </Link>
            )}
          </nav>
        )}
      </Card>
    </>
  );
}

function AuditFilters({ action, filter, actors, filtered }: { action: string; filter: TAuditFilter; actors: { id: string; label: string }[]; filtered: boolean }) {
  const field = "w-full space-y-1 text-xs font-medium text-slate-600 sm:w-auto";
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-5 py-3" aria-label="Filter the audit log">
      <label className={field}>
        <span className="block">Who</span>
        <select name="actor" defaultValue={filter.actor ?? ""} className={`${controlClass} py-1.5 sm:w-48`}>
          <option value="">Anyone</option>
          {actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <label className={field}>
        <span className="block">What</span>
        <select name="action" defaultValue={filter.action ?? ""} className={`${controlClass} py-1.5 sm:w-48`}>
          <option value="">Any action</option>
          {Object.entries(AUDIT_ACTIONS).map(([code, label]) => (
            <option key={code} value={code}>
              {label.replace(/ (to workflow|to|of|for)$/, "")}
            </option>
          ))}
        </select>
      </label>
      <div className="flex w-full gap-3 sm:w-auto">
        <label className="min-w-0 flex-1 space-y-1 text-xs font-medium text-slate-600">
          <span className="block">From (UTC)</span>
          <input type="date" name="from" defaultValue={filter.from ?? ""} max={filter.to} className={`${controlClass} py-1.5 sm:w-36`} />
        </label>
        <label className="min-w-0 flex-1 space-y-1 text-xs font-medium text-slate-600">
          <span className="block">To (UTC)</span>
          <input type="date" name="to" defaultValue={filter.to ?? ""} min={filter.from} className={`${controlClass} py-1.5 sm:w-36`} />
        </label>
      </div>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass("secondary", "sm")}>
          Apply
        </button>
        {filtered && (
          <Link href={action} className={buttonClass("ghost", "sm")}>
            Clear
          </Link>
        )}
      </div>
    </form>
  );
}
