import { fullCopyReason, keyReason } from "@/lib/pipeline/full-copy-reason";
import { SOFT_DELETE_TYPES, softDeleteRefusal, softDeleteRefusedReason, type TableReference } from "@/lib/pipeline/soft-delete-refusal";
import { FIRST_RUN_REASON, selectionChangeReason, standingWholeRunReason } from "@/lib/pipeline/whole-run-reason";
import { type EditorColumn, type EditorTable, tableId, type TableSel } from "./editor-types";

// Delta updates in the editor: which columns can be a table's change column and soft-delete
// column, which ones to suggest, why a table will be copied in full anyway, when a soft-delete
// column is refused and when a whole run is a full run — with the engine's own functions
// (lib/pipeline/full-copy-reason.ts, soft-delete-refusal.ts, whole-run-reason.ts), so the editor
// says before the run what the run does.

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

const editorKey = (t: EditorTable) => (t.primaryKey.length ? t.primaryKey.map((n) => t.columns.find((c) => c.name === n) ?? { name: n, typeName: "?", baseType: "?" }) : null);

/** How a delta run treats the table: "delta" by its change column, or copied in full and why. */
export function deltaPlanOf(t: EditorTable | undefined, sel: TableSel): { mode: "delta"; column: string } | { mode: "full"; reason: string } {
  if (!t) return { mode: "full", reason: "the table is not in the source's table list" };
  const changeColumn = sel.delta?.xmin ? XMIN : sel.delta?.column;
  const full = fullCopyReason({ key: editorKey(t), inheritance: t.inheritance, filtered: sel.filter.kind === "window", changeColumn });
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

const SOFT_DELETED = /^(is_)?(deleted|archived|removed|discarded|trashed)$|^(deleted|archived|removed|discarded|trashed)(_at|_on|_time|_ts)$/i;

/**
 * Columns that can mark a row deleted (soft-delete-refusal.ts's types), deleted_at-like names first.
 * A NOT NULL date or timestamp would mark every row deleted: not offered.
 */
export function softDeleteColumns(t: EditorTable): { column: EditorColumn; suggested: boolean }[] {
  const usable = t.columns.filter((c) => SOFT_DELETE_TYPES.has(c.baseType) && (c.baseType === "bool" || !c.notNull));
  return [...usable.filter((c) => SOFT_DELETED.test(c.name)).map((column) => ({ column, suggested: true })), ...usable.filter((c) => !SOFT_DELETED.test(c.name)).map((column) => ({ column, suggested: false }))];
}

/** The soft-delete select's value and the setting a value stands for (the change detection kept). */
export function softDeleteOf(value: string, d: NonNullable<TableSel["delta"]>): TableSel["delta"] {
  const { softDelete: _, ...rest } = d;
  return value ? { ...rest, softDelete: value } : rest;
}

/** Foreign keys between selected tables ("schema.table" ids), as the run's plan sees them. */
export function selectedReferences(tables: TableSel[], byId: Map<string, EditorTable>): TableReference<string>[] {
  const ids = new Set(tables.map(tableId));
  return tables.flatMap((s) => (byId.get(tableId(s))?.foreignKeys ?? [])
    .map((fk) => ({ from: tableId(s), to: `${fk.references.schema}.${fk.references.table}`, name: fk.name }))
    .filter((r) => ids.has(r.to)));
}

/** Why the table may not have a soft-delete column (the engine refuses the run), in words; null when it may. */
export function softDeleteRefusalOf(id: string, references: TableReference<string>[]): string | null {
  const r = softDeleteRefusal(id, references);
  return r ? softDeleteRefusedReason(r.from === id ? "the table itself" : r.from, r.name) : null;
}

/** The tables as saved: a soft-delete column the engine would refuse is left out (the grid says so). */
export function withoutRefusedSoftDeletes(tables: TableSel[], byId: Map<string, EditorTable>): TableSel[] {
  const refs = selectedReferences(tables, byId);
  return tables.map((s) => (s.delta?.softDelete && softDeleteRefusalOf(tableId(s), refs) ? { ...s, delta: softDeleteOf("", s.delta) } : s));
}

/** The part of the saved version that tells whether the next delta run starts over. */
export type SavedDelta = { targetConnectionId: string; deltaOn: boolean; tables: string[] } | null;

export type WholeRunWarning = { kind: "every-run" | "next-run"; text: string };

/**
 * When a run will copy every table in full although delta updates are on, as far as the editor
 * knows it: on every run (a foreign-key cycle, a keyless table that others reference; the engine's
 * standingWholeRunReason), or on the next one (delta updates just turned on or another target: the
 * first run; tables added or removed since the saved version: the engine's selectionChangeReason).
 */
export function wholeRunWarnings(tables: TableSel[], byId: Map<string, EditorTable>, saved: SavedDelta, targetConnectionId: string): WholeRunWarning[] {
  const out: WholeRunWarning[] = [];
  const units = tables.map((s) => {
    const t = byId.get(tableId(s));
    return { id: tableId(s), label: tableId(s), keyed: !t || (!keyReason(editorKey(t)) && !t.inheritance) };
  });
  const standing = standingWholeRunReason(units, selectedReferences(tables, byId));
  if (standing) out.push({ kind: "every-run", text: `Every run copies every table in full: ${standing}.` });
  const current = tables.map(tableId);
  const next = !saved?.deltaOn || saved.targetConnectionId !== targetConnectionId ? FIRST_RUN_REASON : selectionChangeReason(saved.tables, current);
  if (next) out.push({ kind: "next-run", text: `The next run copies every table in full (${next}); the runs after it read only the changes.` });
  return out;
}
