import { checkRuleFits } from "../redaction/catalogue";
import { columnMeta, type ColumnMeta } from "../redaction/column-meta";
import { ZRule, ZScalarRule, type TRule, type TScalarRule } from "../schemas/rules";
import type { JsonPathMatch } from "./classify";
import type { TPiiCategory } from "./types";

// The rule the results page offers for a detected column: the preferred rule for the category
// first, then safer fallbacks, and the first that the rules catalogue accepts for the column's
// type and constraints (length limits, NOT NULL, unique) wins. null when nothing fits.

type Candidate = Record<string, unknown> & { rule: string };

const fake = (kind: string): Candidate => ({ rule: "fake", kind });
const PREFERRED: Record<TPiiCategory, Candidate[]> = {
  email: [fake("email")],
  first_name: [fake("first_name")],
  last_name: [fake("last_name")],
  full_name: [fake("full_name")],
  username: [fake("username")],
  phone: [{ rule: "mask", format: "phone" }, fake("phone")],
  ssn: [{ rule: "mask", format: "ssn" }],
  payment_card: [{ rule: "mask", format: "card" }],
  street_address: [fake("street_address")],
  city: [fake("city")],
  postal_code: [fake("postal_code")],
  geo_coordinates: [{ rule: "null" }, { rule: "numeric_noise", percent: 5 }],
  birth_date: [{ rule: "date_shift", maxDays: 180 }],
  person_date: [{ rule: "date_shift", maxDays: 30 }],
  ip_address: [fake("ip")],
  url: [fake("url")],
  medical_record_number: [],
  health_plan_number: [],
  account_number: [],
  license_number: [],
  vehicle_id: [],
  device_id: [],
  unique_id: [],
  free_text_pii: [{ rule: "null" }],
};

/** Replacement for NOT NULL columns where emptying is the right answer, by type. */
function constantFor(col: ColumnMeta): string {
  const t = col.baseType;
  if (["int2", "int4", "int8", "numeric", "float4", "float8"].includes(t)) return "0";
  if (t === "date" || t === "timestamp" || t === "timestamptz") return "1900-01-01";
  if (t === "json" || t === "jsonb") return "{}";
  if (t === "inet" || t === "cidr") return "0.0.0.0";
  const text = "[redacted]";
  return col.maxLength !== null && col.maxLength < text.length ? "" : text;
}

function fallbacks(col: ColumnMeta): Candidate[] {
  const hashLength = Math.max(8, Math.min(16, col.maxLength ?? 16));
  return [
    { rule: "hash", length: hashLength },
    { rule: "mask", format: "keep_last", keepLast: 0 },
    { rule: "null" },
    { rule: "constant", value: constantFor(col) },
  ];
}

function firstFitting(candidates: Candidate[], col: ColumnMeta): TRule | null {
  for (const c of candidates) {
    const parsed = ZRule.safeParse(c);
    if (parsed.success && checkRuleFits(parsed.data, col) === null) return parsed.data;
  }
  return null;
}

/** A scalar rule for a text leaf inside a JSON document. */
function scalarFor(category: TPiiCategory): TScalarRule | null {
  const leaf = columnMeta("leaf", "text");
  const rule = firstFitting([...PREFERRED[category], ...fallbacks(leaf)], leaf);
  const scalar = rule ? ZScalarRule.safeParse(rule) : null;
  return scalar?.success ? scalar.data : null;
}

export function suggestRule(category: TPiiCategory, col: ColumnMeta, jsonPaths?: JsonPathMatch[]): TRule | null {
  if (jsonPaths?.length && (col.baseType === "json" || col.baseType === "jsonb")) {
    const paths = jsonPaths.flatMap((p) => {
      const apply = scalarFor(p.match.category);
      return apply ? [{ path: p.path, apply }] : [];
    });
    const rule = paths.length ? firstFitting([{ rule: "json_paths", paths }], col) : null;
    if (rule) return rule;
  }
  // Free text is emptied, not hashed: a hash of a note is noise that still looks like data.
  const emptied: Candidate[] = category === "free_text_pii" ? [{ rule: "constant", value: constantFor(col) }] : [];
  return firstFitting([...PREFERRED[category], ...emptied, ...fallbacks(col)], col);
}
