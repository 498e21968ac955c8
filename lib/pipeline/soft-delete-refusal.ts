// When a table's soft-delete column (`tables[].delta.softDelete`) is refused: its marked rows leave
// the twin, so no foreign key of the clone may point at it (a referencing row would be left
// dangling). Pure, so the engine's plan (plan.ts) refuses it and the workflow editor does not
// offer it, with the same function; a reference is a foreign key between tables of the clone,
// each end named by whatever the caller identifies tables with (an oid, "schema.table").

/** Soft-delete column types: true (boolean), or any value (date/timestamp), marks a row deleted (delta-apply.ts). */
export const SOFT_DELETE_TYPES = new Set(["bool", "date", "timestamp", "timestamptz"]);

export type TableReference<T> = { from: T; to: T; name: string };

/** The first reference to `table` (a self-reference too), which forbids it a soft-delete column; undefined when there is none. */
export function softDeleteRefusal<T>(table: T, references: TableReference<T>[]): TableReference<T> | undefined {
  return references.find((r) => r.to === table);
}

/** Why, in words shared by the engine's error and the editor's note. */
export const softDeleteRefusedReason = (from: string, foreignKey: string) =>
  `${from} references it (foreign key ${foreignKey}): removing its deleted rows from the twin would break that key`;
