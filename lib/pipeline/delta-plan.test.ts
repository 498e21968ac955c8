import { describe, expect, it } from "vitest";
import { columnMeta } from "../redaction/column-meta";
import type { CatalogColumn, CatalogConstraint, CatalogTable } from "./catalog";
import { fingerprint, sourceKey } from "./delta-plan";

const col = (name: string, type: string, attnum: number): CatalogColumn => ({ ...columnMeta(name, type, { notNull: true }), attnum, identity: "", generated: "", defaultExpr: null, generatedExpr: null, collation: null } as CatalogColumn);
const pk = (columns: number[]) => ({ type: "p", def: `PRIMARY KEY (${columns.join(", ")})`, columns } as CatalogConstraint);
const table = (columns: CatalogColumn[], constraints: CatalogConstraint[]) => ({ schema: "public", name: "t", kind: "r", columns, constraints } as CatalogTable);

describe("sourceKey", () => {
  it("renders a single key as its text and a composite key as quoted texts joined by commas", () => {
    expect(sourceKey(table([col("id", "int8", 1)], [pk([1])]))).toMatchObject({ expression: `("id")::text` });
    expect(sourceKey(table([col("order_id", "int4", 1), col("line", "int4", 2)], [pk([1, 2])]))).toMatchObject({ expression: `quote_literal(("order_id")::text) || ',' || quote_literal(("line")::text)` });
  });

  it("names why a table has none: no primary key, or a key type without an immutable text form", () => {
    expect(sourceKey(table([col("id", "int8", 1)], []))).toEqual({ reason: "the table has no primary key" });
    expect(sourceKey(table([col("day", "date", 1)], [pk([1])]))).toEqual({ reason: "its key column day is date, whose text form cannot define source_primary_key" });
  });
});

describe("fingerprint", () => {
  it("hashes columns and constraints apart, so a column change is told from a constraint change", () => {
    const a = fingerprint(table([col("id", "int8", 1), col("n", "int4", 2)], [pk([1])])).split(".");
    const typeChanged = fingerprint(table([col("id", "int8", 1), col("n", "int8", 2)], [pk([1])])).split(".");
    const keyChanged = fingerprint(table([col("id", "int8", 1), col("n", "int4", 2)], [pk([1, 2])])).split(".");
    expect(typeChanged[0]).not.toBe(a[0]);
    expect(typeChanged[1]).toBe(a[1]);
    expect(keyChanged[0]).toBe(a[0]);
    expect(keyChanged[1]).not.toBe(a[1]);
  });
});
