import { isIntegerType, scalarTypeOf, type ColumnMeta } from "../redaction/column-meta";
import type { TRule } from "../schemas/rules";

// A foreign key column gets the rule of the key it references, but the same rule gives the same
// output only if it sees the same kind of column: hash on integers is a permutation of the
// type's range (int2/int4/int8 differ), text hashes are cut to the column's length limit, fake
// values are fitted to it. This names what a rule's output depends on, so the plan can refuse a
// foreign key whose two columns would get different values.

const TEXTLIKE = new Set(["text", "varchar", "name", "citext"]);

/** What the rule's output depends on besides the input value; equal keys give equal outputs. */
export function ruleOutputDomain(rule: TRule, col: ColumnMeta): string {
  const t = scalarTypeOf(col);
  const base = TEXTLIKE.has(t.baseType) ? "text" : t.baseType;
  const shape = col.category === "A" ? "[]" : "";
  switch (rule.rule) {
    case "null":
    case "constant":
      return "";
    case "hash":
      if (isIntegerType(t) || t.baseType === "uuid" || t.baseType === "bytea") return `${t.baseType}${shape}`;
      return `${base}${shape} of ${Math.min(rule.length, t.maxLength ?? Infinity)} characters`;
    case "fake":
      return `${base}${shape}${t.maxLength === null ? "" : ` of at most ${t.maxLength} characters`}`;
    default:
      return `${base}${shape}`;
  }
}

/** Why `rule` would give the referencing column other values than the referenced one, or null. */
export function ruleOutputMismatch(rule: TRule, child: ColumnMeta, parent: ColumnMeta): string | null {
  const c = ruleOutputDomain(rule, child);
  const p = ruleOutputDomain(rule, parent);
  if (c === p) return null;
  return `the ${rule.rule} rule gives different values on ${child.typeName} (${c}) than on ${parent.typeName} (${p})`;
}
