import type { TRule } from "../schemas/rules";

// Rules follow foreign keys: a column that references a redacted key gets the key's rule, so
// the redacted references still match. One function for the engine's plan and the workflow
// editor (which shows what the engine will do). `keep` is a reviewed "no rule": a kept key
// passes nothing on, and a kept reference still takes its key's rule (redacting more is safe;
// keeping it raw would publish the original key values beside redacted keys).

/** One column pair of a foreign key, tables named by any stable id (e.g. "schema.table" or an oid). */
export type KeyPair<T> = { child: T; childCol: string; parent: T; parentCol: string };

export type EffectiveRule<T> = { rule: TRule; follows?: { table: T; column: string } };

/**
 * The effective rules per table: the explicit ones (without `keep`), then rules that follow
 * foreign keys, to a fixpoint (chains of references; a cycle ends when nothing changes).
 */
export function followKeys<T>(explicit: Map<T, Record<string, TRule>>, pairs: KeyPair<T>[]): Map<T, Map<string, EffectiveRule<T>>> {
  const out = new Map<T, Map<string, EffectiveRule<T>>>();
  for (const [table, rules] of explicit) {
    const m = new Map<string, EffectiveRule<T>>();
    for (const [col, rule] of Object.entries(rules)) if (rule.rule !== "keep") m.set(col, { rule });
    out.set(table, m);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const { child, childCol, parent, parentCol } of pairs) {
      const parentRule = out.get(parent)?.get(parentCol);
      const childRules = out.get(child);
      if (parentRule && childRules && !childRules.has(childCol)) {
        childRules.set(childCol, { rule: parentRule.rule, follows: { table: parent, column: parentCol } });
        changed = true;
      }
    }
  }
  return out;
}
