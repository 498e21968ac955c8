"use client";

import { Badge } from "@/app/_components/badge";
import { controlClass } from "@/app/_components/field";
import type { TTargetDelta } from "@/lib/schemas/workflow";
import { tableErrors } from "@/lib/server/services/workflows/field-keys";
import {
  changeColumns, changeDetectionOf, changeDetectionValue, deltaPlanOf, isAppendOnlyColumn, type SavedDelta, selectedReferences, softDeleteColumns, softDeleteOf, softDeleteRefusalOf,
  suggestChangeColumn, wholeRunWarnings, XMIN,
} from "./delta-logic";
import { type EditorTable, type Errors, tableId, type TableSel } from "./editor-types";

// "Keep the twin fresh with delta updates" on the target output: the switch, the overlap, when a
// run will copy every table in full anyway, and a compact grid with one row per selected table —
// its change column (timestamp columns only; the catalog's suggestion marked), how its deletes are
// found (comparing keys, or a soft-delete column; refused where another selected table references
// it) and, before any run, whether a delta run reads its changes or copies it in full, and why
// (the engine's rules: delta-logic.ts).

export type DeltaSettingsProps = {
  delta: TTargetDelta | undefined;
  hasS3: boolean;
  tables: TableSel[];
  byId: Map<string, EditorTable>;
  /** The saved version's delta setup (null: a new workflow), for the next run's warning. */
  saved: SavedDelta;
  targetConnectionId: string;
  errors: Errors;
  readOnly: boolean;
  onDelta(next: TTargetDelta | undefined): void;
  onTable(id: string, next: TableSel): void;
};

