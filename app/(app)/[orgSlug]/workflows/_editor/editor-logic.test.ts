import { describe, expect, it } from "vitest";
import { defaultRule, type EditorCatalog, type EditorColumn, followedKeys, ruleChoices } from "./editor-types";
import { describeCron } from "./schedule-text";

const col = (name: string, over: Partial<EditorColumn> = {}): EditorColumn => ({
  name, typeName: "text", baseType: "text", notNull: false, unique: false, generated: false, maxLength: null, isTime: false,
  rules: ["null", "hash", "fake", "mask"], fakeKinds: ["email", "phone", "first_name", "full_name"], ...over,
});

const table = (name: string, fks: { columns: string[]; table: string; ref: string[] }[] = []) => ({
  schema: "public", name, rowsEstimate: 1, bytes: 1, inheritance: false, primaryKey: ["id"], columns: [col("id")],
  foreignKeys: fks.map((f) => ({ name: `${name}_${f.columns.join("_")}_fkey`, columns: f.columns, references: { schema: "public", table: f.table, columns: f.ref } })),
});

describe("followedKeys", () => {
  const catalog: EditorCatalog = {
    connectionId: "c", introspectedAt: null, serverVersion: 150000,
    tables: [table("customers"), table("orders", [{ columns: ["customer_id"], table: "customers", ref: ["id"] }]), table("items", [{ columns: ["order_customer"], table: "orders", ref: ["customer_id"] }])],
  };
  it("marks columns that reference a redacted key, transitively, only for selected tables", () => {
    const sel = (t: string, rules = {}) => ({ schema: "public", table: t, filter: { kind: "all" as const }, rules });
    const f = followedKeys([sel("customers", { id: { rule: "hash" } }), sel("orders"), sel("items")], catalog);
    expect(f.get("public.orders")?.get("customer_id")).toBe("customers.id");
    expect(f.get("public.items")?.get("order_customer")).toBe("orders.customer_id");
    expect(followedKeys([sel("customers"), sel("orders")], catalog).size).toBe(0);
    expect(followedKeys([sel("customers", { id: { rule: "hash" } })], catalog).size).toBe(0);
    expect(followedKeys([sel("customers", { id: { rule: "hash" } }), sel("orders", { customer_id: { rule: "null" } })], catalog).size).toBe(0);
  });
});

describe("defaultRule", () => {
  it("guesses the fake kind and mask format from the column name", () => {
    expect(defaultRule("fake", col("contact_email"))).toEqual({ rule: "fake", kind: "email" });
    expect(defaultRule("fake", col("first_name"))).toEqual({ rule: "fake", kind: "first_name" });
    expect(defaultRule("mask", col("mobile_phone"))).toMatchObject({ rule: "mask", format: "phone" });
    expect(defaultRule("hash", col("code", { maxLength: 10 }))).toMatchObject({ rule: "hash", length: 10 });
  });
});

describe("describeCron", () => {
  it("puts the common shapes in words and leaves the rest as cron", () => {
    expect(describeCron("0 3 * * *")).toBe("Every day at 03:00 UTC");
    expect(describeCron("15 * * * *")).toBe("Every hour at :15");
    expect(describeCron("0 3 * * 1")).toBe("Every Monday at 03:00 UTC");
    expect(describeCron("*/5 * * * *")).toBe("Cron */5 * * * * (UTC)");
  });
});

describe("ruleChoices", () => {
  const c = col("x", { rules: ["keep", "null", "hash", "fake", "numeric_noise", "shuffle"], fakeKinds: ["email"] });
  const plain = { primary: false, unique: false, references: null, referencedSelected: false };
  it("offers Keep as is first, each fake kind in words, and no rule that breaks a key or a reference", () => {
    expect(ruleChoices(c, plain, undefined).map((x) => x.label)).toEqual(["Keep as is", "Empty (NULL)", "Hash", "Fake email", "Add noise", "Shuffle between rows"]);
    expect(ruleChoices(c, { ...plain, primary: true }, undefined).map((x) => x.label)).toEqual(["Keep as is", "Hash", "Fake email"]);
    expect(ruleChoices(c, { ...plain, references: "customers.id", referencedSelected: true }, undefined).map((x) => x.value)).toEqual(["keep"]);
    // A saved rule that no longer fits stays visible, so the person sees it and changes it.
    expect(ruleChoices(c, { ...plain, primary: true }, { rule: "numeric_noise", percent: 5 }).map((x) => x.value)).toContain("numeric_noise");
  });
});
