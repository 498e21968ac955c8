import { PII_CATEGORY_INFO, type TPiiCategory, type TPiiScanResult } from "../../../pii/types";
import { describeFinding, type FindingFacts } from "../../../pii/describe-finding";
import { describeRule } from "../../../redaction/describe-rule";
import type { UnreviewedTable } from "../../../redaction/review";
import type { TRule } from "../../../schemas/rules";
import { addableSuggestions, findScanColumn, SUGGESTION_MIN_CONFIDENCE, uncoveredColumns, type ColumnRef } from "../../../pii/workflow-coverage";
import { prisma, type Db } from "../../db";
import { loadWorkflowConfig } from "../customizations/workflow-config";
import { findTable, readIntrospection } from "../workflows/source-catalog";
import { latestScanOf } from "./scan-result";

// Schema drift for a workflow, shown prominently on its pages, in three lists:
// - newColumns: columns of its selected tables that the source's cached introspection has, that
//   were not there when the current version was saved (the table's knownColumns, recorded by
//   createWorkflowVersion; older versions have none, so nothing is "new" for them), and that have
//   no rule: they are copied unchanged. Each with what the latest scan says about it, if anything.
// - columns: columns the latest scan flags as personal data that have no rule (new or not).
// - goneColumns: known columns that are no longer in the source.
// `sinceVersion` marks scans newer than the saved version; `addable` counts what "add all
// suggestions" would add (add-suggested-rules.ts). Weaker hints (below SUGGESTION_MIN_CONFIDENCE) stay on the scan page.

export type DriftScanInfo = { category: TPiiCategory; categoryLabel: string; confidence: number; /** "looks like email addresses, 200 of 200 samples" (describeFinding). */ finding: string; /** In words (describeRule). */ suggestedRule: string | null; /** Masked by the scanner, never a raw value. */ example: string | null };
export type DriftColumn = ColumnRef & DriftScanInfo;
export type NewColumn = ColumnRef & {
  dataType: string;
  /** flagged: the latest scan found personal data (see `scan`); clean: it found none; unscanned: the scan did not see the column. */
  scanState: "flagged" | "clean" | "unscanned";
  scan: DriftScanInfo | null;
};
export type Drift = {
  scanJobId: string | null;
  scannedAt: Date | null;
  sinceVersion: boolean;
  addable: number;
  columns: DriftColumn[];
  newColumns: NewColumn[];
  goneColumns: ColumnRef[];
};

const none: Drift = { scanJobId: null, scannedAt: null, sinceVersion: false, addable: 0, columns: [], newColumns: [], goneColumns: [] };

export async function getDrift({ db = prisma, orgId, workflowId }: { db?: Db; orgId: string; workflowId: string }): Promise<Drift> {
  const wf = await loadWorkflowConfig({ db, orgId, workflowId });
  if (!wf.config) return none;
  const { sourceConnectionId, tables } = wf.config;
  const [scan, source] = await Promise.all([
    latestScanOf({ db, orgId, connectionId: sourceConnectionId }),
    db.connection.findFirst({ where: { id: sourceConnectionId, orgId }, select: { introspection: true } }),
  ]);
  const intro = readIntrospection(source?.introspection ?? null);

  const newColumns: NewColumn[] = [];
  const goneColumns: ColumnRef[] = [];
  for (const t of tables) {
    const current = intro && t.knownColumns ? findTable(intro, t.schema, t.table) : undefined;
    if (!current || !t.knownColumns) continue; // no baseline, or the table itself is gone (the editor reports that)
    const known = new Set(t.knownColumns);
    const names = new Set(current.columns.map((c) => c.name));
    for (const c of current.columns) {
      if (known.has(c.name) || t.rules[c.name]) continue;
      const ref = { schema: t.schema, table: t.table, column: c.name };
      newColumns.push({ ...ref, dataType: c.typeName, ...findingOf(scan, ref) });
    }
    for (const name of t.knownColumns) if (!names.has(name)) goneColumns.push({ schema: t.schema, table: t.table, column: name });
  }

  const isNew = new Set(newColumns.map((c) => JSON.stringify([c.schema, c.table, c.column])));
  const columns: DriftColumn[] = scan
    ? uncoveredColumns(scan, tables, SUGGESTION_MIN_CONFIDENCE)
      .filter((c) => !isNew.has(JSON.stringify([c.schema, c.table, c.column])))
      .map((c) => ({ schema: c.schema, table: c.table, column: c.column, ...scanInfo(c) }))
    : [];
  return {
    scanJobId: scan?.jobId ?? null,
    scannedAt: scan?.finishedAt ?? null,
    sinceVersion: !!(scan?.finishedAt && wf.versionSavedAt && scan.finishedAt > wf.versionSavedAt),
    addable: scan ? addableSuggestions(scan, tables).length : 0,
    columns,
    newColumns,
    goneColumns,
  };
}

/** What the latest scan says about one column: flagged (with its finding), clean, or not scanned. */
function findingOf(scan: TPiiScanResult | null, ref: ColumnRef): Pick<NewColumn, "scanState" | "scan"> {
  const found = scan ? findScanColumn(scan, ref) : null;
  const clean = !found && !!scan?.tables.find((x) => x.schema === ref.schema && x.table === ref.table)?.clean.includes(ref.column);
  return { scanState: found ? "flagged" : clean ? "clean" : "unscanned", scan: found ? scanInfo(found) : null };
}

export type UnreviewedFinding = ColumnRef & Pick<NewColumn, "scanState" | "scan">;

/**
 * The columns a run refused as unreviewed (its job report, UNREVIEWED_COLUMNS), each with the
 * latest scan's finding for the workflow's source, for the job page: the same data as the drift banner.
 */
export async function unreviewedFindings({ db = prisma, orgId, workflowId, unreviewed }: { db?: Db; orgId: string; workflowId: string; unreviewed: UnreviewedTable[] }): Promise<{ scanJobId: string | null; columns: UnreviewedFinding[] }> {
  const wf = await loadWorkflowConfig({ db, orgId, workflowId });
  const scan = wf.config ? await latestScanOf({ db, orgId, connectionId: wf.config.sourceConnectionId }) : null;
  const columns = unreviewed.flatMap((t) => t.columns.map((column) => {
    const ref = { schema: t.schema, table: t.table, column };
    return { ...ref, ...findingOf(scan, ref) };
  }));
  return { scanJobId: scan?.jobId ?? null, columns };
}

function scanInfo(c: FindingFacts & { suggestedRule: TRule | null; examples: string[] }): DriftScanInfo {
  return { category: c.category, categoryLabel: PII_CATEGORY_INFO[c.category].label, confidence: c.confidence, finding: describeFinding(c), suggestedRule: c.suggestedRule ? describeRule(c.suggestedRule) : null, example: c.examples[0] ?? null };
}
