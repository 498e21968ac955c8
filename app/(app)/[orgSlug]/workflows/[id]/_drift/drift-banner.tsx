import Link from "next/link";
import { Alert } from "@/app/_components/alert";
import { confidenceWords } from "@/lib/pii/describe-finding";
import { getOrgContext } from "@/lib/server/tenancy/org-context";
import { getDrift, type DriftScanInfo } from "@/lib/server/services/scans/get-drift";
import { AddAllSuggestionsButton } from "../../../scan/scan-buttons";

// Schema drift, for the workflow pages (server component): columns added to the source since
// this version was saved that have no rule, columns the latest PII scan flags that have no rule
// (both are copied unchanged), and columns no longer in the source. Renders nothing when there are none.
// The scan's details (masked examples, the link to the scan) only for roles that may read
// connections, like the scan itself; "add all suggestions" only for those who may change workflows.

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** What the scan found (after ": "), for roles that may read the scanned connection; others only learn that it flagged the column. */
export function ScanText({ info, details }: { info: DriftScanInfo; details: boolean }) {
  if (!details) return null;
  return (
    <>
      : {info.finding} ({confidenceWords(info.confidence)})
      {info.example ? (
        <>
          {" "}
          (e.g. <code className="rounded bg-amber-100 px-1 font-mono text-xs">{info.example}</code>)
        </>
      ) : null}
      {info.suggestedRule ? `; suggested rule: ${info.suggestedRule}` : ""}
    </>
  );
}

export async function DriftBanner({ orgId, orgSlug, workflowId }: { orgId: string; orgSlug: string; workflowId: string }) {
  const [drift, ctx] = await Promise.all([getDrift({ orgId, workflowId }), getOrgContext(orgSlug)]);
  const details = ctx.can("connection", "read");
  const { newColumns, columns, goneColumns } = drift;
  if (!newColumns.length && !columns.length && !goneColumns.length) return null;
  const unchanged = newColumns.length + columns.length;
  const title = unchanged
    ? `${unchanged} ${plural(unchanged, "column is", "columns are")} copied unchanged: ${newColumns.length ? `${newColumns.length} new in the source` : ""}${newColumns.length && columns.length ? ", " : ""}${columns.length ? `${columns.length} with personal data` : ""}`
    : `${goneColumns.length} ${plural(goneColumns.length, "column is", "columns are")} no longer in the source`;
  const scanLink = drift.scanJobId && details ? `/${orgSlug}/scan/${drift.scanJobId}` : null;
  return (
    <div data-testid="drift-banner">
      <Alert tone="warning" title={title}>
        {newColumns.length > 0 && (
          <section data-testid="drift-new">
            <p>
              {plural(newColumns.length, "This column was", "These columns were")} added to the source since this version of the workflow was saved and {plural(newColumns.length, "has", "have")} no rule:
            </p>
            <ul className="mt-1 space-y-1">
              {newColumns.map((c) => (
                <li key={`${c.schema}.${c.table}.${c.column}`} data-testid="drift-new-column" data-column={`${c.table}.${c.column}`}>
                  <span className="font-medium">
                    {c.table}.{c.column}
                  </span>{" "}
                  <span className="text-amber-800">({c.dataType})</span> —{" "}
                  {c.scan ? (
                    <>
                      the latest scan flags it<ScanText info={c.scan} details={details} />
                    </>
                  ) : c.scanState === "clean" ? (
                    "the latest scan found no personal data in it"
                  ) : (
                    "not scanned yet: scan the source to check it for personal data"
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        {columns.length > 0 && (
          <section className={newColumns.length ? "mt-3" : undefined} data-testid="drift-flagged">
            <p>
              The latest scan of this workflow&apos;s source{drift.sinceVersion ? " (newer than this version of the workflow)" : ""} flags {plural(columns.length, "this column", "these columns")}, but the workflow has no rule for {plural(columns.length, "it", "them")}:
            </p>
            <ul className="mt-1 space-y-1">
              {columns.map((c) => (
                <li key={`${c.schema}.${c.table}.${c.column}`} data-testid="drift-column" data-column={`${c.table}.${c.column}`}>
                  <span className="font-medium">
                    {c.table}.{c.column}
                  </span>
                  <ScanText info={c} details={details} />
                </li>
              ))}
            </ul>
          </section>
        )}
        {goneColumns.length > 0 && (
          <p className={unchanged ? "mt-3" : undefined} data-testid="drift-gone">
            No longer in the source: {goneColumns.map((c) => `${c.table}.${c.column}`).join(", ")}. Save the workflow again to update it.
          </p>
        )}
        {drift.scanJobId && drift.addable > 0 && ctx.can("workflow", "update") && (
          <div className="mt-3" data-testid="drift-add-all">
            <AddAllSuggestionsButton orgSlug={orgSlug} jobId={drift.scanJobId} workflow={{ id: workflowId, name: "this workflow" }} count={drift.addable} reload />
          </div>
        )}
        <p className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1">
          <Link href={`/${orgSlug}/workflows/${workflowId}#editor`} className="font-medium underline underline-offset-2">
            Open the editor
          </Link>
          {scanLink && (
            <Link href={scanLink} className="font-medium underline underline-offset-2">
              Review the scan
            </Link>
          )}
        </p>
      </Alert>
    </div>
  );
}
