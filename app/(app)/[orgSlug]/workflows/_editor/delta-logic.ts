import { fullCopyReason } from "@/lib/pipeline/full-copy-reason";
import type { EditorColumn, EditorTable, TableSel } from "./editor-types";

// Delta updates in the editor: which columns can be a table's change column, which one to
// suggest, and why a table will be copied in full anyway — with the engine's own function
// (lib/pipeline/full-copy-reason.ts), so the editor says before the run what the run does.

/** Change columns are compared with a timestamptz watermark (timestamp is read as UTC): validate-definition.ts. */
const CHANGE_TYPES = new Set(["timestamp", "timestamptz"]);
const UPDATED = /^(updated|modified|last_modified|last_updated|changed|last_changed)(_at|_on|_time|_ts)?$|^(updated|modified|changed)$/i;
const CREATED = /^(created|inserted|added)(_at|_on|_time|_ts)?$/i;

export const changeColumns = (t: EditorTable): EditorColumn[] => t.columns.filter((c) => CHANGE_TYPES.has(c.baseType));

/** The suggested change column: an updated-at-like timestamp, else a created-at one (append-only tables). */
export function suggestChangeColumn(t: EditorTable): { column: string; appendOnly: boolean } | null {
  const cols = changeColumns(t);
  const updated = cols.find((c) => UPDATED.test(c.name));
  if (updated) return { column: updated.name, appendOnly: false };
  const created = cols.find((c) => CREATED.test(c.name));
  return created ? { column: created.name, appendOnly: true } : null;
}

/** A created-at-like column sees new rows only: updates of older rows are not read. */
export const isAppendOnlyColumn = (name: string) => CREATED.test(name);

/** The change "column" of xmin change detection (a system column name, never a user column's). */
export const XMIN = "xmin";

/** The select's value for a table's change detection, and the setting a value stands for (softDelete kept). */
export const changeDetectionValue = (d: TableSel["delta"]): string => (d?.xmin ? XMIN : (d?.column ?? ""));
export function changeDetectionOf(value: string, prev: TableSel["delta"]): TableSel["delta"] {
  if (!value) return undefined;
  const soft = prev?.softDelete ? { softDelete: prev.softDelete } : {};
  return value === XMIN ? { xmin: true, ...soft } : { column: value, ...soft };
}

/** How a delta run treats the table: "delta" by its change column, or copied in full and why. */
export function deltaPlanOf(t: EditorTable | undefined, sel: TableSel): { mode: "delta"; column: string } | { mode: "full"; reason: string } {
  if (!t) return { mode: "full", reason: "the table is not in the source's table list" };
  const key = t.primaryKey.length ? t.primaryKey.map((n) => t.columns.find((c) => c.name === n) ?? { name: n, typeName: "?", baseType: "?" }) : null;
  const changeColumn = sel.delta?.xmin ? XMIN : sel.delta?.column;
  const full = fullCopyReason({ key, inheritance: t.inheritance, filtered: sel.filter.kind === "window", changeColumn });
  return full ? { mode: "full", reason: full.reason } : { mode: "delta", column: changeColumn! };
}

/** Tables given their suggested change column where they have none yet and could use one. */
export function withSuggestedChangeColumns(tables: TableSel[], byId: Map<string, EditorTable>): TableSel[] {
  return tables.map((s) => {
    const t = byId.get(`${s.schema}.${s.table}`);
    if (s.delta || !t) return s;
    const suggestion = suggestChangeColumn(t);
    return suggestion ? { ...s, delta: { column: suggestion.column } } : s;
  });
}
