// Why a table of a delta-enabled target is read in full on every run, from what the catalog
// says of it and how the workflow selects it: pure, so the engine's plan (delta-plan.ts) and the
// workflow editor (which says it before the run) decide with the same function. Reasons that
// only a run can know (first run, schema changed, twin replaced) stay in planDelta.

/** Base types whose text output is immutable, so source_primary_key can be a generated column. */
export const KEY_TYPES = new Set(["int2", "int4", "int8", "text", "varchar", "bpchar", "uuid", "numeric", "bool", "oid"]);

export const INHERITANCE_REASON = "partitioned and inheritance tables are re-copied in full";
export const FILTER_REASON = "the table has a time-window or row filter";
export const NO_CHANGE_COLUMN_REASON = "no change column is set for this table";

type KeyColumn = { name: string; typeName: string; baseType: string };

/** Why the primary key (its columns, or null: none) cannot define source_primary_key; null when it can. */
export function keyReason(key: KeyColumn[] | null): string | null {
  if (!key?.length) return "the table has no primary key";
  const odd = key.find((c) => !KEY_TYPES.has(c.baseType));
  if (odd) return `its key column ${odd.name} is ${odd.typeName}, whose text form cannot define source_primary_key`;
  return null;
}

/**
 * The standing reason a table is copied in full, in the order planDelta applies them, and the
 * mode: "replace" (no usable key, partitioned or inheritance: deleted and re-inserted) or
 * "upsert" (re-read in full and upserted); null when the table can be delta-updated.
 */
export function fullCopyReason(t: { key: KeyColumn[] | null; inheritance: boolean; filtered: boolean; changeColumn: string | undefined }): { mode: "replace" | "upsert"; reason: string } | null {
  const bad = keyReason(t.key);
  if (bad) return { mode: "replace", reason: bad };
  if (t.inheritance) return { mode: "replace", reason: INHERITANCE_REASON };
  if (t.filtered) return { mode: "upsert", reason: FILTER_REASON };
  if (!t.changeColumn) return { mode: "upsert", reason: NO_CHANGE_COLUMN_REASON };
  return null;
}
