// Why a delta-enabled run must read every table in full, as far as the selected tables and their
// foreign keys tell it: pure, so the engine's plan (delta-plan.ts) and the workflow editor (which
// warns before the run) decide with the same functions. Tables are named by whatever the caller
// identifies them with (a unit's oid, "schema.table"); reasons only a run can know (schema changed,
// twin replaced) stay in planDelta.

export const FIRST_RUN_REASON = "first run of delta updates into this target";
export const CYCLE_REASON = "the selected tables' foreign keys form a cycle, which delta runs cannot order";
export const TABLE_REMOVED_REASON = "a table was removed from the workflow";
export const keylessReferencedReason = (label: string) => `${label} has no usable key and other tables reference it`;
export const tableAddedReason = (label: string) => `table ${label} is new in the workflow`;

/** A foreign key between two selected tables: `from` references `to`. */
export type Reference<T> = { from: T; to: T };

/** The tables in foreign-key order (referenced first, else in the given order); null when the references between distinct tables form a cycle. */
export function foreignKeyOrder<T>(tables: T[], references: Reference<T>[]): T[] | null {
  const parents = new Map<T, Set<T>>(tables.map((t) => [t, new Set()]));
  for (const r of references) if (r.from !== r.to && parents.has(r.from) && parents.has(r.to)) parents.get(r.from)!.add(r.to);
  const out: T[] = [];
  const state = new Map<T, "visiting" | "done">();
  const visit = (t: T): boolean => {
    if (state.get(t) === "done") return true;
    if (state.get(t) === "visiting") return false;
    state.set(t, "visiting");
    for (const p of parents.get(t)!) if (!visit(p)) return false;
    state.set(t, "done");
    out.push(t);
    return true;
  };
  for (const t of tables) if (!visit(t)) return null;
  return out;
}

/**
 * The standing reason every delta run is a full run, from the selection alone: a cycle of foreign
 * keys (the apply cannot order upserts and deletes), or a table without a usable key (`keyed`
 * false: replaced on every run) that another table references (replacing it would break their
 * references). Null when there is none.
 */
export function standingWholeRunReason<T>(tables: { id: T; label: string; keyed: boolean }[], references: Reference<T>[]): string | null {
  if (!foreignKeyOrder(tables.map((t) => t.id), references)) return CYCLE_REASON;
  const keyless = tables.find((t) => !t.keyed && references.some((r) => r.to === t.id && r.from !== t.id));
  return keyless ? keylessReferencedReason(keyless.label) : null;
}

/** Tables removed or added since the last delta run (labels): the next run is a full run. Null when the same. */
export function selectionChangeReason(previous: string[], current: string[]): string | null {
  if (previous.some((p) => !current.includes(p))) return TABLE_REMOVED_REASON;
  const added = current.find((c) => !previous.includes(c));
  return added ? tableAddedReason(added) : null;
}
