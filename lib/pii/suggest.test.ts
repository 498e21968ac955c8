import { describe, expect, it } from "vitest";
import { checkRuleFits } from "../redaction/catalogue";
import { columnMeta } from "../redaction/column-meta";
import { suggestRule } from "./suggest";
import { PII_CATEGORIES } from "./types";

describe("suggestRule", () => {
  it("maps categories to their usual rule", () => {
    const text = columnMeta("c", "text");
    expect(suggestRule("email", text)).toEqual({ rule: "fake", kind: "email" });
    expect(suggestRule("first_name", text)).toEqual({ rule: "fake", kind: "first_name" });
    expect(suggestRule("last_name", text)).toEqual({ rule: "fake", kind: "last_name" });
    expect(suggestRule("full_name", text)).toEqual({ rule: "fake", kind: "full_name" });
    expect(suggestRule("phone", text)).toMatchObject({ rule: "mask", format: "phone" });
    expect(suggestRule("ssn", text)).toMatchObject({ rule: "mask", format: "ssn" });
    expect(suggestRule("payment_card", text)).toMatchObject({ rule: "mask", format: "card" });
    expect(suggestRule("street_address", text)).toEqual({ rule: "fake", kind: "street_address" });
    expect(suggestRule("city", text)).toEqual({ rule: "fake", kind: "city" });
    expect(suggestRule("postal_code", text)).toEqual({ rule: "fake", kind: "postal_code" });
    expect(suggestRule("birth_date", columnMeta("dob", "date"))).toMatchObject({ rule: "date_shift" });
    expect(suggestRule("ip_address", columnMeta("ip", "inet"))).toEqual({ rule: "fake", kind: "ip" });
    expect(suggestRule("url", text)).toEqual({ rule: "fake", kind: "url" });
    expect(suggestRule("medical_record_number", text)).toMatchObject({ rule: "hash" });
    expect(suggestRule("free_text_pii", text)).toEqual({ rule: "null" });
  });

  it("falls back when the usual rule does not fit the column", () => {
    expect(suggestRule("free_text_pii", columnMeta("notes", "text", { notNull: true }))).toEqual({ rule: "constant", value: "[redacted]" });
    expect(suggestRule("free_text_pii", columnMeta("notes", "varchar(4)", { notNull: true }))).toEqual({ rule: "constant", value: "" });
    // Masked SSNs can coincide, so a unique column gets a hash (or, with no room for one, NULL).
    expect(suggestRule("ssn", columnMeta("ssn", "text", { unique: true }))).toMatchObject({ rule: "hash", length: 16 });
    expect(suggestRule("ssn", columnMeta("ssn", "bpchar(11)", { unique: true }))).toEqual({ rule: "null" });
    expect(suggestRule("ssn", columnMeta("ssn", "int4", { notNull: true }))).toMatchObject({ rule: "hash" });
    expect(suggestRule("phone", columnMeta("phone", "int8"))).toMatchObject({ rule: "hash" });
    expect(suggestRule("email", columnMeta("email", "varchar(6)"))).not.toMatchObject({ rule: "fake" });
    expect(suggestRule("geo_coordinates", columnMeta("lat", "float8", { notNull: true }))).toMatchObject({ rule: "numeric_noise" });
  });

  it("builds json_paths for documents", () => {
    const rule = suggestRule("email", columnMeta("profile", "jsonb"), [
      { path: "$.email", match: { category: "email", confidence: 0.99, matches: 3, sampled: 3, reasons: [] } },
      { path: "$.phones[*]", match: { category: "phone", confidence: 0.9, matches: 3, sampled: 3, reasons: [] } },
    ]);
    expect(rule).toMatchObject({ rule: "json_paths", paths: [
      { path: "$.email", apply: { rule: "fake", kind: "email" } },
      { path: "$.phones[*]", apply: { rule: "mask", format: "phone" } },
    ] });
  });

  it("only suggests rules that fit, for every category and column type", () => {
    const types = ["text", "varchar(5)", "varchar(12)", "bpchar(11)", "citext", "int2", "int4", "int8", "numeric", "float8", "uuid", "date", "timestamptz", "inet", "jsonb"];
    let suggestions = 0;
    for (const category of PII_CATEGORIES) {
      for (const type of types) {
        for (const opts of [{}, { notNull: true }, { unique: true, notNull: true }]) {
          const col = columnMeta("c", type, opts);
          const rule = suggestRule(category, col);
          if (rule) {
            suggestions++;
            expect(checkRuleFits(rule, col), `${category} on ${type} ${JSON.stringify(opts)}`).toBeNull();
          }
        }
      }
    }
    expect(suggestions).toBeGreaterThan(PII_CATEGORIES.length * 20);
  });
});
