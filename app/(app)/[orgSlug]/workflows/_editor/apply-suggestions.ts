import { choiceOf, type EditorCatalog, followedKeys, keyRole, type RuleSuggestion, ruleChoices, tableId, type TableSel } from "./editor-types";

// The scanner fills the editor: a suggested rule is pre-selected on each flagged column nobody has
// decided yet, when the picker would offer it (fits the type and the column's part in keys) and
// the column does not already follow a redacted key. Pure, so the editor and its tests share it.

export type SuggestionIndex = Map<string, Map<string, RuleSuggestion>>;

export function indexSuggestions(prev: SuggestionIndex, found: RuleSuggestion[]): SuggestionIndex {
  const next = new Map(prev);
  for (const s of found) {
    const id = tableId(s);
    next.set(id, new Map(next.get(id) ?? []).set(s.column, s));
  }
  return next;
}

/** The tables with suggested rules filled in, and the columns that got one ("schema.table" -> columns). */
export function applySuggestions(tables: TableSel[], catalog: EditorCatalog | null, index: SuggestionIndex, opts: { overwrite?: boolean } = {}): { tables: TableSel[]; applied: Map<string, string[]> } {
  const applied = new Map<string, string[]>();
  if (!catalog) return { tables, applied };
  const byId = new Map(catalog.tables.map((t) => [tableId(t), t]));
  const selected = new Set(tables.map(tableId));
  const follows = followedKeys(tables, catalog);
  const out = tables.map((sel) => {
    const id = tableId(sel);
    const found = index.get(id);
    const table = byId.get(id);
    if (!found || !table) return sel;
    const rules = { ...sel.rules };
    for (const [column, s] of found) {
      const col = table.columns.find((c) => c.name === column);
      if (!col || !s.suggestedRule || follows.get(id)?.has(column)) continue;
      if (rules[column] && !opts.overwrite) continue;
      const wanted = choiceOf(s.suggestedRule);
      if (!ruleChoices(col, keyRole(table, col, selected), undefined).some((c) => c.value === wanted)) continue;
      rules[column] = s.suggestedRule;
      applied.set(id, [...(applied.get(id) ?? []), column]);
    }
    return applied.has(id) ? { ...sel, rules } : sel;
  });
  return { tables: out, applied };
}

/** "Mark the rest keep as is": the unreviewed columns the scanner did not flag (flagged ones wait for a person). */
export function restToKeep(unreviewed: string[], findings: Map<string, RuleSuggestion> | undefined): string[] {
  return unreviewed.filter((c) => !findings?.has(c));
}
