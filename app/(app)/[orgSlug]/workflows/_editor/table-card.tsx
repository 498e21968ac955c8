"use client";

import { useCallback, useMemo, useState } from "react";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import type { TRule } from "@/lib/schemas/rules";
import { ruleErrorKey, tableErrors, tableKey } from "@/lib/server/services/workflows/field-keys";
import { restToKeep } from "./apply-suggestions";
import { ColumnRow } from "./column-row";
import { type EditorTable, type Errors, formatBytes, formatRows, keyRole, type RuleInfo, type RuleSuggestion, type TableSel } from "./editor-types";
import { RowFilter } from "./row-filter";

// The open table: which rows, and one compact row per column (rule, options, the scanner's
// finding, preview). Bulk actions for this table: accept the scanner's suggestions, and mark
// the rest "keep as is" — never the columns the scanner flagged: those wait for a person.

export type TableCardProps = {
  orgSlug: string;
  /** Absent for a new (unsaved) workflow. */
  workflowId: string | undefined;
  connectionId: string;
  sel: TableSel;
  table: EditorTable | undefined;
  selected: Set<string>;
  follows: Map<string, string> | undefined;
  unreviewed: string[];
  suggestions: Map<string, RuleSuggestion> | undefined;
  suggested: Set<string> | undefined;
  ruleInfo: RuleInfo;
  errors: Errors;
  readOnly: boolean;
  canReveal: boolean;
  onChange(next: TableSel): void;
  onAccept(columns: string[]): void;
  onRemove(): void;
};

export function TableCard(props: TableCardProps) {
  const { sel, table, readOnly, onChange, suggestions } = props;
  const [previewing, setPreviewing] = useState<string | null>(null);
  const label = `${sel.schema}.${sel.table}`;
  const messages = tableErrors(props.errors, sel.schema, sel.table).filter((m) => !Object.keys(sel.rules).some((c) => props.errors[ruleErrorKey(sel.schema, sel.table, c)]?.includes(m)));
  const unreviewed = useMemo(() => new Set(props.unreviewed), [props.unreviewed]);
  const { onAccept } = props;
  const setRule = useCallback(
    (column: string, rule: TRule | null) => {
      const rules = { ...sel.rules };
      if (rule) rules[column] = rule;
      else delete rules[column];
      onChange({ ...sel, rules });
      onAccept([column]);
    },
    [sel, onChange, onAccept],
  );
  const preview = useMemo(
    () => ({ orgSlug: props.orgSlug, workflowId: props.workflowId, connectionId: props.connectionId, schema: sel.schema, table: sel.table, canReveal: props.canReveal }),
    [props.orgSlug, props.workflowId, props.connectionId, sel.schema, sel.table, props.canReveal],
  );
  const ruleCount = Object.keys(sel.rules).length;
  // "Mark the rest keep as is": the unreviewed columns the scanner did not flag.
  const rest = restToKeep(props.unreviewed, suggestions);
  const flaggedOpen = props.unreviewed.length - rest.length;
  const pendingSuggestions = [...(props.suggested ?? [])];

  const markRestKeep = () => onChange({ ...sel, rules: { ...sel.rules, ...Object.fromEntries(rest.map((c) => [c, { rule: "keep" as const }])) } });

  return (
    <section className="@container min-w-0 rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="table-card" data-table={label} aria-label={`Table ${label}`}>
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <div className="min-w-0">
          <h3 className="truncate font-mono text-sm font-semibold text-slate-900">{label}</h3>
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
            {table && (
              <span>
                {formatRows(table.rowsEstimate)} · {formatBytes(table.bytes)}
              </span>
            )}
            <span>
              {ruleCount} {ruleCount === 1 ? "rule" : "rules"}
            </span>
            {props.unreviewed.length > 0 ? (
              <span data-testid="table-unreviewed">
                <Badge tone="amber">{props.unreviewed.length} to review</Badge>
              </span>
            ) : (
              table && <Badge tone="green">all reviewed</Badge>
            )}
          </p>
        </div>
        {!readOnly && (
          <div className="flex flex-wrap gap-2">
            {pendingSuggestions.length > 0 && (
              <Button type="button" variant="secondary" size="sm" onClick={() => props.onAccept(pendingSuggestions)}>
                Accept {pendingSuggestions.length} {pendingSuggestions.length === 1 ? "suggestion" : "suggestions"}
              </Button>
            )}
            {rest.length > 0 && (
              <Button type="button" variant="secondary" size="sm" onClick={markRestKeep} title={flaggedOpen ? `${flaggedOpen} flagged by the scanner stay to review` : undefined}>
                Mark the rest keep as is ({rest.length})
              </Button>
            )}
            <Button type="button" variant="ghost" size="sm" onClick={props.onRemove}>
              Remove
            </Button>
          </div>
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
      <RowFilter label={label} filter={sel.filter} timeColumns={table?.columns.filter((c) => c.isTime) ?? []} readOnly={readOnly} onChange={(filter) => onChange({ ...sel, filter })} />
      {table && (
        <ul className="divide-y divide-slate-100" aria-label={`Columns of ${label}`}>
          {table.columns.map((c) => (
            <ColumnRow
              key={c.name}
              qualified={label}
              column={c}
              rule={sel.rules[c.name]}
              keyRole={keyRole(table, c, props.selected)}
              follows={props.follows?.get(c.name)}
              unreviewed={unreviewed.has(c.name)}
              suggestion={suggestions?.get(c.name)}
              suggested={!!props.suggested?.has(c.name)}
              error={props.errors[ruleErrorKey(sel.schema, sel.table, c.name)]?.[0]}
              readOnly={readOnly}
              ruleInfo={props.ruleInfo}
              previewing={previewing === c.name}
              preview={preview}
              onRule={setRule}
              onAccept={(col) => props.onAccept([col])}
              onPreview={setPreviewing}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
