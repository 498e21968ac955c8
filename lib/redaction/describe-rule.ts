import type { TRule, TRuleName, TScalarRule } from "../schemas/rules";

// A rule in words, for people: the editor's picker, the PII scanner's suggestions and the run
// report all say "Fake email", "Shift dates by up to 30 days", "Mask, keep last 4", never the
// rule ids (`fake`, `date_shift`). Types only, so client components can import it too.

/** What a rule kind is called, without its options (the picker's list, an old report's rule id). */
export const RULE_NAME_LABELS: Record<TRuleName, string> = {
  null: "Empty (NULL)",
  constant: "Fixed value",
  hash: "Hash",
  fake: "Realistic fake",
  mask: "Mask",
  date_shift: "Shift dates",
  numeric_noise: "Add noise",
  shuffle: "Shuffle between rows",
  json_paths: "Rules inside JSON",
  keep: "Keep as is",
};

const FAKE_LABELS: Record<Extract<TRule, { rule: "fake" }>["kind"], string> = {
  first_name: "Fake first name",
  last_name: "Fake last name",
  full_name: "Fake full name",
  email: "Fake email",
  phone: "Fake phone number",
  street_address: "Fake street address",
  city: "Fake city",
  postal_code: "Fake postal code",
  company: "Fake company name",
  username: "Fake username",
  ip: "Fake IP address",
  url: "Fake URL",
};

const MASK_FORMAT_LABELS = { phone: "phone number", ssn: "SSN", card: "card number" } as const;

/** The label of a rule id (a report of an older run may hold an id only); unknown ids as they are. */
export function ruleNameLabel(name: string): string {
  return (RULE_NAME_LABELS as Record<string, string>)[name] ?? name;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A rule with its options in words, e.g. "Fake email", "Shift dates by up to 30 days", "Mask, keep last 4". */
export function describeRule(rule: TRule): string {
  switch (rule.rule) {
    case "fake":
      return FAKE_LABELS[rule.kind];
    case "constant":
      return rule.value === "" ? "Fixed value (empty text)" : `Fixed value “${rule.value.length > 24 ? `${rule.value.slice(0, 23)}…` : rule.value}”`;
    case "hash":
      // The length and encoding apply to text columns only (integers and uuids keep their type).
      return rule.length === 16 && rule.encoding === "hex" ? "Hash" : `Hash, ${rule.length} ${rule.encoding} characters on text`;
    case "mask":
      return describeMask(rule);
    case "date_shift":
      return `Shift dates by up to ${plural(rule.maxDays, "day", "days")}`;
    case "numeric_noise":
      return `Add noise, up to ±${rule.percent} %`;
    case "json_paths":
      return describeJsonPaths(rule.paths);
    default:
      return RULE_NAME_LABELS[rule.rule];
  }
}

function describeMask(rule: Extract<TScalarRule, { rule: "mask" }>): string {
  if (rule.format === "keep_last") return rule.keepLast === 0 ? "Mask every character" : `Mask, keep last ${rule.keepLast}`;
  const what = MASK_FORMAT_LABELS[rule.format];
  return rule.keepLast === 0 ? `Mask ${what}, keep its format` : `Mask ${what}, keep its format and last ${rule.keepLast}`;
}

function describeJsonPaths(paths: { path: string; apply: TScalarRule }[]): string {
  const shown = paths.slice(0, 3).map((p) => `${p.path}: ${describeRule(p.apply)}`);
  return `Rules inside JSON (${shown.join("; ")}${paths.length > 3 ? `; and ${paths.length - 3} more` : ""})`;
}
