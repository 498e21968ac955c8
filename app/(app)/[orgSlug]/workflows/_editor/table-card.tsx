"use client";

import { useState } from "react";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import { controlClass } from "@/app/_components/field";
import type { TRule, TRuleName } from "@/lib/schemas/rules";
import { ruleErrorKey, tableErrors, tableKey } from "@/lib/server/services/workflows/field-keys";
import { ColumnPreview } from "./column-preview";
import { defaultRule, type EditorTable, type Errors, type Filter, formatBytes, formatRows, type RuleInfo, type TableSel } from "./editor-types";
import { RuleOptions } from "./rule-options";

// One selected table: which rows (all, or a time window on its date/timestamp columns) and a
// rule per column, with the rule's options and a live preview.

export function TableCard(props: {
  orgSlug: string;
  /** Absent for a new (unsaved) workflow. */
  workflowId: string | undefined;
  connectionId: string;
  sel: TableSel;
  table: EditorTable | undefined;
  follows: Map<string, string> | undefined;
  ruleInfo: RuleInfo;
  errors: Errors;
  readOnly: boolean;
  canReveal: boolean;
  onChange(next: TableSel): void;
  onRemove(): void;
}) {
  const { sel, table, readOnly, onChange } = props;
  const [previewing, setPreviewing] = useState<string | null>(null);
  const label = `${sel.schema}.${sel.table}`;
  const messages = tableErrors(props.errors, sel.schema, sel.table).filter((m) => !Object.keys(sel.rules).some((c) => props.errors[ruleErrorKey(sel.schema, sel.table, c)]?.includes(m)));
  const timeColumns = table?.columns.filter((c) => c.isTime) ?? [];
  const setFilter = (filter: Filter) => onChange({ ...sel, filter });
  const setRule = (column: string, rule: TRule | null) => {
    const rules = { ...sel.rules };
    if (rule) rules[column] = rule;
    else delete rules[column];
    onChange({ ...sel, rules });
  };
  const ruleCount = Object.keys(sel.rules).length;

  return (
    <section className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="table-card" data-table={label} aria-label={`Table ${label}`}>
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <div>
          <h3 className="font-mono text-sm font-semibold text-slate-900">{label}</h3>
          <p className="text-xs text-slate-500">
            {table ? `${formatRows(table.rowsEstimate)} · ${formatBytes(table.bytes)} · ` : ""}
            {ruleCount} {ruleCount === 1 ? "rule" : "rules"}
          </p>
        </div>
        {!readOnly && (
          <Button type="button" variant="ghost" size="sm" onClick={props.onRemove}>
            Remove
          </Button>
        )}
      </header>
      {!table && <p className="px-4 py-3 text-sm text-amber-800">This table is not in the source&apos;s table list. Refresh the list, or remove it.</p>}
      {messages.length > 0 && (
        <ul className="space-y-0.5 border-b border-red-100 bg-red-50 px-4 py-2 text-sm text-red-800" role="alert" data-field={tableKey(sel.schema, sel.table)}>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2 border-b border-slate-100 px-4 py-3 text-sm">
        <span className="font-medium text-slate-700">Rows</span>
        <label className="flex items-center gap-1.5">
          <input type="radio" name={`rows-${label}`} checked={sel.filter.kind === "all"} disabled={readOnly} onChange={() => setFilter({ kind: "all" })} />
          All rows
        </label>
        <label className={`flex items-center gap-1.5 ${timeColumns.length ? "" : "text-slate-400"}`}>
          <input
            type="radio"
            name={`rows-${label}`}
            checked={sel.filter.kind === "window"}
            disabled={readOnly || timeColumns.length === 0}
            onChange={() => setFilter({ kind: "window", columns: [timeColumns[0]!.name], days: 30 })}
          />
          Only recent rows{timeColumns.length === 0 && " (no date or timestamp columns)"}
        </label>
        {sel.filter.kind === "window" && (
          <span className="flex flex-wrap items-center gap-2">
            created or changed in the last
            <input
              type="number"
              min={1}
              max={36500}
              aria-label={`Days of ${label} to copy`}
              className={`${controlClass} w-20 py-1`}
              value={sel.filter.days}
              disabled={readOnly}
              onChange={(e) => sel.filter.kind === "window" && setFilter({ ...sel.filter, days: Number(e.target.value) || 0 })}
            />
            days, by
            {timeColumns.map((c) => (
              <label key={c.name} className="flex items-center gap-1 font-mono text-xs">
                <input
                  type="checkbox"
                  checked={sel.filter.kind === "window" && sel.filter.columns.includes(c.name)}
                  disabled={readOnly}
                  onChange={(e) => {
                    if (sel.filter.kind !== "window") return;
                    const columns = e.target.checked ? [...sel.filter.columns, c.name] : sel.filter.columns.filter((x) => x !== c.name);
                    setFilter({ ...sel.filter, columns });
                  }}
                />
                {c.name}
              </label>
            ))}
          </span>
        )}
      </div>
      {table && (
        <table className="w-full text-sm">
          <caption className="sr-only">Columns of {label}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                Column
              </th>
              <th scope="col" className="px-4 py-2">
                Rule
              </th>
              <th scope="col" className="px-4 py-2">
                Options
              </th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Preview</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.columns.map((c) => {
              const rule = sel.rules[c.name];
              const follows = props.follows?.get(c.name);
              const err = props.errors[ruleErrorKey(sel.schema, sel.table, c.name)]?.[0];
              return (
                <ColumnRow key={c.name}>
                  <td className="px-4 py-2 align-top">
                    <div className="font-mono text-xs font-medium text-slate-900">{c.name}</div>
                    <div className="mt-0.5 flex flex-wrap gap-1 text-xs text-slate-500">
                      {c.typeName}
                      {table.primaryKey.includes(c.name) && <Badge tone="violet">key</Badge>}
                      {c.unique && !table.primaryKey.includes(c.name) && <Badge>unique</Badge>}
                      {c.generated && <Badge>generated</Badge>}
                    </div>
                  </td>
                  <td className="px-4 py-2 align-top">
                    <select
                      aria-label={`Rule for ${label}.${c.name}`}
                      className={`${controlClass} w-48 py-1.5 ${err ? "ring-red-400" : ""}`}
                      value={rule?.rule ?? ""}
                      disabled={readOnly || c.generated}
                      aria-invalid={err ? true : undefined}
                      onChange={(e) => setRule(c.name, e.target.value ? (rule?.rule === e.target.value ? rule : defaultRule(e.target.value as TRuleName, c)) : null)}
                    >
                      <option value="">{follows ? `Follows ${follows}` : "Copy unchanged"}</option>
                      {(rule && !c.rules.includes(rule.rule) ? [...c.rules, rule.rule] : c.rules).map((r) => (
                        <option key={r} value={r} title={props.ruleInfo[r].description}>
                          {props.ruleInfo[r].label}
                        </option>
                      ))}
                    </select>
                    {follows && !rule && <p className="mt-1 text-xs text-slate-500" data-testid="follows">follows {follows}</p>}
                    {err && (
                      <p className="mt-1 max-w-xs text-xs text-red-700" role="alert">
                        {err}
                      </p>
                    )}
                  </td>
                  <td className="px-4 py-2 align-top">{rule && <RuleOptions rule={rule} column={c} disabled={readOnly} onChange={(r) => setRule(c.name, r)} />}</td>
                  <td className="px-4 py-2 text-right align-top">
                    {rule && (
                      <Button type="button" size="sm" variant="ghost" aria-expanded={previewing === c.name} onClick={() => setPreviewing(previewing === c.name ? null : c.name)}>
                        {previewing === c.name ? "Hide preview" : "Preview"}
                      </Button>
                    )}
                  </td>
                  {rule && previewing === c.name && (
                    <td colSpan={4} className="px-4 pb-3">
                      <ColumnPreview orgSlug={props.orgSlug} workflowId={props.workflowId} connectionId={props.connectionId} schema={sel.schema} table={sel.table} column={c.name} rule={rule} canReveal={props.canReveal} />
                    </td>
                  )}
                </ColumnRow>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ColumnRow({ children }: { children: React.ReactNode[] }) {
  // The preview (5th child, when open) gets a row of its own below the column's row.
  const [cells, preview] = [children.slice(0, 4), children[4]];
  return (
    <>
      <tr>{cells}</tr>
      {preview ? <tr>{preview}</tr> : null}
    </>
  );
}
