import Link from "next/link";
import type { UnreviewedTable } from "@/lib/redaction/review";
import { unreviewedFindings } from "@/lib/server/services/scans/get-drift";
import { ScanText } from "../../workflows/[id]/_drift/drift-banner";

// A run refused because of columns nobody has reviewed (UNREVIEWED_COLUMNS): each column with
// what the latest PII scan of the source says about it (the drift banner's data), and the way
// to review them. Server component; renders nothing without a list of columns.

export function unreviewedOf(report: unknown): UnreviewedTable[] | null {
  const list = (report as { unreviewed?: unknown } | null)?.unreviewed;
  return Array.isArray(list) && list.every((t) => t && typeof t.table === "string" && Array.isArray(t.columns)) ? (list as UnreviewedTable[]) : null;
}

/** `scanDetails`: the reader may read the scanned connection (others only learn that the scan flagged a column). */
export async function UnreviewedColumns({ orgId, orgSlug, workflowId, unreviewed, scanDetails }: { orgId: string; orgSlug: string; workflowId: string; unreviewed: UnreviewedTable[]; scanDetails: boolean }) {
  const { scanJobId, columns } = await unreviewedFindings({ orgId, workflowId, unreviewed });
  if (!columns.length) return null;
  return (
    <section data-testid="unreviewed-columns" className="mt-3">
      <ul className="space-y-1">
        {columns.map((c) => (
          <li key={`${c.schema}.${c.table}.${c.column}`} data-testid="unreviewed-column" data-column={`${c.table}.${c.column}`}>
            <span className="font-medium">
              {c.table}.{c.column}
            </span>{" "}
            —{" "}
            {c.scan ? (
              <>
                the latest scan flags it<ScanText info={c.scan} details={scanDetails} />
              </>
            ) : c.scanState === "clean" ? (
              "the latest scan found no personal data in it"
            ) : (
              "not scanned yet"
            )}
          </li>
        ))}
      </ul>
      <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1">
        <Link href={`/${orgSlug}/workflows/${workflowId}#editor`} className="font-medium underline underline-offset-2">
          Review them in the workflow editor
        </Link>
        {scanJobId && scanDetails && (
          <Link href={`/${orgSlug}/scan/${scanJobId}?workflow=${workflowId}`} className="font-medium underline underline-offset-2">
            See the scan
          </Link>
        )}
      </p>
    </section>
  );
}