export function DeltaSettings(p: DeltaSettingsProps) {
  const plans = p.tables.map((s) => ({ sel: s, table: p.byId.get(tableId(s)), plan: deltaPlanOf(p.byId.get(tableId(s)), s) }));
  const deltaCount = plans.filter((x) => x.plan.mode === "delta").length;
  const references = selectedReferences(p.tables, p.byId);
  const warnings = wholeRunWarnings(p.tables, p.byId, p.saved, p.targetConnectionId);
  return (
    <div className="rounded-md ring-1 ring-slate-200" data-testid="delta-settings">
      <label className="flex items-start gap-2 px-3 py-2.5 text-sm text-slate-700">
        <input type="checkbox" className="mt-0.5 size-4" checked={!!p.delta} disabled={p.readOnly} onChange={(e) => p.onDelta(e.target.checked ? { overlapSeconds: 60 } : undefined)} aria-describedby="delta-help" />
        <span>
          <span className="font-medium text-slate-800">Keep the twin fresh with delta updates</span>
          <span id="delta-help" className="block text-slate-500">
            The first run copies every table; later runs read only the rows changed since the previous run (by each table&apos;s change column), upsert them by <code>source_primary_key</code> and remove deleted rows.
          </span>
        </span>
      </label>
      {p.delta && (
        <div className="space-y-2 border-t border-slate-200 px-3 py-2.5">
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-700">
            <label className="flex flex-wrap items-center gap-2">
              <span>Re-read the last</span>
              <input
                type="number"
                min={0}
                max={86400}
                className={`${controlClass} max-w-24 py-1`}
                value={p.delta.overlapSeconds}
                disabled={p.readOnly}
                aria-describedby="overlap-help"
                onChange={(e) => p.onDelta({ overlapSeconds: Math.max(0, Math.round(Number(e.target.value) || 0)) })}
              />
              <span>seconds before each watermark</span>
            </label>
            <span id="overlap-help" className="text-xs text-slate-500">covers clock skew and timestamps set by the application</span>
          </div>
          <p className="text-sm text-slate-600" data-testid="delta-summary" data-delta={deltaCount}>
            {deltaCount} of {plans.length} {plans.length === 1 ? "table" : "tables"} delta-updated{deltaCount < plans.length ? "; the others are copied in full on every run" : ""}.
            {p.hasS3 && <span className="text-amber-800"> With the S3 output every run is a full run (the CSV files need every row).</span>}
          </p>
          {plans.length > 0 && warnings.length > 0 && (
            <ul className="space-y-1 text-sm" data-testid="delta-warnings">
              {warnings.map((w) => (
                <li key={w.kind} data-testid="delta-warning" data-kind={w.kind} className={w.kind === "every-run" ? "text-amber-800" : "text-slate-600"}>
                  {w.text}
                </li>
              ))}
            </ul>
          )}
          {plans.length > 0 && (
            <ul className="max-h-[28rem] divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200" aria-label="Change columns of delta updates">
              {plans.map(({ sel, table, plan }) => {
                const id = tableId(sel);
                const cols = table ? changeColumns(table) : [];
                const suggestion = table ? suggestChangeColumn(table) : null;
                const messages = tableErrors(p.errors, sel.schema, sel.table).filter((m) => /change column|soft-delete|delta/i.test(m));
                const softCols = table ? softDeleteColumns(table) : [];
                const softRefused = softDeleteRefusalOf(id, references);
                const soft = sel.delta?.softDelete;
                return (
                  <li key={id} className="grid gap-x-3 gap-y-1 px-3 py-2 text-sm sm:grid-cols-2 sm:items-center lg:grid-cols-[minmax(8rem,14rem)_minmax(0,1fr)_minmax(0,1fr)]" data-testid="delta-table" data-table={id} data-mode={plan.mode}>
                    <span className="truncate font-mono text-xs font-semibold text-slate-900 sm:col-span-2 lg:col-span-1" title={id}>{id}</span>
                    <select
                      className={`${controlClass} py-1`}
                      aria-label={`Change column of ${id}`}
                      value={changeDetectionValue(sel.delta)}
                      disabled={p.readOnly}
                      onChange={(e) => p.onTable(id, { ...sel, delta: changeDetectionOf(e.target.value, sel.delta) })}
                    >
                      <option value="">{cols.length ? "None: copy in full" : "No timestamp column: copy in full"}</option>
                      <option value={XMIN}>Row versions (xmin): no timestamp needed</option>
                      {cols.map((c) => (
                        <option key={c.name} value={c.name}>
                          {c.name}{suggestion?.column === c.name ? " (suggested)" : ""}
                        </option>
                      ))}
                      {sel.delta?.column && !cols.some((c) => c.name === sel.delta!.column) && <option value={sel.delta.column}>{sel.delta.column} (not a timestamp column here)</option>}
                    </select>
                    <select
                      className={`${controlClass} py-1`}
                      aria-label={`Deletes of ${id}`}
                      value={soft ?? ""}
                      disabled={p.readOnly || !sel.delta || (!!softRefused && !soft)}
                      title={!sel.delta ? "Choose a change column first" : undefined}
                      onChange={(e) => sel.delta && p.onTable(id, { ...sel, delta: softDeleteOf(e.target.value, sel.delta) })}
                    >
                      <option value="">Deletes: compare keys (default)</option>
                      {!softRefused && softCols.map(({ column, suggested }) => (
                        <option key={column.name} value={column.name}>
                          {column.name} {column.baseType === "bool" ? "(true: deleted)" : "(set: deleted)"}{suggested ? " (suggested)" : ""}
                        </option>
                      ))}
                      {soft && (softRefused || !softCols.some((c) => c.column.name === soft)) && <option value={soft}>{soft} (not usable here)</option>}
                    </select>
                    <span className="min-w-0 text-xs sm:col-span-2 lg:col-span-3" data-testid="delta-note">
                      {plan.mode === "delta" ? (
                        <>
                          <Badge tone="violet">Delta</Badge>{" "}
                          <span className="text-slate-600">
                            {plan.column === XMIN ? "rows written since the last run (row versions)" : <>rows changed by {plan.column}</>}
                            {plan.column !== XMIN && isAppendOnlyColumn(plan.column) && " (new rows only: updates of older rows are not read)"}
                          </span>
                        </>
                      ) : (
                        <>
                          <Badge tone="gray">Full</Badge> <span className="text-slate-600">{plan.reason}</span>
                        </>
                      )}
                      {plan.mode === "delta" && soft && !softRefused && <span className="text-slate-600">; rows marked deleted by {soft} are removed from the twin</span>}
                      {softRefused && (
                        <span className={`block ${soft ? "text-red-700" : "text-slate-500"}`} data-testid="soft-delete-refused" {...(soft ? { role: "alert" } : {})}>
                          {soft ? `Soft-delete column ${soft} is not saved: ` : "No soft-delete column: "}{softRefused}.
                        </span>
                      )}
                      {messages.map((m) => (
                        <span key={m} className="block text-red-700" role="alert">{m}</span>
                      ))}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
