// GET /<orgSlug>/settings/audit/export?actor=&action=&from=&to= – the filtered audit log as a CSV download.
import { parseAuditFilter } from "@/lib/schemas/audit-filter";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { AUDIT_CSV_HEADER, auditCsvLine, csvLine } from "@/lib/server/services/audit/audit-csv";
import { eachAuditLogBatch } from "@/lib/server/services/audit/list-audit-log";

// The same door as the audit page: session -> membership by the URL's slug -> audit_log:read
// (a stranger or a role without it gets the same 404; no session redirects to sign-in).
export async function GET(request: Request, { params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "audit_log", "read");
  const filter = parseAuditFilter(new URL(request.url).searchParams);
  const batches = eachAuditLogBatch({ orgId: ctx.org.id, filter });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(AUDIT_CSV_HEADER)));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(auditCsvLine).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      // The slug is [a-z0-9-] only, so the name needs no quoting beyond the quotes.
      "content-disposition": `attachment; filename="doppel-audit-${ctx.org.slug}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
