import type { DeltaCounts } from "./delta-apply";
import type { DeltaPlan } from "./delta-plan";
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
  /** Delta-enabled targets: the per-table decisions and, for a delta run, what the apply transaction did. */
  delta?: DeltaPlan | null;
  deltaCounts?: Map<CopyUnit, DeltaCounts>;
}): CloneReport {
  const dp = r.delta ?? null;
  const deltaRun = !!dp && !dp.wholeRunReason && !!r.deltaCounts;
  const tables: TableReport[] = r.plan.units.map((u) => {
    const res = r.results.get(u)!;
    const c = r.counts.get(u);
    return {
      schema: u.table.schema, table: u.table.name, rowsRead: res.rowsRead, rowsWritten: res.rowsWritten,
      rowsFiltered: c ? Math.max(0, c.total - res.rowsRead) : 0,
      rowsKeptForReferences: c ? Math.max(0, res.rowsRead - c.inWindow) : 0,
      bytes: res.bytes, durationMs: res.durationMs, mode: "full", rules: u.ruleReports,
      ...(dp ? deltaFields(dp, u, res, deltaRun ? r.deltaCounts!.get(u) : undefined) : {}),
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
    ...(dp ? { delta: {
      run: deltaRun ? "delta" as const : "full" as const, ...(dp.wholeRunReason ? { reason: dp.wholeRunReason } : {}),
      tables: dp.units.map((d) => ({ schema: d.unit.table.schema, table: d.unit.table.name, fingerprint: d.fingerprint, watermark: dp.watermark, snapshotXmin: dp.snapshot.xmin })),
    } } : {}),
    totals: {
      rowsRead: tables.reduce((a, x) => a + x.rowsRead, 0),
      rowsWritten: tables.reduce((a, x) => a + x.rowsWritten, 0),
      bytes: tables.reduce((a, x) => a + x.bytes, 0),
      durationMs: Date.now() - r.started,
    },
  };
}

/** Mode, why full, the rows inserted/updated/deleted and the watermarks of one table of a delta-enabled target. */
function deltaFields(dp: DeltaPlan, u: CopyUnit, res: CopyResult, counts: DeltaCounts | undefined): Partial<TableReport> {
  const d = dp.units.find((x) => x.unit === u)!;
  if (!counts) return { mode: "full", fullReason: dp.wholeRunReason ?? d.fullReason, rowsInserted: res.rowsWritten, rowsUpdated: 0, rowsDeleted: 0, watermark: { from: null, to: dp.watermark } };
  return {
    mode: d.mode === "delta" ? "delta" : "full",
    ...(d.mode === "delta" ? {} : { fullReason: d.fullReason }),
    rowsInserted: counts.inserted, rowsUpdated: counts.updated, rowsDeleted: counts.deleted,
    watermark: { from: d.mode === "delta" ? (d.unit.entry.delta?.xmin ? `xmin ${d.from}` : d.from ?? null) : null, to: d.unit.entry.delta?.xmin ? `xmin ${dp.snapshot.xmin}` : dp.watermark },
  };
}
