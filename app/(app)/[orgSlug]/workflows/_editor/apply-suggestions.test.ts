import { describe, expect, it } from "vitest";
import { applySuggestions, indexSuggestions, restToKeep } from "./apply-suggestions";
import type { EditorCatalog, EditorColumn, RuleSuggestion } from "./editor-types";

const col = (name: string, over: Partial<EditorColumn> = {}): EditorColumn => ({
  name, typeName: "text", baseType: "text", notNull: false, unique: false, generated: false, maxLength: null, isTime: false,
  rules: ["keep", "null", "hash", "fake", "mask", "numeric_noise"], fakeKinds: ["email", "city"], ...over,
});
const catalog: EditorCatalog = {
  connectionId: "c", introspectedAt: null, serverVersion: 150000,
  tables: [
    { schema: "public", name: "customers", rowsEstimate: 1, bytes: 1, inheritance: false, primaryKey: ["id"], foreignKeys: [], columns: [col("id", { unique: true }), col("email"), col("city"), col("note")] },
    { schema: "public", name: "orders", rowsEstimate: 1, bytes: 1, inheritance: false, primaryKey: ["id"], columns: [col("id"), col("customer_id")],
      foreignKeys: [{ name: "orders_customer_id_fkey", columns: ["customer_id"], references: { schema: "public", table: "customers", columns: ["id"] } }] },
  ],
};
const finding = (table: string, column: string, rule: RuleSuggestion["suggestedRule"]): RuleSuggestion => ({
  schema: "public", table, column, category: "email", confidence: 0.9, words: "looks like email addresses, 5 of 5 samples", certainty: "very likely", suggestedRule: rule,
});
const sel = (table: string, rules = {}) => ({ schema: "public", table, filter: { kind: "all" as const }, rules });

describe("applySuggestions", () => {
  it("pre-selects fitting suggestions on undecided columns only", () => {
    const index = indexSuggestions(new Map(), [
      finding("customers", "email", { rule: "fake", kind: "email" }),
      finding("customers", "city", { rule: "fake", kind: "city" }),
      finding("customers", "note", null),
      finding("customers", "id", { rule: "numeric_noise", percent: 5 }),
    ]);
    const { tables, applied } = applySuggestions([sel("customers", { city: { rule: "keep" } })], catalog, index);
    expect(tables[0]!.rules).toEqual({ email: { rule: "fake", kind: "email" }, city: { rule: "keep" } });
    expect(applied.get("public.customers")).toEqual(["email"]);
  });

  it("leaves a reference that follows a redacted key alone", () => {
    const index = indexSuggestions(new Map(), [finding("orders", "customer_id", { rule: "hash", length: 16, encoding: "hex" })]);
    const { tables } = applySuggestions([sel("customers", { id: { rule: "hash", length: 16, encoding: "hex" } }), sel("orders")], catalog, index);
    expect(tables[1]!.rules).toEqual({});
  });
});

describe("restToKeep", () => {
  it("leaves the scanner's findings to a person", () => {
    const index = indexSuggestions(new Map(), [finding("customers", "note", null)]);
    expect(restToKeep(["note", "plan", "created_at"], index.get("public.customers"))).toEqual(["plan", "created_at"]);
    expect(restToKeep(["plan"], undefined)).toEqual(["plan"]);
  });
});
