import Link from "next/link";
import { Alert } from "@/app/_components/alert";
import { getDrift } from "@/lib/server/services/scans/get-drift";

// Schema drift, for the workflow page (server component): columns of the selected tables that
// the latest PII scan of the source flags but that have no rule, so they are copied unchanged.
// Renders nothing when there are none.
export async function DriftBanner({ orgId, orgSlug, workflowId }: { orgId: string; orgSlug: string; workflowId: string }) {
  const drift = await getDrift({ orgId, workflowId });
  if (!drift.columns.length || !drift.scanJobId) return null;
  const n = drift.columns.length;
  return (
    <div data-testid="drift-banner">
      <Alert tone="warning" title={`${n} column${n > 1 ? "s" : ""} with personal data ${n > 1 ? "are" : "is"} copied unchanged`}>
        <p>
          The latest scan of this workflow&apos;s source{drift.sinceVersion ? " (newer than this version of the workflow)" : ""} flags {n > 1 ? "these columns" : "this column"}, but the workflow has no rule for {n > 1 ? "them" : "it"}:
        </p>
        <ul className="mt-2 space-y-1">
          {drift.columns.map((c) => (
            <li key={`${c.schema}.${c.table}.${c.column}`} data-testid="drift-column" data-column={`${c.table}.${c.column}`}>
              <span className="font-medium">
                {c.table}.{c.column}
              </span>{" "}
              — {c.categoryLabel.toLowerCase()}, {Math.round(c.confidence * 100)}% confident
              {c.suggestedRule ? `; suggested rule: ${c.suggestedRule}` : ""}
            </li>
          ))}
        </ul>
        <p className="mt-2">
          <Link href={`/${orgSlug}/scan/${drift.scanJobId}?workflow=${workflowId}`} className="font-medium underline underline-offset-2">
            Review the scan and add rules
          </Link>
        </p>
      </Alert>
    </div>
  );
}
