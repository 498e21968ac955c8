import { unreviewedColumns, type ReviewCatalogTable, type UnreviewedTable } from "../redaction/review";
import type { TWorkflowDefinition } from "../schemas/workflow";
import type { Catalog } from "./catalog";
import { EngineError } from "./errors";
import type { ClonePlan } from "./plan";

// Privacy by default, on the run's snapshot catalog (the same one every table copy reads, so no
// column can appear between this check and the copy): with a review policy, every source column
// of a selected table is reviewed (lib/redaction/review.ts, plus each table's reviewedColumns) or
// the run stops here, before anything is written ("fail"), or the column is copied as NULL and
// reported ("null"). A NOT NULL column cannot be nulled: the run stops, naming it.

export const REVIEW_HINT = "Review these columns in the workflow editor (give each a rule or mark it \"keep as is\"), save, and run again.";

export type ReviewOutcome = {
  /** The definition the run goes on with: unchanged, or with `null` rules for the unreviewed columns. */
  def: TWorkflowDefinition;
  /** Columns copied as NULL because nobody has reviewed them ("null" policy). */
  nulled: UnreviewedTable[];
};

export class UnreviewedColumnsError extends EngineError {
  constructor(readonly unreviewed: UnreviewedTable[], message: string) {
    super("UNREVIEWED_COLUMNS", message, REVIEW_HINT);
  }
}

export const listColumns = (tables: UnreviewedTable[]) =>
  tables.map((t) => `${t.schema}.${t.table} (${t.columns.join(", ")})`).join("; ");

export function applyReviewPolicy(def: TWorkflowDefinition, catalog: Catalog): ReviewOutcome {
  if (!def.review) return { def, nulled: [] };
  const unreviewed = unreviewedColumns(def.tables, reviewCatalogOf(catalog));
  if (!unreviewed.length) return { def, nulled: [] };
  const count = unreviewed.reduce((a, t) => a + t.columns.length, 0);
  if (def.review.unreviewed === "fail") {
    throw new UnreviewedColumnsError(unreviewed,
      `${count === 1 ? "A source column has" : `${count} source columns have`} not been reviewed, so the run stopped before writing anything: ${listColumns(unreviewed)}. They are new in the source or have no rule; nothing unreviewed is copied.`);
  }
  const byName = new Map(catalog.tables.map((t) => [`${t.schema}\u0000${t.name}`, t]));
  const notNull = unreviewed.flatMap((u) => {
    const cols = byName.get(`${u.schema}\u0000${u.table}`)!.columns;
    const columns = u.columns.filter((c) => cols.find((x) => x.name === c)?.notNull);
    return columns.length ? [{ ...u, columns }] : [];
  });
  if (notNull.length) {
    throw new UnreviewedColumnsError(notNull,
      `Columns that nobody has reviewed are copied as NULL, but ${listColumns(notNull)} ${notNull.length === 1 && notNull[0].columns.length === 1 ? "is" : "are"} NOT NULL, so the run stopped before writing anything.`);
  }
  const tables = def.tables.map((t) => {
    const u = unreviewed.find((x) => x.schema === t.schema && x.table === t.table);
    return u ? { ...t, rules: { ...t.rules, ...Object.fromEntries(u.columns.map((c) => [c, { rule: "null" as const }])) } } : t;
  });
  return { def: { ...def, tables }, nulled: unreviewed };
}

/** The report says why these columns are NULL. */
export function markNulled(plan: ClonePlan, nulled: UnreviewedTable[]) {
  for (const n of nulled) {
    const unit = plan.units.find((u) => u.table.schema === n.schema && u.table.name === n.table);
    for (const r of unit?.ruleReports ?? []) if (n.columns.includes(r.column) && !r.detail) r.detail = "not reviewed: copied as NULL until it is";
  }
}

/** The engine's catalog in the shape the review takes (foreign keys by column names). */
function reviewCatalogOf(catalog: Catalog): ReviewCatalogTable[] {
  const byOid = new Map(catalog.tables.map((t) => [t.oid, t]));
  const col = (relid: number, attnum: number) => byOid.get(relid)?.columns.find((c) => c.attnum === attnum)?.name ?? "";
  return catalog.tables.map((t) => ({
    schema: t.schema,
    name: t.name,
    columns: t.columns.map((c) => ({ name: c.name, generated: c.generated || null })),
    foreignKeys: t.constraints.filter((c) => c.type === "f" && !c.inherited && c.refRelid !== null && byOid.has(c.refRelid)).map((c) => {
      const ref = byOid.get(c.refRelid!)!;
      return { columns: c.columns.map((n) => col(t.oid, n)), references: { schema: ref.schema, table: ref.name, columns: c.refColumns.map((n) => col(ref.oid, n)) } };
    }),
  }));
}
