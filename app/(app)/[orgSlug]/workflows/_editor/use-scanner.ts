"use client";

import { useCallback, useRef, useState } from "react";
import { suggestRulesAction } from "../actions";
import { applySuggestions, indexSuggestions, type SuggestionIndex } from "./apply-suggestions";
import { type EditorCatalog, tableId, type TableSel } from "./editor-types";

// The editor's side of "the scanner fills the editor": sample tables on the server (the PII
// scanner's read-only scan, bounded in time), keep its findings per column, pre-select the
// suggested rules and remember which rules came from it until a person accepts or changes them.

export function useScanner(opts: {
  orgSlug: string;
  connectionId: string;
  catalog: EditorCatalog | null;
  tables: React.RefObject<TableSel[]>;
  setTables(next: TableSel[]): void;
  enabled: boolean;
}) {
  const { orgSlug, connectionId, catalog, tables, setTables, enabled } = opts;
  const [suggestions, setSuggestions] = useState<SuggestionIndex>(new Map());
  const [suggested, setSuggested] = useState<Map<string, Set<string>>>(new Map());
  const [running, setRunning] = useState(0);
  const [note, setNote] = useState<string>();
  const [waiting, setWaiting] = useState(false);
  const index = useRef(suggestions);
  // Tables sampled so far: "Scan for personal data" goes on with the others first (a scan's time is bounded).
  const sampled = useRef(new Set<string>());

  const scan = useCallback(
    async (chosen: { schema: string; table: string }[]) => {
      if (!enabled || !connectionId || chosen.length === 0) return;
      setRunning((n) => n + 1);
      const res = await suggestRulesAction(orgSlug, { connectionId, tables: chosen.map(({ schema, table }) => ({ schema, table })) });
      setRunning((n) => n - 1);
      if (!res.ok) {
        setNote(`No suggestions: ${res.error.message}`);
        return;
      }
      const skippedIds = new Set(res.data.skipped.map(tableId));
      for (const t of chosen) if (!skippedIds.has(tableId(t))) sampled.current.add(tableId(t));
      const fresh = indexSuggestions(new Map(), res.data.suggestions);
      index.current = indexSuggestions(index.current, res.data.suggestions);
      setSuggestions(index.current);
      const { tables: next, applied } = applySuggestions(tables.current, catalog, fresh);
      tables.current = next;
      setTables(next);
      setSuggested((prev) => {
        const out = new Map(prev);
        for (const [id, cols] of applied) out.set(id, new Set([...(out.get(id) ?? []), ...cols]));
        return out;
      });
      const found = res.data.suggestions.length;
      const skipped = res.data.skipped.length;
      setNote(
        `Sampled ${chosen.length - skipped} of ${chosen.length} ${chosen.length === 1 ? "table" : "tables"} in ${(res.data.durationMs / 1000).toFixed(1)} s: ` +
          `${found} ${found === 1 ? "column looks" : "columns look"} personal${found ? ", their suggested rules are pre-selected; accept or change them" : ""}.` +
          (skipped ? ` ${skipped} not sampled yet (time was up, or unreadable): “Scan for personal data” goes on with them.` : ""),
      );
    },
    [enabled, connectionId, orgSlug, catalog, tables, setTables],
  );

  // Tables ticked one after another are sampled together.
  const queued = useRef<{ schema: string; table: string }[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const queue = useCallback(
    (chosen: { schema: string; table: string }[]) => {
      queued.current.push(...chosen);
      setWaiting(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const batch = queued.current;
        queued.current = [];
        setWaiting(false);
        void scan(batch);
      }, 400);
    },
    [scan],
  );

  /** The selected tables not sampled yet, or all of them when every one has been. */
  const scanRest = useCallback(
    (selected: { schema: string; table: string }[]) => {
      const rest = selected.filter((t) => !sampled.current.has(tableId(t)));
      return scan(rest.length ? rest : selected);
    },
    [scan],
  );

  const accept = useCallback((id: string, columns: string[]) => {
    setSuggested((prev) => {
      const cur = prev.get(id);
      if (!cur || !columns.some((c) => cur.has(c))) return prev;
      const out = new Map(prev);
      out.set(id, new Set([...cur].filter((c) => !columns.includes(c))));
      if (out.get(id)!.size === 0) out.delete(id);
      return out;
    });
  }, []);

  /** "Apply the suggested rules to all": every undecided flagged column gets its rule; pending suggestions count as accepted. */
  const applyAll = useCallback(() => {
    const { tables: next } = applySuggestions(tables.current, catalog, index.current);
    tables.current = next;
    setTables(next);
    setSuggested(new Map());
  }, [catalog, tables, setTables]);

  const reset = useCallback(() => {
    clearTimeout(timer.current);
    queued.current = [];
    sampled.current = new Set();
    setWaiting(false);
    index.current = new Map();
    setSuggestions(index.current);
    setSuggested(new Map());
    setNote(undefined);
  }, []);

  return { suggestions, suggested, running: running > 0 || waiting, note, scan, scanRest, queue, accept, applyAll, reset };
}
