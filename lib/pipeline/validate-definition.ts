import type { ColumnMeta } from "../redaction/column-meta";
import { checkRuleFits } from "../redaction/catalogue";
import type { TWorkflowDefinition, TWorkflowConfig } from "../schemas/workflow";
import { parseCustomizationStatement } from "./customization-sql";
import { SOFT_DELETE_TYPES, softDeleteRefusal, softDeleteRefusedReason } from "./soft-delete-refusal";

// Checks of a workflow against the source catalog, run before anything is written anywhere:
// unknown tables or columns, a rule that does not fit its column's type, a time-window column
// that is not a date/timestamp, a customization that uses an undeclared parameter. Returns
// every problem (not just the first), each with the path of the field it is about.

export type CatalogLike = {
  tables: {
    schema: string; name: string; columns: (ColumnMeta & { generated?: string })[];
    /** The table's foreign keys, where the catalog has them (the saved introspection); the engine's plan checks its own. */
    foreignKeys?: { name: string; references: { schema: string; table: string } }[];
  }[];
};

/** `missing`: the table or column is not in the source (dropped or renamed since the workflow was saved). */
export type DefinitionProblem = { path: (string | number)[]; message: string; missing?: "table" | "column" };

const WINDOW_TYPES = new Set(["date", "timestamp", "timestamptz"]);
/** Change columns of delta updates: compared against a timestamptz watermark (timestamp is read as UTC). */
const CHANGE_COLUMN_TYPES = new Set(["timestamp", "timestamptz"]);
/** The twin column that relates each row of a delta-updated table to its master (delta-plan.ts). */
export const SOURCE_PRIMARY_KEY = "source_primary_key";

export function validateAgainstCatalog(def: Pick<TWorkflowDefinition | TWorkflowConfig, "tables" | "customizations">, catalog: CatalogLike): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const byName = new Map(catalog.tables.map((t) => [`${t.schema}\u0000${t.name}`, t]));
  def.tables.forEach((t, ti) => {
    const label = `${t.schema}.${t.table}`;
    const table = byName.get(`${t.schema}\u0000${t.table}`);
    if (!table) {
      problems.push({ path: ["tables", ti], message: `Table ${label} does not exist in the source database.`, missing: "table" });
      return;
    }
    const cols = new Map(table.columns.map((c) => [c.name, c]));
    for (const [column, rule] of Object.entries(t.rules)) {
      const col = cols.get(column);
      if (!col) {
        problems.push({ path: ["tables", ti, "rules", column], message: `Column ${label}.${column}, which has a rule, is not in the source database (dropped or renamed).`, missing: "column" });
        continue;
      }
      if (col.generated) {
        problems.push({ path: ["tables", ti, "rules", column], message: `Column ${label}.${column} is generated from other columns; redact those instead.` });
        continue;
      }
      const misfit = checkRuleFits(rule, col);
      if (misfit) problems.push({ path: ["tables", ti, "rules", column], message: `${label}.${column}: ${misfit}` });
    }
    if (t.filter.kind === "window") {
      t.filter.columns.forEach((column, ci) => {
        const col = cols.get(column);
        if (!col) problems.push({ path: ["tables", ti, "filter", "columns", ci], message: `Column ${label}.${column}, which the time window uses, is not in the source database (dropped or renamed).`, missing: "column" });
        else if (!WINDOW_TYPES.has(col.baseType)) {
          problems.push({ path: ["tables", ti, "filter", "columns", ci], message: `Column ${label}.${column} is ${col.typeName}, not a date or timestamp: it cannot define a time window.` });
        }
      });
    }
    if (t.delta?.softDelete) {
      const col = cols.get(t.delta.softDelete);
      if (!col) problems.push({ path: ["tables", ti, "delta", "softDelete"], message: `Column ${label}.${t.delta.softDelete}, the soft-delete column of delta updates, is not in the source database (dropped or renamed).`, missing: "column" });
      else if (!SOFT_DELETE_TYPES.has(col.baseType)) {
        problems.push({ path: ["tables", ti, "delta", "softDelete"], message: `Column ${label}.${t.delta.softDelete} is ${col.typeName}: a soft-delete column must be boolean (true: deleted) or a date/timestamp (set: deleted).` });
      }
    }
    if (t.delta?.column) {
      const col = cols.get(t.delta.column);
      if (!col) problems.push({ path: ["tables", ti, "delta", "column"], message: `Column ${label}.${t.delta.column}, the change column of delta updates, is not in the source database (dropped or renamed).`, missing: "column" });
      else if (!CHANGE_COLUMN_TYPES.has(col.baseType)) {
        problems.push({ path: ["tables", ti, "delta", "column"], message: `Column ${label}.${t.delta.column} is ${col.typeName}, not a timestamp: it cannot be the change column of delta updates.` });
      }
    }
    if (t.delta) {
      if (cols.has(SOURCE_PRIMARY_KEY)) {
        problems.push({ path: ["tables", ti, "delta"], message: `Table ${label} has a column named ${SOURCE_PRIMARY_KEY}, which delta updates add to the twin; rename it or turn delta updates off for this table.` });
      }
    }
  });
  problems.push(...softDeleteRefusals(def, catalog));
  problems.push(...validateCustomizations(def.customizations));
  return problems;
}

/** A soft-delete column on a table that another selected table references (soft-delete-refusal.ts), when the catalog knows the foreign keys. */
function softDeleteRefusals(def: Pick<TWorkflowDefinition | TWorkflowConfig, "tables">, catalog: CatalogLike): DefinitionProblem[] {
  const selected = new Set(def.tables.map((t) => `${t.schema}.${t.table}`));
  const references = catalog.tables.flatMap((t) =>
    selected.has(`${t.schema}.${t.name}`)
      ? (t.foreignKeys ?? []).filter((f) => selected.has(`${f.references.schema}.${f.references.table}`)).map((f) => ({ from: `${t.schema}.${t.name}`, to: `${f.references.schema}.${f.references.table}`, name: f.name }))
      : [],
  );
  return def.tables.flatMap((t, ti) => {
    const column = t.delta?.softDelete;
    const fk = column && softDeleteRefusal(`${t.schema}.${t.table}`, references);
    if (!fk) return [];
    return [{ path: ["tables", ti, "delta", "softDelete"], message: `Table ${t.schema}.${t.table} has the soft-delete column ${column}, but ${softDeleteRefusedReason(fk.from, fk.name)}. Leave deletes to the key comparison, or leave the referencing table out.` }];
  });
}

/** Statement syntax and declared parameters; needs no catalog. */
export function validateCustomizations(customizations: Pick<TWorkflowDefinition, "customizations">["customizations"]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  customizations.forEach((c, ci) => {
    try {
      const parsed = parseCustomizationStatement(c.statement);
      const declared = new Set(c.params.map((p) => p.name));
      for (const p of parsed.params) {
        if (!declared.has(p)) problems.push({ path: ["customizations", ci, "statement"], message: `Customization "${c.name}" uses parameter ${p}, which is not declared.` });
      }
    } catch (err) {
      problems.push({ path: ["customizations", ci, "statement"], message: `Customization "${c.name}": ${(err as Error).message}` });
    }
  });
  return problems;
}
