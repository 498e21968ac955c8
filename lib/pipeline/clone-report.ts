import type { ClonePlan, CopyUnit } from "./plan";
import type { CloneReport, PrivacyCheckReport, TableReport } from "./types";

// The report a run ends with: per table rows read/written/filtered/kept for references, bytes,
// duration and rules; the privacy check; the outputs; customizations; skipped objects; totals.

export type CopyResult = { rowsRead: number; rowsWritten: number; bytes: number; durationMs: number };

export function buildCloneReport(r: {
  plan: ClonePlan;
  results: Map<CopyUnit, CopyResult>;
  /** Source rows of windowed tables: all, and inside the window alone. */
  counts: Map<CopyUnit, { total: number; inWindow: number }>;
  privacyCheck: PrivacyCheckReport;
  target?: { database: string; schemas: string[] };
  s3?: CloneReport["outputs"]["s3"];
  customizations: CloneReport["customizations"];
  skipped: CloneReport["skipped"];
  started: number;
  unreviewedNulled?: CloneReport["unreviewedNulled"];
}): CloneReport {
  const tables: TableReport[] = r.plan.units.map((u) => {
    const res = r.results.get(u)!;
    const c = r.counts.get(u);
    return {
      schema: u.table.schema, table: u.table.name, rowsRead: res.rowsRead, rowsWritten: res.rowsWritten,
      rowsFiltered: c ? Math.max(0, c.total - res.rowsRead) : 0,
      rowsKeptForReferences: c ? Math.max(0, res.rowsRead - c.inWindow) : 0,
      bytes: res.bytes, durationMs: res.durationMs, mode: "full", rules: u.ruleReports,
    };
  });
  return {
    tables,
    privacyCheck: r.privacyCheck,
    outputs: {
      ...(r.target ? { target: r.target } : {}),
      ...(r.s3 ? { s3: r.s3 } : {}),
    },
    customizations: r.customizations,
    ...(r.unreviewedNulled?.length ? { unreviewedNulled: r.unreviewedNulled } : {}),
    skipped: r.skipped,
    totals: {
      rowsRead: tables.reduce((a, x) => a + x.rowsRead, 0),
      rowsWritten: tables.reduce((a, x) => a + x.rowsWritten, 0),
      bytes: tables.reduce((a, x) => a + x.bytes, 0),
      durationMs: Date.now() - r.started,
    },
  };
}
