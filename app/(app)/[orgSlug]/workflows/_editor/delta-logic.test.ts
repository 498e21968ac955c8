import { describe, expect, it } from "vitest";
import {
  changeDetectionOf, changeDetectionValue, deltaPlanOf, selectedReferences, softDeleteColumns, softDeleteOf, softDeleteRefusalOf, suggestChangeColumn, wholeRunWarnings, withoutRefusedSoftDeletes,
  withSuggestedChangeColumns,
} from "./delta-logic";
import type { EditorColumn, EditorTable, TableSel } from "./editor-types";

const col = (name: string, baseType: string): EditorColumn => ({
  name, typeName: baseType === "timestamptz" ? "timestamp with time zone" : baseType, baseType, notNull: false, unique: false, generated: false, maxLength: null, isTime: false, rules: [], fakeKinds: [],
});
const table = (name: string, columns: EditorColumn[], over: Partial<EditorTable> = {}): EditorTable => ({
  schema: "public", name, rowsEstimate: 1, bytes: 1, inheritance: false, primaryKey: ["id"], foreignKeys: [], columns: [col("id", "int8"), ...columns], ...over,
});
const sel = (t: EditorTable, over: Partial<TableSel> = {}): TableSel => ({ schema: t.schema, table: t.name, filter: { kind: "all" }, rules: {}, ...over });

describe("suggestChangeColumn", () => {
  it("prefers an updated-at-like timestamp, falls back to created-at (append-only), and ignores other types", () => {
    expect(suggestChangeColumn(table("a", [col("created_at", "timestamptz"), col("updated_at", "timestamptz")]))).toEqual({ column: "updated_at", appendOnly: false });
    expect(suggestChangeColumn(table("b", [col("last_modified", "timestamp")]))).toEqual({ column: "last_modified", appendOnly: false });
    expect(suggestChangeColumn(table("c", [col("created_at", "timestamptz")]))).toEqual({ column: "created_at", appendOnly: true });
    expect(suggestChangeColumn(table("d", [col("updated_at", "date"), col("modified_at", "text")]))).toBeNull();
    expect(suggestChangeColumn(table("e", [col("ordered_at", "timestamptz")]))).toBeNull();
  });
});

describe("deltaPlanOf: the engine's reasons before the run", () => {
  const ok = table("customers", [col("updated_at", "timestamptz")]);
  it("is delta with a usable key and a change column", () => {
    expect(deltaPlanOf(ok, sel(ok, { delta: { column: "updated_at" } }))).toEqual({ mode: "delta", column: "updated_at" });
  });
  it("names why a table is copied in full, with planDelta's words", () => {
    const d = { delta: { column: "updated_at" } };
    expect(deltaPlanOf(ok, sel(ok))).toEqual({ mode: "full", reason: "no change column is set for this table" });
    expect(deltaPlanOf(ok, sel(ok, { ...d, filter: { kind: "window", columns: ["updated_at"], days: 7 } }))).toEqual({ mode: "full", reason: "the table has a time-window or row filter" });
    const keyless = table("log", [col("updated_at", "timestamptz")], { primaryKey: [] });
    expect(deltaPlanOf(keyless, sel(keyless, d))).toEqual({ mode: "full", reason: "the table has no primary key" });
    const dayKey = table("days", [col("day", "date"), col("updated_at", "timestamptz")], { primaryKey: ["day"] });
    expect(deltaPlanOf(dayKey, sel(dayKey, d))).toEqual({ mode: "full", reason: "its key column day is date, whose text form cannot define source_primary_key" });
    const parted = table("events", [col("updated_at", "timestamptz")], { inheritance: true });
    expect(deltaPlanOf(parted, sel(parted, d))).toEqual({ mode: "full", reason: "partitioned and inheritance tables are re-copied in full" });
  });
});

describe("withSuggestedChangeColumns", () => {
  it("fills only tables without a change column that have a suggestion", () => {
    const a = table("a", [col("updated_at", "timestamptz")]);
    const b = table("b", [col("changed_at", "timestamptz"), col("updated_at", "timestamptz")]);
    const c = table("c", [col("ordered_at", "timestamptz")]);
    const byId = new Map([a, b, c].map((t) => [`public.${t.name}`, t]));
    const out = withSuggestedChangeColumns([sel(a), sel(b, { delta: { column: "changed_at" } }), sel(c)], byId);
    expect(out.map((s) => s.delta?.column)).toEqual(["updated_at", "changed_at", undefined]);
  });
});

describe("xmin change detection in the editor (the definition's tables[].delta.xmin)", () => {
  const noTimestamp = table("tags", [col("label", "text")]);
  it("makes a table without a timestamp column delta-updated, and is kept (with a soft-delete column) through the select", () => {
    expect(deltaPlanOf(noTimestamp, sel(noTimestamp, { delta: { xmin: true } }))).toEqual({ mode: "delta", column: "xmin" });
    expect(changeDetectionValue({ xmin: true, softDelete: "deleted" })).toBe("xmin");
    expect(changeDetectionValue({ column: "updated_at" })).toBe("updated_at");
    expect(changeDetectionValue(undefined)).toBe("");
    expect(changeDetectionOf("xmin", { column: "updated_at", softDelete: "deleted" })).toEqual({ xmin: true, softDelete: "deleted" });
    expect(changeDetectionOf("updated_at", { xmin: true })).toEqual({ column: "updated_at" });
    expect(changeDetectionOf("", { xmin: true, softDelete: "deleted" })).toBeUndefined();
  });
});

