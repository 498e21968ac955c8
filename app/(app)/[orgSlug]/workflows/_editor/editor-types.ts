import { followKeys } from "@/lib/redaction/follow-keys";
import type { TRule, TRuleName } from "@/lib/schemas/rules";
import type { EditorCatalog, EditorColumn, EditorTable } from "@/lib/server/services/workflows/editor-catalog";

// The editor's state: the part of a TWorkflowConfig it edits (customizations and options are
// edited elsewhere and carried over by the save service).

export type { EditorCatalog, EditorColumn, EditorTable };
export type Filter = { kind: "all" } | { kind: "window"; columns: string[]; days: number };
export type TableSel = { schema: string; table: string; filter: Filter; rules: Record<string, TRule> };
export type RuleInfo = Record<TRuleName, { label: string; description: string }>;
export type ConnectionOption = { id: string; name: string; kind: "POSTGRES" | "S3" };
export type Errors = Record<string, string[] | undefined>;

export const tableId = (t: { schema: string; table?: string; name?: string }) => `${t.schema}.${t.table ?? t.name}`;

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return "0 B";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatRows(n: number | null): string {
  if (n === null || n < 0) return "rows unknown";
  return `~${new Intl.NumberFormat("en").format(Math.round(n))} rows`;
}

/** A rule with sensible options for the column, from the column's name and type. */
export function defaultRule(name: TRuleName, col: EditorColumn): TRule {
  const n = col.name.toLowerCase();
  switch (name) {
    case "null":
      return { rule: "null" };
    case "constant":
      return { rule: "constant", value: "" };
    case "hash":
      return { rule: "hash", length: Math.max(8, Math.min(16, col.maxLength ?? 16)), encoding: "hex" };
    case "fake": {
      const guesses: [RegExp, string][] = [
        [/e-?mail/, "email"], [/phone|mobile|fax/, "phone"], [/first/, "first_name"], [/last|surname|family/, "last_name"],
        [/company|employer|organi[sz]ation/, "company"], [/city|town/, "city"], [/postal|zip|postcode/, "postal_code"],
        [/street|address/, "street_address"], [/user/, "username"], [/ip/, "ip"], [/url|website|link/, "url"], [/name/, "full_name"],
      ];
      const kind = guesses.find(([re, k]) => re.test(n) && col.fakeKinds.includes(k))?.[1] ?? col.fakeKinds[0] ?? "full_name";
      return { rule: "fake", kind: kind as Extract<TRule, { rule: "fake" }>["kind"] };
    }
    case "mask":
      return { rule: "mask", format: /phone|mobile|fax/.test(n) ? "phone" : /ssn|social/.test(n) ? "ssn" : /card|pan/.test(n) ? "card" : "keep_last", keepLast: 4, maskChar: "*" };
    case "date_shift":
      return { rule: "date_shift", maxDays: 30 };
    case "numeric_noise":
      return { rule: "numeric_noise", percent: 10 };
    case "shuffle":
      return { rule: "shuffle" };
    case "keep":
      return { rule: "keep" };
    case "json_paths":
      return { rule: "json_paths", paths: [{ path: "$.email", apply: { rule: "fake", kind: "email" } }] };
  }
}

/**
 * Columns that reference a redacted key get the key's rule in a run (the engine follows foreign
 * keys with the same function): child "schema.table" -> column -> "table.column" it follows.
 */
export function followedKeys(selected: TableSel[], catalog: EditorCatalog | null): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  if (!catalog) return out;
  const sel = new Map(selected.map((t) => [tableId(t), t.rules]));
  const names = new Map(catalog.tables.map((t) => [tableId(t), t.name]));
  const pairs = catalog.tables.flatMap((t) => t.foreignKeys.flatMap((fk) => fk.columns.map((childCol, i) => ({
    child: tableId(t), childCol, parent: `${fk.references.schema}.${fk.references.table}`, parentCol: fk.references.columns[i]!,
  })))).filter((p) => sel.has(p.child) && sel.has(p.parent) && p.parentCol !== undefined);
  for (const [id, cols] of followKeys(sel, pairs)) {
    for (const [col, r] of cols) {
      if (!r.follows) continue;
      if (!out.has(id)) out.set(id, new Map());
      out.get(id)!.set(col, `${names.get(r.follows.table)}.${r.follows.column}`);
    }
  }
  return out;
}
