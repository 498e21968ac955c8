import { describe, expect, it } from "vitest";
import { ZWorkflowConfig } from "../../../schemas/workflow";
import { summarizeChange } from "./diff-configs";
import { fieldKey, ruleErrorKey, tableErrors } from "./field-keys";

const ID = "00000000-0000-4000-8000-000000000001";
const config = (tables: unknown[], extra: Record<string, unknown> = {}) =>
  ZWorkflowConfig.parse({ sourceConnectionId: ID, tables, outputs: { target: { connectionId: "00000000-0000-4000-8000-000000000002" } }, ...extra });

describe("summarizeChange", () => {
  const v1 = config([
    { schema: "public", table: "customers", rules: { email: { rule: "fake", kind: "email" }, phone: { rule: "mask" } } },
    { schema: "public", table: "orders", rules: {} },
  ]);

  it("describes the first version", () => {
    expect(summarizeChange(null, v1)).toEqual(["Created with 2 tables and 2 rules"]);
  });

  it("names added and removed tables, changed rules and row filters", () => {
    const v2 = config([
      { schema: "public", table: "customers", filter: { kind: "window", columns: ["created_at"], days: 7 }, rules: { email: { rule: "hash" }, phone: { rule: "mask", keepLast: 2 }, name: { rule: "fake", kind: "full_name" } } },
      { schema: "public", table: "tickets", rules: {} },
    ]);
    expect(summarizeChange(v1, v2)).toEqual([
      "Added public.tickets",
      "Removed public.orders",
      "Rules: customers.email → hash, customers.phone mask options, customers.name → fake full name",
      "Rows: customers: last 7 days",
    ]);
  });

  it("says when nothing in the configuration changed, and names customizations", () => {
    expect(summarizeChange(v1, v1)).toEqual(["No change to the configuration"]);
    const withC = config(v1.tables, { customizations: [{ name: "Company", statement: "UPDATE c SET n = %(n)s", params: [{ name: "n", label: "N" }] }] });
    expect(summarizeChange(v1, withC)).toEqual(["Added customization Company"]);
  });
});

describe("field keys", () => {
  const tables = [{ schema: "public", table: "customers" }, { schema: "sales", table: "orders" }];
  it("addresses tables by name, so the editor can attach messages however it sorts them", () => {
    expect(fieldKey(["tables", 1, "rules", "email"], tables)).toBe("table:sales.orders/rules/email");
    expect(fieldKey(["tables", 0], tables)).toBe("table:public.customers");
    expect(fieldKey(["outputs", "target", "connectionId"], tables)).toBe("outputs/target/connectionId");
    expect(fieldKey([], tables)).toBe("form");
    expect(ruleErrorKey("sales", "orders", "email")).toBe(fieldKey(["tables", 1, "rules", "email"], tables));
  });

  it("collects every message under a table", () => {
    const errors = { "table:public.customers/rules/email": ["a"], "table:public.customers": ["b"], "table:public.customers_archive": ["c"], cron: ["d"] };
    expect(tableErrors(errors, "public", "customers").sort()).toEqual(["a", "b"]);
  });
});
