import type { TRule } from "../schemas/rules";
import type { TWorkflowTable } from "../schemas/workflow";
import type { TPiiColumnResult, TPiiScanResult } from "./types";

// Scan results against a workflow's tables, for the results and workflow pages: which detected
// columns a workflow already redacts, which it copies unchanged, and the one-click "add the
// suggested rule" as a pure edit of the workflow's table list (the caller saves a new version).

export type ColumnRef = { schema: string; table: string; column: string };
export type ScanColumn = TPiiColumnResult & { schema: string; table: string };
export type CoveredColumn = ScanColumn & {
  /** The rule the workflow applies to the column, or null when it copies it unchanged. */
  rule: TRule | null;
  /** Whether the workflow copies the column's table at all. */
  tableSelected: boolean;
};

export function findScanColumn(result: TPiiScanResult, ref: ColumnRef): ScanColumn | null {
  const t = result.tables.find((x) => x.schema === ref.schema && x.table === ref.table);
  const c = t?.columns.find((x) => x.column === ref.column);
  return t && c ? { ...c, schema: t.schema, table: t.table } : null;
}

/** Every detected column with the workflow's rule for it (most confident first). */
export function scanCoverage(result: TPiiScanResult, tables: readonly TWorkflowTable[]): CoveredColumn[] {
  const byTable = new Map(tables.map((t) => [JSON.stringify([t.schema, t.table]), t]));
  return result.tables
    .flatMap((t) => t.columns.map((c) => {
      const wt = byTable.get(JSON.stringify([t.schema, t.table]));
      return { ...c, schema: t.schema, table: t.table, tableSelected: !!wt, rule: wt?.rules[c.column] ?? null };
    }))
    .sort((a, b) => b.confidence - a.confidence);
}

/** Below this the scanner's hint is weak: shown on the scan page, added one by one only, never by "add all". */
export const SUGGESTION_MIN_CONFIDENCE = 0.5;

/** Detected columns that a workflow copies unchanged (its selected tables only). */
export function uncoveredColumns(result: TPiiScanResult, tables: readonly TWorkflowTable[], minConfidence = 0.5): CoveredColumn[] {
  return scanCoverage(result, tables).filter((c) => c.tableSelected && !c.rule && c.confidence >= minConfidence);
}

/** What "add all suggestions" adds to a workflow: the uncovered findings that have a suggested rule. */
export function addableSuggestions(result: TPiiScanResult, tables: readonly TWorkflowTable[]): CoveredColumn[] {
  return uncoveredColumns(result, tables, SUGGESTION_MIN_CONFIDENCE).filter((c) => c.suggestedRule);
}

/** The workflow's tables with `rule` on the column; a table not yet selected is added (all rows). */
export function withRule(tables: readonly TWorkflowTable[], ref: ColumnRef, rule: TRule): TWorkflowTable[] {
  const i = tables.findIndex((t) => t.schema === ref.schema && t.table === ref.table);
  if (i < 0) return [...tables, { schema: ref.schema, table: ref.table, filter: { kind: "all" }, rules: { [ref.column]: rule } }];
  return tables.map((t, j) => (j === i ? { ...t, rules: { ...t.rules, [ref.column]: rule } } : t));
}
