"use client";

import { useMemo, useState } from "react";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import type { SuggestionIndex } from "./apply-suggestions";
import { type EditorTable, type Errors, type RuleInfo, tableId, type TableSel } from "./editor-types";
import { TableCard } from "./table-card";
import { TableList, type TableListItem } from "./table-list";

// The rules of the selected tables: a navigable list on the left, one table's columns at a time
// on the right, the unreviewed count per table and in total, and the bulk actions.

export type RulesPanelProps = {
  orgSlug: string;
  workflowId: string | undefined;
  connectionId: string;
  tables: TableSel[];
  byId: Map<string, EditorTable>;
  selected: Set<string>;
  follows: Map<string, Map<string, string>>;
  unreviewed: Map<string, string[]>;
  suggestions: SuggestionIndex;
  suggested: Map<string, Set<string>>;
  scan: { running: boolean; note: string | undefined; canScan: boolean };
  ruleInfo: RuleInfo;
  errors: Errors;
  readOnly: boolean;
  canReveal: boolean;
  onTable(id: string, next: TableSel): void;
  onAccept(id: string, columns: string[]): void;
  onRemove(id: string): void;
  onApplyAll(): void;
  onScan(): void;
};

export function RulesPanel(p: RulesPanelProps) {
  const [active, setActive] = useState<string | null>(null);
  const items: TableListItem[] = useMemo(
    () => p.tables.map((t) => {
      const id = tableId(t);
      return { id, name: t.schema === "public" ? t.table : id, unreviewed: p.unreviewed.get(id)?.length ?? 0, rules: Object.keys(t.rules).length, personal: p.suggestions.get(id)?.size ?? 0 };
    }),
    [p.tables, p.unreviewed, p.suggestions],
  );
  const total = items.reduce((n, t) => n + t.unreviewed, 0);
  const pending = [...p.suggested.values()].reduce((n, s) => n + s.size, 0);
  const open = p.tables.find((t) => tableId(t) === active) ?? p.tables[0];
  const openId = open ? tableId(open) : null;

  return (
    <section aria-labelledby="rules-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="rules-heading" className="text-base font-semibold text-slate-900">
            Rules ({p.tables.length} {p.tables.length === 1 ? "table" : "tables"})
          </h2>
          <span data-testid="total-unreviewed" data-count={total}>
            {total > 0 ? <Badge tone="amber">{total} {total === 1 ? "column" : "columns"} to review</Badge> : <Badge tone="green">every column reviewed</Badge>}
          </span>
          {p.scan.running && (
            <span className="text-sm text-slate-500" role="status">
              Sampling the tables for personal data…
            </span>
          )}
        </div>
        {!p.readOnly && (
          <div className="flex flex-wrap gap-2">
            {p.scan.canScan && (
              <Button type="button" size="sm" variant="secondary" pending={p.scan.running} onClick={p.onScan}>
                Scan for personal data
              </Button>
            )}
            {(pending > 0 || p.suggestions.size > 0) && (
              <Button type="button" size="sm" variant="secondary" onClick={p.onApplyAll}>
                Apply the suggested rules to all tables
              </Button>
            )}
          </div>
        )}
      </div>
      {p.scan.note && <p className="text-sm text-slate-600" data-testid="scan-note">{p.scan.note}</p>}
      <div className="grid items-start gap-4 lg:grid-cols-[13rem_minmax(0,1fr)]">
        <div className="lg:sticky lg:top-4">
          <TableList items={items} active={openId} onOpen={setActive} />
        </div>
        {open && openId && (
          <TableCard
            key={openId}
            orgSlug={p.orgSlug}
            workflowId={p.workflowId}
            connectionId={p.connectionId}
            sel={open}
            table={p.byId.get(openId)}
            selected={p.selected}
            follows={p.follows.get(openId)}
            unreviewed={p.unreviewed.get(openId) ?? NONE}
            suggestions={p.suggestions.get(openId)}
            suggested={p.suggested.get(openId)}
            ruleInfo={p.ruleInfo}
            errors={p.errors}
            readOnly={p.readOnly}
            canReveal={p.canReveal}
            onChange={(next) => p.onTable(openId, next)}
            onAccept={(cols) => p.onAccept(openId, cols)}
            onRemove={() => p.onRemove(openId)}
          />
        )}
      </div>
    </section>
  );
}

const NONE: string[] = [];