describe("soft-delete columns in the editor (the definition's tables[].delta.softDelete)", () => {
  const withFk = (t: EditorTable, to: string, name: string): EditorTable => ({ ...t, foreignKeys: [{ name, columns: [`${to}_id`], references: { schema: "public", table: to, columns: ["id"] } }] });
  const customers = table("customers", [col("deleted_at", "timestamptz"), col("date_of_birth", "date"), col("note", "text")]);
  const orders = withFk(table("orders", [col("archived", "bool"), col("is_deleted", "bool"), { ...col("created_at", "timestamptz"), notNull: true }]), "customers", "orders_customer_id_fkey");
  const byId = new Map([customers, orders].map((t) => [`public.${t.name}`, t]));

  it("offers boolean and nullable date/timestamp columns, deleted_at-like names first and marked", () => {
    expect(softDeleteColumns(orders).map((c) => [c.column.name, c.suggested])).toEqual([["archived", true], ["is_deleted", true]]);
    expect(softDeleteColumns(customers).map((c) => [c.column.name, c.suggested])).toEqual([["deleted_at", true], ["date_of_birth", false]]);
  });

  it("refuses a table another selected table references, with the engine's words; a reference to an unselected table does not count", () => {
    const refs = selectedReferences([sel(customers), sel(orders)], byId);
    expect(refs).toEqual([{ from: "public.orders", to: "public.customers", name: "orders_customer_id_fkey" }]);
    expect(softDeleteRefusalOf("public.customers", refs)).toBe("public.orders references it (foreign key orders_customer_id_fkey): removing its deleted rows from the twin would break that key");
    expect(softDeleteRefusalOf("public.orders", refs)).toBeNull();
    expect(softDeleteRefusalOf("public.customers", selectedReferences([sel(customers)], byId))).toBeNull();
  });

  it("sets and clears the column keeping the change detection, and leaves a refused one out of what is saved", () => {
    expect(softDeleteOf("is_deleted", { xmin: true })).toEqual({ xmin: true, softDelete: "is_deleted" });
    expect(softDeleteOf("", { column: "updated_at", softDelete: "is_deleted" })).toEqual({ column: "updated_at" });
    const tables = [sel(customers, { delta: { xmin: true, softDelete: "deleted_at" } }), sel(orders, { delta: { xmin: true, softDelete: "is_deleted" } })];
    expect(withoutRefusedSoftDeletes(tables, byId).map((s) => s.delta)).toEqual([{ xmin: true }, { xmin: true, softDelete: "is_deleted" }]);
    expect(withoutRefusedSoftDeletes([tables[0]], byId)[0].delta).toEqual({ xmin: true, softDelete: "deleted_at" });
  });
});

describe("wholeRunWarnings: when a delta run copies every table anyway", () => {
  const a = table("a", [col("b_id", "int8")], { foreignKeys: [{ name: "a_b_fkey", columns: ["b_id"], references: { schema: "public", table: "b", columns: ["id"] } }] });
  const b = table("b", [col("a_id", "int8")], { foreignKeys: [{ name: "b_a_fkey", columns: ["a_id"], references: { schema: "public", table: "a", columns: ["id"] } }] });
  const codes = table("codes", [col("code", "text")], { primaryKey: [] });
  const uses = table("uses", [col("code", "text")], { foreignKeys: [{ name: "uses_code_fkey", columns: ["code"], references: { schema: "public", table: "codes", columns: ["code"] } }] });
  const byId = new Map([a, b, codes, uses].map((t) => [`public.${t.name}`, t]));
  const saved = (tables: string[]) => ({ targetConnectionId: "twin", deltaOn: true, tables });
  const texts = (tables: EditorTable[], s: Parameters<typeof wholeRunWarnings>[2], target = "twin") => wholeRunWarnings(tables.map((t) => sel(t)), byId, s, target).map((w) => `${w.kind}: ${w.text}`);

  it("warns of every run for a foreign-key cycle and for a keyless table that another selected table references", () => {
    expect(texts([a, b], saved(["public.a", "public.b"]))).toEqual(["every-run: Every run copies every table in full: the selected tables' foreign keys form a cycle, which delta runs cannot order."]);
    expect(texts([codes, uses], saved(["public.codes", "public.uses"]))).toEqual(["every-run: Every run copies every table in full: public.codes has no usable key and other tables reference it."]);
    expect(texts([codes, a], saved(["public.codes", "public.a"]))).toEqual([]);
  });

  it("warns of the next run when delta updates are turned on, the target changes or the tables change since the saved version", () => {
    const first = "next-run: The next run copies every table in full (first run of delta updates into this target); the runs after it read only the changes.";
    expect(texts([a], null)).toEqual([first]);
    expect(texts([a], { ...saved(["public.a"]), deltaOn: false })).toEqual([first]);
    expect(texts([a], saved(["public.a"]), "other twin")).toEqual([first]);
    expect(texts([a, codes], saved(["public.a"]))).toEqual(["next-run: The next run copies every table in full (table public.codes is new in the workflow); the runs after it read only the changes."]);
    expect(texts([a], saved(["public.a", "public.codes"]))).toEqual(["next-run: The next run copies every table in full (a table was removed from the workflow); the runs after it read only the changes."]);
  });
});
