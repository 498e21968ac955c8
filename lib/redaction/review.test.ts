import { describe, expect, it } from "vitest";
import { unreviewedColumns, type ReviewCatalogTable } from "./review";

const catalog: ReviewCatalogTable[] = [
  { schema: "public", name: "customers", columns: [{ name: "id" }, { name: "email" }, { name: "email_lower", generated: "s" }], foreignKeys: [] },
  {
    schema: "public", name: "orders", columns: [{ name: "id" }, { name: "customer_id" }, { name: "total" }],
    foreignKeys: [{ columns: ["customer_id"], references: { schema: "public", table: "customers", columns: ["id"] } }],
  },
  { schema: "public", name: "unselected", columns: [{ name: "secret" }], foreignKeys: [] },
];

describe("unreviewedColumns", () => {
  it("lists columns with no rule; keep, a rule, a followed redacted key and generated columns count as reviewed", () => {
    const result = unreviewedColumns([
      { schema: "public", table: "customers", rules: { id: { rule: "hash", length: 16, encoding: "hex" }, email: { rule: "keep" } } },
      { schema: "public", table: "orders", rules: { id: { rule: "keep" } } },
    ], catalog);
    expect(result).toEqual([{ schema: "public", table: "orders", columns: ["total"] }]);
  });

  it("a kept key passes nothing on: its references still need a decision", () => {
    const result = unreviewedColumns([
      { schema: "public", table: "customers", rules: { id: { rule: "keep" }, email: { rule: "keep" } } },
      { schema: "public", table: "orders", rules: {} },
    ], catalog);
    expect(result).toEqual([{ schema: "public", table: "orders", columns: ["id", "customer_id", "total"] }]);
  });

  it("a reference to a table outside the workflow follows nothing", () => {
    expect(unreviewedColumns([{ schema: "public", table: "orders", rules: { id: { rule: "keep" }, total: { rule: "keep" } } }], catalog))
      .toEqual([{ schema: "public", table: "orders", columns: ["customer_id"] }]);
  });

  it("columns a table lists as reviewed otherwise (a saved version's known columns) count as reviewed", () => {
    expect(unreviewedColumns([{ schema: "public", table: "orders", rules: { id: { rule: "keep" } }, reviewedColumns: ["total", "gone"] }], catalog))
      .toEqual([{ schema: "public", table: "orders", columns: ["customer_id"] }]);
  });
});
