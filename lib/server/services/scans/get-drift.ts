import { PII_CATEGORY_INFO, type TPiiCategory } from "../../../pii/types";
import { prisma, type Db } from "../../db";
import { loadWorkflowConfig } from "../customizations/workflow-config";
import { latestScanOf } from "./scan-result";
import { uncoveredColumns } from "../../../pii/workflow-coverage";

// Schema drift for a workflow: columns of its selected tables that have no rule although the
// latest scan of its source flags them as personal data. Such a column is copied unchanged, so
// the workflow page shows it prominently. `sinceVersion` marks scans newer than the saved
// version (the column may have appeared after the workflow was set up).

/** Weaker hints stay on the scan page; the banner is for columns that very likely hold personal data. */
export const DRIFT_MIN_CONFIDENCE = 0.5;

export type DriftColumn = { schema: string; table: string; column: string; category: TPiiCategory; categoryLabel: string; confidence: number; suggestedRule: string | null };
export type Drift = { scanJobId: string | null; scannedAt: Date | null; sinceVersion: boolean; columns: DriftColumn[] };

export async function getDrift({ db = prisma, orgId, workflowId }: { db?: Db; orgId: string; workflowId: string }): Promise<Drift> {
  const wf = await loadWorkflowConfig({ db, orgId, workflowId });
  if (!wf.config) return { scanJobId: null, scannedAt: null, sinceVersion: false, columns: [] };
  const scan = await latestScanOf({ db, orgId, connectionId: wf.config.sourceConnectionId });
  if (!scan) return { scanJobId: null, scannedAt: null, sinceVersion: false, columns: [] };
  const columns: DriftColumn[] = uncoveredColumns(scan, wf.config.tables, DRIFT_MIN_CONFIDENCE).map((c) => ({
    schema: c.schema, table: c.table, column: c.column, category: c.category, categoryLabel: PII_CATEGORY_INFO[c.category].label, confidence: c.confidence, suggestedRule: c.suggestedRule?.rule ?? null,
  }));
  return {
    scanJobId: scan.jobId,
    scannedAt: scan.finishedAt,
    sinceVersion: !!(scan.finishedAt && wf.versionSavedAt && scan.finishedAt > wf.versionSavedAt),
    columns,
  };
}
