import type { TRule, TRuleName } from "../schemas/rules";
import { FAKE_KINDS } from "../schemas/rules";

// Rules in words, for people (the editor's picker, suggestions, the scan page): "Fake email",
// "Shift dates", never the rule ids. One map, used by the server (RULE_INFO) and the browser.

export const RULE_LABELS: Record<TRuleName, string> = {
  keep: "Keep as is",
  null: "Empty (NULL)",
  constant: "Fixed value",
  hash: "Hash",
  fake: "Realistic fake",
  mask: "Mask",
  date_shift: "Shift dates",
  numeric_noise: "Add noise",
  shuffle: "Shuffle between rows",
  json_paths: "Rules inside JSON",
};

export const FAKE_KIND_LABELS: Record<(typeof FAKE_KINDS)[number], string> = {
  first_name: "first name", last_name: "last name", full_name: "full name", email: "email", phone: "phone number",
  street_address: "street address", city: "city", postal_code: "postal code", company: "company name",
  username: "username", ip: "IP address", url: "URL",
};

const MASK_FORMAT_LABELS: Record<string, string> = { phone: "Mask phone number", ssn: "Mask SSN", card: "Mask card number" };

/** One rule in words, with its kind where that is what a person recognises ("Fake email", "Mask phone number"). */
export function ruleLabel(rule: TRule): string {
  if (rule.rule === "fake") return `Fake ${FAKE_KIND_LABELS[rule.kind] ?? rule.kind}`;
  if (rule.rule === "mask") return MASK_FORMAT_LABELS[rule.format] ?? "Mask";
  return RULE_LABELS[rule.rule];
}
