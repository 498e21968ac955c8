import { followKeys } from "@/lib/redaction/follow-keys";
import { describeRule, RULE_NAME_LABELS } from "@/lib/redaction/describe-rule";
import type { FAKE_KINDS, TRule, TRuleName } from "@/lib/schemas/rules";
import type { TTableDelta } from "@/lib/schemas/workflow";
import type { EditorCatalog, EditorColumn, EditorTable } from "@/lib/server/services/workflows/editor-catalog";

// The editor's state: the part of a TWorkflowConfig it edits (customizations and options are
// edited elsewhere and carried over by the save service).

export type { EditorCatalog, EditorColumn, EditorTable };
export type { RuleSuggestion } from "@/lib/server/services/workflows/suggest-rules";
export type Filter = { kind: "all" } | { kind: "window"; columns: string[]; days: number };
/** `delta`: the change detection of delta updates, a change column or xmin (only with the target's delta updates on). */
export type TableSel = { schema: string; table: string; filter: Filter; rules: Record<string, TRule>; delta?: TTableDelta };
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

/** A choice of the rule picker: a rule name, or "fake:<kind>" (each fake kind is its own choice, "Fake email"). */
export type Choice = { value: string; label: string };

/** How a column takes part in keys: what rules are fit for it depends on that. */
export type KeyRole = { primary: boolean; unique: boolean; references: string | null; referencedSelected: boolean };

export function keyRole(table: EditorTable, column: EditorColumn, selected: Set<string>): KeyRole {
  const fk = table.foreignKeys.find((f) => f.columns.includes(column.name));
  const ref = fk ? `${fk.references.table}.${fk.references.columns[fk.columns.indexOf(column.name)]}` : null;
  return { primary: table.primaryKey.includes(column.name), unique: column.unique, references: ref, referencedSelected: !!fk && selected.has(`${fk.references.schema}.${fk.references.table}`) };
}

// Keys must stay unique and references must keep matching: these rules break one or the other.
const UNFIT_FOR_KEYS = new Set<TRuleName>(["null", "constant", "numeric_noise", "shuffle", "date_shift", "json_paths"]);

export const choiceOf = (rule: TRule | undefined): string => (!rule ? "" : rule.rule === "fake" ? `fake:${rule.kind}` : rule.rule);

/** The picker's choices for a column: "Keep as is" first, then the rules that fit its type and its part in keys. */
export function ruleChoices(column: EditorColumn, key: KeyRole, current: TRule | undefined): Choice[] {
  // A reference to a copied table must match its key: it takes the key's rule (or none).
  if (key.references && key.referencedSelected) return withCurrent([{ value: "keep", label: RULE_NAME_LABELS.keep }], current);
  const isKey = key.primary || key.unique || !!key.references;
  const names = column.rules.filter((r) => r !== "keep" && !(isKey && UNFIT_FOR_KEYS.has(r)));
  const out: Choice[] = [{ value: "keep", label: RULE_NAME_LABELS.keep }];
  for (const r of names) {
    if (r === "fake") for (const k of column.fakeKinds) out.push({ value: `fake:${k}`, label: describeRule({ rule: "fake", kind: k as (typeof FAKE_KINDS)[number] }) });
    else out.push({ value: r, label: RULE_NAME_LABELS[r] });
  }
  return withCurrent(out, current);
}

/** A saved rule that no longer fits stays visible (so the person sees and changes it). */
function withCurrent(choices: Choice[], current: TRule | undefined): Choice[] {
  const v = choiceOf(current);
  if (!v || choices.some((c) => c.value === v)) return choices;
  return [...choices, { value: v, label: current!.rule === "fake" ? describeRule(current!) : RULE_NAME_LABELS[current!.rule] }];
}

/** The rule a choice stands for, keeping the options of the current rule when the choice is the same. */
export function ruleFromChoice(value: string, column: EditorColumn, current: TRule | undefined): TRule {
  if (value === choiceOf(current)) return current!;
  if (value.startsWith("fake:")) return { rule: "fake", kind: value.slice(5) as Extract<TRule, { rule: "fake" }>["kind"] };
  return defaultRule(value as TRuleName, column);
}
